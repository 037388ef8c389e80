// `charter format`'s core: formats a model template with sql-formatter (Snowflake) while its Nunjucks tags stay as
// written. A line holding only tags (`{% if is_incremental() %}`, a `{{ config(...) }}` call) is set aside as an SQL
// line comment, which the formatter keeps on a line of its own, and comes back as written, indentation included;
// a tag inside a line of SQL goes through the formatter as a parameter. Pure: the caller checks that the result
// renders to the same SQL (see sameSqlTokens) before writing anything.
import { format } from 'sql-formatter';
import { templateSegments } from './template-tags.js';

export interface TemplateFormatSettings {
  /** Spaces per indentation level. */
  readonly indent: number;
  readonly keywordCase: 'preserve' | 'upper' | 'lower';
  readonly functionCase: 'preserve' | 'upper' | 'lower';
  /** Parenthesised expressions up to this many characters stay on one line. */
  readonly expressionWidth: number;
}

/** As target/compiled/ is formatted (src/artifacts/format-sql.ts): two spaces, keywords as written. */
export const DEFAULT_FORMAT_SETTINGS: TemplateFormatSettings = { indent: 2, keywordCase: 'preserve', functionCase: 'preserve', expressionWidth: 50 };

const INLINE = (i: number): string => `{{${i}}}`;
const INLINE_PATTERN = /\{\{(\d+)\}\}/g;
const LINE_MARK = '-- charter:format-tag-line:';

export type FormatOutcome = { readonly text: string } | { readonly problem: string };

export function formatTemplate(raw: string, settings: TemplateFormatSettings = DEFAULT_FORMAT_SETTINGS): FormatOutcome {
  const tags: string[] = [];
  const marked = templateSegments(raw)
    .map((s) => (s.kind === 'tag' ? INLINE(tags.push(s.text) - 1) : s.text))
    .join('');
  const unmark = (text: string): string => text.replace(INLINE_PATTERN, (_all, i: string) => tags[Number(i)] ?? '');
  // Lines of nothing but tags keep their own line, as written.
  const tagLines: string[] = [];
  const protectedSql = marked.replace(/^[ \t]*(?:\{\{\d+\}\}[ \t]*)+$/gm, (line) => `${LINE_MARK}${tagLines.push(unmark(line)) - 1}`);
  let formatted: string;
  try {
    formatted = format(protectedSql, {
      language: 'snowflake',
      tabWidth: settings.indent,
      keywordCase: settings.keywordCase,
      functionCase: settings.functionCase,
      expressionWidth: settings.expressionWidth,
      paramTypes: { custom: [{ regex: String.raw`\{\{\d+\}\}` }] },
    });
  } catch (e) {
    return { problem: `sql-formatter cannot read it: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}` };
  }
  const restored = formatted
    .replace(new RegExp(`^[ \\t]*${LINE_MARK}(\\d+)[ \\t]*$`, 'gm'), (_all, i: string) => tagLines[Number(i)] ?? '')
    .replace(new RegExp(`[ \\t]*${LINE_MARK}(\\d+)[ \\t]*`, 'g'), (_all, i: string) => `\n${tagLines[Number(i)] ?? ''}\n`);
  const text = `${unmark(restored).replace(/\s+$/, '')}\n`;
  // Every tag back, in order and byte for byte: otherwise the formatter has moved or split one.
  const before = templateSegments(raw).filter((s) => s.kind === 'tag').map((s) => s.text);
  const after = templateSegments(text).filter((s) => s.kind === 'tag').map((s) => s.text);
  if (before.length !== after.length || before.some((t, i) => t !== after[i])) return { problem: 'the formatter moved or changed a template tag' };
  return { text };
}

// Rule: a model's SQL, once rendered, must parse as Snowflake SQL. The parser is young (polyglot 0.12), so an error
// is reported only when it is certain: the parser gives a position, no construct it is known to miss is in the
// statement, and a second parser rejects it too. Anything less is "could not check" (info), never a false error.
import type { ModelNode } from '../../project/nodes.js';
import type { LintContext, LintFinding, LintRule } from './lint-rule.js';
import { escapeRegExp, positionAt, sqlSkeleton, wordPattern, type TextPosition } from './source-text.js';

/** Valid Snowflake that polyglot 0.12.1 does not (or not always) parse: a failure near these is its gap, not the model's. */
export const KNOWN_PARSER_GAPS: ReadonlyArray<{ readonly construct: string; readonly pattern: RegExp }> = [
  { construct: 'SELECT * ILIKE', pattern: /\*\s*ilike\b/i },
  { construct: 'MATCH_RECOGNIZE', pattern: /\bmatch_recognize\b/i },
  { construct: 'CONNECT BY', pattern: /\bconnect\s+by\b/i },
  { construct: 'CHANGES', pattern: /\bchanges\s*\(/i },
  { construct: 'ASOF JOIN', pattern: /\basof\s+join\b/i },
  { construct: 'a $$ string', pattern: /\$\$/ },
];

export const sqlParse: LintRule = {
  id: 'sql_parse',
  summary: "a model's rendered SQL does not parse as Snowflake SQL",
  defaultSeverity: 'error',
  check: (context) =>
    context.project.order.flatMap((id) => {
      const node = context.project.nodes.get(id);
      if (node?.kind !== 'model') return [];
      const variants = [node.compiledSql, ...(node.incrementalSql === undefined ? [] : [node.incrementalSql])];
      const finding = variants.map((sql) => checkOne(node, sql, context)).find((f) => f !== undefined);
      return finding ? [finding] : [];
    }),
};

function checkOne(model: ModelNode, sql: string, context: LintContext): LintFinding | undefined {
  const parsed = context.parseSnowflake(sql);
  if (parsed.ok) return undefined;
  const gap = KNOWN_PARSER_GAPS.find((g) => g.pattern.test(sql));
  const uncertain = gap
    ? `it uses ${gap.construct}, which the Snowflake parser does not know yet`
    : parsed.start === undefined || parsed.line === undefined
      ? 'the Snowflake parser failed without saying where'
      : context.parsesElsewhere(sql)
        ? `the Snowflake parser rejects it (${parsed.message}) but another parser reads it, so it may be the parser's gap`
        : undefined;
  if (uncertain) {
    return {
      code: 'lint.unchecked',
      info: true,
      message: `could not check that ${model.name} parses as Snowflake SQL: ${uncertain}`,
      location: { file: model.path, line: 1, column: 1 },
      hint: 'nothing to do unless the model fails to run; `charter compile` writes the SQL to target/compiled/',
    };
  }
  const at = locateInRaw(model.rawSql, sql, parsed.start ?? 0);
  const token = sql.slice(parsed.start ?? 0, parsed.end ?? parsed.start ?? 0).trim();
  return {
    code: 'lint.sql_parse',
    message: `${model.name} does not parse as Snowflake SQL: ${parsed.message.replace(/^Parse error at line \d+, column \d+: /, '')}${token ? ` at \`${token}\`` : ''}`,
    location: { file: model.path, ...at },
    hint: 'fix the SQL near here; `charter compile` writes the rendered SQL to target/compiled/ to compare with',
  };
}

/**
 * The place in the template that rendered to `offset` of the SQL: the raw line that reads like the rendered one
 * (templates shift lines: config() renders to nothing, ephemeral models are inlined on top), at the same token.
 */
export function locateInRaw(raw: string, sql: string, offset: number): TextPosition {
  const lineStart = sql.lastIndexOf('\n', offset - 1) + 1;
  const lineEnd = sql.indexOf('\n', offset);
  const line = sql.slice(lineStart, lineEnd < 0 ? undefined : lineEnd);
  const column = offset - lineStart;
  const rawLines = raw.split('\n');
  const trimmed = line.trim();
  const exact = trimmed ? rawLines.findIndex((l) => l.trim() === trimmed) : -1;
  if (exact >= 0) {
    const indentShift = (rawLines[exact]?.length ?? 0) - (rawLines[exact]?.trimStart().length ?? 0) - (line.length - line.trimStart().length);
    return { line: exact + 1, column: column + indentShift + 1 };
  }
  // The token and what precedes it on its line, as written before rendering.
  const word = /^[A-Za-z_][A-Za-z0-9_$]*/.exec(sql.slice(offset))?.[0];
  const skeleton = sqlSkeleton(raw);
  if (word) {
    const before = sql.slice(lineStart, offset).trim().split(/\s+/).pop() ?? '';
    const withContext = before && /^[\w.,()]+$/.test(before) ? new RegExp(`${escapeRegExp(before)}\\s+${escapeRegExp(word)}(?![\\w$])`, 'i').exec(skeleton) : null;
    if (withContext) return positionAt(raw, withContext.index + withContext[0].length - word.length);
    const alone = wordPattern(word).exec(skeleton);
    if (alone) return positionAt(raw, alone.index);
  }
  return { line: 1, column: 1 };
}

// Turns a Nunjucks error, or a sandbox refusal, into located diagnostics.
import { error, type Diagnostic, type SourceLocation } from '../diagnostics/diagnostic.js';
import { TemplateForbiddenError } from './template-sandbox.js';

interface NunjucksError {
  message: string;
  lineno?: number;
  colno?: number;
  cause?: unknown;
}

/**
 * A Nunjucks error, or one the sandbox raised, as located diagnostics (several when a template breaks several rules).
 * `source`, the template's text, places errors nunjucks reports without a position (an unknown filter or test).
 */
export function templateDiagnostics(file: string, raw: unknown, source?: string): Diagnostic[] {
  const cause = typeof raw === 'object' && raw !== null ? (raw as NunjucksError).cause : undefined;
  const refused = raw instanceof TemplateForbiddenError ? raw : cause instanceof TemplateForbiddenError ? cause : undefined;
  if (refused) {
    // A violation found in the syntax tree, or a run-time one with a located key, knows its place; others take the
    // place nunjucks was rendering.
    const fallback = errorLocation(file, raw as NunjucksError);
    return refused.violations.map((v) =>
      v.unsupported
        ? error('template.unsupported', `not supported in a template: ${v.what}`, { location: v.location ?? fallback, hint: v.hint })
        : error('template.forbidden', `forbidden in a template: ${v.what}`, { location: v.location ?? fallback, hint: v.hint }),
    );
  }
  const e = raw as NunjucksError;
  const message = String(e.message ?? raw)
    .replace(/^\([^)]*\)\s*(\[Line \d+(, Column \d+)?\])?\s*/, '')
    .replace(/^Error: /, '')
    .trim();
  const construct = unsupportedConstruct(message);
  if (construct) {
    const at = construct.pattern && source !== undefined ? findInTemplate(source, construct.pattern) : undefined;
    return [
      error('template.unsupported', `not supported in a template: ${construct.what}`, {
        location: at ? { file, ...at } : errorLocation(file, e),
        hint: construct.hint,
      }),
    ];
  }
  return [error('template.syntax', `template error: ${message}`, { location: errorLocation(file, e), hint: hintFor(message) })];
}

/** Tags of Jinja and dbt that charter lacks; any other unknown tag (`{% endif %}` with no if, a typo) is a syntax error. */
const JINJA_TAGS: ReadonlySet<string> = new Set(['break', 'continue', 'with', 'autoescape', 'trans', 'pluralize', 'materialization', 'test', 'docs', 'snapshot']);

const README_HINT = 'charter supports the Jinja that dbt models commonly use (README: dbt Jinja compatibility)';

/** dbt's functions that would need the warehouse (or dbt's own runtime) while compiling, and why charter has none. */
const DBT_ONLY: Readonly<Record<string, string>> = {
  run_query: 'it queries the warehouse while compiling; charter compiles offline',
  statement: 'it runs SQL while compiling; charter compiles offline',
  load_result: 'it reads a statement run while compiling; charter compiles offline',
  'adapter.get_relation': 'it asks the warehouse; charter compiles offline (use ref() or source())',
  'adapter.get_columns_in_relation': 'it asks the warehouse, and charter compiles offline; declare the columns in a contract and use dbt_utils.star()',
  'adapter.get_missing_columns': 'it asks the warehouse; charter compiles offline',
  'adapter.already_exists': 'it asks the warehouse; charter compiles offline',
  'api.Relation.create': "relations come from ref() and source()",
  fromyaml: 'charter has no YAML in templates; use a dict literal or fromjson()',
  toyaml: 'charter has no YAML in templates; use tojson',
  zip: 'loop with loop.index0 over one list and index the other',
  graph: "charter's graph is not a template value",
};

/** An unknown tag, filter, test or dbt function, named as the user wrote it; undefined for other errors. */
function unsupportedConstruct(message: string): { what: string; hint: string; pattern?: RegExp } | undefined {
  const tag = /^unknown block tag: (\w+)/.exec(message)?.[1];
  if (tag && JINJA_TAGS.has(tag)) {
    const dbtBlock = ['materialization', 'test', 'docs', 'snapshot'].includes(tag);
    const loop = tag === 'break' || tag === 'continue';
    return {
      what: `the Jinja tag \`{% ${tag} %}\``,
      hint: dbtBlock
        ? `dbt's {% ${tag} %} blocks have no meaning in a charter model or macro file; ${README_HINT}`
        : loop
          ? `end the loop early with a condition instead: {% for x in xs if ... %} or {% if not done %}; ${README_HINT}`
          : README_HINT,
    };
  }
  const filter = /^filter not found: ([\w$]+)/.exec(message)?.[1];
  if (filter) return { what: `the filter \`| ${filter}\` (filter not found)`, hint: README_HINT, pattern: new RegExp(`\\|\\s*${filter.replace(/\$/g, '\\$')}\\b`) };
  const test = /^test not found: ([\w$]+)/.exec(message)?.[1];
  if (test) return { what: `the test \`is ${test}\` (test not found)`, hint: README_HINT, pattern: new RegExp(`\\bis\\s+(?:not\\s+)?${test.replace(/\$/g, '\\$')}\\b`) };
  const call = /^Unable to call `([^`]+)`, which is undefined or falsey/.exec(message)?.[1];
  const name = call?.replace(/\["([\w$]+)"\]/g, '.$1');
  if (name && Object.hasOwn(DBT_ONLY, name)) return { what: `dbt's \`${name}()\``, hint: `${DBT_ONLY[name]}; ${README_HINT}` };
  return undefined;
}

function errorLocation(file: string, e: NunjucksError): SourceLocation {
  // Parse errors carry 1-based positions; errors wrapped from a JS exception at render time carry 0-based ones.
  // Errors that lost their fields carry them only in the message text.
  const shift = e.cause instanceof Error ? 1 : 0;
  const inMessage = /\[Line (\d+), Column (\d+)\]/.exec(String(e.message ?? ''));
  const line = typeof e.lineno === 'number' ? e.lineno + shift : Number(inMessage?.[1] ?? 1);
  const column = typeof e.colno === 'number' ? e.colno + shift : Number(inMessage?.[2] ?? 1);
  return { file, line: Math.max(1, line), column: Math.max(1, column) };
}

function hintFor(message: string): string | undefined {
  if (message.includes('attempted to output null or undefined value')) {
    return 'a variable in {{ }} is undefined; check its spelling, or give var() a default';
  }
  if (message.includes('Unable to call')) return 'the function or macro is not defined; macros live in macros/*.sql';
  return undefined;
}

/** 1-based line and column of the first match of `pattern` in `text`, if any. */
export function findInTemplate(text: string, pattern: RegExp): { line: number; column: number } | undefined {
  const match = pattern.exec(text);
  if (!match) return undefined;
  const before = text.slice(0, match.index);
  const line = before.split('\n').length;
  return { line, column: match.index - before.lastIndexOf('\n') };
}

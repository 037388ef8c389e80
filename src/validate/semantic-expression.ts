// What a semantic view expression names: its column and member references (bare or `table.name`) and whether it
// calls an aggregate. A small Snowflake tokenizer keeps strings, quoted names and comments whole, so a word inside
// a literal is never read as a reference.

export interface ExpressionReference {
  /** The logical table it is qualified with, lower case; undefined for a bare name. */
  readonly table?: string;
  /** Lower case (a quoted name keeps its case). */
  readonly name: string;
}

export interface ExpressionShape {
  readonly references: readonly ExpressionReference[];
  /** Aggregate functions called, upper case. */
  readonly aggregates: readonly string[];
}

type Kind = 'ws' | 'comment' | 'string' | 'qident' | 'ident' | 'number' | 'op';
interface Token { readonly kind: Kind; readonly text: string }

const TOKEN_RE =
  /(\s+)|(--[^\n]*|\/\/[^\n]*|\/\*[\s\S]*?\*\/)|('(?:[^'\\]|\\[\s\S]|'')*'|\$\$[\s\S]*?\$\$)|("(?:[^"]|"")*")|([\p{L}_][\p{L}\p{N}_$]*)|(\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)|(::|\|\||<=|>=|<>|!=|[^\s])/uy;
const KINDS: readonly Kind[] = ['ws', 'comment', 'string', 'qident', 'ident', 'number', 'op'];

function tokens(sql: string): Token[] {
  const re = new RegExp(TOKEN_RE);
  const out: Token[] = [];
  for (let pos = 0; pos < sql.length;) {
    re.lastIndex = pos;
    const m = re.exec(sql);
    const text = m?.[0] ?? sql.charAt(pos);
    const group = m ? m.findIndex((g, i) => i > 0 && g !== undefined) : KINDS.length;
    const kind = KINDS[group - 1] ?? 'op';
    if (kind !== 'ws' && kind !== 'comment') out.push({ kind, text });
    pos += text.length;
  }
  return out;
}

export const AGGREGATE_FUNCTIONS: ReadonlySet<string> = new Set([
  'SUM', 'AVG', 'MIN', 'MAX', 'COUNT', 'COUNT_IF', 'MEDIAN', 'MODE', 'ANY_VALUE', 'LISTAGG', 'ARRAY_AGG', 'OBJECT_AGG',
  'APPROX_COUNT_DISTINCT', 'HLL', 'STDDEV', 'STDDEV_POP', 'STDDEV_SAMP', 'VARIANCE', 'VAR_POP', 'VAR_SAMP', 'BOOLAND_AGG',
  'BOOLOR_AGG', 'PERCENTILE_CONT', 'PERCENTILE_DISC', 'APPROX_PERCENTILE', 'CORR', 'COVAR_POP', 'COVAR_SAMP',
  'MAX_BY', 'MIN_BY', 'KURTOSIS', 'SKEW', 'BITAND_AGG', 'BITOR_AGG',
]);

/** Words an expression may hold that name no column: keywords, literals, date parts and type names. */
const NOT_REFERENCES: ReadonlySet<string> = new Set([
  'AND', 'OR', 'NOT', 'NULL', 'IS', 'IN', 'AS', 'CASE', 'WHEN', 'THEN', 'ELSE', 'END', 'DISTINCT', 'TRUE', 'FALSE',
  'BETWEEN', 'LIKE', 'ILIKE', 'RLIKE', 'ESCAPE', 'OVER', 'PARTITION', 'BY', 'ORDER', 'ASC', 'DESC', 'NULLS', 'FIRST',
  'LAST', 'ROWS', 'RANGE', 'UNBOUNDED', 'PRECEDING', 'FOLLOWING', 'CURRENT', 'ROW', 'WITHIN', 'GROUP', 'FILTER',
  'INTERVAL', 'DATE', 'TIMESTAMP', 'TIME', 'YEAR', 'QUARTER', 'MONTH', 'WEEK', 'DAY', 'HOUR', 'MINUTE', 'SECOND',
  'YEARS', 'MONTHS', 'DAYS', 'VARCHAR', 'STRING', 'TEXT', 'NUMBER', 'NUMERIC', 'DECIMAL', 'INT', 'INTEGER', 'BIGINT',
  'FLOAT', 'DOUBLE', 'BOOLEAN', 'TIMESTAMP_NTZ', 'TIMESTAMP_LTZ', 'TIMESTAMP_TZ', 'VARIANT', 'ANY', 'ALL', 'SOME',
  'EXISTS', 'CAST', 'TRY_CAST',
]);

const nameOf = (t: Token): string => (t.kind === 'qident' ? t.text.slice(1, -1).replace(/""/g, '"') : t.text.toLowerCase());

/** The references and aggregate calls of one expression. */
export function expressionShape(sql: string): ExpressionShape {
  const ts = tokens(sql);
  const references: ExpressionReference[] = [];
  const aggregates: string[] = [];
  for (let i = 0; i < ts.length; i++) {
    const t = ts[i]!;
    if (t.kind !== 'ident' && t.kind !== 'qident') continue;
    const previous = ts[i - 1];
    // A type after `::`, or a field of a reference already read (`a.b`, `v:field`).
    if (previous?.kind === 'op' && (previous.text === '::' || previous.text === '.' || previous.text === ':')) continue;
    const next = ts[i + 1];
    if (next?.kind === 'op' && next.text === '(') {
      if (t.kind === 'ident' && AGGREGATE_FUNCTIONS.has(t.text.toUpperCase())) aggregates.push(t.text.toUpperCase());
      continue;
    }
    if (t.kind === 'ident' && NOT_REFERENCES.has(t.text.toUpperCase())) continue;
    const member = ts[i + 2];
    if (next?.kind === 'op' && next.text === '.' && member && (member.kind === 'ident' || member.kind === 'qident')) {
      references.push({ table: nameOf(t), name: nameOf(member) });
      i += 2;
      continue;
    }
    references.push({ name: nameOf(t) });
  }
  return { references, aggregates };
}

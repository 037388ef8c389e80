// Token-level pre-pass over a Snowflake SELECT: rewrites the function calls that the transpiler gets wrong or
// leaves unchanged into calls of charter's shim macros (or of `__sf_raw_*` placeholders the post-pass renames to
// DuckDB built-ins), and reports constructs that DuckDB cannot reproduce. The output is still Snowflake SQL.

import {
  type Token, isOp, isSignificant, isWord, matchForward, nextSig, prevSig, snowflakeStringLiteral,
  snowflakeStringValue, soleToken, splitTopLevel, tokenize,
} from './sql-tokens.js';
import { ARITHMETIC_PARTS, DAY_OR_LARGER_PARTS, LAST_DAY_PARTS, canonicalDatePart } from './snowflake-date-parts.js';
import { convertSnowflakeDatetimeFormat } from './snowflake-format-elements.js';
import { type TableFunctionCall, type TableFunctionResult, flattenCall, splitToTableCall } from './snowflake-flatten.js';

export interface PrepassNote { construct: string; detail: string }
export interface PrepassIssue { construct: string; offset: number; reason: string }
export interface PrepassResult {
  sql: string;
  notes: PrepassNote[];
  issues: PrepassIssue[];
  /** `alias.column` (lower case) of VARIANT columns the rewrite introduced, such as a FLATTEN's VALUE. */
  jsonColumns: string[];
}

interface Ctx { tokens: Token[]; notes: Map<string, PrepassNote>; issues: PrepassIssue[]; jsonColumns: Set<string> }

interface Call {
  name: string;
  args: Array<[number, number]>;
  /** Translated text of argument k (nested calls rewritten). */
  arg(k: number): string;
  /** The single token of argument k, if it is one token. */
  tok(k: number): Token | undefined;
  unsupported(reason: string): null;
  note(detail: string): void;
  ctx: Ctx;
  close: number;
}

type Handler = (call: Call) => string | { text: string; end: number } | null;

export function rewriteSnowflake(sql: string): PrepassResult {
  const ctx: Ctx = { tokens: tokenize(sql, 'snowflake'), notes: new Map(), issues: [], jsonColumns: new Set() };
  const out = emitRange(ctx, 0, ctx.tokens.length);
  return { sql: out, notes: [...ctx.notes.values()], issues: ctx.issues, jsonColumns: [...ctx.jsonColumns] };
}

function emitRange(ctx: Ctx, from: number, to: number): string {
  let out = '';
  for (let i = from; i < to; i++) {
    const t = ctx.tokens[i];
    if (!t) break;
    if (t.kind === 'comment') {
      // Comments are dropped (polyglot duplicates them and turns `--` into `/* */`), keeping the line count.
      out += t.text.replace(/[^\n]/g, ' ');
      continue;
    }
    if (t.kind === 'ident') {
      const rewritten = rewriteCall(ctx, i, to);
      if (rewritten) {
        out += rewritten.text;
        i = rewritten.end;
        continue;
      }
      noteWord(ctx, i);
    } else if (isOp(t, ':') && isSignificant(ctx.tokens[i + 1]) && !isOp(ctx.tokens[i - 1], ':')) {
      addNote(ctx, 'JSON path (:)', 'arrow extraction; ->> when cast to a scalar type');
    }
    out += t.text;
  }
  return out;
}

function rewriteCall(ctx: Ctx, i: number, limit: number): { text: string; end: number } | null {
  const { tokens } = ctx;
  const nameTok = tokens[i];
  const open = nextSig(tokens, i);
  if (!nameTok || !isOp(tokens[open], '(') || isOp(tokens[prevSig(tokens, i)], '.')) return null;
  const name = nameTok.text.toUpperCase();
  const handler = HANDLERS[name];
  if (!handler) return null;
  const close = matchForward(tokens, open);
  if (close < 0 || close >= limit) return null;
  const args = splitTopLevel(tokens, open, close);
  const emitted = new Map<number, string>(); // each argument is emitted once, so nested issues are reported once
  const call: Call = {
    name, args, ctx, close,
    arg: (k) => {
      const r = args[k];
      if (!r) return '';
      const text = emitted.get(k) ?? emitRange(ctx, r[0], r[1]);
      emitted.set(k, text);
      return text;
    },
    tok: (k) => { const r = args[k]; return r ? soleToken(tokens, r) : undefined; },
    unsupported: (reason) => { ctx.issues.push({ construct: name, offset: nameTok.start, reason }); return null; },
    note: (detail) => addNote(ctx, name, detail),
  };
  const result = handler(call);
  if (result === null) return null;
  const { text, end } = typeof result === 'string' ? { text: result, end: close } : result;
  // Keep every later line on its original line number so that DuckDB/polyglot errors still point at the input.
  const original = tokens.slice(i, end + 1).map((t) => t.text).join('');
  const missing = countNewlines(original) - countNewlines(text);
  return { text: text + '\n'.repeat(Math.max(0, missing)), end };
}

function countNewlines(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === 10) n++;
  return n;
}

function addNote(ctx: Ctx, construct: string, detail: string): void {
  if (!ctx.notes.has(construct)) ctx.notes.set(construct, { construct, detail });
}

const TYPE_NOTES: Record<string, string> = {
  NUMBER: 'type NUMBER(p,s) -> DECIMAL(p,s)',
  TIMESTAMP_NTZ: 'type -> TIMESTAMP',
  TIMESTAMP_LTZ: 'type -> TIMESTAMPTZ',
  TIMESTAMP_TZ: 'type -> TIMESTAMPTZ',
};
const KEYWORD_ISSUES: Record<string, string> = {
  MATCH_RECOGNIZE: 'MATCH_RECOGNIZE has no DuckDB equivalent',
  MATCH_CONDITION: 'ASOF JOIN ... MATCH_CONDITION is not translated; write a join with QUALIFY row_number() = 1',
  CONNECT: 'hierarchical CONNECT BY queries have no DuckDB equivalent; use a recursive CTE',
};

function noteWord(ctx: Ctx, i: number): void {
  const t = ctx.tokens[i];
  if (!t) return;
  const word = t.text.toUpperCase();
  const prev = ctx.tokens[prevSig(ctx.tokens, i)];
  const typeNote = TYPE_NOTES[word];
  if (typeNote && (isOp(prev, '::') || isWord(prev, 'AS'))) addNote(ctx, word, typeNote);
  if (word === 'QUALIFY') addNote(ctx, 'QUALIFY', 'native in DuckDB');
  const issue = KEYWORD_ISSUES[word];
  if (issue && (word !== 'CONNECT' || isWord(ctx.tokens[nextSig(ctx.tokens, i)], 'BY'))) {
    ctx.issues.push({ construct: word === 'CONNECT' ? 'CONNECT BY' : word, offset: t.start, reason: issue });
  }
}

// ---- helpers for handlers ---------------------------------------------------------------------------------

function partOf(call: Call, k: number): string | undefined {
  const t = call.tok(k);
  if (t?.kind === 'ident') return canonicalDatePart(t.text);
  const value = snowflakeStringValue(t);
  return value === undefined ? undefined : canonicalDatePart(value);
}

function isStringLiteral(call: Call, k: number): boolean {
  return call.tok(k)?.kind === 'string';
}

function intLiteral(call: Call, k: number): number | undefined {
  const t = call.tok(k);
  return t?.kind === 'number' && /^\d+$/.test(t.text) ? Number(t.text) : undefined;
}

/** A string-literal argument wrapped in an explicit TIMESTAMP cast (DuckDB cannot choose an overload for it). */
function asTimestamp(call: Call, k: number): string {
  return isStringLiteral(call, k) ? `CAST(${call.arg(k)} AS TIMESTAMP)` : call.arg(k);
}

const LITERAL_DATE_REASON =
  'a bare string literal as the date argument has a Snowflake-specific implicit type; cast it (e.g. \'2024-01-31\'::date)';

function dateArithmetic(call: Call): string | null {
  if (call.args.length !== 3) return call.unsupported(`expects 3 arguments, got ${call.args.length}`);
  const part = partOf(call, 0);
  if (!part || !ARITHMETIC_PARTS.has(part)) return call.unsupported('date part must be a literal year..microsecond');
  if (call.name.endsWith('DIFF')) {
    call.note(part === 'week' ? 'shim __sf_datediff_week (counts week boundaries)' : 'date_diff (counts boundaries)');
    const a = asTimestamp(call, 1);
    const b = asTimestamp(call, 2);
    return part === 'week' ? `__sf_datediff_week(${a}, ${b})` : `__sf_raw_date_diff('${part}', ${a}, ${b})`;
  }
  if (isStringLiteral(call, 2)) return call.unsupported(LITERAL_DATE_REASON);
  call.note('shim __sf_dateadd/__sf_timeadd: a DATE stays a DATE for day-or-larger parts');
  const fn = DAY_OR_LARGER_PARTS.has(part) ? '__sf_dateadd' : '__sf_timeadd';
  return `${fn}('${part}', ${call.arg(1)}, ${call.arg(2)})`;
}

function dateTrunc(call: Call, partArg: number, valueArg: number): string | null {
  const part = partOf(call, partArg);
  if (!part || !ARITHMETIC_PARTS.has(part)) return call.unsupported('date part must be a literal year..microsecond');
  if (isStringLiteral(call, valueArg)) return call.unsupported(LITERAL_DATE_REASON);
  call.note('shim __sf_date_trunc: keeps the input type (DATE stays DATE)');
  return `__sf_date_trunc('${part}', ${call.arg(valueArg)})`;
}

function datetimeFormat(call: Call, k: number, forParsing: boolean): string | null {
  const raw = snowflakeStringValue(call.tok(k));
  if (raw === undefined) return call.unsupported('the format must be a string literal');
  const converted = convertSnowflakeDatetimeFormat(raw, forParsing);
  if (!converted.ok) return call.unsupported(converted.reason);
  call.note(`format '${raw}' -> '${converted.format}'`);
  return snowflakeStringLiteral(converted.format);
}

function parseWithFormat(call: Call, cast: 'DATE' | 'TIMESTAMP'): string | null {
  const tryPrefix = call.name.startsWith('TRY_') ? 'try_' : '';
  if (call.args.length === 1) {
    if (cast === 'DATE') return null; // polyglot: CAST / TRY_CAST AS DATE
    if (tryPrefix) return `TRY_CAST(${call.arg(0)} AS TIMESTAMP)`;
    call.note('shim __sf_to_timestamp: a number is seconds since the epoch');
    return `__sf_to_timestamp(${call.arg(0)}, 1000000)`;
  }
  const scale = intLiteral(call, 1);
  if (cast === 'TIMESTAMP' && !tryPrefix && call.args.length === 2 && scale !== undefined) {
    if (scale > 9) return call.unsupported('the scale must be 0 to 9');
    call.note('shim __sf_to_timestamp: a number is seconds since the epoch');
    const factor = scale <= 6 ? String(10 ** (6 - scale)) : `0.${'0'.repeat(scale - 7)}1`;
    return `__sf_to_timestamp(${call.arg(0)}, ${factor})`;
  }
  if (call.args.length !== 2 || !isStringLiteral(call, 1)) return call.unsupported('only (value) or (value, \'format\') is supported');
  const fmt = datetimeFormat(call, 1, true);
  if (fmt === null) return null;
  const parsed = `__sf_raw_${tryPrefix}strptime(${call.arg(0)}, ${fmt})`;
  return cast === 'DATE' ? `CAST(${parsed} AS DATE)` : parsed;
}

function toNumber(call: Call): string | null {
  const n = call.args.length;
  if (n < 1 || n > 3) return call.unsupported(`expects 1 to 3 arguments, got ${n}`);
  if (n > 1 && isStringLiteral(call, 1)) return call.unsupported('numeric format models are not supported locally');
  const precision = n > 1 ? intLiteral(call, 1) : 38;
  const scale = n > 2 ? intLiteral(call, 2) : 0;
  if (precision === undefined || scale === undefined || precision < 1 || precision > 38 || scale > precision) {
    return call.unsupported('precision and scale must be integer literals with 1 <= p <= 38 and s <= p');
  }
  call.note(`CAST to DECIMAL(${precision}, ${scale})`);
  const cast = call.name.startsWith('TRY_') ? 'TRY_CAST' : 'CAST';
  return `${cast}(${call.arg(0)} AS DECIMAL(${precision}, ${scale}))`;
}

function concat(parts: string[]): string {
  return `(${parts.map((p) => `__sf_to_varchar(${p})`).join(' || ')})`;
}

function allArgs(call: Call): string[] {
  return call.args.map((_, k) => call.arg(k));
}

function unsupported(reason: string): Handler {
  return (call) => call.unsupported(reason);
}

function noteOnly(detail: string): Handler {
  return (call) => { call.note(detail); return null; };
}

function renameTo(target: string, detail: string): Handler {
  return (call) => { call.note(detail); return `${target}(${allArgs(call).join(', ')})`; };
}

function ratioToReport(call: Call): { text: string; end: number } | null {
  const { tokens } = call.ctx;
  const over = nextSig(tokens, call.close);
  const open = nextSig(tokens, over);
  if (call.args.length !== 1 || !isWord(tokens[over], 'OVER') || !isOp(tokens[open], '(')) {
    return call.unsupported('expects RATIO_TO_REPORT(expr) OVER (...)');
  }
  const close = matchForward(tokens, open);
  if (close < 0) return null;
  // ORDER BY inside OVER does not affect RATIO_TO_REPORT, but it would turn SUM into a running sum.
  let specEnd = close;
  let depth = 0;
  for (let j = open + 1; j < close; j++) {
    const t = tokens[j];
    if (isOp(t, '(')) depth++;
    else if (isOp(t, ')')) depth--;
    else if (depth === 0 && isWord(t, 'ORDER')) { specEnd = j; break; }
  }
  const spec = emitRange(call.ctx, open + 1, specEnd);
  const e = call.arg(0);
  call.note('expr / NULLIF(SUM(expr) OVER (...), 0)');
  return { text: `((${e}) / NULLIF(SUM(${e}) OVER (${spec}), 0))`, end: close };
}

const HANDLERS: Record<string, Handler> = {
  DATEADD: dateArithmetic, TIMESTAMPADD: dateArithmetic, TIMEADD: dateArithmetic,
  DATEDIFF: dateArithmetic, TIMESTAMPDIFF: dateArithmetic, TIMEDIFF: dateArithmetic,
  DATE_TRUNC: (call) => (call.args.length === 2 ? dateTrunc(call, 0, 1) : call.unsupported('expects 2 arguments')),
  TRUNC: (call) => (call.args.length === 2 && isStringLiteral(call, 1) ? dateTrunc(call, 1, 0) : null),
  TRUNCATE: (call) => (call.args.length === 2 && isStringLiteral(call, 1) ? dateTrunc(call, 1, 0) : null),
  LAST_DAY: (call) => {
    const part = call.args.length === 2 ? partOf(call, 1) : 'month';
    if (call.args.length > 2 || !part || !LAST_DAY_PARTS.has(part)) return call.unsupported('part must be a literal year, quarter, month or week');
    call.note('shim __sf_last_day');
    return `__sf_last_day(${asTimestamp(call, 0)}, '${part}')`;
  },
  ADD_MONTHS: (call) => {
    if (call.args.length !== 2) return call.unsupported('expects 2 arguments');
    if (isStringLiteral(call, 0)) return call.unsupported(LITERAL_DATE_REASON);
    call.note('shim __sf_add_months: keeps month ends and the input type');
    return `__sf_add_months(${call.arg(0)}, ${call.arg(1)})`;
  },
  DATE_PART: (call) => {
    const part = partOf(call, 0);
    if (call.args.length !== 2 || !part) return null;
    return `DATE_PART(${part}, ${call.arg(1)})`;
  },
  EXTRACT: (call) => {
    const { tokens } = call.ctx;
    const range = call.args[0];
    if (call.args.length !== 1 || !range) return null;
    const first = nextSig(tokens, range[0] - 1);
    const part = tokens[first]?.kind === 'ident' ? canonicalDatePart(tokens[first]?.text ?? '') : undefined;
    if (!part || !isWord(tokens[nextSig(tokens, first)], 'FROM')) return null;
    return `EXTRACT(${part} ${emitRange(call.ctx, first + 1, range[1])})`;
  },
  TO_CHAR: toVarchar, TO_VARCHAR: toVarchar,
  TO_DATE: (call) => parseWithFormat(call, 'DATE'), DATE: (call) => parseWithFormat(call, 'DATE'),
  TRY_TO_DATE: (call) => parseWithFormat(call, 'DATE'),
  TO_TIMESTAMP: (call) => parseWithFormat(call, 'TIMESTAMP'), TO_TIMESTAMP_NTZ: (call) => parseWithFormat(call, 'TIMESTAMP'),
  TRY_TO_TIMESTAMP: (call) => parseWithFormat(call, 'TIMESTAMP'), TRY_TO_TIMESTAMP_NTZ: (call) => parseWithFormat(call, 'TIMESTAMP'),
  TO_NUMBER: toNumber, TO_DECIMAL: toNumber, TO_NUMERIC: toNumber,
  TRY_TO_NUMBER: toNumber, TRY_TO_DECIMAL: toNumber, TRY_TO_NUMERIC: toNumber,
  CONCAT: (call) => { call.note('|| (NULL if any argument is NULL)'); return concat(allArgs(call)); },
  CONCAT_WS: (call) => {
    if (call.args.length < 2) return call.unsupported('expects a separator and at least one value');
    call.note('|| with separator (NULL if any argument is NULL)');
    const [sep, ...values] = allArgs(call);
    return concat(values.flatMap((v, k) => (k === 0 ? [v] : [sep ?? "''", v])));
  },
  DECODE: noteOnly('CASE WHEN with NULL-safe matching'),
  REGEXP_LIKE: regexpLike, RLIKE: regexpLike,
  REGEXP_REPLACE: (call) => {
    const n = call.args.length;
    if (n >= 4 && call.tok(3)?.text !== '1') return call.unsupported('only position 1 is supported');
    if (n >= 5 && !['0', '1'].includes(call.tok(4)?.text ?? '')) return call.unsupported('only occurrence 0 (all) or 1 is supported');
    if (n >= 6) return call.unsupported('regex parameters are not supported');
    call.note("regexp_replace(..., 'g') (Snowflake replaces every match)");
    return null;
  },
  REGEXP_SUBSTR: (call) => {
    const n = call.args.length;
    if (n < 2 || n > 4 || (n >= 3 && call.tok(2)?.text !== '1') || (n === 4 && call.tok(3)?.text !== '1')) {
      return call.unsupported('only (subject, pattern [, 1 [, 1]]) is supported');
    }
    call.note('shim __sf_regexp_substr (NULL when there is no match)');
    return `__sf_regexp_substr(${call.arg(0)}, ${call.arg(1)})`;
  },
  STARTSWITH: renameTo('__sf_raw_starts_with', 'starts_with'),
  INITCAP: (call) => {
    call.note('shim __sf_initcap');
    return call.args.length === 2 ? `__sf_initcap_delims(${call.arg(0)}, ${call.arg(1)})` : `__sf_initcap(${call.arg(0)})`;
  },
  RATIO_TO_REPORT: ratioToReport,
  LISTAGG: (call) => {
    call.note("string_agg with ORDER BY inside the call; default delimiter ''");
    return call.args.length === 1 ? `LISTAGG(${call.arg(0)}, '')` : null;
  },
  OBJECT_CONSTRUCT: (call) => {
    if (call.args.length === 1 && isOp(call.tok(0), '*')) return call.unsupported('OBJECT_CONSTRUCT(*) is not supported');
    if (call.args.length % 2 !== 0) return call.unsupported('expects key/value pairs');
    call.note('json_object without NULL values');
    if (call.args.length === 0) return "PARSE_JSON('{}')";
    return `__sf_raw_json_merge_patch('{}', __sf_raw_json_object(${allArgs(call).join(', ')}))`;
  },
  OBJECT_CONSTRUCT_KEEP_NULL: renameTo('__sf_raw_json_object', 'json_object'),
  MD5_HEX: renameTo('MD5', 'md5'), SHA1_HEX: renameTo('SHA1', 'sha1'),
  SHA2_HEX: renameTo('SHA2', 'shim sha2 (SHA-256 only)'), SHA2: noteOnly('shim sha2 (SHA-256 only)'),
  UUID_STRING: (call) => {
    if (call.args.length > 0) return call.unsupported('name-based (v5) UUIDs are not supported');
    call.note('uuid()::VARCHAR');
    return 'CAST(__sf_raw_uuid() AS VARCHAR)';
  },
  IS_ROLE_IN_SESSION: noteOnly("shim reading getvariable('charter_roles')"),
  CURRENT_ROLE: noteOnly("shim reading getvariable('charter_role')"),
  IFF: noteOnly('CASE WHEN'), NVL: noteOnly('COALESCE'), NVL2: noteOnly('CASE WHEN IS NOT NULL'),
  ZEROIFNULL: noteOnly('CASE WHEN IS NULL'), DIV0: noteOnly('CASE WHEN divisor = 0'), DIV0NULL: noteOnly('CASE WHEN divisor = 0 OR NULL'),
  EQUAL_NULL: noteOnly('IS NOT DISTINCT FROM'), GREATEST: noteOnly('NULL if any argument is NULL'),
  LEAST: noteOnly('NULL if any argument is NULL'), SPLIT_PART: noteOnly('position 0 treated as 1'),
  ARRAY_CONTAINS: noteOnly('list_contains(array, value)'), CHARINDEX: noteOnly('strpos'),
  DATE_FROM_PARTS: noteOnly('make_date with overflow'), PARSE_JSON: noteOnly('json()'),
  ARRAY_CONSTRUCT: noteOnly('list literal'), BOOLAND_AGG: noteOnly('bool_and'), BOOLOR_AGG: noteOnly('bool_or'),
  ARRAY_AGG: noteOnly('array_agg without NULLs'),
  FLATTEN: tableFunction(flattenCall),
  SPLIT_TO_TABLE: tableFunction(splitToTableCall),
  IDENTIFIER: identifier,
  OBJECT_KEYS: (call) => {
    if (call.args.length !== 1) return call.unsupported('expects 1 argument');
    call.note('json_keys, sorted as Snowflake stores object keys');
    return `__sf_raw_to_json(__sf_raw_list_sort(__sf_raw_json_keys(__sf_raw_to_json(${call.arg(0)}))))`;
  },
  OBJECT_AGG: (call) => {
    const { tokens } = call.ctx;
    if (call.args.length !== 2) return call.unsupported('expects (key, value)');
    if (isWord(tokens[nextSig(tokens, (call.args[0]?.[0] ?? 0) - 1)], 'DISTINCT')) return call.unsupported('OBJECT_AGG(DISTINCT ...) is not translated');
    if (isWord(tokens[nextSig(tokens, call.close)], 'OVER')) return call.unsupported('OBJECT_AGG as a window function is not translated');
    call.note('shim __sf_object_agg: sorted keys, NULL pairs ignored, duplicate keys an error');
    return `__sf_object_agg(${call.arg(0)}, ${call.arg(1)})`;
  },
  HASH: unsupported('Snowflake HASH uses a different algorithm than DuckDB hash; values would differ'),
  HASH_AGG: unsupported('Snowflake HASH_AGG uses a different algorithm than DuckDB; values would differ'),
  UNIFORM: unsupported('random generators cannot reproduce Snowflake values'),
  RANDOM: unsupported('random generators cannot reproduce Snowflake values'),
  RANDSTR: unsupported('random generators cannot reproduce Snowflake values'),
  NORMAL: unsupported('random generators cannot reproduce Snowflake values'),
  ZIPF: unsupported('random generators cannot reproduce Snowflake values'),
  SEQ1: unsupported('sequence generators are not supported locally'), SEQ2: unsupported('sequence generators are not supported locally'),
  SEQ4: unsupported('sequence generators are not supported locally'), SEQ8: unsupported('sequence generators are not supported locally'),
  GENERATOR: unsupported('GENERATOR has no DuckDB equivalent; use range()'),
  RESULT_SCAN: unsupported('RESULT_SCAN reads Snowflake query history'),
  AT: unsupported('time travel (AT/BEFORE) is not available locally'),
  BEFORE: unsupported('time travel (AT/BEFORE) is not available locally'),
  CHANGES: unsupported('CHANGES (change tracking) is not available locally'),
  CONDITIONAL_TRUE_EVENT: unsupported('CONDITIONAL_TRUE_EVENT has no DuckDB equivalent; use a running SUM(IFF(...))'),
  CONDITIONAL_CHANGE_EVENT: unsupported('CONDITIONAL_CHANGE_EVENT has no DuckDB equivalent; use LAG and a running SUM'),
  APPROX_COUNT_DISTINCT: unsupported('HyperLogLog estimates differ between engines; use COUNT(DISTINCT ...)'),
  HLL: unsupported('HyperLogLog estimates differ between engines; use COUNT(DISTINCT ...)'),
  APPROX_PERCENTILE: unsupported('approximate percentiles differ between engines; use PERCENTILE_CONT'),
  APPROX_TOP_K: unsupported('approximate top-k differs between engines'),
};

/** A table function translated by snowflake-flatten.ts; the arguments' text goes through this pass first. */
function tableFunction(translate: (call: TableFunctionCall) => TableFunctionResult): Handler {
  return (call) => {
    const result = translate({ tokens: call.ctx.tokens, args: call.args, close: call.close, emit: ([from, to]) => emitRange(call.ctx, from, to) });
    if ('reason' in result) return call.unsupported(result.reason);
    for (const column of result.jsonColumns ?? []) call.ctx.jsonColumns.add(column);
    call.note(result.note);
    return result.sql;
  };
}

/** IDENTIFIER('name'): the name itself; a session variable or expression cannot be resolved at compile time. */
function identifier(call: Call): string | null {
  const name = call.args.length === 1 ? snowflakeStringValue(call.tok(0)) : undefined;
  const part = String.raw`(?:[A-Za-z_][A-Za-z0-9_$]*|"(?:[^"]|"")+")`;
  if (name === undefined || !new RegExp(String.raw`^${part}(?:\.${part}){0,2}$`).test(name)) {
    return call.unsupported("only IDENTIFIER('name') with a literal object name is translated");
  }
  call.note('the literal name');
  return name;
}

function toVarchar(call: Call): string | null {
  if (call.args.length === 1) {
    call.note('shim __sf_to_varchar (Snowflake default output formats)');
    return `__sf_to_varchar(${call.arg(0)})`;
  }
  if (call.args.length !== 2) return call.unsupported('expects (value [, format])');
  const fmt = datetimeFormat(call, 1, false);
  return fmt === null ? null : `__sf_raw_strftime(${call.arg(0)}, ${fmt})`;
}

function regexpLike(call: Call): string | null {
  if (call.args.length < 2 || call.args.length > 3) return call.unsupported('expects (subject, pattern [, parameters])');
  let params = '';
  if (call.args.length === 3) {
    const value = snowflakeStringValue(call.tok(2));
    if (value === undefined || !/^[ci]*$/.test(value)) return call.unsupported("only the 'c' and 'i' parameters are supported");
    params = `, ${snowflakeStringLiteral(value)}`;
  }
  call.note('regexp_full_match (whole-string match)');
  return `__sf_raw_regexp_full_match(${call.arg(0)}, ${call.arg(1)}${params})`;
}

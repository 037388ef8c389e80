// Snowflake's table functions FLATTEN and SPLIT_TO_TABLE as calls of the `__sf_flatten` and `__sf_split_to_table`
// table macros (shims.ts): reads FLATTEN's named arguments, converts the constant PATH to a JSON path, and refuses
// where a column of the result could not match Snowflake's (SEQ of a correlated input). Pure; works on the
// pre-pass tokens.

import { type Token, isOp, isSignificant, isWord, nextSig, prevSig, snowflakeStringValue, soleToken } from './sql-tokens.js';

export interface TableFunctionCall {
  readonly tokens: readonly Token[];
  readonly args: ReadonlyArray<[number, number]>;
  /** Index of the call's closing parenthesis. */
  readonly close: number;
  /** The pre-pass output for a token range (nested calls rewritten). */
  emit(range: [number, number]): string;
}

export type TableFunctionResult =
  | { sql: string; note: string; /** `alias.column` of VARIANT columns, lower case. */ jsonColumns?: string[] }
  | { reason: string };

export function flattenCall(call: TableFunctionCall): TableFunctionResult {
  const options = flattenOptions(call.tokens, call.args);
  if (typeof options === 'string') return { reason: options };
  const alias = flattenAlias(call.tokens, call.close);
  const seq = seqProblem(call.tokens, options.input, alias, 'FLATTEN');
  if (seq) return { reason: seq };
  const { jsonPath, outer, recursive, mode } = options;
  const flag = (b: boolean): string => (b ? 'TRUE' : 'FALSE');
  return {
    sql: `__sf_flatten(${call.emit(options.input).trim()}, '${jsonPath}', ${flag(outer)}, ${flag(recursive)}, '${mode}')`,
    note: 'table macro __sf_flatten over json_tree (SEQ, KEY, PATH, INDEX 0-based, VALUE, THIS)',
    // Bare names too: a cast of a bare VALUE must also read the JSON text (an ambiguous name fails in DuckDB).
    jsonColumns: ['value', 'this', ...(alias ? [`${alias.toLowerCase()}.value`, `${alias.toLowerCase()}.this`] : [])],
  };
}

export function splitToTableCall(call: TableFunctionCall): TableFunctionResult {
  const [input, delimiter] = call.args;
  if (!input || !delimiter || call.args.length !== 2) return { reason: 'expects (string, delimiter)' };
  const seq = seqProblem(call.tokens, input, flattenAlias(call.tokens, call.close), 'SPLIT_TO_TABLE');
  if (seq) return { reason: seq };
  return {
    sql: `__sf_split_to_table(${call.emit(input).trim()}, ${call.emit(delimiter).trim()})`,
    note: 'table macro __sf_split_to_table (SEQ, INDEX 1-based, VALUE)',
  };
}

export type FlattenArgName = 'INPUT' | 'PATH' | 'OUTER' | 'RECURSIVE' | 'MODE';
const NAMES: readonly FlattenArgName[] = ['INPUT', 'PATH', 'OUTER', 'RECURSIVE', 'MODE'];

export interface FlattenOptions {
  /** Token range of the INPUT expression. */
  input: [number, number];
  jsonPath: string;
  outer: boolean;
  recursive: boolean;
  mode: 'BOTH' | 'OBJECT' | 'ARRAY';
}

/** The arguments of FLATTEN(...) given as `NAME => value`, or the reason they cannot be translated. */
function flattenOptions(tokens: readonly Token[], args: ReadonlyArray<[number, number]>): FlattenOptions | string {
  const named = new Map<FlattenArgName, [number, number]>();
  for (const [start, end] of args) {
    const nameAt = nextSig(tokens, start - 1);
    const arrow = nextSig(tokens, nameAt);
    const name = tokens[nameAt]?.text.toUpperCase() as FlattenArgName;
    if (nameAt >= end || !isOp(tokens[arrow], '=>') || !NAMES.includes(name)) {
      return 'only named arguments (INPUT => ..., PATH => ..., OUTER => ..., RECURSIVE => ..., MODE => ...) are supported';
    }
    named.set(name, [arrow + 1, end]);
  }
  const input = named.get('INPUT');
  if (!input) return 'INPUT => is required';

  const literal = (name: FlattenArgName): Token | undefined => {
    const range = named.get(name);
    return range ? soleToken(tokens, range) : undefined;
  };
  const flag = (name: FlattenArgName): boolean | string => {
    if (!named.has(name)) return false;
    const t = literal(name);
    if (isWord(t, 'TRUE')) return true;
    if (isWord(t, 'FALSE')) return false;
    return `${name} must be TRUE or FALSE`;
  };

  let jsonPath = '$';
  if (named.has('PATH')) {
    const path = snowflakeStringValue(literal('PATH'));
    const converted = path === undefined ? undefined : toJsonPath(path);
    if (converted === undefined) return "PATH must be a string literal of plain keys and [n] subscripts, such as 'a.b[0]'";
    jsonPath = converted;
  }
  const outer = flag('OUTER');
  if (typeof outer === 'string') return outer;
  const recursive = flag('RECURSIVE');
  if (typeof recursive === 'string') return recursive;
  let mode: FlattenOptions['mode'] = 'BOTH';
  if (named.has('MODE')) {
    const value = snowflakeStringValue(literal('MODE'))?.toUpperCase();
    if (value !== 'BOTH' && value !== 'OBJECT' && value !== 'ARRAY') return "MODE must be 'OBJECT', 'ARRAY' or 'BOTH'";
    mode = value;
  }
  if (recursive && mode !== 'BOTH') return "MODE 'OBJECT' or 'ARRAY' with RECURSIVE => TRUE is not reproduced locally";
  return { input, jsonPath, outer, recursive, mode };
}

/** Snowflake's FLATTEN path ('a.b[0]', '[1].c') as a DuckDB JSON path ('$.a.b[0]'); undefined if not plain. */
export function toJsonPath(path: string): string | undefined {
  if (path === '') return '$';
  const segment = String.raw`(?:[A-Za-z_][A-Za-z0-9_]*|\[\d+\])`;
  if (!new RegExp(String.raw`^${segment}(?:\.[A-Za-z_][A-Za-z0-9_]*|\[\d+\])*$`).test(path)) return undefined;
  return path.startsWith('[') ? `$${path}` : `$.${path}`;
}

/**
 * Why SEQ cannot be reproduced here, if it cannot: the macro gives SEQ 1, which is Snowflake's value for one input
 * but not for a correlated input (one SEQ per input row). Refused when the query can read SEQ: `alias.SEQ`, a bare
 * SEQ, `alias.*` or `SELECT *`.
 */
function seqProblem(tokens: readonly Token[], input: [number, number], alias: string | undefined, fn: string): string | undefined {
  if (!isCorrelated(tokens, input)) return undefined;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (!isSignificant(t)) continue;
    const prev = tokens[prevSig(tokens, i)];
    const before = tokens[prevSig(tokens, prevSig(tokens, i))];
    const byAlias = isOp(prev, '.') && alias !== undefined && before?.text.toUpperCase() === alias.toUpperCase();
    if (isWord(t, 'SEQ') && (byAlias || !isOp(prev, '.'))) {
      return `SEQ of a ${fn} over a column (one number per input row) is not reproduced locally`;
    }
    if (isOp(t, '*') && (byAlias || isWord(prev, 'SELECT', 'DISTINCT') || isOp(prev, ','))) {
      return `* over a ${fn} of a column includes SEQ (one number per input row), which is not reproduced locally; list the columns`;
    }
  }
  return undefined;
}

/** The input reads a column (an identifier that is not a function name, a type or a literal keyword). */
function isCorrelated(tokens: readonly Token[], [start, end]: [number, number]): boolean {
  for (let i = start; i < end; i++) {
    const t = tokens[i];
    if (t?.kind !== 'ident' && t?.kind !== 'qident') continue;
    if (isOp(tokens[nextSig(tokens, i)], '(') || isWord(t, 'TRUE', 'FALSE', 'NULL')) continue;
    const prev = tokens[prevSig(tokens, i)];
    if (isOp(prev, '::') || isWord(prev, 'AS')) continue;
    return true;
  }
  return false;
}

const NOT_ALIAS = new Set(['ON', 'WHERE', 'GROUP', 'ORDER', 'JOIN', 'LEFT', 'RIGHT', 'INNER', 'FULL', 'CROSS', 'NATURAL',
  'LATERAL', 'QUALIFY', 'HAVING', 'LIMIT', 'UNION', 'EXCEPT', 'INTERSECT', 'MINUS', 'WINDOW', 'USING']);

/** The alias after FLATTEN(...) or TABLE(FLATTEN(...)), if any. */
function flattenAlias(tokens: readonly Token[], close: number): string | undefined {
  let i = nextSig(tokens, close);
  if (isOp(tokens[i], ')')) i = nextSig(tokens, i);
  if (isWord(tokens[i], 'AS')) i = nextSig(tokens, i);
  const t = tokens[i];
  if (t?.kind === 'qident') return t.text.slice(1, -1);
  return t?.kind === 'ident' && !NOT_ALIAS.has(t.text.toUpperCase()) ? t.text : undefined;
}

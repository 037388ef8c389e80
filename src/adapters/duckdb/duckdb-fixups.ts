// Token-level post-pass over the DuckDB SQL produced by polyglot: renames `__sf_raw_*` placeholders to DuckDB
// built-ins, turns JSON-path casts into `->>` extraction, and routes every `/` through the Snowflake-division shim.

import { type Token, isOp, isWord, matchBackward, matchForward, tokenize } from './sql-tokens.js';

/** A token of the post-pass: whitespace is folded into `space` so neighbours are adjacent in the array. */
interface Tok extends Token { space: boolean }

export interface FixupProblem { construct: string; reason: string }
export interface FixupResult { sql: string; notes: Array<{ construct: string; detail: string }>; problems: FixupProblem[] }

/** `jsonColumns`: `alias.column` (lower case) known to hold VARIANT (JSON) values, such as a FLATTEN's VALUE. */
export function fixupDuckdb(sql: string, jsonColumns: readonly string[] = []): FixupResult {
  const toks: Tok[] = [];
  let space = false;
  for (const t of tokenize(sql, 'duckdb')) {
    if (t.kind === 'ws' || t.kind === 'comment') space = true;
    else {
      toks.push({ ...t, space });
      space = false;
    }
  }
  const notes: FixupResult['notes'] = [];
  const problems: FixupProblem[] = [];
  renamePlaceholders(toks);
  dropEmptyParensOfNiladics(toks);
  checkNamedWindows(toks, problems);
  const jsonCasts = fixJsonCasts(toks, new Set(jsonColumns));
  if (jsonCasts.path) notes.push({ construct: 'JSON path (:)', detail: "CAST(x -> path AS T) -> CAST(x ->> path AS T)" });
  if (jsonCasts.column) notes.push({ construct: 'FLATTEN VALUE', detail: "CAST(f.value AS T) -> CAST(f.value ->> '$' AS T)" });
  if (castsToVarchar(toks)) notes.push({ construct: '::VARCHAR', detail: 'shim __sf_to_varchar (Snowflake timestamp output format)' });
  const divisions = wrapDivisions(toks, problems);
  if (divisions > 0) notes.push({ construct: '/', detail: 'shim __sf_div: Snowflake NUMBER division scale, error on zero' });
  const text = toks.map((t, i) => (i > 0 && t.space ? ' ' : '') + t.text).join('');
  return { sql: text, notes, problems };
}

/** polyglot writes CURRENT_TIMESTAMP() and friends, which DuckDB rejects: it knows them only without parentheses. */
function dropEmptyParensOfNiladics(toks: Tok[]): void {
  const niladic = new Set(['CURRENT_TIMESTAMP', 'LOCALTIMESTAMP', 'CURRENT_TIME', 'LOCALTIME']);
  for (let i = toks.length - 3; i >= 0; i--) {
    const [name, open, close] = [toks[i], toks[i + 1], toks[i + 2]];
    if (name && open?.text === '(' && close?.text === ')' && niladic.has(name.text.toUpperCase())) toks.splice(i + 1, 2);
  }
}

function renamePlaceholders(toks: Tok[]): void {
  for (const t of toks) {
    const m = t.kind === 'ident' ? /^__sf_raw_(\w+)$/i.exec(t.text) : null;
    if (m?.[1]) t.text = m[1].toLowerCase();
  }
}

/**
 * polyglot 0.12.1 inlines a named window (WINDOW w AS (...)) only where OVER w is a whole select item; inside a
 * larger expression it keeps OVER w but still drops the WINDOW clause, leaving SQL that cannot run.
 */
function checkNamedWindows(toks: Tok[], problems: FixupProblem[]): void {
  const hasWindowClause = toks.some((t) => isWord(t, 'WINDOW'));
  const named = toks.findIndex((t, i) => isWord(t, 'OVER') && toks[i + 1]?.kind === 'ident');
  if (named >= 0 && !hasWindowClause) {
    problems.push({
      construct: 'WINDOW',
      reason: `named window '${toks[named + 1]?.text ?? ''}' inside an expression is lost in translation; write OVER (...) inline`,
    });
  }
}

const TEXT_TYPES = new Set(['TEXT', 'VARCHAR', 'STRING', 'CHAR', 'BPCHAR']);
const JSON_TYPES = new Set(['JSON', 'VARIANT']);

/**
 * polyglot renders `v:a.b::string` as `CAST(v -> '$.a.b' AS TEXT)`, which keeps the JSON quotes ("bob").
 * Extract with `->>` instead; for other scalar types cast the extracted text (12.5::int rounds like Snowflake).
 */
function fixJsonCasts(toks: Tok[], jsonColumns: ReadonlySet<string>): { path: boolean; column: boolean } {
  let changed = false;
  let column = false;
  for (let i = 0; i < toks.length; i++) {
    if (!isWord(toks[i], 'CAST', 'TRY_CAST') || !isOp(toks[i + 1], '(')) continue;
    const close = matchForward(toks, i + 1);
    const as = topLevelAs(toks, i + 1, close);
    if (as >= 0 && isJsonColumn(toks.slice(i + 2, as), jsonColumns)) {
      // A whole VARIANT column: cast its JSON text, as for a path (a string without its quotes, null as NULL).
      if (!JSON_TYPES.has(toks[as + 1]?.text.toUpperCase() ?? '')) {
        toks.splice(as, 0, op('->>', true), { kind: 'string', text: "'$'", start: -1, space: true });
        column = true;
      }
      continue;
    }
    const arrow = as - 2;
    if (as < 0 || !isOp(toks[arrow], '->') || toks[as - 1]?.kind !== 'string') continue;
    const typeName = toks[as + 1]?.text.toUpperCase() ?? '';
    if (JSON_TYPES.has(typeName)) continue;
    const arrowTok = toks[arrow];
    if (arrowTok) arrowTok.text = '->>';
    changed = true;
    if (TEXT_TYPES.has(typeName) && close === as + 2) {
      const inner = toks.slice(i + 2, as);
      toks.splice(i, close - i + 1, op('(', toks[i]?.space ?? false), ...inner, op(')', false));
    }
  }
  return { path: changed, column };
}

function isJsonColumn(operand: readonly Tok[], jsonColumns: ReadonlySet<string>): boolean {
  const text = operand.map((t) => (t.kind === 'qident' ? t.text.slice(1, -1) : t.text)).join('').toLowerCase();
  return jsonColumns.has(text);
}

/** CAST(x AS VARCHAR) renders a TIMESTAMP without milliseconds; Snowflake's default output has them. */
function castsToVarchar(toks: Tok[]): boolean {
  let changed = false;
  for (let i = 0; i < toks.length; i++) {
    if (!isWord(toks[i], 'CAST') || !isOp(toks[i + 1], '(')) continue;
    const close = matchForward(toks, i + 1);
    const as = topLevelAs(toks, i + 1, close);
    if (as < 0 || close !== as + 2 || !['TEXT', 'VARCHAR', 'STRING'].includes(toks[as + 1]?.text.toUpperCase() ?? '')) continue;
    const inner = toks.slice(i + 2, as);
    const call: Tok = { kind: 'ident', text: '__sf_to_varchar', start: -1, space: toks[i]?.space ?? false };
    toks.splice(i, close - i + 1, call, op('(', false), ...inner, op(')', false));
    changed = true;
  }
  return changed;
}

function topLevelAs(toks: Tok[], open: number, close: number): number {
  let depth = 0;
  for (let j = open + 1; j < close; j++) {
    const t = toks[j];
    if (isOp(t, '(') || isOp(t, '[')) depth++;
    else if (isOp(t, ')') || isOp(t, ']')) depth--;
    else if (depth === 0 && isWord(t, 'AS')) return j;
  }
  return -1;
}

function op(text: string, space: boolean): Tok {
  return { kind: 'op', text, start: -1, space };
}

// Words that end an operand search: a parenthesis after them is not a function call.
const RESERVED = new Set([
  'SELECT', 'FROM', 'WHERE', 'GROUP', 'HAVING', 'ORDER', 'QUALIFY', 'WINDOW', 'LIMIT', 'OFFSET', 'UNION', 'INTERSECT',
  'EXCEPT', 'JOIN', 'ON', 'USING', 'AND', 'OR', 'NOT', 'IS', 'IN', 'LIKE', 'ILIKE', 'GLOB', 'SIMILAR', 'BETWEEN', 'CASE',
  'WHEN', 'THEN', 'ELSE', 'END', 'AS', 'DISTINCT', 'ALL', 'ANY', 'SOME', 'EXISTS', 'OVER', 'PARTITION', 'FILTER',
  'WITHIN', 'BY', 'WITH', 'VALUES', 'LATERAL', 'ESCAPE', 'RETURNING', 'INTERVAL',
]);
const TYPED_LITERAL = new Set(['DATE', 'TIMESTAMP', 'TIME', 'TIMESTAMPTZ', 'INTERVAL']);

function endsOperand(t: Tok | undefined): boolean {
  if (!t) return false;
  if (t.kind === 'ident') return t.text.toUpperCase() === 'END' || !RESERVED.has(t.text.toUpperCase());
  return t.kind === 'qident' || t.kind === 'number' || t.kind === 'string' || isOp(t, ')') || isOp(t, ']');
}

/** Start index of the primary expression (with postfixes) that ends at j, or -1. */
function primaryStart(toks: Tok[], j: number): number {
  const t = toks[j];
  if (!t) return -1;
  let s: number;
  if (isOp(t, ')')) {
    const open = matchBackward(toks, j);
    if (open < 0) return -1;
    const p = toks[open - 1];
    if (isWord(p, 'OVER', 'FILTER')) return primaryStart(toks, open - 2);
    if (isWord(p, 'GROUP') && isWord(toks[open - 2], 'WITHIN')) return primaryStart(toks, open - 3);
    s = p && ((p.kind === 'ident' && !RESERVED.has(p.text.toUpperCase())) || p.kind === 'qident') ? chainStart(toks, open - 1) : open;
  } else if (isOp(t, ']')) {
    const open = matchBackward(toks, j);
    if (open < 0) return -1;
    return endsOperand(toks[open - 1]) ? primaryStart(toks, open - 1) : open;
  } else if (t.kind === 'ident') {
    const word = t.text.toUpperCase();
    const interval = intervalStart(toks, j);
    if (interval >= 0) s = interval;
    else if (word === 'END') s = matchCaseBackward(toks, j);
    else if (isWord(toks[j - 1], 'OVER')) return primaryStart(toks, j - 2);
    else if (RESERVED.has(word)) return -1;
    else s = chainStart(toks, j);
  } else if (t.kind === 'string') {
    s = toks[j - 1]?.kind === 'ident' && TYPED_LITERAL.has(toks[j - 1]?.text.toUpperCase() ?? '') ? j - 1 : j;
  } else if (t.kind === 'qident') {
    s = chainStart(toks, j);
  } else if (t.kind === 'number') {
    s = isOp(toks[j - 1], '$') ? j - 1 : j; // $1 positional column
  } else {
    return -1;
  }
  // `x::TYPE` — the type is a postfix of the operand before `::`.
  return s > 0 && isOp(toks[s - 1], '::') ? primaryStart(toks, s - 2) : s;
}

/** Start of `INTERVAL <literal | (expr)> UNIT` when j is its unit, else -1. */
function intervalStart(toks: Tok[], j: number): number {
  const p = toks[j - 1];
  if (!p) return -1;
  const open = isOp(p, ')') ? matchBackward(toks, j - 1) : p.kind === 'string' || p.kind === 'number' ? j - 1 : -1;
  return open > 0 && isWord(toks[open - 1], 'INTERVAL') ? open - 1 : -1;
}

function chainStart(toks: Tok[], j: number): number {
  let s = j;
  while (isOp(toks[s - 1], '.') && (toks[s - 2]?.kind === 'ident' || toks[s - 2]?.kind === 'qident')) s -= 2;
  return s;
}

function matchCaseBackward(toks: Tok[], end: number): number {
  let depth = 0;
  for (let k = end; k >= 0; k--) {
    if (isWord(toks[k], 'END')) depth++;
    else if (isWord(toks[k], 'CASE') && --depth === 0) return k;
  }
  return -1;
}

function matchCaseForward(toks: Tok[], start: number): number {
  let depth = 0;
  for (let k = start; k < toks.length; k++) {
    if (isWord(toks[k], 'CASE')) depth++;
    else if (isWord(toks[k], 'END') && --depth === 0) return k;
  }
  return -1;
}

/** Start of the left operand of a multiplicative operator whose left side ends at j (left-associative chain). */
function leftOperandStart(toks: Tok[], j: number): number {
  let s = primaryStart(toks, j);
  while (s > 0) {
    const p = toks[s - 1];
    if ((isOp(p, '-') || isOp(p, '+')) && !endsOperand(toks[s - 2])) s -= 1; // unary sign
    else if (isOp(p, '*') || isOp(p, '%')) s = primaryStart(toks, s - 2);
    else break;
    if (s < 0) return -1;
  }
  return s;
}

/** End index of the right operand of a multiplicative operator starting at j (one signed primary). */
function rightOperandEnd(toks: Tok[], j: number): number {
  const t = toks[j];
  if (!t) return -1;
  if (isOp(t, '-') || isOp(t, '+')) return rightOperandEnd(toks, j + 1);
  let e: number;
  if (isWord(t, 'INTERVAL')) {
    e = isOp(toks[j + 1], '(') ? matchForward(toks, j + 1) : j + 1;
    const unit = toks[e + 1];
    if (e >= 0 && unit?.kind === 'ident' && !RESERVED.has(unit.text.toUpperCase())) e += 1;
  } else if (isOp(t, '(') || isOp(t, '[')) e = matchForward(toks, j);
  else if (isWord(t, 'CASE')) e = matchCaseForward(toks, j);
  else if (t.kind === 'ident' && TYPED_LITERAL.has(t.text.toUpperCase()) && toks[j + 1]?.kind === 'string') e = j + 1;
  else if ((t.kind === 'ident' && !RESERVED.has(t.text.toUpperCase())) || t.kind === 'qident') {
    e = j;
    while (isOp(toks[e + 1], '.') && (toks[e + 2]?.kind === 'ident' || toks[e + 2]?.kind === 'qident')) e += 2;
    if (isOp(toks[e + 1], '(')) e = callEnd(toks, matchForward(toks, e + 1));
  } else if (t.kind === 'number' || t.kind === 'string') e = j;
  else return -1;
  while (e >= 0) {
    if (isOp(toks[e + 1], '[')) e = matchForward(toks, e + 1);
    else if (isOp(toks[e + 1], '::') && toks[e + 2]?.kind === 'ident') {
      e += 2;
      if (isOp(toks[e + 1], '(')) e = matchForward(toks, e + 1);
    } else break;
  }
  return e;
}

/** Extends a function call that closes at `close` over FILTER (...), WITHIN GROUP (...) and OVER (...)/OVER name. */
function callEnd(toks: Tok[], close: number): number {
  let e = close;
  while (e >= 0) {
    if (isWord(toks[e + 1], 'FILTER') && isOp(toks[e + 2], '(')) e = matchForward(toks, e + 2);
    else if (isWord(toks[e + 1], 'WITHIN') && isWord(toks[e + 2], 'GROUP') && isOp(toks[e + 3], '(')) e = matchForward(toks, e + 3);
    else if (isWord(toks[e + 1], 'OVER')) e = isOp(toks[e + 2], '(') ? matchForward(toks, e + 2) : e + 2;
    else break;
  }
  return e;
}

/** Replaces each `a / b` with `__sf_div(a, b)`; returns how many. Unresolvable operands are reported. */
function wrapDivisions(toks: Tok[], problems: FixupProblem[]): number {
  let count = 0;
  for (let i = 0; i < toks.length; i++) {
    if (!isOp(toks[i], '/')) continue;
    const s = leftOperandStart(toks, i - 1);
    const e = rightOperandEnd(toks, i + 1);
    if (s < 0 || e < 0) {
      const near = toks.slice(Math.max(0, i - 4), i + 5).map((t) => t.text).join(' ');
      problems.push({ construct: '/', reason: `could not delimit the operands of '/' near: ${near}` });
      continue;
    }
    const left = toks.slice(s, i);
    const right = toks.slice(i + 1, e + 1);
    const first = left[0];
    const call: Tok = { kind: 'ident', text: '__sf_div', start: -1, space: first?.space ?? false };
    if (first) left[0] = { ...first, space: false };
    const rightFirst = right[0];
    if (rightFirst) right[0] = { ...rightFirst, space: true };
    toks.splice(s, e - s + 1, call, op('(', false), ...left, op(',', false), ...right, op(')', false));
    count++;
    i = s + 1;
  }
  return count;
}

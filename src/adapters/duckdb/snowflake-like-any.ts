// `x [I]LIKE ANY|ALL (p1, p2, ...) [ESCAPE 'c']` as a call of the __sf_like_* shims, before the pre-pass: the
// transpiler drops ANY/ALL (`x ILIKE ('a%', 'b%')`, which DuckDB rejects, or a subquery compared as a scalar).
// The NOT forms and subqueries are refused. Edits copy the operands verbatim, so lines stay put.

import { type Token, isOp, isSignificant, isWord, matchBackward, matchForward, nextSig, prevSig, tokenize } from './sql-tokens.js';

export interface LikeAnyIssue { construct: string; offset: number; reason: string }
export interface LikeAnyResult { sql: string; issues: LikeAnyIssue[]; rewritten: boolean }

const BOUNDARY_WORDS = new Set(['SELECT', 'WHERE', 'AND', 'OR', 'NOT', 'WHEN', 'THEN', 'ELSE', 'ON', 'HAVING', 'QUALIFY', 'CASE',
  'BY', 'DISTINCT', 'AS', 'IS', 'IN', 'BETWEEN', 'LIKE', 'ILIKE', 'RETURN']);
const BOUNDARY_OPS = new Set([',', '(', '[', '=', '<', '>', '<=', '>=', '<>', '!=']);

export function rewriteLikeAny(sql: string): LikeAnyResult {
  const tokens = tokenize(sql, 'snowflake');
  const issues: LikeAnyIssue[] = [];
  const edits: Array<{ start: number; end: number; text: string }> = [];
  for (let i = 0; i < tokens.length; i++) {
    const like = tokens[i];
    if (!like || !isWord(like, 'LIKE', 'ILIKE')) continue;
    const quantifier = nextSig(tokens, i);
    const open = nextSig(tokens, quantifier);
    if (!isWord(tokens[quantifier], 'ANY', 'ALL', 'SOME') || !isOp(tokens[open], '(')) continue;
    const construct = `${like.text.toUpperCase()} ${tokens[quantifier]?.text.toUpperCase()}`;
    const close = matchForward(tokens, open);
    const refuse = (reason: string): void => { issues.push({ construct, offset: like.start, reason }); };
    if (close < 0) continue;
    if (isWord(tokens[prevSig(tokens, i)], 'NOT')) { refuse(`NOT ${construct} is not translated; write NOT (x ${construct} (...))`); continue; }
    if (isWord(tokens[nextSig(tokens, open)], 'SELECT', 'WITH')) { refuse(`${construct} with a subquery is not translated; list the patterns`); continue; }
    const start = lhsStart(tokens, prevSig(tokens, i));
    if (start < 0 || start >= i) { refuse('could not find the left operand'); continue; }
    let end = close;
    let escape = '';
    if (isWord(tokens[nextSig(tokens, close)], 'ESCAPE')) {
      const lit = nextSig(tokens, nextSig(tokens, close));
      if (tokens[lit]?.kind !== 'string') { refuse('ESCAPE must be a string literal'); continue; }
      escape = tokens[lit]?.text ?? '';
      end = lit;
    }
    const text = (from: number, to: number): string => tokens.slice(from, to).map((t) => t.text).join('');
    const fn = `__sf_${like.text.toLowerCase()}_list${escape ? '_escape' : ''}`;
    const all = isWord(tokens[quantifier], 'ALL') ? 'TRUE' : 'FALSE';
    const call = `__sf_like_quantified(${fn}(${text(start, i).trimEnd()}, ARRAY_CONSTRUCT(${text(open + 1, close)})${escape ? `, ${escape}` : ''}), ${all})`;
    const last = tokens[end];
    edits.push({ start: tokens[start]?.start ?? 0, end: (last?.start ?? 0) + (last?.text.length ?? 0), text: call });
    i = end;
  }
  let out = sql;
  for (const e of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return { sql: out, issues, rewritten: edits.length > 0 };
}

/** First token of the operand that ends at `j`: back to the nearest boundary at the same depth. */
function lhsStart(tokens: readonly Token[], j: number): number {
  let k = j;
  let first = -1;
  while (k >= 0) {
    const t = tokens[k];
    if (!isSignificant(t)) { k--; continue; }
    if (isOp(t, ')') || isOp(t, ']')) {
      const opener = matchBackward(tokens, k);
      if (opener < 0) return -1;
      first = opener;
      k = opener - 1;
      continue;
    }
    if (isWord(t, 'END')) {
      // A CASE ... END operand: its WHEN/THEN/ELSE are not boundaries.
      const start = caseStart(tokens, k);
      if (start < 0) return -1;
      first = start;
      k = start - 1;
      continue;
    }
    if ((t.kind === 'ident' && BOUNDARY_WORDS.has(t.text.toUpperCase())) || (t.kind === 'op' && BOUNDARY_OPS.has(t.text))) break;
    first = k;
    k--;
  }
  return first;
}

function caseStart(tokens: readonly Token[], end: number): number {
  let depth = 0;
  for (let k = end; k >= 0; k--) {
    if (isWord(tokens[k], 'END')) depth++;
    else if (isWord(tokens[k], 'CASE') && --depth === 0) return k;
  }
  return -1;
}

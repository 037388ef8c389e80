// VALUES as a table source and `$n` positional columns, before the pre-pass: Snowflake names VALUES columns
// COLUMN1..N (DuckDB: col0..) and reads `$n` as the n-th column of the FROM source (DuckDB: a bind parameter).
// Every VALUES in FROM gets an explicit alias list, and each `$n` whose source is such a VALUES becomes a column
// reference; a `$n` over any other source is refused. Edits never add or remove a newline, so lines stay put.

import { type Token, isOp, isSignificant, isWord, matchForward, nextSig, prevSig, splitTopLevel, tokenize } from './sql-tokens.js';

export interface ValuesIssue { construct: string; offset: number; reason: string }
export interface ValuesResult { sql: string; issues: ValuesIssue[]; rewritten: boolean }

interface Edit { start: number; end: number; text: string }
interface Source { fromAt: number; end: number; alias: string; names: string[] }

const CLAUSE_WORDS = new Set(['ON', 'WHERE', 'GROUP', 'ORDER', 'JOIN', 'LEFT', 'RIGHT', 'INNER', 'FULL', 'CROSS', 'NATURAL',
  'LATERAL', 'QUALIFY', 'HAVING', 'LIMIT', 'UNION', 'EXCEPT', 'INTERSECT', 'MINUS', 'WINDOW', 'USING', 'OFFSET', 'FETCH']);

export function rewriteValuesSources(sql: string): ValuesResult {
  const tokens = tokenize(sql, 'snowflake');
  const edits: Edit[] = [];
  const issues: ValuesIssue[] = [];
  const sources: Source[] = [];
  const depthOf = enclosingParens(tokens);
  let generated = 0;

  for (let i = 0; i < tokens.length; i++) {
    if (!isWord(tokens[i], 'VALUES') || !isOp(tokens[nextSig(tokens, i)], '(')) continue;
    const before = prevSig(tokens, i);
    const parenthesised = isOp(tokens[before], '(');
    const fromAt = parenthesised ? prevSig(tokens, before) : before;
    if (!isWord(tokens[fromAt], 'FROM', 'JOIN') && !isOp(tokens[fromAt], ',')) continue;
    const rows = tupleRange(tokens, nextSig(tokens, i));
    if (!rows) continue;
    const firstClose = matchForward(tokens, nextSig(tokens, i));
    const width = splitTopLevel(tokens, nextSig(tokens, i), firstClose).length;
    const end = parenthesised ? matchForward(tokens, before) : rows.end;
    if (end < 0) continue;
    if (!parenthesised) {
      edits.push({ start: tokens[i]?.start ?? 0, end: tokens[i]?.start ?? 0, text: '(' });
      edits.push({ start: endOf(tokens[rows.end]), end: endOf(tokens[rows.end]), text: ')' });
    }
    const defaults = Array.from({ length: width }, (_, k) => `COLUMN${k + 1}`);
    let at = nextSig(tokens, end);
    if (isWord(tokens[at], 'AS')) at = nextSig(tokens, at);
    const aliasTok = tokens[at];
    const hasAlias = aliasTok !== undefined && (aliasTok.kind === 'qident' || (aliasTok.kind === 'ident' && !CLAUSE_WORDS.has(aliasTok.text.toUpperCase())));
    let alias: string;
    let names = defaults;
    if (!hasAlias) {
      alias = `__sf_values_${++generated}`;
      edits.push({ start: endOf(tokens[end]), end: endOf(tokens[end]), text: ` AS ${alias}(${defaults.join(', ')})` });
    } else {
      alias = aliasTok.text;
      const listOpen = nextSig(tokens, at);
      if (isOp(tokens[listOpen], '(')) {
        const listClose = matchForward(tokens, listOpen);
        names = splitTopLevel(tokens, listOpen, listClose).map(([s, e]) => tokens.slice(s, e).filter(isSignificant).map((t) => t.text).join(''));
      } else {
        edits.push({ start: endOf(aliasTok), end: endOf(aliasTok), text: `(${defaults.join(', ')})` });
      }
    }
    sources.push({ fromAt, end, alias, names });
  }

  for (let i = 0; i < tokens.length; i++) {
    const dollar = tokens[i];
    const num = tokens[i + 1];
    if (!dollar || !isOp(dollar, '$') || num?.kind !== 'number' || !/^\d+$/.test(num.text)) continue;
    const n = Number(num.text);
    const source = sourceOf(tokens, i, depthOf, sources);
    const name = source?.names[n - 1];
    if (!source || !name) {
      issues.push({
        construct: `$${n}`,
        offset: dollar.start,
        reason: source
          ? `VALUES has ${source.names.length} column(s), so $${n} does not exist`
          : `positional column $${n} is translated only over a VALUES source (locally the columns of a table are not known by position); name the column`,
      });
      continue;
    }
    const qualified = isOp(tokens[prevSig(tokens, i)], '.');
    const item = wholeSelectItem(tokens, qualified ? prevSig(tokens, prevSig(tokens, i)) : i, i + 1, depthOf);
    const ref = qualified ? name : `${source.alias}.${name}`;
    edits.push({ start: dollar.start, end: endOf(num), text: item ? `${ref} AS "$${n}"` : ref });
  }

  let out = sql;
  for (const e of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return { sql: out, issues, rewritten: edits.length > 0 };
}

function endOf(t: Token | undefined): number {
  return t ? t.start + t.text.length : 0;
}

/** `(…), (…), …`: the index of the last tuple's closing parenthesis. */
function tupleRange(tokens: readonly Token[], open: number): { end: number } | undefined {
  let close = matchForward(tokens, open);
  if (close < 0 || isWord(tokens[nextSig(tokens, open)], 'SELECT', 'WITH')) return undefined;
  for (;;) {
    const comma = nextSig(tokens, close);
    const next = nextSig(tokens, comma);
    if (!isOp(tokens[comma], ',') || !isOp(tokens[next], '(') || isWord(tokens[nextSig(tokens, next)], 'SELECT', 'WITH')) break;
    const nextClose = matchForward(tokens, next);
    if (nextClose < 0) break;
    close = nextClose;
  }
  return { end: close };
}

/** For each token, the index of the innermost open parenthesis around it (-1 at top level). */
function enclosingParens(tokens: readonly Token[]): number[] {
  const stack: number[] = [];
  return tokens.map((t, i) => {
    if (isOp(t, ')')) stack.pop();
    const depth = stack.at(-1) ?? -1;
    if (isOp(t, '(')) stack.push(i);
    return depth;
  });
}

/**
 * The VALUES source of the FROM clause a `$n` at i reads from: the FROM of its own SELECT (before it in a WHERE or
 * ORDER BY, after it in the select list), at the same parenthesis depth. Undefined for any other source, or for a
 * FROM with more than one source.
 */
function sourceOf(tokens: readonly Token[], i: number, depthOf: number[], sources: readonly Source[]): Source | undefined {
  // The query the $n is in: out through the parentheses of calls and expressions to the nearest (SELECT ...).
  let scope = depthOf[i] ?? -1;
  while (scope >= 0 && !isWord(tokens[nextSig(tokens, scope)], 'SELECT', 'WITH')) scope = depthOf[scope] ?? -1;
  let from = -1;
  for (let j = i - 1; j >= 0 && from < 0; j--) {
    if (depthOf[j] !== scope || !isSignificant(tokens[j])) continue;
    if (isWord(tokens[j], 'FROM')) from = j;
    else if (isWord(tokens[j], 'SELECT')) break;
  }
  for (let j = i + 1; j < tokens.length && from < 0; j++) {
    if (depthOf[j] !== scope || !isSignificant(tokens[j])) continue;
    if (isWord(tokens[j], 'FROM')) from = j;
    else if (isWord(tokens[j], 'SELECT', 'UNION', 'EXCEPT', 'INTERSECT', 'MINUS')) break;
  }
  if (from < 0) return undefined;
  // Only a FROM whose one and only source is a VALUES.
  const inClause = sources.filter((s) => s.fromAt === from || clauseFrom(tokens, s.fromAt, depthOf) === from);
  const only = inClause[0];
  if (inClause.length !== 1 || only?.fromAt !== from) return undefined;
  for (let j = only.end + 1; j < tokens.length; j++) {
    if (depthOf[j] !== scope) continue;
    const t = tokens[j];
    if (isOp(t, ',') || isWord(t, 'JOIN')) return undefined;
    if (isWord(t, 'WHERE', 'GROUP', 'ORDER', 'QUALIFY', 'HAVING', 'LIMIT', 'UNION', 'EXCEPT', 'INTERSECT', 'MINUS', 'WINDOW')) break;
  }
  return only;
}

/** The FROM that a source introduced by `,` or JOIN belongs to. */
function clauseFrom(tokens: readonly Token[], at: number, depthOf: number[]): number {
  const scope = depthOf[at];
  for (let j = at; j >= 0; j--) if (depthOf[j] === scope && isWord(tokens[j], 'FROM')) return j;
  return -1;
}

/** `$n` is a whole select-list item without an alias (Snowflake then names the column `$n`). */
function wholeSelectItem(tokens: readonly Token[], first: number, last: number, depthOf: number[]): boolean {
  const prev = tokens[prevSig(tokens, first)];
  const next = tokens[nextSig(tokens, last)];
  if (!(isWord(prev, 'SELECT', 'DISTINCT') || isOp(prev, ',')) || !(isOp(next, ',') || isWord(next, 'FROM'))) return false;
  for (let j = first - 1; j >= 0; j--) {
    if (depthOf[j] !== depthOf[first] || tokens[j]?.kind !== 'ident') continue;
    if (isWord(tokens[j], 'SELECT')) return true;
    if (isWord(tokens[j], 'FROM', 'BY', 'WHERE', 'HAVING', 'QUALIFY')) return false;
  }
  return false;
}

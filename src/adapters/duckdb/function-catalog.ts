// Does translated SQL bind? Every function it calls is checked against DuckDB's own catalog (duckdb_functions(),
// with charter's shims installed), read once per process from an in-memory DuckDB. The check is pure; only
// loadFunctionCatalog touches DuckDB.

import { DuckDBInstance } from '@duckdb/node-api';
import { SHIM_SQL } from './shims.js';
import { isOp, isSignificant, isWord, matchForward, nextSig, positionOf, prevSig, tokenize } from './sql-tokens.js';

export interface FunctionCatalog {
  /** Lower-case names of every function, macro and table function. */
  readonly functions: ReadonlySet<string>;
  /** Lower-case keywords: a keyword followed by `(` (IN, OVER, EXISTS, ...) is not a call. */
  readonly keywords: ReadonlySet<string>;
}

export interface UnboundCall { construct: string; reason: string; line: number | null }

let loading: Promise<FunctionCatalog> | undefined;

export function loadFunctionCatalog(): Promise<FunctionCatalog> {
  loading ??= readCatalog().catch((e: unknown) => {
    loading = undefined; // a failed read is not cached
    throw e;
  });
  return loading;
}

async function readCatalog(): Promise<FunctionCatalog> {
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const connection = await instance.connect();
  try {
    for (const statement of SHIM_SQL) await connection.run(statement);
    const names = async (sql: string): Promise<Set<string>> =>
      new Set((await connection.runAndReadAll(sql)).getRows().map((r) => String(r[0]).toLowerCase()));
    return Object.freeze({
      functions: await names('SELECT DISTINCT function_name FROM duckdb_functions()'),
      keywords: await names('SELECT keyword_name FROM duckdb_keywords()'),
    });
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/**
 * The calls in `duckdbSql` that DuckDB cannot bind, each placed on the line of the user's Snowflake SQL where the
 * name first appears as a call (null when the translation introduced it).
 */
export function unboundCalls(duckdbSql: string, snowflakeSql: string, catalog: FunctionCatalog): UnboundCall[] {
  const tokens = tokenize(duckdbSql, 'duckdb');
  const seen = new Set<string>();
  const found: UnboundCall[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t?.kind !== 'ident' && t?.kind !== 'qident') continue;
    const open = nextSig(tokens, i);
    if (!isOp(tokens[open], '(')) continue;
    const prev = tokens[prevSig(tokens, i)];
    // Qualified names (system.main.x), aliases and types after AS or ::, and CTE column lists (name(a, b) AS (...)).
    if (isOp(prev, '.') || isOp(prev, '::') || isWord(prev, 'AS')) continue;
    const after = nextSig(tokens, matchForward(tokens, open));
    if (isWord(tokens[after], 'AS') && isOp(tokens[nextSig(tokens, after)], '(')) continue;
    const name = (t.kind === 'qident' ? t.text.slice(1, -1) : t.text).toLowerCase();
    if (catalog.functions.has(name) || catalog.keywords.has(name) || seen.has(name)) continue;
    seen.add(name);
    found.push({
      construct: name.toUpperCase(),
      reason: `DuckDB has no function ${name.toUpperCase()}: the translated SQL would not bind; build this model on Snowflake`,
      line: lineOfCall(snowflakeSql, name),
    });
  }
  return found;
}

function lineOfCall(sql: string, name: string): number | null {
  const tokens = tokenize(sql, 'snowflake');
  const at = tokens.findIndex((t, i) => isSignificant(t) && t.text.toLowerCase() === name && isOp(tokens[nextSig(tokens, i)], '('));
  return at < 0 ? null : positionOf(sql, tokens[at]?.start ?? 0).line;
}

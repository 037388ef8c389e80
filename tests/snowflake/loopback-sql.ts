// The Snowflake behaviour the loopback server emulates on top of DuckDB: session commands DuckDB lacks, result column
// case, statement kinds the driver counts rows by, and Snowflake's error codes for DuckDB's errors.

/** A session command the server answers itself instead of passing it to DuckDB. */
export type SessionCommand =
  | { readonly kind: 'set'; readonly parameters: ReadonlyMap<string, string> }
  | { readonly kind: 'unset'; readonly names: readonly string[] }
  | { readonly kind: 'use'; readonly object: 'WAREHOUSE' | 'ROLE' | 'DATABASE' | 'SCHEMA'; readonly parts: readonly string[] };

/**
 * `ALTER SESSION SET A = 1, B = 'x'` / `ALTER SESSION UNSET A, B` / `USE [WAREHOUSE|ROLE|DATABASE|SCHEMA] name`,
 * where a schema may be qualified (`USE SCHEMA "DB"."S"`); name parts come back resolved.
 */
export function parseSessionCommand(sql: string): SessionCommand | undefined {
  const text = sql.trim().replace(/;\s*$/, '');
  const set = /^ALTER\s+SESSION\s+SET\s+([\s\S]+)$/i.exec(text);
  if (set) {
    const parameters = new Map<string, string>();
    // NAME = 'quoted '' string' | number | word, separated by commas or whitespace.
    for (const m of set[1]!.matchAll(/(\w+)\s*=\s*('(?:[^']|'')*'|[^\s,]+)/g)) {
      const raw = m[2]!;
      parameters.set(m[1]!.toUpperCase(), raw.startsWith("'") ? raw.slice(1, -1).replace(/''/g, "'") : raw);
    }
    return { kind: 'set', parameters };
  }
  const unset = /^ALTER\s+SESSION\s+UNSET\s+([\s\S]+)$/i.exec(text);
  if (unset) return { kind: 'unset', names: unset[1]!.split(/[\s,]+/).filter(Boolean).map((n) => n.toUpperCase()) };
  const use = /^USE\s+(?:(WAREHOUSE|ROLE|DATABASE|SCHEMA)\s+)?((?:"(?:[^"]|"")+"|[\w$]+)(?:\.(?:"(?:[^"]|"")+"|[\w$]+))*)$/i.exec(text);
  if (use) {
    const object = (use[1]?.toUpperCase() ?? 'SCHEMA') as 'WAREHOUSE' | 'ROLE' | 'DATABASE' | 'SCHEMA';
    const parts = [...use[2]!.matchAll(/"(?:[^"]|"")+"|[\w$]+/g)].map((m) => resolveIdentifier(m[0]));
    return { kind: 'use', object, parts };
  }
  return undefined;
}

/** Snowflake's identifier resolution: quoted names keep their case, unquoted ones are upper-cased. */
export function resolveIdentifier(name: string): string {
  return name.startsWith('"') ? name.slice(1, -1).replace(/""/g, '"') : name.toUpperCase();
}

/** The double-quoted identifiers in a statement (string literals skipped), so their case survives in results. */
export function quotedIdentifiers(sql: string): string[] {
  const names: string[] = [];
  for (const m of sql.matchAll(/'(?:[^']|'')*'|"((?:[^"]|"")+)"/g)) if (m[1] !== undefined) names.push(m[1].replace(/""/g, '"'));
  return names;
}

/**
 * A result column's name as Snowflake reports it. DuckDB keeps the case an identifier was written in, quoted or
 * not; Snowflake upper-cases unquoted ones. A name the server has seen quoted (in this or an earlier statement,
 * e.g. the CREATE TABLE) keeps its case.
 */
export function snowflakeColumnName(duckName: string, quoted: ReadonlySet<string>): string {
  // DuckDB names an unaliased count(*) after its internal function.
  if (duckName === 'count_star()') return 'COUNT(*)';
  return quoted.has(duckName) ? duckName : duckName.toUpperCase();
}

/** How the driver reads a result: queries return rows, DML one row of counts it sums, DDL one status row. */
export type StatementKind =
  | { readonly kind: 'query' }
  | { readonly kind: 'dml'; readonly statementTypeId: number; readonly countColumn: string }
  | { readonly kind: 'ddl' };

// statementTypeId values from the driver's connection/result/statement_type.js.
export const STATEMENT_TYPE = { query: 0x1000, ddl: 0x6000 } as const;

export function statementKind(sql: string): StatementKind {
  const first = /^\s*(?:\(\s*)*(\w+)/.exec(sql.replace(/^\s*(--[^\n]*\n|\/\*[\s\S]*?\*\/)\s*/g, ''))?.[1]?.toUpperCase();
  switch (first) {
    case 'INSERT': return { kind: 'dml', statementTypeId: 0x3100, countColumn: 'number of rows inserted' };
    case 'UPDATE': return { kind: 'dml', statementTypeId: 0x3200, countColumn: 'number of rows updated' };
    case 'DELETE': return { kind: 'dml', statementTypeId: 0x3300, countColumn: 'number of rows deleted' };
    // DuckDB reports one total for a MERGE; Snowflake splits it into inserted/updated/deleted columns.
    case 'MERGE': return { kind: 'dml', statementTypeId: 0x3400, countColumn: 'number of rows inserted' };
    case 'SELECT': case 'WITH': case 'SHOW': case 'DESCRIBE': case 'DESC': case 'VALUES': case 'FROM': case 'EXPLAIN':
    case 'TABLE': case 'PRAGMA': case 'CALL':
      return { kind: 'query' };
    default:
      return { kind: 'ddl' };
  }
}

/** A Snowflake error: its code (six digits, as a string), SQL state and message. */
export interface SnowflakeErrorInfo {
  readonly code: string;
  readonly sqlState: string;
  readonly message: string;
}

const compilation = (code: string, sqlState: string, message: string): SnowflakeErrorInfo => ({ code, sqlState, message: `SQL compilation error:\n${message}` });
const bare = (name: string): string => name.replace(/^"|"$/g, '').toUpperCase();

/** Snowflake's code for a DuckDB error, by DuckDB's message shape (the codes charter's error mapping meets most). */
export function snowflakeErrorOf(duckMessage: string): SnowflakeErrorInfo {
  const first = duckMessage.split('\n')[0] ?? duckMessage;
  const missingSchema = /^Catalog Error: \w+ with name \S+ does not exist because schema "?([^"\s]+)"? does not exist/.exec(first);
  if (missingSchema) return compilation('002003', '02000', `Schema '${bare(missingSchema[1]!)}' does not exist or not authorized.`);
  const relation = /^Catalog Error: (?:Table|View) with name (\S+) does not exist/.exec(first);
  if (relation) return compilation('002003', '42S02', `Object '${bare(relation[1]!)}' does not exist or not authorized.`);
  const database = /^(?:Binder|Catalog) Error: Catalog "([^"]+)" does not exist/.exec(first);
  if (database) return compilation('002003', '02000', `Database '${database[1]!.toUpperCase()}' does not exist or not authorized.`);
  const schema = /^Catalog Error: Schema with name "?([^"\s]+)"? does not exist/.exec(first);
  if (schema) return compilation('002003', '02000', `Schema '${bare(schema[1]!)}' does not exist or not authorized.`);
  const exists = /^Catalog Error: (?:Table|View|Schema) with name "?([^"\s]+)"? already exists/.exec(first);
  if (exists) return compilation('002002', '42710', `Object '${bare(exists[1]!)}' already exists.`);
  const wrongKind = /^Catalog Error: Existing object (\S+) is of type (\w+), trying to \w+ type (\w+)/.exec(first);
  if (wrongKind) return compilation('002203', '42601', `Object found is of type '${wrongKind[2]!.toUpperCase()}', not specified type '${wrongKind[3]!.toUpperCase()}'.`);
  const column = /^Binder Error: Referenced column "([^"]+)" not found/.exec(first);
  if (column) return compilation('000904', '42000', `error line 1 at position 0\ninvalid identifier '${column[1]!.toUpperCase()}'`);
  const fn = /^Catalog Error: Scalar Function with name (\S+) does not exist/.exec(first);
  if (fn) return compilation('002140', '42601', `Unknown function ${fn[1]!.toUpperCase()}`);
  if (/^INTERRUPT Error/.test(first)) return { code: '000604', sqlState: '57014', message: 'SQL execution canceled' };
  if (/^Parser Error/.test(first)) return compilation('001003', '42000', first);
  if (/^Catalog Error/.test(first)) return compilation('002003', '42S02', first);
  if (/^Binder Error/.test(first)) return compilation('002040', '42601', first);
  // "Could not convert string 'x' to INT32": Snowflake names the kind of value it expected.
  const conversion = /^Conversion Error: Could not convert string '((?:[^']|'')*)' to (\w+)/.exec(first);
  if (conversion) {
    const [, value, target] = conversion;
    if (/^DATE/.test(target!)) return { code: '100040', sqlState: '22007', message: `Date '${value}' is not recognized` };
    if (/^TIMESTAMP/.test(target!)) return { code: '100035', sqlState: '22007', message: `Timestamp '${value}' is not recognized` };
    if (/^BOOL/.test(target!)) return { code: '100037', sqlState: '22018', message: `Boolean value '${value}' is not recognized` };
    return { code: '100038', sqlState: '22018', message: `Numeric value '${value}' is not recognized` };
  }
  if (/^Conversion Error/.test(first)) return { code: '100038', sqlState: '22018', message: first };
  if (/^Constraint Error: NOT NULL/.test(first)) return { code: '100072', sqlState: '22000', message: first };
  if (/division by zero|Division by zero/.test(first)) return { code: '100051', sqlState: '22012', message: 'Division by zero' };
  return { code: '000603', sqlState: 'XX000', message: first };
}

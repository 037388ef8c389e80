// Snowflake's catalog over DuckDB's: INFORMATION_SCHEMA views, SHOW and DESCRIBE with Snowflake's columns, names in
// Snowflake's case and Snowflake's type names. Each is built from DuckDB's catalog functions plus what the server
// recorded at CREATE time (kind, creation time, dynamic-table settings), into a temp table of the session, so
// filters, joins and ORDER BY run on it as on any table.
import { DuckDBTimestampTZValue, type DuckDBAppender, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { nameKey, quote, SnowflakeError, type ObjectName } from './loopback-names.js';
import type { CatalogRef, InfoView, RelationTraits, ShowRequest } from './loopback-plan.js';

/** A relation's recorded traits, with when and by whom it was made. */
export interface RelationRecord extends RelationTraits {
  readonly created: Date;
  readonly owner: string;
}

/** What the catalog reads besides DuckDB: the records, and the names seen quoted (which keep their case). */
export interface CatalogContext {
  readonly records: ReadonlyMap<string, RelationRecord>;
  readonly quoted: ReadonlySet<string>;
  /** When the server started: the creation time of anything it did not see created. */
  readonly started: Date;
  readonly role: string;
  readonly database: string | undefined;
  readonly schema: string | undefined;
  /** The databases there are (see Session.databases). */
  readonly databases: ReadonlySet<string>;
}

type ColumnType = 'VARCHAR' | 'BIGINT' | 'BOOLEAN' | 'TIMESTAMPTZ';
type Value = string | number | boolean | Date | null;
interface Table {
  readonly columns: ReadonlyArray<readonly [string, ColumnType]>;
  readonly rows: Value[][];
}

const TEXT_LENGTH = 16_777_216;

/** How Snowflake names a DuckDB column type: DATA_TYPE, DESCRIBE's full type, and the numeric/length attributes. */
export function snowflakeType(duckType: string): { dataType: string; full: string; precision: number | null; scale: number | null; length: number | null; datetime: number | null } {
  const none = { precision: null, scale: null, length: null, datetime: null };
  const decimal = /^DECIMAL\((\d+),\s*(\d+)\)$/.exec(duckType);
  if (decimal) return { ...none, dataType: 'NUMBER', full: `NUMBER(${decimal[1]},${decimal[2]})`, precision: Number(decimal[1]), scale: Number(decimal[2]) };
  if (/^U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)$/.test(duckType)) return { ...none, dataType: 'NUMBER', full: 'NUMBER(38,0)', precision: 38, scale: 0 };
  if (/^(FLOAT|DOUBLE)$/.test(duckType)) return { ...none, dataType: 'FLOAT', full: 'FLOAT' };
  if (duckType === 'BOOLEAN' || duckType === 'DATE') return { ...none, dataType: duckType, full: duckType };
  if (duckType === 'TIME') return { ...none, dataType: 'TIME', full: 'TIME(9)', datetime: 9 };
  if (duckType === 'TIMESTAMP WITH TIME ZONE') return { ...none, dataType: 'TIMESTAMP_TZ', full: 'TIMESTAMP_TZ(9)', datetime: 9 };
  if (/^TIMESTAMP/.test(duckType)) return { ...none, dataType: 'TIMESTAMP_NTZ', full: 'TIMESTAMP_NTZ(9)', datetime: 9 };
  if (duckType === 'BLOB') return { ...none, dataType: 'BINARY', full: 'BINARY(8388608)', length: 8_388_608 };
  if (duckType === 'JSON' || /[\])]$/.test(duckType)) return { ...none, dataType: 'VARIANT', full: 'VARIANT' };
  return { ...none, dataType: 'TEXT', full: `VARCHAR(${TEXT_LENGTH})`, length: TEXT_LENGTH };
}

interface RelationRow {
  readonly database: string;
  readonly schema: string;
  readonly name: string;
  readonly view: boolean;
  readonly rows: number | null;
  readonly record: RelationRecord | undefined;
}

async function rowsOf(connection: DuckDBConnection, sql: string, values: DuckDBValue[] = []): Promise<Record<string, unknown>[]> {
  return (await connection.runAndReadAll(sql, values)).getRowObjectsJson() as Record<string, unknown>[];
}

/** DuckDB keeps names as written; Snowflake upper-cases those never quoted. */
const sfCase = (context: CatalogContext, name: string): string => (context.quoted.has(name) ? name : name.toUpperCase());

/** The databases Snowflake would see: the attached catalogs, not DuckDB's own. */
const databases = (context: CatalogContext): string[] => [...context.databases].sort();

async function schemas(connection: DuckDBConnection, context: CatalogContext, database: string): Promise<Array<{ database: string; schema: string; comment: string | null }>> {
  const rows = await rowsOf(connection, 'SELECT schema_name, comment FROM duckdb_schemas() WHERE database_name = $1 AND NOT internal ORDER BY 1', [database]);
  return rows.map((r) => ({ database, schema: sfCase(context, String(r.schema_name)), comment: (r.comment as string | null) ?? null }));
}

/** Tables and views of some databases, with exact row counts for tables when `counts` (else null). */
async function relations(connection: DuckDBConnection, context: CatalogContext, only: readonly string[], counts = true): Promise<RelationRow[]> {
  const found = await rowsOf(connection, `
    SELECT database_name, schema_name, table_name AS name, false AS view FROM duckdb_tables() WHERE NOT internal AND NOT temporary
    UNION ALL
    SELECT database_name, schema_name, view_name, true FROM duckdb_views() WHERE NOT internal AND NOT temporary
    ORDER BY 1, 2, 3`);
  const mine = found.filter((r) => only.includes(String(r.database_name)));
  const tables = counts ? mine.filter((r) => !r.view) : [];
  // Exact counts (DuckDB's estimated_size still counts deleted rows), in one statement.
  const counted = tables.length
    ? (await rowsOf(connection, tables.map((r, i) => `SELECT ${i} AS i, count(*) AS n FROM ${quote(String(r.database_name))}.${quote(String(r.schema_name))}.${quote(String(r.name))}`).join(' UNION ALL ')))
    : [];
  const countOf = new Map(counted.map((r) => [Number(r.i), Number(r.n)]));
  return mine.map((r) => {
    const relation = { database: String(r.database_name), schema: sfCase(context, String(r.schema_name)), name: sfCase(context, String(r.name)) };
    return { ...relation, view: Boolean(r.view), rows: r.view || !counts ? null : (countOf.get(tables.indexOf(r)) ?? 0), record: context.records.get(nameKey(relation)) };
  });
}

const yesNo = (b: boolean | undefined): string => (b ? 'YES' : 'NO');
const yN = (b: boolean | undefined): string => (b ? 'Y' : 'N');

/** One INFORMATION_SCHEMA view of a database, as a table. */
async function infoView(connection: DuckDBConnection, context: CatalogContext, database: string, view: InfoView, counts: boolean): Promise<Table> {
  if (!(databases(context)).includes(database)) {
    throw new SnowflakeError('002003', '02000', `SQL compilation error:\nDatabase '${database}' does not exist or not authorized.`);
  }
  const created = (r: RelationRow): Date => r.record?.created ?? context.started;
  switch (view) {
    case 'TABLES': {
      const rows = await relations(connection, context, [database], counts);
      return {
        columns: [['TABLE_CATALOG', 'VARCHAR'], ['TABLE_SCHEMA', 'VARCHAR'], ['TABLE_NAME', 'VARCHAR'], ['TABLE_OWNER', 'VARCHAR'], ['TABLE_TYPE', 'VARCHAR'],
          ['IS_TRANSIENT', 'VARCHAR'], ['CLUSTERING_KEY', 'VARCHAR'], ['ROW_COUNT', 'BIGINT'], ['BYTES', 'BIGINT'], ['RETENTION_TIME', 'BIGINT'],
          ['CREATED', 'TIMESTAMPTZ'], ['LAST_ALTERED', 'TIMESTAMPTZ'], ['LAST_DDL', 'TIMESTAMPTZ'], ['COMMENT', 'VARCHAR'], ['IS_TEMPORARY', 'VARCHAR'],
          ['IS_DYNAMIC', 'VARCHAR'], ['IS_ICEBERG', 'VARCHAR'], ['IS_HYBRID', 'VARCHAR']],
        rows: rows.map((r) => [r.database, r.schema, r.name, r.record?.owner ?? context.role, r.view ? 'VIEW' : 'BASE TABLE',
          r.view ? null : yesNo(r.record?.kind === 'TRANSIENT'), null, r.rows, r.rows === null ? null : r.rows * 64, r.view ? null : 1,
          created(r), created(r), created(r), null, r.view ? null : yesNo(r.record?.kind === 'TEMPORARY'),
          yesNo(r.record?.dynamic !== undefined), 'NO', 'NO']),
      };
    }
    case 'VIEWS': {
      const rows = (await relations(connection, context, [database], false)).filter((r) => r.view);
      return {
        columns: [['TABLE_CATALOG', 'VARCHAR'], ['TABLE_SCHEMA', 'VARCHAR'], ['TABLE_NAME', 'VARCHAR'], ['TABLE_OWNER', 'VARCHAR'], ['VIEW_DEFINITION', 'VARCHAR'],
          ['CHECK_OPTION', 'VARCHAR'], ['IS_UPDATABLE', 'VARCHAR'], ['INSERTABLE_INTO', 'VARCHAR'], ['IS_SECURE', 'VARCHAR'], ['CREATED', 'TIMESTAMPTZ'],
          ['LAST_ALTERED', 'TIMESTAMPTZ'], ['LAST_DDL', 'TIMESTAMPTZ'], ['COMMENT', 'VARCHAR']],
        rows: rows.map((r) => [r.database, r.schema, r.name, r.record?.owner ?? context.role, r.record?.text ?? null, 'NONE', 'NO', 'NO',
          yesNo(r.record?.secure), created(r), created(r), created(r), null]),
      };
    }
    case 'SCHEMATA': {
      const rows = await schemas(connection, context, database);
      return {
        columns: [['CATALOG_NAME', 'VARCHAR'], ['SCHEMA_NAME', 'VARCHAR'], ['SCHEMA_OWNER', 'VARCHAR'], ['IS_TRANSIENT', 'VARCHAR'], ['IS_MANAGED_ACCESS', 'VARCHAR'],
          ['RETENTION_TIME', 'BIGINT'], ['CREATED', 'TIMESTAMPTZ'], ['LAST_ALTERED', 'TIMESTAMPTZ'], ['COMMENT', 'VARCHAR']],
        rows: rows.map((s) => [s.database, s.schema, context.role, 'NO', 'NO', 1, context.started, context.started, s.comment]),
      };
    }
    case 'COLUMNS': {
      const columns = await rowsOf(connection, `
        SELECT schema_name, table_name, column_name, column_index, is_nullable, data_type, column_default, comment
        FROM duckdb_columns() WHERE database_name = $1 AND NOT internal ORDER BY schema_name, table_name, column_index`, [database]);
      return {
        columns: [['TABLE_CATALOG', 'VARCHAR'], ['TABLE_SCHEMA', 'VARCHAR'], ['TABLE_NAME', 'VARCHAR'], ['COLUMN_NAME', 'VARCHAR'], ['ORDINAL_POSITION', 'BIGINT'],
          ['COLUMN_DEFAULT', 'VARCHAR'], ['IS_NULLABLE', 'VARCHAR'], ['DATA_TYPE', 'VARCHAR'], ['CHARACTER_MAXIMUM_LENGTH', 'BIGINT'],
          ['CHARACTER_OCTET_LENGTH', 'BIGINT'], ['NUMERIC_PRECISION', 'BIGINT'], ['NUMERIC_PRECISION_RADIX', 'BIGINT'], ['NUMERIC_SCALE', 'BIGINT'],
          ['DATETIME_PRECISION', 'BIGINT'], ['IS_IDENTITY', 'VARCHAR'], ['COMMENT', 'VARCHAR']],
        rows: columns.map((c) => {
          const t = snowflakeType(String(c.data_type));
          return [database, sfCase(context, String(c.schema_name)), sfCase(context, String(c.table_name)), sfCase(context, String(c.column_name)),
            Number(c.column_index), (c.column_default as string | null) ?? null, yesNo(c.is_nullable !== false), t.dataType, t.length, t.length,
            t.precision, t.precision === null ? null : 10, t.scale, t.datetime, 'NO', (c.comment as string | null) ?? null];
        }),
      };
    }
  }
}

/** Fills the temp table `name` of this session's connection with `table`. */
export async function materialise(connection: DuckDBConnection, name: string, table: Table): Promise<void> {
  await connection.run(`CREATE OR REPLACE TEMP TABLE ${quote(name)} (${table.columns.map(([c, t]) => `${quote(c)} ${t}`).join(', ')})`);
  const appender: DuckDBAppender = await connection.createAppender(name, 'main', 'temp');
  try {
    for (const row of table.rows) {
      row.forEach((value, i) => {
        const type = table.columns[i]![1];
        if (value === null) appender.appendNull();
        else if (type === 'BIGINT') appender.appendBigInt(BigInt(value as number));
        else if (type === 'BOOLEAN') appender.appendBoolean(Boolean(value));
        else if (type === 'TIMESTAMPTZ') appender.appendTimestampTZ(new DuckDBTimestampTZValue(BigInt((value as Date).getTime()) * 1000n));
        else appender.appendVarchar(String(value));
      });
      appender.endRow();
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}

export async function materialiseInfoView(connection: DuckDBConnection, context: CatalogContext, ref: CatalogRef): Promise<void> {
  await materialise(connection, ref.table, await infoView(connection, context, ref.database, ref.view, ref.counts));
}

/** SQL LIKE (%, _) as a case-insensitive regular expression, as SHOW ... LIKE matches. */
function likePattern(like: string): RegExp {
  const body = [...like].map((ch) => (ch === '%' ? '.*' : ch === '_' ? '.' : ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${body}$`, 'is');
}

/** The SHOW command's rows, filtered and ordered as Snowflake does, with its lower-case column names. */
export async function showTable(connection: DuckDBConnection, context: CatalogContext, show: ShowRequest): Promise<Table> {
  const scope = show.scope;
  const inScope = scope.kind === 'account' ? databases(context) : [scope.database];
  const keep = (name: string): boolean =>
    (!show.like || likePattern(show.like).test(name)) && (!show.startsWith || name.startsWith(show.startsWith));
  const limit = <T>(rows: T[]): T[] => (show.limit === undefined ? rows : rows.slice(0, show.limit));
  const terse: Array<readonly [string, ColumnType]> = [['created_on', 'TIMESTAMPTZ'], ['name', 'VARCHAR'], ['kind', 'VARCHAR'], ['database_name', 'VARCHAR'], ['schema_name', 'VARCHAR']];
  if (show.object === 'DATABASES') {
    const rows = limit((databases(context)).filter(keep));
    return {
      columns: [['created_on', 'TIMESTAMPTZ'], ['name', 'VARCHAR'], ['is_default', 'VARCHAR'], ['is_current', 'VARCHAR'], ['origin', 'VARCHAR'], ['owner', 'VARCHAR'],
        ['comment', 'VARCHAR'], ['options', 'VARCHAR'], ['retention_time', 'VARCHAR'], ['kind', 'VARCHAR'], ['owner_role_type', 'VARCHAR']],
      rows: rows.map((d) => [context.started, d, 'N', yN(d === context.database), '', context.role, '', '', '1', 'STANDARD', 'ROLE']),
    };
  }
  if (show.object === 'SCHEMAS') {
    const rows = limit((await Promise.all(inScope.map((d) => schemas(connection, context, d)))).flat().filter((s) => keep(s.schema)));
    if (show.terse) return { columns: terse, rows: rows.map((s) => [context.started, s.schema, 'SCHEMA', s.database, null]) };
    return {
      columns: [['created_on', 'TIMESTAMPTZ'], ['name', 'VARCHAR'], ['is_default', 'VARCHAR'], ['is_current', 'VARCHAR'], ['database_name', 'VARCHAR'], ['owner', 'VARCHAR'],
        ['comment', 'VARCHAR'], ['options', 'VARCHAR'], ['retention_time', 'VARCHAR'], ['owner_role_type', 'VARCHAR']],
      rows: rows.map((s) => [context.started, s.schema, 'N', yN(s.database === context.database && s.schema === context.schema), s.database, context.role,
        s.comment ?? '', '', '1', 'ROLE']),
    };
  }
  const all = (await relations(connection, context, inScope))
    .filter((r) => scope.kind !== 'schema' || r.schema === scope.schema)
    .filter((r) => keep(r.name));
  const created = (r: RelationRow): Date => r.record?.created ?? context.started;
  const owner = (r: RelationRow): string => r.record?.owner ?? context.role;
  if (show.object === 'VIEWS') {
    const rows = limit(all.filter((r) => r.view));
    if (show.terse) return { columns: terse, rows: rows.map((r) => [created(r), r.name, 'VIEW', r.database, r.schema]) };
    return {
      columns: [['created_on', 'TIMESTAMPTZ'], ['name', 'VARCHAR'], ['reserved', 'VARCHAR'], ['database_name', 'VARCHAR'], ['schema_name', 'VARCHAR'], ['owner', 'VARCHAR'],
        ['comment', 'VARCHAR'], ['text', 'VARCHAR'], ['is_secure', 'VARCHAR'], ['is_materialized', 'VARCHAR'], ['owner_role_type', 'VARCHAR'], ['change_tracking', 'VARCHAR']],
      rows: rows.map((r) => [created(r), r.name, '', r.database, r.schema, owner(r), '', r.record?.text ?? '', r.record?.secure ? 'true' : 'false', 'false', 'ROLE', 'OFF']),
    };
  }
  if (show.object === 'OBJECTS') {
    const rows = limit(all);
    if (show.terse) return { columns: terse, rows: rows.map((r) => [created(r), r.name, r.view ? 'VIEW' : 'TABLE', r.database, r.schema]) };
    return {
      columns: [['created_on', 'TIMESTAMPTZ'], ['name', 'VARCHAR'], ['database_name', 'VARCHAR'], ['schema_name', 'VARCHAR'], ['kind', 'VARCHAR'], ['comment', 'VARCHAR'],
        ['cluster_by', 'VARCHAR'], ['rows', 'BIGINT'], ['bytes', 'BIGINT'], ['owner', 'VARCHAR'], ['retention_time', 'VARCHAR'], ['owner_role_type', 'VARCHAR']],
      rows: rows.map((r) => [created(r), r.name, r.database, r.schema, r.view ? 'VIEW' : 'TABLE', '', '', r.rows, r.view ? null : (r.rows ?? 0) * 64, owner(r), '1', 'ROLE']),
    };
  }
  if (show.object === 'DYNAMIC TABLES') {
    const rows = limit(all.filter((r) => r.record?.dynamic));
    return {
      columns: [['created_on', 'TIMESTAMPTZ'], ['name', 'VARCHAR'], ['database_name', 'VARCHAR'], ['schema_name', 'VARCHAR'], ['cluster_by', 'VARCHAR'], ['rows', 'BIGINT'],
        ['bytes', 'BIGINT'], ['owner', 'VARCHAR'], ['target_lag', 'VARCHAR'], ['refresh_mode', 'VARCHAR'], ['warehouse', 'VARCHAR'], ['comment', 'VARCHAR'],
        ['text', 'VARCHAR'], ['scheduling_state', 'VARCHAR'], ['owner_role_type', 'VARCHAR']],
      rows: rows.map((r) => [created(r), r.name, r.database, r.schema, '', r.rows, (r.rows ?? 0) * 64, owner(r), r.record!.dynamic!.targetLag, 'FULL',
        r.record!.dynamic!.warehouse, '', r.record!.text, 'RUNNING', 'ROLE']),
    };
  }
  const rows = limit(all.filter((r) => !r.view));
  const kind = (r: RelationRow): string => (r.record?.kind === 'TRANSIENT' || r.record?.kind === 'TEMPORARY' ? r.record.kind : 'TABLE');
  if (show.terse) return { columns: terse, rows: rows.map((r) => [created(r), r.name, 'TABLE', r.database, r.schema]) };
  return {
    columns: [['created_on', 'TIMESTAMPTZ'], ['name', 'VARCHAR'], ['database_name', 'VARCHAR'], ['schema_name', 'VARCHAR'], ['kind', 'VARCHAR'], ['comment', 'VARCHAR'],
      ['cluster_by', 'VARCHAR'], ['rows', 'BIGINT'], ['bytes', 'BIGINT'], ['owner', 'VARCHAR'], ['retention_time', 'VARCHAR'], ['automatic_clustering', 'VARCHAR'],
      ['change_tracking', 'VARCHAR'], ['is_external', 'VARCHAR'], ['owner_role_type', 'VARCHAR'], ['is_hybrid', 'VARCHAR'], ['is_iceberg', 'VARCHAR'], ['is_dynamic', 'VARCHAR']],
    rows: rows.map((r) => [created(r), r.name, r.database, r.schema, kind(r), '', '', r.rows, (r.rows ?? 0) * 64, owner(r), '1', 'OFF', 'OFF', 'N', 'ROLE', 'N', 'N',
      yN(r.record?.dynamic !== undefined)]),
  };
}

/** DESCRIBE TABLE / VIEW: one row per column, Snowflake's full type names. */
/** A relation's columns (upper case) and their Snowflake types, as DESCRIBE would print them; empty when it has none. */
export async function columnTypes(connection: DuckDBConnection, relation: ObjectName): Promise<Map<string, string>> {
  const columns = await rowsOf(connection, `
    SELECT column_name, data_type FROM duckdb_columns()
    WHERE database_name = $1 AND lower(schema_name) = lower($2) AND lower(table_name) = lower($3) ORDER BY column_index`,
  [relation.database, relation.schema, relation.name]);
  return new Map(columns.map((c) => [String(c.column_name).toUpperCase(), snowflakeType(String(c.data_type)).full]));
}

export async function describeTable(connection: DuckDBConnection, context: CatalogContext, relation: ObjectName): Promise<Table> {
  const columns = await rowsOf(connection, `
    SELECT column_name, data_type, is_nullable, column_default, comment FROM duckdb_columns()
    WHERE database_name = $1 AND lower(schema_name) = lower($2) AND lower(table_name) = lower($3) ORDER BY column_index`,
  [relation.database, relation.schema, relation.name]);
  if (columns.length === 0) {
    throw new SnowflakeError('002003', '42S02', `SQL compilation error:\nTable '${nameKey(relation)}' does not exist or not authorized.`);
  }
  return {
    columns: [['name', 'VARCHAR'], ['type', 'VARCHAR'], ['kind', 'VARCHAR'], ['null?', 'VARCHAR'], ['default', 'VARCHAR'], ['primary key', 'VARCHAR'],
      ['unique key', 'VARCHAR'], ['check', 'VARCHAR'], ['expression', 'VARCHAR'], ['comment', 'VARCHAR'], ['policy name', 'VARCHAR'], ['privacy domain', 'VARCHAR']],
    rows: columns.map((c) => [sfCase(context, String(c.column_name)), snowflakeType(String(c.data_type)).full, 'COLUMN', yN(c.is_nullable !== false),
      (c.column_default as string | null) ?? null, 'N', 'N', null, null, (c.comment as string | null) ?? null, null, null]),
  };
}

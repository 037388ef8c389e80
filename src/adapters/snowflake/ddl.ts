// Snowflake statements for charter's relations. DDL commits implicitly on Snowflake, so a table goes in place by
// ALTER TABLE ... SWAP WITH, one atomic metadata operation. An incremental merge is a MERGE on the unique key;
// insert_overwrite deletes the rows of the partitions the new rows cover and inserts them (DML, which a
// transaction does roll back). DuckDB runs the same statements, so both engines give the same table.
import { mergeStatement, type DdlRenderer, type RelationKind } from '../ddl.js';
import type { Relation } from '../../project/relation.js';
import { snowflakeDialect } from './dialect.js';

const name = (r: Relation): string => snowflakeDialect.renderRelation(r);
const q = (column: string): string => snowflakeDialect.quoteIdentifier(column);
const list = (columns: readonly string[]): string => columns.map(q).join(', ');
const keyword = (kind: RelationKind): string => (kind === 'view' ? 'VIEW' : 'TABLE');

export const snowflakeDdl: DdlRenderer = {
  createSchema: (database, schema) => `CREATE SCHEMA IF NOT EXISTS ${q(database)}.${q(schema)}`,
  createTableAs: (r, sql, options) => `CREATE OR REPLACE ${options?.transient ? 'TRANSIENT ' : ''}TABLE ${name(r)} AS\n${sql}`,
  // COPY GRANTS: replacing a view keeps the privileges granted on it.
  createView: (r, sql, options) => `CREATE OR REPLACE ${options?.secure ? 'SECURE ' : ''}VIEW ${name(r)} COPY GRANTS AS\n${sql}`,
  createDynamicTable: (r, sql, options) =>
    `CREATE OR REPLACE ${options.transient ? 'TRANSIENT ' : ''}DYNAMIC TABLE ${name(r)}\n` +
    `TARGET_LAG = ${/^downstream$/i.test(options.targetLag) ? 'DOWNSTREAM' : `'${options.targetLag.replace(/'/g, "''")}'`} WAREHOUSE = ${q(options.warehouse)} COPY GRANTS AS\n${sql}`,
  swapTable: (staged, target, targetKind) =>
    targetKind === 'table'
      ? // The old table ends up under the staged name, and goes.
        [`ALTER TABLE ${name(staged)} SWAP WITH ${name(target)}`, `DROP TABLE IF EXISTS ${name(staged)}`]
      : [...(targetKind === 'view' ? [`DROP VIEW IF EXISTS ${name(target)}`] : []), `ALTER TABLE ${name(staged)} RENAME TO ${name(target)}`],
  dropRelation: (r, kind) => `DROP ${keyword(kind)} IF EXISTS ${name(r)}`,
  // A rename keeps the view object, and with it the policies, tags and grants attached to it under the staged name.
  // Between the DROP and the RENAME the name does not exist: a query fails rather than read the view unprotected.
  renameView: (staged, target, targetKind) => [
    ...(targetKind ? [`DROP ${keyword(targetKind)} IF EXISTS ${name(target)}`] : []),
    `ALTER VIEW ${name(staged)} RENAME TO ${name(target)}`,
  ],
  dropDynamicTable: (r) => `DROP DYNAMIC TABLE IF EXISTS ${name(r)}`,
  mergeInto: (target, staged, uniqueKey, columns) => [mergeStatement(q, name(target), name(staged), uniqueKey, columns)],
  replaceRows: (target, staged, uniqueKey, columns) => [
    `DELETE FROM ${name(target)} WHERE (${list(uniqueKey)}) IN (SELECT ${list(uniqueKey)} FROM ${name(staged)})`,
    `INSERT INTO ${name(target)} (${list(columns)}) SELECT ${list(columns)} FROM ${name(staged)}`,
  ],
  appendInto: (target, staged, columns) => `INSERT INTO ${name(target)} (${list(columns)}) SELECT ${list(columns)} FROM ${name(staged)}`,
  addColumn: (r, column, type, options) => `ALTER TABLE ${name(r)} ADD COLUMN ${options?.ifNotExists ? 'IF NOT EXISTS ' : ''}${q(column)} ${type}`,
  dropColumn: (r, column) => `ALTER TABLE ${name(r)} DROP COLUMN ${q(column)}`,
  alterColumnType: (r, column, type) => `ALTER TABLE ${name(r)} ALTER COLUMN ${q(column)} SET DATA TYPE ${type}`,
  // A contract's types are Snowflake's own.
  columnType: (type) => type,
  begin: () => 'BEGIN TRANSACTION',
  commit: () => 'COMMIT',
  rollback: () => 'ROLLBACK',
};

/** DDL commits implicitly on Snowflake: a plan does not wrap it in a transaction. */
export const snowflakeCapabilities = { transactionalDdl: false } as const;

// DuckDB statements for charter's relations, and the introspection queries its adapter reads.
import type { CsvSeed } from '../adapter.js';
import { mergeStatement, type DdlRenderer, type RelationKind } from '../ddl.js';
import { quoteLiteral as literal, quoteWith as q } from '../dialect.js';
import type { Relation } from '../../project/relation.js';
import { duckdbDialect } from './dialect.js';
import { duckdbTypeOf } from './types.js';

const name = (r: Relation): string => duckdbDialect.renderRelation(r);
const list = (columns: readonly string[]): string => columns.map(q).join(', ');
// DuckDB's own catalog functions: the same answers as information_schema (its views over them) at about half the cost.
const whereRelation = (r: Relation, nameColumn = 'table_name'): string =>
  `database_name = ${literal(r.database)} AND schema_name = ${literal(r.schema)} AND ${nameColumn} = ${literal(r.identifier)}`;

export const duckdbDdl: DdlRenderer = {
  createSchema: (database, schema) => `CREATE SCHEMA IF NOT EXISTS ${q(database)}.${q(schema)}`,
  createTableAs: (r, sql) => `CREATE OR REPLACE TABLE ${name(r)} AS\n${sql}`,
  // DuckDB has no secure views or transient tables: the plain kinds hold the same rows.
  createView: (r, sql) => `CREATE OR REPLACE VIEW ${name(r)} AS\n${sql}`,
  // No warehouse refreshes it here: locally a dynamic table is a table rebuilt on every build.
  createDynamicTable: (r, sql) => `CREATE OR REPLACE TABLE ${name(r)} AS\n${sql}`,
  swapTable: (staged, target, targetKind) => [
    ...(targetKind ? [`DROP ${targetKind === 'view' ? 'VIEW' : 'TABLE'} IF EXISTS ${name(target)}`] : []),
    `ALTER TABLE ${name(staged)} RENAME TO ${q(target.identifier)}`,
  ],
  dropRelation: (r, kind: RelationKind) => `DROP ${kind === 'view' ? 'VIEW' : 'TABLE'} IF EXISTS ${name(r)}`,
  dropDynamicTable: (r) => `DROP TABLE IF EXISTS ${name(r)}`,
  mergeInto: (target, staged, uniqueKey, columns) => [mergeStatement(q, name(target), name(staged), uniqueKey, columns)],
  replaceRows: (target, staged, uniqueKey, columns) => [
    `DELETE FROM ${name(target)} WHERE (${list(uniqueKey)}) IN (SELECT ${list(uniqueKey)} FROM ${name(staged)})`,
    `INSERT INTO ${name(target)} (${list(columns)}) SELECT ${list(columns)} FROM ${name(staged)}`,
  ],
  appendInto: (target, staged, columns) =>
    `INSERT INTO ${name(target)} (${list(columns)}) SELECT ${list(columns)} FROM ${name(staged)}`,
  addColumn: (r, column, type, options) => `ALTER TABLE ${name(r)} ADD COLUMN ${options?.ifNotExists ? 'IF NOT EXISTS ' : ''}${q(column)} ${type}`,
  dropColumn: (r, column) => `ALTER TABLE ${name(r)} DROP COLUMN ${q(column)}`,
  alterColumnType: (r, column, type) => `ALTER TABLE ${name(r)} ALTER COLUMN ${q(column)} SET DATA TYPE ${type}`,
  columnType: duckdbTypeOf,
  begin: () => 'BEGIN TRANSACTION',
  commit: () => 'COMMIT',
  rollback: () => 'ROLLBACK',
};

/** Introspection SQL; results are read by position in the adapter. */
export const duckdbIntrospection = {
  countRows: (r: Relation): string => `SELECT count(*) FROM ${name(r)}`,
  relationKind: (r: Relation): string =>
    `SELECT 'BASE TABLE' FROM duckdb_tables() WHERE ${whereRelation(r)} UNION ALL SELECT 'VIEW' FROM duckdb_views() WHERE ${whereRelation(r, 'view_name')}`,
  describe: (r: Relation): string => `SELECT column_name, data_type FROM duckdb_columns() WHERE ${whereRelation(r)} ORDER BY column_index`,
};

/** A table holding a CSV file's rows, typed from Snowflake types, read by DuckDB's bulk reader. */
export function createTableFromCsv(r: Relation, seed: Omit<CsvSeed, 'columns'> & { readonly duckdbTypes: Readonly<Record<string, string>> }): string {
  const options = [
    'header = true',
    `compression = ${literal(seed.compressed ? 'gzip' : 'none')}`,
    ...(seed.delimiter ? [`delim = ${literal(seed.delimiter)}`] : []),
  ];
  const typed = Object.entries(seed.duckdbTypes);
  if (typed.length) options.push(`types = {${typed.map(([c, t]) => `${literal(c)}: ${literal(t)}`).join(', ')}}`);
  return `CREATE OR REPLACE TABLE ${name(r)} AS\nSELECT * FROM read_csv(${literal(seed.file)}, ${options.join(', ')})`;
}

export const duckdbTypesOf = (columns: Readonly<Record<string, string>>): Record<string, string> =>
  Object.fromEntries(Object.entries(columns).map(([c, t]) => [c, duckdbTypeOf(t)]));

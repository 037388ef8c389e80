// DuckDB statements for charter's relations. DDL is transactional here, so swaps are BEGIN ... COMMIT.
import type { CsvLoad, DdlRenderer, RelationKind } from '../ddl.js';
import { quoteLiteral as literal, quoteWith as q } from '../dialect.js';
import { type Relation } from '../../project/relation.js';
import { duckdbDialect } from './dialect.js';

const name = (r: Relation): string => duckdbDialect.renderRelation(r);
const list = (columns: readonly string[]): string => columns.map(q).join(', ');

export const duckdbDdl: DdlRenderer = {
  createSchema: (database, schema) => `CREATE SCHEMA IF NOT EXISTS ${q(database)}.${q(schema)}`,
  createTableAs: (r, sql) => `CREATE OR REPLACE TABLE ${name(r)} AS\n${sql}`,
  createView: (r, sql) => `CREATE OR REPLACE VIEW ${name(r)} AS\n${sql}`,
  swapTable: (staged, target, targetKind) => [
    'BEGIN TRANSACTION',
    ...(targetKind ? [`DROP ${targetKind === 'view' ? 'VIEW' : 'TABLE'} IF EXISTS ${name(target)}`] : []),
    `ALTER TABLE ${name(staged)} RENAME TO ${q(target.identifier)}`,
    'COMMIT',
  ],
  dropRelation: (r, kind: RelationKind) => `DROP ${kind === 'view' ? 'VIEW' : 'TABLE'} IF EXISTS ${name(r)}`,
  mergeInto: (target, staged, uniqueKey, columns) => [
    'BEGIN TRANSACTION',
    `DELETE FROM ${name(target)} WHERE (${list(uniqueKey)}) IN (SELECT ${list(uniqueKey)} FROM ${name(staged)})`,
    `INSERT INTO ${name(target)} (${list(columns)}) SELECT ${list(columns)} FROM ${name(staged)}`,
    'COMMIT',
  ],
  appendInto: (target, staged, columns) =>
    `INSERT INTO ${name(target)} (${list(columns)}) SELECT ${list(columns)} FROM ${name(staged)}`,
  countRows: (r) => `SELECT count(*) AS n FROM ${name(r)}`,
  relationKind: (r) =>
    `SELECT table_type AS kind FROM information_schema.tables WHERE table_catalog = ${literal(r.database)} ` +
    `AND table_schema = ${literal(r.schema)} AND table_name = ${literal(r.identifier)}`,
  describeColumns: (r) =>
    `SELECT column_name, data_type FROM information_schema.columns WHERE table_catalog = ${literal(r.database)} ` +
    `AND table_schema = ${literal(r.schema)} AND table_name = ${literal(r.identifier)} ORDER BY ordinal_position`,
  createTableFromCsv: (r, load: CsvLoad) => {
    const options = [
      'header = true',
      `compression = ${literal(load.compressed ? 'gzip' : 'none')}`,
      ...(load.delimiter ? [`delim = ${literal(load.delimiter)}`] : []),
    ];
    const typed = Object.entries(load.columnTypes);
    if (typed.length) options.push(`types = {${typed.map(([c, t]) => `${literal(c)}: ${literal(t)}`).join(', ')}}`);
    return `CREATE OR REPLACE TABLE ${name(r)} AS\nSELECT * FROM read_csv(${literal(load.file)}, ${options.join(', ')})`;
  },
  begin: () => 'BEGIN TRANSACTION',
  commit: () => 'COMMIT',
  rollback: () => 'ROLLBACK',
};

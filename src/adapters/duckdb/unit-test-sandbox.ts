// Unit tests' engine: an in-memory DuckDB with the Snowflake shims, in which each test's catalogs are attached
// fresh, given rows are loaded (inline rows typed as declared or inferred, CSV files through read_csv), and
// `this` takes the shape of the model's own output.
import type { Relation } from '../../project/relation.js';
import type { Row } from '../../project/rows.js';
import type { TableData } from '../../load/load-unit-tests.js';
import type { RunStatement, UnitTestSandbox } from '../adapter.js';
import { quoteLiteral as literal, quoteWith as q } from '../dialect.js';
import { DuckDBAdapter } from './adapter.js';
import { createTableFromCsv, duckdbDdl as ddl } from './ddl.js';
import { duckdbDialect } from './dialect.js';
import { duckdbTypeOf } from './types.js';

export function createDuckdbSandbox(): UnitTestSandbox {
  const adapter = new DuckDBAdapter({ file: ':memory:', threads: 1, shareInMemory: true });
  const own = (r: { database: string }): boolean => r.database.toLowerCase() === adapter.database;
  const catalogs = (relations: readonly Relation[]): string[] =>
    [...new Map(relations.filter((r) => !own(r)).map((r) => [r.database.toLowerCase(), r.database])).values()];
  const batch = async (run: RunStatement, statements: readonly string[], purpose: 'setup' | 'test' | 'cleanup'): Promise<void> => {
    // Few round trips: on a busy machine each one costs more than the statements in it.
    if (statements.length) await run(statements.join(';\n'), { purpose });
  };
  const readCsvAsText = (file: string): string => `SELECT * FROM read_csv(${literal(file)}, header = true, all_varchar = true)`;

  return {
    adapter,
    async reset(run, relations) {
      const schemas = new Map(relations.map((r) => [`${r.database}.${r.schema}`.toLowerCase(), ddl.createSchema(r.database, r.schema)]));
      await batch(run, [...catalogs(relations).flatMap((c) => [`DETACH DATABASE IF EXISTS ${q(c)}`, `ATTACH ':memory:' AS ${q(c)}`]), ...schemas.values()], 'setup');
    },
    async clear(run, relations) {
      const detach = catalogs(relations).map((c) => `DETACH DATABASE IF EXISTS ${q(c)}`);
      // A target whose catalog is DuckDB's own ('memory') shares it with the shims: drop only what the test made.
      const drop = relations
        .filter(own)
        .map((r) => (r.schema.toLowerCase() === 'main' ? `DROP TABLE IF EXISTS ${duckdbDialect.renderRelation(r)}` : `DROP SCHEMA IF EXISTS ${q(r.database)}.${q(r.schema)} CASCADE`));
      await batch(run, [...detach, ...new Set(drop)], 'cleanup');
    },
    async loadRows(run, relation, data, types) {
      const typed = new Map(Object.entries(types).map(([c, t]) => [c.toLowerCase(), duckdbTypeOf(t)]));
      if (data.kind === 'csv') {
        const header = await run(`${readCsvAsText(data.absolutePath)} LIMIT 0`, { purpose: 'test' });
        const duckdbTypes = Object.fromEntries(header.columns.flatMap((c) => (typed.has(c.name.toLowerCase()) ? [[c.name, typed.get(c.name.toLowerCase()) as string]] : [])));
        await run(createTableFromCsv(relation, { file: data.absolutePath, compressed: data.absolutePath.endsWith('.gz'), duckdbTypes }), { purpose: 'test' });
        return;
      }
      // Typed columns first, in declared order, so a `select *` model sees the full shape even when rows name a few.
      const columns = columnNames(Object.keys(types), data.rows);
      const columnTypes = columns.map((c) => typed.get(c.toLowerCase()) ?? inferDuckdbType(data.rows.map((r) => cell(r, c))));
      const name = duckdbDialect.renderRelation(relation);
      const create = `CREATE TABLE ${name} (${columns.map((c, k) => `${q(c)} ${columnTypes[k]}`).join(', ')})`;
      await batch(run, data.rows.length ? [create, insertValues(name, columns, columnTypes, data.rows)] : [create], 'test');
    },
    async createShapedLike(run, relation, selectSql, data) {
      const name = duckdbDialect.renderRelation(relation);
      await run(`CREATE TABLE ${name} AS SELECT * FROM (\n${selectSql}\n) AS charter_model LIMIT 0`, { purpose: 'test' });
      const known = new Map((await adapter.describeRelation(run, relation)).map((c) => [c.name.toLowerCase(), c]));
      const columns = [...known.values()].map((c) => c.name);
      if (data.kind === 'csv') {
        await run(`INSERT INTO ${name} BY NAME ${readCsvAsText(data.absolutePath)}`, { purpose: 'test' });
        return { unknownColumns: [], columns };
      }
      const given = columnNames([], data.rows);
      const unknownColumns = given.filter((c) => !known.has(c.toLowerCase()));
      if (!unknownColumns.length && data.rows.length) {
        await run(insertValues(name, given, given.map((c) => known.get(c.toLowerCase())?.type ?? 'VARCHAR'), data.rows), { purpose: 'test' });
      }
      return { unknownColumns, columns };
    },
    async readRows(run, data: TableData) {
      if (data.kind === 'rows') return data.rows;
      // Read as text: the comparison matches text to numbers, dates and booleans by value.
      return (await run(readCsvAsText(data.absolutePath), { purpose: 'test' })).rows;
    },
  };
}

/**
 * The DuckDB type for a column of YAML values when nothing declares one. Integers are BIGINT; numbers with a fraction
 * are DECIMAL(38,s) with s the most decimals written, so sums are exact as with Snowflake's NUMBER (DOUBLE when a
 * value needs an exponent or more than 18 decimals); ISO dates DATE; timestamps TIMESTAMP (TIMESTAMPTZ with an
 * offset); booleans BOOLEAN; mappings and lists JSON; anything else, or a mix, VARCHAR. Quoted numbers stay text.
 */
export function inferDuckdbType(values: readonly unknown[]): string {
  const present = values.filter((v) => v !== null && v !== undefined);
  if (!present.length) return 'VARCHAR';
  if (present.every((v) => typeof v === 'boolean')) return 'BOOLEAN';
  if (present.every((v) => typeof v === 'number')) {
    const numbers = present as number[];
    if (numbers.every((n) => Number.isSafeInteger(n))) return 'BIGINT';
    const texts = numbers.map(String);
    if (texts.some((t) => /e|n/i.test(t))) return 'DOUBLE';
    const scale = Math.max(...texts.map((t) => t.split('.')[1]?.length ?? 0));
    const whole = Math.max(...texts.map((t) => t.replace('-', '').split('.')[0]?.length ?? 0));
    return scale <= 18 && whole + scale <= 38 ? `DECIMAL(38,${scale})` : 'DOUBLE';
  }
  if (present.every((v) => typeof v === 'object')) return 'JSON';
  if (present.every((v) => typeof v === 'string')) {
    const texts = present as string[];
    if (texts.every((t) => DATE.test(t))) return 'DATE';
    if (texts.every((t) => DATE.test(t) || NAIVE_TIMESTAMP.test(t))) return 'TIMESTAMP';
    if (texts.every((t) => DATE.test(t) || NAIVE_TIMESTAMP.test(t) || ZONED_TIMESTAMP.test(t))) return 'TIMESTAMPTZ';
  }
  return 'VARCHAR';
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const NAIVE_TIMESTAMP = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;
const ZONED_TIMESTAMP = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?\s*(Z|[+-]\d{2}(:?\d{2})?)$/;

/** One INSERT for all rows: a few hundred rows go in one round trip. */
function insertValues(name: string, columns: readonly string[], types: readonly string[], rows: readonly Row[]): string {
  const tuples = rows.map((r) => `(${columns.map((c, k) => sqlLiteral(cell(r, c), types[k] ?? 'VARCHAR')).join(', ')})`);
  return `INSERT INTO ${name} (${columns.map(q).join(', ')}) VALUES\n${tuples.join(',\n')}`;
}

/** A literal DuckDB casts to the column's type on insert; text columns get text even from YAML numbers or booleans. */
function sqlLiteral(value: unknown, type: string): string {
  if (value === null || value === undefined) return 'NULL';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (/^(VARCHAR|JSON)/i.test(type)) return literal(text);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number' && Number.isFinite(value)) return text;
  return literal(text);
}

/** Column names in first-seen order, one spelling per name whatever its case. */
export function columnNames(first: readonly string[], rows: readonly Row[]): string[] {
  return [...new Map([...first, ...rows.flatMap((r) => Object.keys(r))].map((c) => [c.toLowerCase(), c])).values()];
}

function cell(row: Row, column: string): unknown {
  if (column in row) return row[column];
  const key = Object.keys(row).find((k) => k.toLowerCase() === column.toLowerCase());
  return key === undefined ? undefined : row[key];
}

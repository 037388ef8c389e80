// Seeds for a remote warehouse: the CSV is read by DuckDB's reader in a private in-memory database, so a seed is
// typed the same way (declared types applied, the rest inferred) and rejected with the same line, column and value
// whichever target it goes to. The rows then travel as bound values (see adapters/snowflake/adapter.ts).
import { DuckDBInstance } from '@duckdb/node-api';
import type { CsvSeed, TypedCsv } from '../adapter.js';
import { csvRejection } from './csv-rejection.js';
import { createTableFromCsv, duckdbTypesOf } from './ddl.js';
import { conventionConverters } from './rows.js';

/** Snowflake's type for a column DuckDB inferred. */
export function snowflakeTypeOfDuckdb(duckdbType: string): string {
  const type = duckdbType.toUpperCase();
  const decimal = /^DECIMAL\((\d+),\s*(\d+)\)$/.exec(type);
  if (decimal) return `NUMBER(${decimal[1]},${decimal[2]})`;
  if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT)$/.test(type)) return 'NUMBER(38,0)';
  if (type === 'DOUBLE' || type === 'FLOAT') return 'FLOAT';
  if (type === 'BOOLEAN') return 'BOOLEAN';
  if (type === 'DATE') return 'DATE';
  if (type === 'TIME') return 'TIME';
  if (type === 'TIMESTAMP') return 'TIMESTAMP_NTZ';
  if (type === 'TIMESTAMP WITH TIME ZONE') return 'TIMESTAMP_TZ';
  if (type === 'JSON') return 'VARIANT';
  if (type === 'BLOB') return 'BINARY';
  return 'VARCHAR';
}

export async function readCsvTyped(seed: CsvSeed): Promise<TypedCsv> {
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const connection = await instance.connect();
  try {
    const relation = { database: 'memory', schema: 'main', identifier: 'seed' };
    try {
      await connection.run(createTableFromCsv(relation, { ...seed, duckdbTypes: duckdbTypesOf(seed.columns) }));
    } catch (e) {
      const rejected = e instanceof Error ? csvRejection(seed, e.message) : undefined;
      throw rejected ?? e;
    }
    const reader = await connection.runAndReadAll('SELECT * FROM memory.main.seed');
    const names = reader.columnNames();
    const types = reader.columnTypes().map(String);
    const declared = new Map(Object.entries(seed.columns).map(([c, t]) => [c.toLowerCase(), t]));
    // Read column by column (DuckDB's row-wise readers cost several times as much), each column's conversion chosen
    // once from its type, then laid out as rows in column order.
    const convert = conventionConverters(types);
    const columns = reader.getColumnsJson().map((values, i) => {
      const c = convert[i];
      return values.map((value) => {
        if (value === null) return null;
        const converted = c ? c(value) : value;
        // Binds carry scalars: a JSON value travels as its text.
        return converted !== null && typeof converted === 'object' ? JSON.stringify(converted) : converted;
      });
    });
    const rows = Array.from({ length: reader.currentRowCount }, (_, r) => columns.map((values) => values[r] ?? null));
    return {
      columns: names.map((name, i) => ({ name, type: declared.get(name.toLowerCase()) ?? snowflakeTypeOfDuckdb(types[i] ?? 'VARCHAR') })),
      rowCount: rows.length,
      *batches(rowsPerBatch: number) {
        for (let at = 0; at < rows.length; at += rowsPerBatch) yield rows.slice(at, at + rowsPerBatch);
      },
    };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

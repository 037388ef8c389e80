// Snowflake data types to DuckDB's, for seeds, unit-test inputs and built tables.
import { parseSnowflakeType, type TypeFamily } from '../../project/snowflake-types.js';

const DUCKDB_OF: Readonly<Partial<Record<TypeFamily, string>>> = {
  integer: 'BIGINT',
  float: 'DOUBLE',
  string: 'VARCHAR',
  binary: 'BLOB',
  boolean: 'BOOLEAN',
  date: 'DATE',
  time: 'TIME',
  ntz: 'TIMESTAMP',
  tz: 'TIMESTAMPTZ',
  ltz: 'TIMESTAMPTZ',
  variant: 'JSON',
  object: 'JSON',
  array: 'JSON',
};

/** The DuckDB type that holds values of a Snowflake type faithfully; a name Snowflake does not know passes through. */
export function duckdbTypeOf(snowflakeType: string): string {
  const type = parseSnowflakeType(snowflakeType);
  if (!type) return snowflakeType.trim().toUpperCase().replace(/\s+/g, ' ');
  if (type.family === 'exact') return `DECIMAL(${type.args[0] ?? 38},${type.args[1] ?? 0})`;
  return DUCKDB_OF[type.family] ?? type.name;
}

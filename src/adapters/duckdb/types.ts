// Snowflake data types to DuckDB's, for seeds and for comparing declared with built columns.

/** The DuckDB type that holds values of a Snowflake type faithfully. */
export function duckdbTypeOf(snowflakeType: string): string {
  const t = snowflakeType.trim().toUpperCase().replace(/\s+/g, ' ');
  const m = /^([A-Z_ ]+?)\s*(?:\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\))?$/.exec(t);
  if (!m) return t;
  const [, base = '', p, s] = m;
  switch (base) {
    case 'NUMBER':
    case 'DECIMAL':
    case 'NUMERIC':
      return `DECIMAL(${p ?? 38},${s ?? 0})`;
    case 'INT':
    case 'INTEGER':
    case 'BIGINT':
    case 'SMALLINT':
    case 'TINYINT':
    case 'BYTEINT':
      return 'BIGINT';
    case 'FLOAT':
    case 'FLOAT4':
    case 'FLOAT8':
    case 'DOUBLE':
    case 'DOUBLE PRECISION':
    case 'REAL':
      return 'DOUBLE';
    case 'VARCHAR':
    case 'STRING':
    case 'TEXT':
    case 'CHAR':
    case 'CHARACTER':
    case 'NVARCHAR':
      return 'VARCHAR';
    case 'BOOLEAN':
      return 'BOOLEAN';
    case 'DATE':
      return 'DATE';
    case 'DATETIME':
    case 'TIMESTAMP':
    case 'TIMESTAMP_NTZ':
      return 'TIMESTAMP';
    case 'TIMESTAMP_TZ':
    case 'TIMESTAMP_LTZ':
      return 'TIMESTAMPTZ';
    case 'TIME':
      return 'TIME';
    case 'BINARY':
    case 'VARBINARY':
      return 'BLOB';
    case 'VARIANT':
    case 'OBJECT':
    case 'ARRAY':
      return 'JSON';
    default:
      return t;
  }
}

// Snowflake's data types: every name a contract, seed or unit test may write, and the family each belongs to.
// The one list; the contract schema, the DuckDB type mapping and the contract-vs-built comparison all read it.

export type TypeFamily =
  | 'exact' | 'integer' | 'float' | 'string' | 'binary' | 'boolean' | 'date' | 'time'
  | 'ntz' | 'tz' | 'ltz' | 'variant' | 'object' | 'array' | 'geography' | 'geometry' | 'vector';

const FAMILY_OF: Readonly<Record<string, TypeFamily>> = {
  NUMBER: 'exact', DECIMAL: 'exact', NUMERIC: 'exact',
  // Snowflake stores every integer alias as NUMBER(38,0).
  INT: 'integer', INTEGER: 'integer', BIGINT: 'integer', SMALLINT: 'integer', TINYINT: 'integer', BYTEINT: 'integer',
  FLOAT: 'float', FLOAT4: 'float', FLOAT8: 'float', DOUBLE: 'float', 'DOUBLE PRECISION': 'float', REAL: 'float',
  VARCHAR: 'string', CHAR: 'string', CHARACTER: 'string', NCHAR: 'string', STRING: 'string', TEXT: 'string',
  NVARCHAR: 'string', NVARCHAR2: 'string', 'CHAR VARYING': 'string', 'NCHAR VARYING': 'string',
  BINARY: 'binary', VARBINARY: 'binary',
  BOOLEAN: 'boolean',
  DATE: 'date',
  TIME: 'time',
  DATETIME: 'ntz', TIMESTAMP: 'ntz', TIMESTAMP_NTZ: 'ntz',
  TIMESTAMP_LTZ: 'ltz',
  TIMESTAMP_TZ: 'tz',
  VARIANT: 'variant', OBJECT: 'object', ARRAY: 'array',
  GEOGRAPHY: 'geography', GEOMETRY: 'geometry', VECTOR: 'vector',
};

export const SNOWFLAKE_TYPE_NAMES: readonly string[] = Object.keys(FAMILY_OF);

export interface SnowflakeType {
  /** The base name, upper case, spaces collapsed: NUMBER, DOUBLE PRECISION, TIMESTAMP_NTZ. */
  readonly name: string;
  readonly family: TypeFamily;
  /** Numbers in parentheses: precision and scale, or a length. */
  readonly args: readonly number[];
}

/** The base name of a written type: `number(18, 2)` is NUMBER. */
export const snowflakeTypeName = (text: string): string =>
  text.replace(/\(.*$/s, '').trim().toUpperCase().replace(/\s+/g, ' ');

/** A written Snowflake type, or undefined when it names none. */
export function parseSnowflakeType(text: string): SnowflakeType | undefined {
  const name = snowflakeTypeName(text);
  const family = FAMILY_OF[name];
  if (!family) return undefined;
  const args = (/\(([^)]*)\)/.exec(text)?.[1] ?? '').split(',').map((a) => a.trim()).filter((a) => /^\d+$/.test(a)).map(Number);
  return { name, family, args };
}

export function isNumericType(text: string): boolean {
  const family = parseSnowflakeType(text)?.family;
  return family === 'exact' || family === 'integer' || family === 'float';
}

/**
 * The family a value of this type is stored as, for matching a policy's argument to a column: Snowflake stores every
 * integer alias as NUMBER(38,0), so integers are exact numbers here. Undefined for an unknown or absent type.
 */
export function storedFamily(text: string | undefined): TypeFamily | undefined {
  const family = text ? parseSnowflakeType(text)?.family : undefined;
  return family === 'integer' ? 'exact' : family;
}

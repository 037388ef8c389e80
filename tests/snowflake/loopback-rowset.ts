// How the loopback server turns DuckDB results into Snowflake's JSON rowset, and Snowflake binds into DuckDB values.
// Encodings follow snowflake-sdk 3.3.0's converters (dist/lib/connection/result/column.js): every cell is a string.
import {
  DuckDBBlobValue,
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBTimeValue,
  DuckDBTimestampMillisecondsValue,
  DuckDBTimestampNanosecondsValue,
  DuckDBTimestampSecondsValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  DuckDBTypeId,
  type DuckDBResultReader,
  type DuckDBType,
  type DuckDBValue,
  type Json,
} from '@duckdb/node-api';

/** One entry of a result's `rowtype`: the fields the driver's Column reads. Types are lower-case, as it expects. */
export interface RowType {
  readonly name: string;
  readonly type: 'fixed' | 'real' | 'text' | 'boolean' | 'date' | 'time' | 'timestamp_ntz' | 'timestamp_tz' | 'binary' | 'variant';
  readonly precision?: number;
  readonly scale?: number;
  readonly length?: number;
  readonly byteLength?: number;
  readonly nullable: boolean;
}

export type Cell = string | null;

/** A bind as the driver sends it: `{type, value}` keyed by 1-based position; array binds carry one value per row. */
export interface SnowflakeBind {
  readonly type: string;
  readonly value: string | null | ReadonlyArray<string | null>;
}

const TEXT_LENGTH = 16_777_216;

/** Snowflake's type for a DuckDB column. Integers are NUMBER(38,0), as a Snowflake table column would be. */
export function rowTypeOf(name: string, type: DuckDBType): RowType {
  const base = { name, nullable: true };
  switch (type.typeId) {
    case DuckDBTypeId.DECIMAL:
      return { ...base, type: 'fixed', precision: type.width, scale: type.scale };
    case DuckDBTypeId.TINYINT: case DuckDBTypeId.SMALLINT: case DuckDBTypeId.INTEGER: case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UTINYINT: case DuckDBTypeId.USMALLINT: case DuckDBTypeId.UINTEGER: case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT: case DuckDBTypeId.UHUGEINT:
      return { ...base, type: 'fixed', precision: 38, scale: 0 };
    case DuckDBTypeId.FLOAT: case DuckDBTypeId.DOUBLE:
      return { ...base, type: 'real' };
    case DuckDBTypeId.BOOLEAN:
      return { ...base, type: 'boolean' };
    case DuckDBTypeId.DATE:
      return { ...base, type: 'date' };
    case DuckDBTypeId.TIME:
      return { ...base, type: 'time', scale: 9 };
    case DuckDBTypeId.TIMESTAMP: case DuckDBTypeId.TIMESTAMP_S: case DuckDBTypeId.TIMESTAMP_MS: case DuckDBTypeId.TIMESTAMP_NS:
      return { ...base, type: 'timestamp_ntz', scale: 9 };
    case DuckDBTypeId.TIMESTAMP_TZ:
      return { ...base, type: 'timestamp_tz', scale: 9 };
    case DuckDBTypeId.BLOB:
      return { ...base, type: 'binary', length: 8_388_608, byteLength: 8_388_608 };
    case DuckDBTypeId.LIST: case DuckDBTypeId.STRUCT: case DuckDBTypeId.MAP: case DuckDBTypeId.ARRAY: case DuckDBTypeId.VARIANT:
      return { ...base, type: 'variant' };
    case DuckDBTypeId.VARCHAR:
      // Charter's DuckDB type for VARIANT, OBJECT and ARRAY columns is JSON (a VARCHAR alias).
      return type.alias === 'JSON' ? { ...base, type: 'variant' } : { ...base, type: 'text', length: TEXT_LENGTH, byteLength: TEXT_LENGTH };
    default:
      return { ...base, type: 'text', length: TEXT_LENGTH, byteLength: TEXT_LENGTH };
  }
}

/** `value / 10^scale` written exactly, e.g. (1250n, 2) -> "12.50", (-5n, 1) -> "-0.5". */
export function scaledDecimal(value: bigint, scale: number): string {
  const sign = value < 0n ? '-' : '';
  const digits = (value < 0n ? -value : value).toString().padStart(scale + 1, '0');
  return scale === 0 ? sign + digits : `${sign}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

/** Nanoseconds since the epoch as a value in one of the driver's epoch-seconds encodings (scale 9). */
function epochNanos(value: DuckDBValue): bigint | undefined {
  if (value instanceof DuckDBTimestampValue || value instanceof DuckDBTimestampTZValue) return value.micros * 1000n;
  if (value instanceof DuckDBTimestampNanosecondsValue) return value.nanos;
  if (value instanceof DuckDBTimestampMillisecondsValue) return value.millis * 1_000_000n;
  if (value instanceof DuckDBTimestampSecondsValue) return value.seconds * 1_000_000_000n;
  return undefined;
}

/** One cell in the wire encoding of its rowtype. `json` is DuckDB's own JSON form, used for nested values. */
export function cellOf(rowType: RowType, value: DuckDBValue, json: Json): Cell {
  if (value === null) return null;
  switch (rowType.type) {
    case 'fixed':
      return value instanceof DuckDBDecimalValue ? scaledDecimal(value.value, value.scale) : String(value);
    case 'boolean':
      return value === true ? '1' : '0';
    case 'date':
      // Days since 1970-01-01; the driver multiplies by 86400 itself.
      return value instanceof DuckDBDateValue ? String(value.days) : String(json);
    case 'time':
      return value instanceof DuckDBTimeValue ? scaledDecimal(value.micros * 1000n, 9) : String(json);
    case 'timestamp_ntz': {
      const nanos = epochNanos(value);
      return nanos === undefined ? String(json) : scaledDecimal(nanos, 9);
    }
    case 'timestamp_tz': {
      // "<epoch seconds> <tz index>", where the offset in minutes is index - 1440; DuckDB hands back UTC instants.
      const nanos = epochNanos(value);
      return nanos === undefined ? String(json) : `${scaledDecimal(nanos, 9)} 1440`;
    }
    case 'binary':
      return value instanceof DuckDBBlobValue ? Buffer.from(value.bytes).toString('hex').toUpperCase() : String(json);
    case 'variant':
      // A JSON column's value is already JSON text; nested DuckDB values are written as JSON.
      return typeof value === 'string' ? value : JSON.stringify(json);
    default:
      return typeof json === 'string' ? json : JSON.stringify(json);
  }
}

/** The rowtype and rowset of a DuckDB result, with column names already in Snowflake's case. */
export function rowsetOf(reader: DuckDBResultReader, names: readonly string[]): { rowtype: RowType[]; rowset: Cell[][] } {
  const rowtype = reader.columnTypes().map((type, i) => rowTypeOf(names[i] ?? `COLUMN${i + 1}`, type));
  const jsonRows = reader.getRowsJson();
  const rowset = reader.getRows().map((row, r) => row.map((value, c) => cellOf(rowtype[c]!, value, jsonRows[r]?.[c] ?? null)));
  return { rowtype, rowset };
}

/** A bind value as DuckDB should see it: FIXED integers as BIGINT (so `? + 1` stays integral), REAL as DOUBLE. */
function duckValueOf(type: string, value: string | null): DuckDBValue {
  if (value === null) return null;
  switch (type) {
    case 'FIXED':
      return /^-?\d+$/.test(value) ? BigInt(value) : Number(value);
    case 'REAL':
      return Number(value);
    case 'BOOLEAN':
      return value === 'true' || value === '1' || value.toUpperCase() === 'TRUE';
    default:
      return value;
  }
}

/**
 * The rows of DuckDB values for a request's bindings: one row for scalar binds, one per element for array binds
 * (the driver's multi-row INSERT). No bindings gives one empty row.
 */
export function bindRows(bindings: Readonly<Record<string, SnowflakeBind>> | undefined): DuckDBValue[][] {
  const binds = Object.entries(bindings ?? {})
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([, bind]) => bind);
  if (binds.length === 0) return [[]];
  const first = binds[0]!.value;
  if (!Array.isArray(first)) return [binds.map((b) => duckValueOf(b.type, b.value as string | null))];
  return first.map((_, row) => binds.map((b) => duckValueOf(b.type, (b.value as ReadonlyArray<string | null>)[row] ?? null)));
}

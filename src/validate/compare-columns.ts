// Compares a contract's declared columns with a built relation's, knowing which Snowflake and DuckDB types are the same.
import type { Engine } from '../project/relation.js';
import { parseSnowflakeType, type TypeFamily } from '../project/snowflake-types.js';

export interface DeclaredColumn {
  readonly name: string;
  /** Snowflake type as the contract writes it; undefined declares the column without checking its type. */
  readonly data_type?: string;
}
export interface ActualColumn {
  readonly name: string;
  /** The type the engine reports (DuckDB's DESCRIBE, or Snowflake's). */
  readonly type: string;
}

export type ColumnMismatch =
  | { readonly kind: 'missing'; readonly column: string; readonly expected?: string }
  | { readonly kind: 'extra'; readonly column: string; readonly actual: string }
  | { readonly kind: 'type'; readonly column: string; readonly expected: string; readonly actual: string };

/**
 * Missing, extra and wrongly typed columns, declared order first, then extras in the relation's order.
 * Names compare case-insensitively, since Snowflake reports them upper-cased.
 */
export function compareColumns(
  declared: readonly DeclaredColumn[],
  actual: readonly ActualColumn[],
  engine: Engine,
): ColumnMismatch[] {
  const byName = new Map(actual.map((c) => [c.name.toLowerCase(), c]));
  const declaredNames = new Set(declared.map((c) => c.name.toLowerCase()));
  const mismatches: ColumnMismatch[] = [];
  for (const col of declared) {
    const found = byName.get(col.name.toLowerCase());
    if (!found) mismatches.push({ kind: 'missing', column: col.name, ...(col.data_type ? { expected: col.data_type } : {}) });
    else if (col.data_type !== undefined && !typesMatch(col.data_type, found.type, engine)) {
      mismatches.push({ kind: 'type', column: col.name, expected: col.data_type, actual: found.type });
    }
  }
  for (const col of actual) {
    if (!declaredNames.has(col.name.toLowerCase())) mismatches.push({ kind: 'extra', column: col.name, actual: col.type });
  }
  return mismatches;
}

/** An "expected vs actual" text table of the mismatches, for a diagnostic's detail. */
export function renderColumnMismatches(mismatches: readonly ColumnMismatch[]): string {
  const rows = mismatches.map((m) => {
    switch (m.kind) {
      case 'missing':
        return [m.column, m.expected ?? '(any type)', '(missing)', 'not in the built relation'];
      case 'extra':
        return [m.column, '(not declared)', m.actual, 'not in the contract'];
      case 'type':
        return [m.column, m.expected, m.actual, 'type differs'];
    }
  });
  const table = [['column', 'expected', 'actual', 'problem'], ...rows];
  const widths = [0, 1, 2].map((i) => Math.max(...table.map((r) => r[i]?.length ?? 0)));
  return table
    .map((r) => r.map((cell, i) => (i < 3 ? cell.padEnd(widths[i] ?? 0) : cell)).join('  '))
    .join('\n');
}

type Family = Exclude<TypeFamily, 'integer'> | 'other';

export interface CanonicalType {
  readonly family: Family;
  /** NUMBER's precision and scale; a character or binary length. Absent when not written. */
  readonly precision?: number;
  readonly scale?: number;
  readonly length?: number;
  /** An integer type whose width is the engine's business (DuckDB's INTEGER, BIGINT, HUGEINT...). */
  readonly anyWidthInteger?: boolean;
  /** For 'other': the normalised name, compared as is. */
  readonly name?: string;
}

// The names DuckDB reports beyond Snowflake's own (DESCRIBE and information_schema spell types this way).
const DUCKDB_FAMILIES: ReadonlyArray<[Family, readonly string[]]> = [
  ['exact', ['DEC']],
  ['string', ['BPCHAR', 'CHARACTER VARYING']],
  ['binary', ['BLOB', 'BYTEA']],
  ['boolean', ['BOOL', 'LOGICAL']],
  ['time', ['TIME WITHOUT TIME ZONE']],
  ['ntz', ['TIMESTAMP WITHOUT TIME ZONE', 'TIMESTAMP_NS', 'TIMESTAMP_MS', 'TIMESTAMP_S', 'TIMESTAMP_US']],
  ['tz', ['TIMESTAMPTZ', 'TIMESTAMP WITH TIME ZONE']],
  ['ltz', ['TIMESTAMP WITH LOCAL TIME ZONE']],
  ['variant', ['JSON']],
  ['object', ['STRUCT', 'MAP']],
  ['array', ['LIST']],
];
const DUCKDB_INTEGERS = [
  'HUGEINT', 'UHUGEINT', 'UBIGINT', 'UINTEGER', 'USMALLINT', 'UTINYINT',
  'INT1', 'INT2', 'INT4', 'INT8', 'INT16', 'INT32', 'INT64', 'INT128', 'LONG', 'SHORT', 'SIGNED',
];

/** Reads a type name like "NUMBER(18,2)", "TIMESTAMP(9) WITH TIME ZONE" or "INTEGER[]". */
export function canonicalType(type: string, engine: Engine): CanonicalType {
  const t = type.trim().toUpperCase().replace(/\s+/g, ' ');
  // Nested DuckDB types are judged by their outer shape; their members are not part of a column contract.
  if (/\[\d*\]$/.test(t) || /^LIST\b/.test(t)) return { family: 'array' };
  if (/^(STRUCT|MAP|UNION)\b/.test(t)) return { family: 'object' };
  const m = /^([A-Z_][A-Z0-9_ ]*)(?:\(([^)]*)\))?\s*(.*)$/.exec(t);
  const base = [m?.[1]?.trim() ?? t, m?.[3] ?? ''].filter(Boolean).join(' ').trim();
  const args = (m?.[2] ?? '').split(',').map((a) => a.trim()).filter((a) => /^\d+$/.test(a)).map(Number);
  const known = parseSnowflakeType(base)?.family;
  if (known === 'integer' || (engine === 'duckdb' && DUCKDB_INTEGERS.includes(base))) {
    return engine === 'duckdb' ? { family: 'exact', scale: 0, anyWidthInteger: true } : { family: 'exact', precision: 38, scale: 0 };
  }
  const duckdb = engine === 'duckdb' ? DUCKDB_FAMILIES.find(([, names]) => names.includes(base))?.[0] : undefined;
  const family: Family = (known as Family | undefined) ?? duckdb ?? 'other';
  if (family === 'exact') return { family, precision: args[0] ?? 38, scale: args[1] ?? 0 };
  if (family === 'string' || family === 'binary') return args[0] === undefined ? { family } : { family, length: args[0] };
  return family === 'other' ? { family, name: t } : { family };
}

/**
 * Whether a declared Snowflake type and a built column's type are the same, for this engine.
 *
 * Snowflake is compared exactly, except that integer aliases are NUMBER(38,0), a length is compared only when both
 * sides give one, and timestamp precision is ignored. On DuckDB, where a model's types are an engine artefact, the
 * check is looser: a scale-0 NUMBER accepts any integer or DECIMAL(p,0), character lengths are ignored,
 * TIMESTAMP_TZ and TIMESTAMP_LTZ are both TIMESTAMP WITH TIME ZONE, FLOAT is any float, and VARIANT/OBJECT/ARRAY
 * accept JSON and the matching nested types.
 */
export function typesMatch(declared: string, actual: string, engine: Engine): boolean {
  const d = canonicalType(declared, 'snowflake');
  const a = canonicalType(actual, engine);
  if (engine === 'duckdb') return duckdbMatch(d, a);
  if (d.family !== a.family) return false;
  switch (d.family) {
    case 'exact':
      return d.precision === a.precision && d.scale === a.scale;
    case 'string':
    case 'binary':
      return d.length === undefined || a.length === undefined || d.length === a.length;
    case 'other':
      return d.name === a.name;
    default:
      return true;
  }
}

function duckdbMatch(d: CanonicalType, a: CanonicalType): boolean {
  const zoned = (f: Family): Family => (f === 'ltz' ? 'tz' : f);
  if (d.family === 'exact' && a.family === 'exact') {
    if (d.scale === 0) return a.scale === 0;
    return !a.anyWidthInteger && d.precision === a.precision && d.scale === a.scale;
  }
  if (d.family === 'variant') return a.family === 'variant' || a.family === 'object' || a.family === 'array';
  if (d.family === 'object' || d.family === 'array') return a.family === d.family || a.family === 'variant';
  if (d.family === 'other' || a.family === 'other') return d.name === a.name;
  return zoned(d.family) === zoned(a.family);
}

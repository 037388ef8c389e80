// DuckDB's JSON rows brought to the one row convention (project/rows.ts): its JSON form already writes DECIMAL,
// dates and timestamps as text; integers that a double holds exactly become numbers, and JSON columns are parsed.
import type { JsonValue, Row } from '../../project/rows.js';

const WIDE_INTEGERS = /^(BIGINT|HUGEINT|UBIGINT|UHUGEINT|DECIMAL\(\d+,0\))$/;

type Convert = (v: unknown) => JsonValue;

/** Each column's conversion from DuckDB's JSON form to the convention; undefined where the JSON form already is. */
export function conventionConverters(types: readonly string[]): Array<Convert | undefined> {
  return types.map((type): Convert | undefined => {
    if (WIDE_INTEGERS.test(type)) return (v) => (typeof v === 'string' && Number.isSafeInteger(Number(v)) ? Number(v) : (v as JsonValue));
    if (type === 'JSON') return (v) => (typeof v === 'string' ? (JSON.parse(v) as JsonValue) : (v as JsonValue));
    return undefined;
  });
}

export function toConventionRows(rows: ReadonlyArray<Record<string, unknown>>, names: readonly string[], types: readonly string[]): Row[] {
  const convert = conventionConverters(names.map((_name, i) => types[i] ?? ''));
  if (convert.every((c) => c === undefined)) return rows as Row[];
  return rows.map((row) => {
    const out: Row = { ...(row as Row) };
    names.forEach((name, i) => {
      const c = convert[i];
      const value = out[name];
      if (c && value !== null && value !== undefined) out[name] = c(value);
    });
    return out;
  });
}

// DuckDB's JSON rows brought to the one row convention (project/rows.ts): its JSON form already writes DECIMAL,
// dates and timestamps as text; integers that a double holds exactly become numbers, and JSON columns are parsed.
import type { JsonValue, Row } from '../../project/rows.js';

const WIDE_INTEGERS = /^(BIGINT|HUGEINT|UBIGINT|UHUGEINT|DECIMAL\(\d+,0\))$/;

export function toConventionRows(rows: ReadonlyArray<Record<string, unknown>>, names: readonly string[], types: readonly string[]): Row[] {
  const convert = names.map((_name, i): ((v: unknown) => JsonValue) | undefined => {
    const type = types[i] ?? '';
    if (WIDE_INTEGERS.test(type)) return (v) => (typeof v === 'string' && Number.isSafeInteger(Number(v)) ? Number(v) : (v as JsonValue));
    if (type === 'JSON') return (v) => (typeof v === 'string' ? (JSON.parse(v) as JsonValue) : (v as JsonValue));
    return undefined;
  });
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

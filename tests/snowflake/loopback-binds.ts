// Array binds (the driver's multi-row INSERT) in bulk: every row goes through DuckDB's appender into the session's
// temp table __sf_binds (columns c1..cN, one per bind position), which the statement's bulk form then reads in one
// INSERT ... SELECT. One DuckDB statement per row costs about 1 ms; this costs about 3 µs.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { SnowflakeBind } from './loopback-rowset.js';

type BindColumn = 'BIGINT' | 'DOUBLE' | 'BOOLEAN' | 'VARCHAR';

const INTEGER = /^-?\d{1,18}$/;

/** Whether the request carries array binds (one value array per position) rather than one value per position. */
export function isArrayBind(bindings: Readonly<Record<string, SnowflakeBind>> | undefined): boolean {
  const first = Object.values(bindings ?? {})[0];
  return first !== undefined && Array.isArray(first.value);
}

/** The DuckDB type a bind position's values are appended as: what the per-row path would bind them as. */
function columnType(bind: SnowflakeBind): BindColumn {
  const values = bind.value as ReadonlyArray<string | null>;
  switch (bind.type) {
    case 'FIXED':
      return values.every((v) => v === null || INTEGER.test(v)) ? 'BIGINT' : 'DOUBLE';
    case 'REAL':
      return 'DOUBLE';
    case 'BOOLEAN':
      return 'BOOLEAN';
    default:
      // TEXT (dates arrive as ISO strings) and VARIANT (JSON text): DuckDB casts on insert, as for a string literal.
      return 'VARCHAR';
  }
}

/** Replaces the session's binds table with these rows; returns how many rows it holds. */
export async function fillBindsTable(connection: DuckDBConnection, bindings: Readonly<Record<string, SnowflakeBind>>): Promise<number> {
  const binds = Object.entries(bindings)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([position, bind]) => ({ position: Number(position), bind, type: columnType(bind), values: bind.value as ReadonlyArray<string | null> }));
  const width = Math.max(...binds.map((b) => b.position));
  // Positions a statement does not use still get a column, so cN is always bind N.
  const columns = Array.from({ length: width }, (_, i) => binds.find((b) => b.position === i + 1));
  await connection.run(`CREATE OR REPLACE TEMP TABLE __sf_binds (${columns.map((b, i) => `c${i + 1} ${b?.type ?? 'VARCHAR'}`).join(', ')})`);
  const rows = binds[0]?.values.length ?? 0;
  const appender = await connection.createAppender('__sf_binds', 'main', 'temp');
  try {
    for (let r = 0; r < rows; r++) {
      for (const column of columns) {
        const value = column?.values[r] ?? null;
        if (value === null || !column) appender.appendNull();
        else if (column.type === 'BIGINT') appender.appendBigInt(BigInt(value));
        else if (column.type === 'DOUBLE') appender.appendDouble(Number(value));
        else if (column.type === 'BOOLEAN') appender.appendBoolean(value === '1' || value.toUpperCase() === 'TRUE');
        else appender.appendVarchar(value);
      }
      appender.endRow();
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
  return rows;
}

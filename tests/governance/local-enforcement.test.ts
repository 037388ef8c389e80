// Governance enforced on the local DuckDB target: a governed model's rows live under a private name and its public
// name is a view that masks and filters for the role in session. charter's own builds and tests read as stored;
// `charter query --role` and anyone else opening the file read through the policies.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/diagnostics/diagnostic.js';
import type { RunResults } from '../../src/pipeline/finish-run.js';
import { query } from '../../src/pipeline/query.js';
import { fixtureCopy } from '../helpers/project.js';
import { buildWithContracts, queryWarehouse } from '../helpers/warehouse.js';

const DB = 'target/tiny.duckdb';
const ORDERS = 'select order_id, customer_id from "tiny"."SILVER"."orders" order by order_id';

/** What a plain DuckDB session (not charter's) reads: no role at all. */
async function asOutsider(dir: string, sql: string): Promise<unknown[]> {
  const instance = await DuckDBInstance.create(path.join(dir, DB));
  try {
    const connection = await instance.connect();
    const rows = (await connection.runAndReadAll(sql)).getRowObjectsJson();
    connection.closeSync();
    return rows;
  } finally {
    instance.closeSync();
  }
}

/** The tiny project built once (`charter build`), its result, and a private copy of the project as built for each test. */
let builtBase: Promise<{ dir: string; built: RunResults }> | undefined;
async function builtTiny(): Promise<{ dir: string; built: RunResults }> {
  builtBase ??= (async () => {
    const dir = fixtureCopy('tiny');
    return { dir, built: await buildWithContracts(dir) };
  })();
  const base = await builtBase;
  const dir = fixtureCopy('tiny');
  cpSync(path.join(base.dir, 'target'), path.join(dir, 'target'), { recursive: true });
  return { dir, built: base.built };
}

describe('local enforcement', () => {
  it('masks customer_id for a role without PII access, shows it to PII_READER, and to no one who opens the file directly', async () => {
    const { dir, built } = await builtTiny();
    expect(built.passed).toBe(true);
    const asRole = async (role: string) => (await query({ projectDir: dir, role, sql: 'SELECT ORDER_ID, CUSTOMER_ID FROM "tiny"."SILVER"."ORDERS" ORDER BY ORDER_ID LIMIT 2' })).rows;
    expect(await asRole('ANALYST')).toEqual([[1, '*****'], [2, '*****']]);
    expect(await asRole('PII_READER')).toEqual([[1, 'c1'], [2, 'c2']]);
    expect(await asOutsider(dir, `${ORDERS} limit 1`)).toEqual([{ order_id: '1', customer_id: '*****' }]);
    // The build's own reads (tests, the downstream customer_totals) saw the values as stored.
    expect(await queryWarehouse(dir, 'select customer_id from "tiny"."PLATINUM".customer_totals order by 1 limit 1', DB)).toEqual([{ customer_id: 'c1' }]);
    expect(await queryWarehouse(dir, "select table_name, table_type from information_schema.tables where table_name like 'orders%' order by 1", DB)).toEqual([
      { table_name: 'orders', table_type: 'VIEW' },
      { table_name: 'orders__charter_physical', table_type: 'BASE TABLE' },
      { table_name: 'orders_landed', table_type: 'VIEW' },
    ]);
  });

  it('a model whose masking is removed is a plain table again, with no private relation left', async () => {
    const { dir } = await builtTiny();
    const contract = path.join(dir, 'contracts/orders.yml');
    writeFileSync(contract, readFileSync(contract, 'utf8').replace('    masking_policy: GOVERNANCE.MASK_PII\n', ''));
    expect((await buildWithContracts(dir)).passed).toBe(true);
    expect(await asOutsider(dir, `${ORDERS} limit 1`)).toEqual([{ order_id: '1', customer_id: 'c1' }]);
    expect(await queryWarehouse(dir, "select table_name, table_type from information_schema.tables where table_name like 'orders%' order by 1", DB)).toEqual([
      { table_name: 'orders', table_type: 'BASE TABLE' },
      { table_name: 'orders_landed', table_type: 'VIEW' },
    ]);
  });

  it('a role that is not defined is refused with a did-you-mean', async () => {
    const dir = fixtureCopy('tiny');
    const err = await query({ projectDir: dir, role: 'ANALYSTS', sql: 'SELECT 1' }).catch((e: unknown) => e);
    expect((err as UserError).diagnostics.map((d) => [d.message, d.hint])).toEqual([['role `ANALYSTS` is not defined', 'did you mean `ANALYST`?']]);
  });
});

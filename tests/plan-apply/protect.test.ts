// plan/apply enforce governance on the DuckDB target as a build does: a model with a masked column is built under
// its physical name, and its public name is the view that masks it for the role in session; an edited policy body
// makes the view again without rebuilding anything.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { apply, plan } from '../../src/pipeline/deploy.js';
import { query } from '../../src/pipeline/query.js';
import { queryWarehouse } from '../helpers/warehouse.js';
import { deployedCopy, deployOutcome } from './deployed.js';

const DB = 'target/tiny.duckdb';

/** The last run's statement log. */
function statements(dir: string): Array<{ purpose: string; node?: string; sql: string }> {
  const results = JSON.parse(readFileSync(path.join(dir, 'target/run_results.json'), 'utf8'));
  const log = readFileSync(path.join(dir, 'target/logs', `statements-${results.metadata.run_id}.jsonl`), 'utf8');
  return log.split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

const customers = async (dir: string, role: string) =>
  (await query({ projectDir: dir, role, sql: 'SELECT ORDER_ID, CUSTOMER_ID FROM "tiny"."SILVER"."ORDERS" ORDER BY ORDER_ID LIMIT 2' })).rows;

describe('plan/apply protect governed models on DuckDB', () => {
  it('applies orders as a masking view over its physical table; an edited policy body re-creates only the view', async () => {
    // The tiny project's first apply (shared with the other deploy tests), on a copy of what it deployed.
    const first = await deployOutcome('tiny');
    const dir = await deployedCopy('tiny');
    expect(first.results.passed).toBe(true);
    const orders = first.plan?.changes.find((c) => c.name === 'orders');
    expect(orders?.build.steps.at(-1)).toMatchObject({ kind: 'protect', physical: { identifier: 'orders__charter_physical' } });
    expect(await customers(dir, 'ANALYST')).toEqual([[1, '*****'], [2, '*****']]);
    expect(await customers(dir, 'PII_READER')).toEqual([[1, 'c1'], [2, 'c2']]);
    expect(await queryWarehouse(dir, "select table_name, table_type from information_schema.tables where table_name like 'orders%' order by 1", DB)).toEqual([
      { table_name: 'orders', table_type: 'VIEW' },
      { table_name: 'orders__charter_physical', table_type: 'BASE TABLE' },
      { table_name: 'orders_landed', table_type: 'VIEW' },
    ]);
    expect((await plan({ projectDir: dir })).plan?.changes).toEqual([]);

    const policies = path.join(dir, 'policies/governance.yml');
    writeFileSync(policies, readFileSync(policies, 'utf8').replace("ELSE '*****'", "ELSE '#####'"));
    const planned = await plan({ projectDir: dir });
    expect(planned.plan?.changes.map((c) => `${c.kind} ${c.name}`)).toEqual(['governance orders']);
    expect(planned.plan?.changes[0]?.sql).toEqual([
      '-- check the columns of "tiny"."SILVER"."orders__charter_physical" against its contract',
      '-- make "tiny"."SILVER"."orders" the view that masks and filters "tiny"."SILVER"."orders__charter_physical" for the role in session, from its columns as built',
    ]);
    const again = await apply({ projectDir: dir });
    expect(again.results.passed).toBe(true);
    const sent = statements(dir);
    expect(sent.filter((s) => /CREATE (OR REPLACE )?TABLE "tiny"\."(SILVER|PLATINUM)"/i.test(s.sql))).toEqual([]);
    expect(sent.some((s) => /CREATE OR REPLACE VIEW "tiny"\."SILVER"\."orders"/.test(s.sql))).toBe(true);
    expect(await customers(dir, 'ANALYST')).toEqual([[1, '#####'], [2, '#####']]);
    expect(await customers(dir, 'PII_READER')).toEqual([[1, 'c1'], [2, 'c2']]);
    expect((await plan({ projectDir: dir })).plan?.changes).toEqual([]);
  });
});

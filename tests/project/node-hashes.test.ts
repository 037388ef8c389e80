// The data hash and the metadata hash tell a change to what a model computes from a change to its governance,
// and neither depends on the target, so the plan/apply stage can compare them across environments.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/pipeline/compile.js';
import type { ModelNode } from '../../src/project/nodes.js';
import { fixtureCopy } from '../helpers/project.js';

async function hashes(dir: string, target?: string): Promise<Record<string, { data: string; metadata: string }>> {
  const { compiled } = await compile({ projectDir: dir, target, format: false });
  return Object.fromEntries(
    [...compiled.nodes.values()].filter((n): n is ModelNode => n.kind === 'model').map((n) => [n.name, { data: n.dataHash, metadata: n.metadataHash }]),
  );
}

function edit(dir: string, file: string, change: (text: string) => string): void {
  const full = path.join(dir, file);
  const before = readFileSync(full, 'utf8');
  const after = change(before);
  expect(after, `the edit of ${file} changes nothing`).not.toBe(before);
  writeFileSync(full, after);
}

describe('node hashes', () => {
  it('are the same on DuckDB and on Snowflake, though the compiled SQL names different relations', async () => {
    const dir = fixtureCopy('shop');
    const dev = await hashes(dir);
    const prod = await hashes(dir, 'prod');
    const { compiled } = await compile({ projectDir: dir, target: 'prod', format: false });
    expect((compiled.nodes.get('model.shop.orders') as ModelNode).compiledSql).toContain('"SHOP"."BRONZE"."ORDERS_LANDED"');
    // `customers` calls adapter.dispatch, which picks a different macro per engine: its SQL really differs.
    expect(prod.customers?.data).not.toBe(dev.customers?.data);
    const { customers: _devCustomers, ...devRest } = dev;
    const { customers: _prodCustomers, ...prodRest } = prod;
    expect(prodRest).toEqual(devRest);
    // Including a model that inlines an ephemeral one, whose CTE name Snowflake would upper-case.
    expect(Object.keys(devRest)).toContain('customer_revenue');
  });

  it('a change to the SQL changes the data hash of that model only, and no metadata hash', async () => {
    const dir = fixtureCopy('shop');
    const before = await hashes(dir);
    edit(dir, 'models/silver/customers.sql', (sql) => sql.replace(/select/i, 'select distinct'));
    const after = await hashes(dir);
    for (const name of Object.keys(before)) {
      expect(after[name]?.data !== before[name]?.data, name).toBe(name === 'customers');
      expect(after[name]?.metadata, name).toBe(before[name]?.metadata);
    }
  });

  it('a change of tags or of the contract changes the metadata hash only', async () => {
    const dir = fixtureCopy('shop');
    const before = await hashes(dir);
    edit(dir, 'contracts/orders.yml', (yaml) => yaml.replace('owners: [data-shop@example.com]', 'owners: [finance@example.com]'));
    edit(dir, 'models/silver/paid_orders.sql', (sql) => `{{ config(tags=['finance']) }}\n${sql}`);
    const after = await hashes(dir);
    for (const name of Object.keys(before)) {
      expect(after[name]?.data, name).toBe(before[name]?.data);
      expect(after[name]?.metadata !== before[name]?.metadata, name).toBe(name === 'orders' || name === 'paid_orders');
    }
  });

  it('a change of materialization changes the data hash', async () => {
    const dir = fixtureCopy('shop');
    const before = await hashes(dir);
    edit(dir, 'models/silver/orders.sql', (sql) => `{{ config(materialized='view') }}\n${sql}`);
    expect((await hashes(dir)).orders?.data).not.toBe(before.orders?.data);
  });
});

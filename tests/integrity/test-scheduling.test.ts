// When a contract test runs: after every model it reads is built in this run, skipped (not failed) when one of
// them was not, and never blocking a model's children because of another model.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureCopy } from '../helpers/project.js';
import { buildWithContracts } from '../helpers/warehouse.js';

function withOrdersContract(dir: string, change: (yaml: string) => string): Record<string, string> {
  const file = 'contracts/orders.yml';
  return { [file]: change(readFileSync(path.join(dir, file), 'utf8')) };
}

describe('test scheduling', () => {
  it('a relationship pointing down the DAG waits for that model, and blocks nothing', async () => {
    const base = fixtureCopy('shop');
    // order_facts is built from orders: a relationship from orders to it points downstream.
    const dir = fixtureCopy('shop', withOrdersContract(base, (y) => y.replace(
      '    constraints: {primary_key: true}',
      '    constraints: {primary_key: true}\n    tests:\n      - relationships: {to: order_facts, field: order_id}',
    )));
    const run = await buildWithContracts(dir);
    const test = run.tests.find((t) => t.kind === 'relationships' && t.column === 'order_id');
    expect(test?.status, JSON.stringify(test?.error)).toBe('pass');
    expect(run.nodes.filter((n) => n.status !== 'success')).toEqual([]);
    expect(run.passed).toBe(true);
  });

  it('a test whose other model failed is skipped, says why, and does not block its own model\'s children', async () => {
    const dir = fixtureCopy('shop', { 'models/silver/customers.sql': "select no_such_column from {{ ref('customers_landed') }}" });
    const run = await buildWithContracts(dir);
    expect(run.nodes.find((n) => n.name === 'customers')?.status).toBe('error');
    // orders' relationship to customers cannot be judged: skipped, naming customers.
    const relationship = run.tests.find((t) => t.kind === 'relationships' && t.modelId === 'model.shop.orders');
    expect(relationship).toMatchObject({ status: 'skipped', skippedBecause: 'model.shop.customers' });
    // orders' other tests ran and passed, so its children still build.
    expect(run.nodes.find((n) => n.name === 'order_facts')?.status).toBe('success');
    expect(run.passed).toBe(false);
  });
});

// --store-failures keeps which rows failed, not the personal data in them.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureCopy } from '../helpers/project.js';
import { buildWithContracts, queryWarehouse } from '../helpers/warehouse.js';

function withFailingRange(): string {
  const dir = fixtureCopy('shop');
  const yaml = readFileSync(path.join(dir, 'contracts/orders.yml'), 'utf8');
  // Every order over 1 USD fails, and a model-level expression stores whole rows: with customer_id, which the
  // contract classifies as pii.
  const planted = yaml.replace('tests:\n  - row_count: {min: 1}', 'tests:\n  - row_count: {min: 1}\n  - expression: {sql: "amount_usd <= 1"}');
  expect(planted).not.toBe(yaml);
  return fixtureCopy('shop', { 'contracts/orders.yml': planted });
}

describe('stored failures', () => {
  it('redact pii and phi columns by default, and say so', async () => {
    const dir = withFailingRange();
    const run = await buildWithContracts(dir, { storeFailures: true });
    const range = run.tests.find((t) => t.kind === 'expression' && t.status === 'fail');
    expect(range?.storedIn).toBeTruthy();
    expect(range?.redacted).toEqual(['customer_id']);
    expect(range?.error?.detail).toContain('values of customer_id redacted by classification');
    const rows = await queryWarehouse(dir, `select order_id, customer_id from ${range?.storedIn}`);
    expect(rows.length).toBeGreaterThan(0);
    expect(new Set(rows.map((r) => r['customer_id']))).toEqual(new Set(['[redacted pii]']));
    expect(rows.every((r) => r['order_id'] !== null)).toBe(true);
  });

  it('keep the values only when the run asks for it explicitly', async () => {
    const dir = withFailingRange();
    const run = await buildWithContracts(dir, { storeFailures: true, unredactedFailures: true });
    const range = run.tests.find((t) => t.kind === 'expression' && t.status === 'fail');
    const rows = await queryWarehouse(dir, `select customer_id from ${range?.storedIn}`);
    expect(rows.map((r) => r['customer_id'])).not.toContain('[redacted pii]');
  });
});

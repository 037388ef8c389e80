// ODCS v3 contracts become charter contracts that load, enforce and test like hand-written ones.
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { importOdcs, OdcsImportError } from '../../src/load/import-odcs.js';
import { parseContract } from '../../src/load/load-contracts.js';
import { charter, fixtureCopy, repoRoot } from '../helpers/project.js';
import { buildWithContracts } from '../helpers/warehouse.js';

const ODCS = readFileSync(path.join(repoRoot, 'tests/fixtures/odcs/orders.odcs.yaml'), 'utf8');

describe('ODCS v3 import', () => {
  it('maps tables, properties, library rules and SLAs, and says what it left out', async () => {
    const { contracts, notes } = importOdcs(ODCS);
    expect(contracts.map((c) => c.file)).toEqual(['shop_orders.yml']);
    const contract = parse(contracts[0]?.yaml ?? '');
    expect(contract).toMatchObject({
      name: 'shop_orders',
      version: '1.1.0',
      status: 'active',
      model: 'orders',
      domain: 'commerce',
      owners: ['data-shop@example.com'],
      retention_policy: { platinum: '5y' },
      quality_slo: { freshness: { column: 'order_date', max_age: '30d' } },
      tests: [{ row_count: { min: 1 } }],
    });
    expect(contract.columns).toEqual([
      { name: 'order_id', data_type: 'NUMBER(38,0)', constraints: { not_null: true, primary_key: true } },
      { name: 'customer_id', data_type: 'VARCHAR', classification: 'confidential', constraints: { not_null: true } },
      { name: 'order_date', data_type: 'DATE' },
      { name: 'amount_usd', data_type: 'NUMBER(18,2)', tests: [{ not_null: {} }] },
      { name: 'is_paid', data_type: 'BOOLEAN', tests: [{ accepted_values: { values: [true, false] } }] },
    ]);
    expect(notes).toEqual([
      'servers: no charter equivalent, not imported',
      'orders.amount_usd: quality rule amount_not_negative has no charter equivalent, not imported',
    ]);
    expect(parseContract('contracts/shop_orders.yml', contracts[0]?.yaml ?? '').diagnostics).toEqual([]);
  });

  it('refuses a document that is not an ODCS v3 contract', async () => {
    expect(() => importOdcs('kind: Something\napiVersion: v2.2.0\n')).toThrow(OdcsImportError);
  });

  it('charter import-odcs writes a contract that governs the build', async () => {
    const dir = fixtureCopy('shop');
    rmSync(path.join(dir, 'contracts', 'orders.yml'));
    const out = (await charter(['import-odcs', path.join(repoRoot, 'tests/fixtures/odcs/orders.odcs.yaml')], dir));
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('wrote contracts/shop_orders.yml');
    expect((await charter(['import-odcs', path.join(repoRoot, 'tests/fixtures/odcs/orders.odcs.yaml')], dir)).code).toBe(1);
    const { nodes, tests, slos } = await buildWithContracts(dir);
    expect(nodes.every((n) => n.status === 'success')).toBe(true);
    expect(tests.filter((t) => t.modelId === 'model.shop.orders').map((t) => [t.kind, t.status])).toEqual([
      ['not_null', 'pass'],
      ['primary_key', 'pass'],
      ['not_null', 'pass'],
      ['not_null', 'pass'],
      ['accepted_values', 'pass'],
      ['row_count', 'pass'],
    ]);
    // ODCS has no as-of time: freshness is measured from now, and the fixture's orders end in 2024.
    expect(slos.map((s) => [s.kind, s.status])).toEqual([['freshness', 'fail']]);
  });
});

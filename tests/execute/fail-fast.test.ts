// --fail-fast: after the first failure nothing new starts; without it, what does not depend on the failure still runs.
import { describe, expect, it } from 'vitest';
import { fixtureCopy } from '../helpers/project.js';
import { buildWithContracts } from '../helpers/warehouse.js';

// customers_landed fails at run time (a column its source does not have); the orders branch does not read it.
const BROKEN = {
  'models/bronze/customers_landed.sql': "-- depends_on: {{ ref('raw_customers') }}\nselect no_such_column from {{ source('legacy', 'customers') }}",
};

describe('--fail-fast', () => {
  it('skips every node not yet started after the first failure, naming it', async () => {
    const results = await buildWithContracts(fixtureCopy('shop', BROKEN), { threads: 1, failFast: true });
    const status = Object.fromEntries(results.nodes.map((n) => [n.name, [n.status, n.skippedBecause ?? null]]));
    expect(status['customers_landed']).toEqual(['error', null]);
    // The orders branch reads nothing that failed: only --fail-fast stops it.
    expect(status['orders_landed']).toEqual(['skipped', '--fail-fast after model.shop.customers_landed']);
    expect(status['orders']).toEqual(['skipped', '--fail-fast after model.shop.customers_landed']);
    expect(results.passed).toBe(false);
  });

  it('is off by default: nodes that do not read the failure still build', async () => {
    const results = await buildWithContracts(fixtureCopy('shop', BROKEN), { threads: 1 });
    const skippedByFailFast = results.nodes.filter((n) => n.skippedBecause?.startsWith('--fail-fast'));
    expect(skippedByFailFast).toEqual([]);
    expect(results.nodes.filter((n) => n.status === 'success').map((n) => n.name)).toEqual(expect.arrayContaining(['orders_landed', 'orders']));
  });
});

// `charter lineage` as a user runs it, on the lab project (tests/lineage/lineage-lab.ts).
import { describe, expect, it } from 'vitest';
import { charter } from '../helpers/project.js';
import { labProject } from './lineage-lab.js';

describe('charter lineage', () => {
  const dir = labProject();

  it('prints a column\'s upstream columns and its root columns, with how', async () => {
    const out = await charter(['lineage', 'cte_join.amount_cents'], dir);
    expect(out.code).toBe(0);
    const lines = out.stdout.split('\n').map((l) => l.replace(/\s+/g, ' ').trim());
    expect(lines.slice(0, 3)).toEqual([
      'cte_join.amount_cents',
      'upstream paid_orders.amount expression',
      'roots orders.amount expression (seed)',
    ]);
  });

  it('prints every column of a model, and what it cannot trace', async () => {
    const out = await charter(['lineage', 'opaque'], dir);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('opaque.row_hash  (incomplete)');
    expect(out.stdout).toMatch(/unknown\s+column nope is not a column of model\.lab\.stg_customers/);
    expect(out.stdout).toMatch(/opaque\.customer_id\n\s+upstream\s+stg_customers\.customer_id\s+direct/);
  });

  it('writes one JSON object with --json', async () => {
    const out = await charter(['lineage', 'customer_totals.total_amount', '--json'], dir);
    expect(out.code).toBe(0);
    const report = JSON.parse(out.stdout);
    expect(report).toMatchObject({
      model: 'model.lab.customer_totals',
      columns: [
        {
          column: 'total_amount',
          status: 'traced',
          upstream: [{ node: 'seed.lab.orders', column: 'amount', how: 'aggregate' }],
          roots: [{ node: 'seed.lab.orders', column: 'amount', how: 'aggregate' }],
        },
      ],
    });
  });

  it('names what it does not know, with a hint', async () => {
    const misspelt = await charter(['lineage', 'cte_jion'], dir);
    expect(misspelt.code).toBe(1);
    expect(misspelt.stderr).toContain('`cte_jion` is not a model');
    expect(misspelt.stderr).toContain('did you mean `cte_join`?');
    const column = await charter(['lineage', 'cte_join.contact_emial'], dir);
    expect(column.code).toBe(1);
    expect(column.stderr).toContain('did you mean `contact_email`?');
    const seed = await charter(['lineage', 'orders'], dir);
    expect(seed.stderr).toContain('`orders` is a seed: lineage starts there');
  });
});

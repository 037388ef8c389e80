// `charter show`: dbt's command for a look at a model's rows (--select) or a query's (--inline), over charter query;
// and `charter compile --select`, which prints the selected models' SQL as dbt's does.
import { beforeAll, describe, expect, it } from 'vitest';
import { charter, fixtureCopy } from '../helpers/project.js';
import { buildWithContracts } from '../helpers/warehouse.js';

let dir: string;

beforeAll(async () => {
  dir = fixtureCopy('tiny');
  await buildWithContracts(dir);
}, 60_000);

describe('charter show', () => {
  it("--select a model: its first rows, masked unless the role may see them", async () => {
    const masked = await charter(['show', '--select', 'orders', '--limit', '2'], dir);
    expect(masked.code).toBe(0);
    expect(masked.stdout.split('\n')[0]).toMatch(/^order_id\s+customer_id\s+amount_usd$/);
    expect(masked.stdout).toContain('*****');
    expect(masked.stdout).toContain('(2 rows, as no role)');
    const clear = await charter(['show', '-s', 'orders', '--role', 'PII_READER', '-o', 'json'], dir);
    const rows = clear.stdout.trim().split('\n').map((l) => JSON.parse(l) as { customer_id: string });
    expect(rows).toHaveLength(4);
    expect(rows.map((r) => r.customer_id)).toContain('c1');
  });

  it('--inline a query, limited', async () => {
    const out = await charter(['show', '--inline', 'select 1 as one union all select 2 union all select 3;', '--limit', '2', '-o', 'json'], dir);
    expect(out.code).toBe(0);
    expect(out.stdout.trim().split('\n')).toHaveLength(2);
  });

  it('refuses a selection of more or less than one node, and both forms at once', async () => {
    const many = await charter(['show', '--select', 'tag:nothing_here'], dir);
    expect(many.code).toBe(1);
    const both = await charter(['show', '--select', 'orders', '--inline', 'select 1'], dir);
    expect(both.stdout + both.stderr).toContain('give --select or --inline, not both');
    const two = await charter(['show', '--select', 'orders+'], dir);
    expect(two.stdout + two.stderr).toMatch(/chose [2-9] nodes \(.*\); show takes one/);
  });
});

describe('charter compile --select', () => {
  it("prints the selected models' compiled SQL, each under its name, and still writes every model", async () => {
    const out = await charter(['compile', '--select', 'orders+1', '-q'], dir);
    expect(out.code).toBe(0);
    const printed = [...out.stdout.matchAll(/^-- (\w+) \((models\/[\w/]+\.sql)\)$/gm)].map((m) => [m[1], m[2]]);
    expect(printed).toEqual([['orders', 'models/silver/orders.sql'], ['big_orders', 'models/platinum/big_orders.sql'], ['customer_totals', 'models/platinum/customer_totals.sql']]);
    expect(out.stdout).toMatch(/from\s+"tiny"\."BRONZE"\."orders_landed"/i);
    const typo = await charter(['compile', '--select', 'ordres'], dir);
    expect(typo.code).toBe(1);
    expect(typo.stdout + typo.stderr).toContain('did you mean `orders`?');
  });
});

// A semantic view queried locally as Snowflake's SEMANTIC_VIEW() clause answers it: each metric aggregated over its
// own table at the requested dimensions' grain, joined only many-to-one, so no row counts twice. Expected figures
// are worked out by hand from tests/fixtures/tiny/seeds/raw_orders.csv: orders 1 (c1, 120.50), 2 (c2, 75.00),
// 3 (c1, 42.25), 4 (c3, 310.00); customer totals c1 162.75, c2 75.00, c3 310.00, so tier big = c1, c3.
import { beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/diagnostics/diagnostic.js';
import { ask as askQuestion } from '../../src/pipeline/ask.js';
import { semanticQuery } from '../../src/pipeline/semantic-query.js';
import { charter, fixtureCopy } from '../helpers/project.js';
import { buildWithContracts } from '../helpers/warehouse.js';

const VIEW = `name: orders_view
description: orders and the customers who placed them
tables:
  - name: orders
    model: orders
    primary_key: [order_id]
    dimensions:
      - {name: order_size, expr: "CASE WHEN amount_usd >= 100 THEN 'large' ELSE 'small' END"}
    metrics:
      - {name: total_amount, expr: SUM(amount_usd), synonyms: [order value, revenue]}
      - {name: order_count, expr: COUNT(order_id), synonyms: [number of orders, how many orders]}
  - name: customers
    model: customer_totals
    primary_key: [customer_id]
    dimensions:
      - {name: tier, expr: "CASE WHEN total_usd > 150 THEN 'big' ELSE 'small' END", sample_values: [big, small]}
    metrics:
      - {name: customer_count, expr: COUNT(customer_id)}
relationships:
  - {name: orders_to_customers, from: orders, columns: [customer_id], to: customers}
metrics:
  - {name: average_order, expr: total_amount / order_count}
`;

let dir: string;
beforeAll(async () => {
  dir = fixtureCopy('tiny', { 'semantic_views/orders_view.yml': VIEW });
  expect((await buildWithContracts(dir)).passed).toBe(true);
});

// PII_READER reads customer_id in clear, as the join needs; without a role it is masked, and so joins nothing.
const ask = (request: { metrics: string[]; dimensions: string[]; where?: string; orderBy?: string[] }) =>
  semanticQuery({ projectDir: dir, view: 'orders_view', role: 'PII_READER', ...request });
const num = (rows: ReadonlyArray<ReadonlyArray<unknown>>) => rows.map((r) => r.map((v) => (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v)));

describe('a semantic view queried locally', () => {
  it('aggregates each metric over its own table: a customer is counted once however many orders it has', async () => {
    const byTier = await ask({ metrics: ['total_amount', 'order_count', 'customer_count'], dimensions: ['tier'] });
    expect(byTier.columns.map((c) => c.name)).toEqual(['tier', 'total_amount', 'order_count', 'customer_count']);
    // A naive join of orders to customers would count c1 twice in the big tier: 3, not 2.
    expect(num(byTier.rows)).toEqual([['big', 472.75, 3, 2], ['small', 75, 1, 1]]);
  });

  it("keeps a metric's total when cut by a dimension of a many-to-one related table, and computes derived metrics over the groups", async () => {
    const total = await ask({ metrics: ['total_amount', 'average_order'], dimensions: [] });
    expect(num(total.rows)).toEqual([[547.75, 136.9375]]);
    const bySizeAndTier = await ask({ metrics: ['total_amount'], dimensions: ['order_size', 'customers.tier'] });
    // No large order was a small-tier customer's: that group does not exist, as in GROUP BY.
    expect(num(bySizeAndTier.rows)).toEqual([['large', 'big', 430.5], ['small', 'big', 42.25], ['small', 'small', 75]]);
    expect(num(bySizeAndTier.rows).reduce((s, r) => s + Number(r[2]), 0)).toBe(547.75);
  });

  it('filters on requested dimensions and orders the result', async () => {
    const big = await ask({ metrics: ['order_count'], dimensions: ['tier', 'order_size'], where: "tier = 'big'", orderBy: ['order_count DESC'] });
    expect(num(big.rows)).toEqual([['big', 'large', 2], ['big', 'small', 1]]);
  });

  it('refuses what SEMANTIC_VIEW refuses: a dimension its metric cannot reach many-to-one, unknown names with a did-you-mean', async () => {
    const refused = async (request: Parameters<typeof ask>[0]) => {
      const err = await ask(request).then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(UserError);
      return (err as UserError).diagnostics.map((d) => `${d.message}${d.hint ? ` (${d.hint})` : ''}`);
    };
    expect(await refused({ metrics: ['customer_count'], dimensions: ['order_size'] })).toEqual([
      'metric customer_count (of customers) cannot be cut by order_size (of orders): no many-to-one path from customers to orders',
    ]);
    expect(await refused({ metrics: ['total_amout'], dimensions: ['teir'] })).toEqual([
      '`teir` is not a dimension of orders_view: did you mean `tier`?',
      '`total_amout` is not a metric of orders_view: did you mean `total_amount`?',
    ]);
  });

  it('through the CLI, prints the table and the SQL it ran', async () => {
    const out = await charter(['query', '--semantic-view', 'orders_view', '--metrics', 'total_amount,customer_count', '--dimensions', 'tier', '--role', 'PII_READER'], dir);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^tier\s+total_amount\s+customer_count\n/);
    expect(out.stdout).toMatch(/\nbig\s+472\.75\s+2\n/);
    expect(out.stdout).toContain('-- the SQL it ran');
    expect(out.stdout).toContain('GROUP BY');
  });

  it('charter ask through the CLI: an answer exits 0 with its SQL; a declined question exits 1 and prints no figure', async () => {
    const answered = await charter(['ask', 'What was our total revenue?', '--role', 'PII_READER'], dir);
    expect([answered.code, answered.stdout.split('\n')[0]]).toEqual([0, 'Total amount: $547.75.']);
    expect(answered.stdout).toContain('-- semantic view orders_view: metrics total_amount');
    const declined = await charter(['ask', "What's the weather tomorrow?"], dir);
    expect(declined.code).toBe(1);
    expect(declined.stdout).not.toMatch(/\d/);
  });
});

describe('charter ask, offline', () => {
  const answer = (question: string) => askQuestion({ projectDir: dir, question, role: 'PII_READER' });

  it('maps a question to a metric, a grouping and a sample-value filter, and answers with the figure and the SQL', async () => {
    const total = await answer('What was our total revenue?');
    expect(total).toMatchObject({ answered: true, sentence: 'Total amount: $547.75.' });
    const big = await answer('How many orders did big customers place?');
    expect(big).toMatchObject({ answered: true, sentence: 'Order count for tier big: 3.' });
    expect(big.answered && 'mapping' in big && big.mapping.request).toEqual({ metrics: ['order_count'], dimensions: ['tier'], where: "tier = 'big'" });
    const byTier = await answer('Show order value by tier');
    expect(byTier.answered && num(byTier.rows)).toEqual([['big', 472.75], ['small', 75]]);
    expect(byTier.answered && byTier.sql).toContain('GROUP BY');
  });

  it('declines what it cannot map, without a number, naming what comes closest', async () => {
    const weather = await answer("What's the weather tomorrow?");
    expect(weather).toMatchObject({ answered: false });
    expect(weather.sentence).not.toMatch(/\d/);
    const near = await answer('What is the average customer age?');
    expect(near.answered).toBe(false);
    expect(!near.answered && 'closest' in near && near.closest.join(' ')).toMatch(/customer_count/);
  });
});

// `charter show` (dbt's name for a look at a model's rows, over charter query) and `charter compile --select`, on the
// same built project.
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
    const json = await charter(['compile', '--select', 'orders', '--log-format', 'json'], dir);
    const compiled = json.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; node?: string; sql?: string }).filter((e) => e.type === 'compiled');
    expect(compiled.map((e) => e.node)).toEqual(['model.tiny.orders']);
    expect(compiled[0]?.sql).toMatch(/orders_landed/);
    const typo = await charter(['compile', '--select', 'ordres'], dir);
    expect(typo.code).toBe(1);
    expect(typo.stdout + typo.stderr).toContain('did you mean `orders`?');
  });
});

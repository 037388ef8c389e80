// Contracts at build time, on a real DuckDB file: enforcement before the swap, tests after each model.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { charter, fixtureCopy, writeFiles } from '../helpers/project.js';
import { buildWithContracts, queryWarehouse, statusOf } from '../helpers/warehouse.js';

const CLEAN_ORDERS = 'order_id,customer_id,order_date,amount_usd,status\n1,c1,2024-11-02,120.50,paid\n2,c2,2024-11-15,75.00,paid\n3,c1,2024-12-01,42.25,refunded\n4,c3,2024-12-20,310.00,paid\n';

describe('contract tests in a build', () => {
  it('pass on clean data', async () => {
    const { nodes, tests, slos } = await buildWithContracts(fixtureCopy('shop'));
    expect(nodes.every((n) => n.status === 'success')).toBe(true);
    expect(tests.map((t) => [t.kind, t.status])).toEqual([
      ['primary_key', 'pass'],
      ['not_null', 'pass'],
      ['relationships', 'pass'],
      ['range', 'pass'],
      ['row_count', 'pass'],
    ]);
    expect(slos.map((s) => [s.kind, s.status]).sort()).toEqual([
      ['completeness', 'pass'],
      ['drift', 'pass'],
      ['freshness', 'pass'],
      ['volume', 'pass'],
    ]);
  });

  it('each test type catches its planted violation, and a failing error test skips the children', async () => {
    const dir = fixtureCopy('shop', {
      // order 2 twice (primary key), a null customer (not_null), customer c9 unknown (relationships), a negative amount (range)
      'seeds/raw_orders.csv': `${CLEAN_ORDERS}2,c2,2024-11-16,5.00,paid\n5,,2024-12-02,1.00,paid\n6,c9,2024-12-03,1.00,paid\n7,c1,2024-12-04,-3.00,paid\n`,
    });
    const { nodes, tests } = await buildWithContracts(dir);
    const failed = Object.fromEntries(tests.map((t) => [t.kind, [t.status, t.failures]]));
    expect(failed).toEqual({
      primary_key: ['fail', 1],
      not_null: ['fail', 1],
      relationships: ['fail', 1],
      range: ['fail', 1],
      row_count: ['pass', 0],
    });
    const status = statusOf(nodes);
    expect(status['orders']).toBe('success');
    expect(status['customer_revenue']).toBe('skipped');
    expect(nodes.find((n) => n.name === 'order_facts')?.skippedBecause).toMatch(/^test\.shop\.orders\./);
  });

  it('freshness fails when the newest row is older than the SLO allows', async () => {
    const dir = fixtureCopy('shop', { 'seeds/raw_orders.csv': 'order_id,customer_id,order_date,amount_usd,status\n1,c1,2024-10-02,1.00,paid\n' });
    const { slos } = await buildWithContracts(dir, { select: ['+orders'] });
    // 2024-10-02 to the as-of date 2024-12-31 is 90 days = 2,160 hours, beyond the 30 days allowed.
    expect(slos.find((s) => s.kind === 'freshness')).toMatchObject({ status: 'fail', measured: 2160, unit: 'hours', threshold: '<= 30d as of 2024-12-31' });
  });

  it('--store-failures keeps the failing rows in the OPS schema', async () => {
    const dir = fixtureCopy('shop', { 'seeds/raw_orders.csv': `${CLEAN_ORDERS}8,c1,2024-12-05,-9.99,paid\n` });
    const { tests } = await buildWithContracts(dir, { storeFailures: true });
    const range = tests.find((t) => t.kind === 'range');
    expect(range?.storedIn).toMatch(/^"shop"\."OPS"\."failures__orders__amount_usd__range__[0-9a-f]{8}"$/);
    expect(await queryWarehouse(dir, `select amount_usd from ${range?.storedIn}`)).toEqual([{ amount_usd: '-9.99' }]);
  });
});

describe('contract enforcement', () => {
  it('a model whose columns break its contract fails before the swap, with an expected-vs-actual table', async () => {
    const dir = fixtureCopy('shop');
    await buildWithContracts(dir);
    const before = await queryWarehouse(dir, 'select * from "SILVER".orders order by order_id');
    // The model now casts amount_usd to a float and drops is_paid: two breaches.
    writeFiles(dir, {
      'models/silver/orders.sql': "select order_id, customer_id, order_date, cast(amount_usd as double) as amount_usd from {{ ref('orders_landed') }}",
    });
    const { nodes } = await buildWithContracts(dir, { select: ['orders+'] });
    const orders = nodes.find((n) => n.name === 'orders');
    expect(orders?.status).toBe('error');
    expect(orders?.error).toMatchObject({ code: 'contract.columns_mismatch', location: { file: 'contracts/orders.yml' } });
    expect(orders?.error?.detail).toMatch(/amount_usd\s+NUMBER\(18,2\)\s+DOUBLE/);
    expect(orders?.error?.detail).toMatch(/is_paid\s+BOOLEAN\s+\(missing\)/);
    expect(statusOf(nodes)['customer_revenue']).toBe('skipped');
    expect(await queryWarehouse(dir, 'select * from "SILVER".orders order by order_id')).toEqual(before);
  });

  it('knows DuckDB spellings of Snowflake types (DECIMAL for NUMBER, TIMESTAMP for TIMESTAMP_NTZ)', async () => {
    const dir = fixtureCopy('shop', {
      'models/silver/orders.sql':
        "select order_id, customer_id, order_date, amount_usd, status = 'paid' as is_paid, cast(order_date as timestamp) as loaded_at from {{ ref('orders_landed') }}",
      'contracts/orders.yml': readFileSync(path.join(fixtureCopy('shop'), 'contracts/orders.yml'), 'utf8').replace(
        '  - name: is_paid\n    data_type: BOOLEAN\n',
        '  - name: is_paid\n    data_type: BOOLEAN\n  - name: loaded_at\n    data_type: TIMESTAMP_NTZ\n',
      ),
    });
    const { nodes } = await buildWithContracts(dir, { select: ['+orders'] });
    expect(statusOf(nodes)['orders']).toBe('success');
  });
});

describe('charter test', () => {
  it('runs with selection and writes valid JUnit XML', async () => {
    const dir = fixtureCopy('shop', { 'seeds/raw_orders.csv': `${CLEAN_ORDERS}9,c1,2024-12-06,-1.00,paid\n` });
    expect((await charter(['seed'], dir)).code).toBe(0);
    expect((await charter(['run'], dir)).code).toBe(0);
    const out = (await charter(['test', '--select', 'layer:silver', '--junit', 'target/junit.xml'], dir));
    expect(out.code).toBe(1);
    expect(out.stdout).toMatch(/FAIL +range_orders_amount_usd +1 failing/);
    expect(out.stdout).toContain('contracts/orders.yml:');
    const xml = readFileSync(path.join(dir, 'target', 'junit.xml'), 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).toMatch(/<testsuites name="shop test" tests="9" failures="1" errors="0"/);
    expect(xml).toContain('<failure message="range_orders_amount_usd: 1 failing row');
    const results = JSON.parse(readFileSync(path.join(dir, 'target', 'run_results.json'), 'utf8'));
    expect(results.summary.tests).toEqual({ pass: 4, warn: 0, fail: 1, error: 0, skipped: 0 });
    expect(results.slos.map((s: { kind: string; status: string }) => `${s.kind}:${s.status}`).sort()).toEqual([
      'completeness:pass', 'drift:pass', 'freshness:pass', 'volume:pass',
    ]);
  });
});

describe('SLOs', () => {
  it('record a drift baseline on the first build and measure PSI against it later', async () => {
    const dir = fixtureCopy('shop');
    const first = await buildWithContracts(dir);
    const baseline = first.slos.find((s) => s.kind === 'drift');
    expect(baseline).toMatchObject({ status: 'pass', measured: 0, unit: 'PSI' });
    expect(baseline?.detail).toMatch(/^baseline recorded from 4 rows/);
    // Unchanged data: PSI 0 against the stored baseline.
    const again = await buildWithContracts(dir);
    expect(again.slos.find((s) => s.kind === 'drift')).toMatchObject({ status: 'pass', measured: 0 });
    // Every amount now lands in the top bin: a large shift.
    writeFiles(dir, {
      'seeds/raw_orders.csv': 'order_id,customer_id,order_date,amount_usd,status\n1,c1,2024-12-02,900.00,paid\n2,c2,2024-12-15,950.00,paid\n3,c1,2024-12-21,990.00,paid\n4,c3,2024-12-20,999.00,paid\n',
    });
    const shifted = await buildWithContracts(dir);
    const drift = shifted.slos.find((s) => s.kind === 'drift');
    expect(drift?.status).toBe('fail');
    // Binned in SQL, the PSI equals the JS reference computed from the raw values.
    const { numericBins, numericProportions, psi } = await import('../../src/execute/drift.js');
    const binning = numericBins([120.5, 75, 42.25, 310], 10);
    const expected = psi(numericProportions([120.5, 75, 42.25, 310], binning), numericProportions([900, 950, 990, 999], binning));
    expect(drift?.measured).toBeCloseTo(expected, 5);
    expect(drift?.measured).toBeGreaterThan(0.25);
    expect(await queryWarehouse(dir, 'select count(*)::int as n from "OPS".charter_baselines')).toEqual([{ n: 1 }]);
  });

  it('completeness reports the measured null rate', async () => {
    const dir = fixtureCopy('shop', { 'seeds/raw_orders.csv': `${CLEAN_ORDERS}5,,2024-12-02,1.00,paid\n` });
    const { slos } = await buildWithContracts(dir);
    expect(slos.find((s) => s.kind === 'completeness')).toMatchObject({ status: 'fail', measured: 0.2, unit: 'null rate' });
  });

  it('charter baseline re-records the baseline, so a shift becomes the new normal', async () => {
    const dir = fixtureCopy('shop');
    expect((await charter(['build'], dir)).code).toBe(0);
    writeFiles(dir, {
      'seeds/raw_orders.csv': 'order_id,customer_id,order_date,amount_usd,status\n1,c1,2024-12-02,900.00,paid\n2,c2,2024-12-15,950.00,paid\n3,c1,2024-12-21,990.00,paid\n4,c3,2024-12-20,999.00,paid\n',
    });
    const drifted = (await charter(['build'], dir));
    expect(drifted.code).toBe(1);
    expect(drifted.stdout).toMatch(/SLO X +drift amount_usd .* FAIL/);
    const baseline = (await charter(['baseline', '--select', 'orders'], dir));
    expect(baseline.code).toBe(0);
    expect(baseline.stdout).toContain('recorded 1 drift baselines');
    expect((await charter(['test', '--select', 'orders'], dir)).code).toBe(0);
  });
});

describe('singular tests', () => {
  it('a query under tests/ with ref() runs after the last model it reads; its rows are failures', async () => {
    const dir = fixtureCopy('shop', {
      'tests/no_revenue_without_orders.sql':
        "-- every customer with revenue has paid orders\nselect r.customer_id from {{ ref('customer_revenue') }} r\nleft join {{ ref('orders') }} o on o.customer_id = r.customer_id and o.is_paid\nwhere r.revenue_usd > 0 and o.order_id is null",
      'tests/no_big_refunds.sql': "select * from {{ ref('orders') }} where not is_paid and amount_usd > {{ var('refund_limit', 40) }}",
    });
    // Order 3 is a 42.25 refund: over the default limit of 40, so the test fails and blocks what reads orders.
    const failing = await buildWithContracts(dir);
    expect(failing.tests.filter((t) => t.kind === 'singular').map((t) => [t.name, t.modelId, t.status, t.failures])).toEqual([
      ['no_big_refunds', 'model.shop.orders', 'fail', 1],
    ]);
    expect(failing.nodes.find((n) => n.name === 'customer_revenue')?.skippedBecause).toBe('test.shop.no_big_refunds');
    const passing = await buildWithContracts(dir, { vars: { refund_limit: 50 } });
    expect(passing.tests.filter((t) => t.kind === 'singular').map((t) => [t.name, t.modelId, t.status])).toEqual([
      ['no_big_refunds', 'model.shop.orders', 'pass'],
      ['no_revenue_without_orders', 'model.shop.customer_revenue', 'pass'],
    ]);
  });

  it('an unknown ref in a singular test is a located error', async () => {
    const { compileErrors } = await import('../helpers/project.js');
    const errors = await compileErrors(fixtureCopy('shop', { 'tests/broken.sql': "select 1\nfrom {{ ref('order') }}" }));
    expect(errors[0]).toMatchObject({ code: 'ref.unknown', location: { file: 'tests/broken.sql', line: 2 } });
  });
});

describe('volume change between runs', () => {
  it('compares the row count with the last run\'s when max_change_pct is set', async () => {
    const contract = readFileSync(path.join(fixtureCopy('shop'), 'contracts/orders.yml'), 'utf8').replace('volume: {min: 1, max: 1000}', 'volume: {max_change_pct: 30}');
    const dir = fixtureCopy('shop', { 'contracts/orders.yml': contract });
    const first = await buildWithContracts(dir, { select: ['+orders'] });
    expect(first.slos.find((s) => s.kind === 'volume')).toMatchObject({ status: 'pass', measured: 4, detail: 'first run: no previous count to compare with' });
    writeFiles(dir, { 'seeds/raw_orders.csv': `${CLEAN_ORDERS}5,c2,2024-12-28,10.00,paid\n6,c2,2024-12-29,10.00,paid\n` });
    const grown = await buildWithContracts(dir, { select: ['+orders'] });
    // 4 -> 6 rows is a 50 % change, over the 30 % allowed.
    expect(grown.slos.find((s) => s.kind === 'volume')).toMatchObject({ status: 'fail', measured: 6, threshold: 'within 30% of the last run' });
    expect(grown.slos.find((s) => s.kind === 'volume')?.detail).toContain('50% change');
  });
});

describe('templated contract SQL', () => {
  it('resolves ref(), var() and this in expression tests and as_of, and waits for the model it refs', async () => {
    const base = readFileSync(path.join(fixtureCopy('shop'), 'contracts/orders.yml'), 'utf8')
      .replace('as_of: "2024-12-31"', `as_of: "{{ var('as_of_date') }}"`)
      .replace(
        'tests:\n  - row_count: {min: 1}',
        `tests:\n  - row_count: {min: 1}\n  - expression: {sql: "order_date <= '{{ var('as_of_date') }}' and customer_id in (select customer_id from {{ ref('customers') }})"}`,
      );
    const dir = fixtureCopy('shop', { 'contracts/orders.yml': base });
    const { tests, slos } = await buildWithContracts(dir, { threads: 4 });
    const expression = tests.find((t) => t.kind === 'expression');
    expect(expression?.status).toBe('pass');
    expect(slos.find((s) => s.kind === 'freshness')?.threshold).toBe('<= 30d as of 2024-12-31');
    const { compile } = await import('../../src/pipeline/compile.js');
    const session = await compile({ projectDir: dir });
    const test = session.dataTests.find((t) => t.kind === 'expression');
    expect(test?.sql).toContain(`order_date <= '2024-12-31' and customer_id in (select customer_id from "shop"."SILVER"."customers")`);
    expect(test?.dependsOn).toContain('model.shop.customers');
  });

  it('an unknown ref in contract SQL is a located error with a suggestion', async () => {
    const base = readFileSync(path.join(fixtureCopy('shop'), 'contracts/orders.yml'), 'utf8').replace(
      'tests:\n  - row_count: {min: 1}',
      `tests:\n  - row_count: {min: 1}\n  - expression: {sql: "customer_id in (select customer_id from {{ ref('customer') }})"}`,
    );
    const dir = fixtureCopy('shop', { 'contracts/orders.yml': base });
    const out = (await charter(['compile'], dir));
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/contracts\/orders\.yml:\d+:\d+ error\[ref\.unknown\]: ref\('customer'\) in a contract names no model or seed/);
    expect(out.stderr).toContain('did you mean `customers`');
  });
});

// A project written the dbt way builds after only `charter import-dbt`: its property-file tests run, and its marts
// hold the rows worked out by hand.
import { describe, expect, it } from 'vitest';
import { charter, fixtureCopy } from '../helpers/project.js';
import { buildWithContracts, queryWarehouse, statusOf } from '../helpers/warehouse.js';

const DB = 'target/dbt_shop.duckdb';

async function imported(files: Record<string, string> = {}): Promise<string> {
  const dir = fixtureCopy('dbt-shop', files);
  const r = await charter(['import-dbt', dir], dir);
  expect(r.code, r.stderr).toBe(0);
  return dir;
}

describe('a dbt project, imported and built', () => {
  it('builds, runs every supported test, warns about the rest at file:line, and its marts equal the expected rows', async () => {
    const dir = await imported();
    const r = await charter(['build'], dir);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const out = r.stdout + r.stderr;
    expect(out).toMatch(/tests: 19 pass, 0 warn, 0 fail/);
    expect(out).toMatch(/models\/staging\/schema\.yml:6:5 warning\[dbt\.unsupported\]: `meta` on model `stg_customers`/);
    expect(out).toMatch(/models\/staging\/schema\.yml:13:5 warning\[dbt\.unsupported\]: `docs` on model `stg_orders`/);
    expect(out).toMatch(/models\/staging\/schema\.yml:20:9 warning\[dbt\.unsupported\]: `quote` on column `status`/);
    expect(out).toMatch(/models\/staging\/schema\.yml:49:13 warning\[dbt\.unsupported\]: test `dbt_expectations\.expect_column_values_to_not_be_null`/);
    // A property file documents and tests: no governance gap is claimed for its columns.
    expect(out).toMatch(/governance coverage: 0\/0 contract columns classified/);

    const customers = await queryWarehouse(dir, 'select cast(customer_id as int) as customer_id, first_name, cast(number_of_orders as int) as number_of_orders, cast(lifetime_value as double) as lifetime_value from marts.customers order by 1', DB);
    expect(customers).toEqual([
      { customer_id: 1, first_name: 'Michael', number_of_orders: 2, lifetime_value: 16 },
      { customer_id: 2, first_name: 'Shawn', number_of_orders: 1, lifetime_value: 25 },
      { customer_id: 3, first_name: 'Kathleen', number_of_orders: 2, lifetime_value: 37 },
      { customer_id: 4, first_name: 'Jimmy', number_of_orders: 0, lifetime_value: 0 },
    ]);
    const orders = await queryWarehouse(dir, 'select cast(order_id as int) as order_id, status, cast(amount as double) as amount from marts.orders order by 1', DB);
    expect(orders).toEqual([
      { order_id: 1, status: 'returned', amount: 10 },
      { order_id: 2, status: 'completed', amount: 20 },
      { order_id: 3, status: 'completed', amount: 6 },
      { order_id: 4, status: 'placed', amount: 25 },
      { order_id: 5, status: 'shipped', amount: 17 },
    ]);
  });

  it('planted violations fail the right tests, with severity, where and error_if/warn_if as dbt applies them', async () => {
    const dir = await imported({
      // order 3 twice (unique), status `lost` (accepted_values, an error in staging and a warning in the mart),
      // customer 9 unknown (relationships to stg_customers and to customers), one payment by bitcoin (warn_if, not
      // error_if), one bitcoin payment of 0 (outside the test's where), a null amount (not_null with severity warn).
      'seeds/raw_orders.csv': 'id,user_id,order_date,status\n1,1,2018-01-01,returned\n2,3,2018-01-02,completed\n3,1,2018-01-04,completed\n3,1,2018-01-04,completed\n4,2,2018-01-05,lost\n5,9,2018-01-05,shipped\n',
      'seeds/raw_payments.csv': 'id,order_id,payment_method,amount\n1,1,credit_card,1000\n2,2,bitcoin,2000\n3,3,bitcoin,0\n4,4,credit_card,\n',
    });
    const { nodes, tests } = await buildWithContracts(dir);
    const outcome = Object.fromEntries(tests.map((t) => [t.name, [t.status, t.failures]]));
    expect(outcome).toMatchObject({
      unique_stg_orders_order_id: ['fail', 1],
      accepted_values_stg_orders_status: ['fail', 1],
      relationships_stg_orders_customer_id: ['fail', 1],
      accepted_values_stg_payments_payment_method: ['warn', 1],
      not_null_stg_payments_amount: ['warn', 1],
      unique_stg_payments_payment_id: ['pass', 0],
    });
    // A failing error test in staging skips what is built on it, as in dbt.
    expect(statusOf(nodes)['stg_orders']).toBe('success');
    expect(statusOf(nodes)['orders']).toBe('skipped');
  });

  it("contract: {enforced: true} holds the built columns to the property file's, as dbt's model contracts do", async () => {
    const dir = await imported({
      'models/marts/schema.yml': 'version: 2\nmodels:\n  - name: customers\n    config: {contract: {enforced: true}}\n    columns:\n      - {name: customer_id, data_type: integer}\n      - {name: first_name, data_type: varchar}\n',
    });
    const { nodes } = await buildWithContracts(dir);
    const customers = nodes.find((n) => n.name === 'customers');
    expect(customers?.status).toBe('error');
    expect(customers?.error?.code).toBe('contract.columns_mismatch');
    expect(customers?.error?.detail).toMatch(/last_name\s+\(not declared\)/);
    expect(statusOf(nodes)['orders']).toBe('success');
  });
});

import { rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileErrors, fixtureCopy, writeFiles } from '../helpers/project.js';
import { buildDir, queryWarehouse, statusOf } from '../helpers/warehouse.js';

describe('materializations on DuckDB', () => {
  it('builds views, tables, incremental and ephemeral models in DAG order', async () => {
    const dir = fixtureCopy('shop');
    const results = await buildDir(dir);
    expect(statusOf(results)).toEqual({
      raw_orders: 'success', raw_customers: 'success', orders_landed: 'success', customers_landed: 'success',
      orders: 'success', customers: 'success', customer_revenue: 'success', order_facts: 'success',
    });
    const kinds = await queryWarehouse(dir, "select table_schema || '.' || table_name as rel, table_type from information_schema.tables where table_catalog = 'shop' and table_schema <> 'main' order by 1");
    expect(kinds).toEqual([
      { rel: 'BRONZE.customers_landed', table_type: 'VIEW' },
      { rel: 'BRONZE.orders_landed', table_type: 'VIEW' },
      { rel: 'BRONZE.raw_customers', table_type: 'BASE TABLE' },
      { rel: 'BRONZE.raw_orders', table_type: 'BASE TABLE' },
      // The evidence chain head, kept in the target too (execute/evidence-head.ts).
      { rel: 'OPS.charter_evidence_head', table_type: 'BASE TABLE' },
      { rel: 'PLATINUM.customer_revenue', table_type: 'BASE TABLE' },
      { rel: 'PLATINUM.order_facts', table_type: 'BASE TABLE' },
      { rel: 'SILVER.customers', table_type: 'BASE TABLE' },
      { rel: 'SILVER.orders', table_type: 'BASE TABLE' },
    ]);
    // The ephemeral model has no relation, but its logic (paid orders only) is in the mart.
    expect(await queryWarehouse(dir, 'select customer_id, revenue_usd, tier from "PLATINUM".customer_revenue order by 1')).toEqual([
      { customer_id: 'c1', revenue_usd: '120.50', tier: 'vip' },
      { customer_id: 'c2', revenue_usd: '75.00', tier: 'regular' },
      { customer_id: 'c3', revenue_usd: '310.00', tier: 'vip' },
    ]);
    expect(results.find((r) => r.name === 'orders')?.rowsAffected).toBe(4);
  });

  it('merges an incremental model on its unique key on the second run, and rebuilds it on --full-refresh', async () => {
    const dir = fixtureCopy('shop');
    await buildDir(dir);
    // New orders arrive, and order 4 is corrected.
    writeFiles(dir, {
      'seeds/raw_orders.csv':
        'order_id,customer_id,order_date,amount_usd,status\n1,c1,2024-11-02,120.50,paid\n2,c2,2024-11-15,75.00,paid\n3,c1,2024-12-01,42.25,refunded\n4,c3,2024-12-20,300.00,paid\n5,c2,2024-12-28,10.00,paid\n',
    });
    const second = await buildDir(dir);
    const facts = second.find((r) => r.name === 'order_facts');
    expect(facts).toMatchObject({ status: 'success', mode: 'incremental', rowsAffected: 2 });
    expect(await queryWarehouse(dir, 'select order_id, amount_usd from "PLATINUM".order_facts order by 1')).toEqual([
      { order_id: '1', amount_usd: '120.50' },
      { order_id: '2', amount_usd: '75.00' },
      { order_id: '3', amount_usd: '42.25' },
      { order_id: '4', amount_usd: '300.00' },
      { order_id: '5', amount_usd: '10.00' },
    ]);
    const refreshed = await buildDir(dir, { select: ['order_facts'], fullRefresh: true });
    expect(refreshed[0]).toMatchObject({ status: 'success', mode: 'full', rowsAffected: 5 });
  });

  it('appends when an incremental model has no unique key', async () => {
    const dir = fixtureCopy('shop', {
      'models/platinum/order_log.sql':
        "{{ config(materialized='incremental') }}\nselect order_id, amount_usd from {{ ref('orders') }}\n{% if is_incremental() %}where order_id > (select max(order_id) from {{ this }}){% endif %}",
    });
    await buildDir(dir);
    writeFiles(dir, { 'seeds/raw_orders.csv': 'order_id,customer_id,order_date,amount_usd,status\n1,c1,2024-11-02,1.00,paid\n9,c1,2024-12-30,9.00,paid\n' });
    const second = await buildDir(dir, { select: ['+order_log'] });
    expect(second.find((r) => r.name === 'order_log')).toMatchObject({ mode: 'incremental', rowsAffected: 1 });
    expect(await queryWarehouse(dir, 'select count(*)::int as n, max(order_id)::int as top from "PLATINUM".order_log')).toEqual([{ n: 5, top: 9 }]);
  });

  it('insert_overwrite replaces whole partitions: a row the new data drops from a recomputed partition goes, where merge would keep it', async () => {
    // One row per customer and order month; a run recomputes the latest month built. A refund that arrives for an
    // order of that month empties the customer's row there, so only replacing the whole month removes it.
    const model = (strategy: string) =>
      `{{ config(materialized='incremental', unique_key=['customer_id', 'order_month'], ${strategy}) }}
select customer_id, date_trunc('month', order_date) as order_month, sum(amount_usd) as paid_usd
from {{ ref('orders') }} where is_paid
{% if is_incremental() %} and order_date >= (select max(order_month) from {{ this }}) {% endif %}
group by 1, 2`;
    const dir = fixtureCopy('shop', {
      'models/platinum/paid_monthly.sql': model("incremental_strategy='insert_overwrite', partition_by='order_month'"),
      'models/platinum/paid_monthly_merged.sql': model("incremental_strategy='merge'"),
    });
    const orders = (third: 'paid' | 'refunded') =>
      `order_id,customer_id,order_date,amount_usd,status\n1,c1,2024-11-02,120.50,paid\n2,c2,2024-12-05,75.00,paid\n3,c3,2024-12-20,310.00,${third}\n`;
    writeFiles(dir, { 'seeds/raw_orders.csv': orders('paid') });
    const select = ['+paid_monthly', '+paid_monthly_merged'];
    await buildDir(dir, { select });
    const rows = (table: string) => queryWarehouse(dir, `select customer_id, order_month::varchar as m, paid_usd::varchar as paid from "PLATINUM".${table} order by 1, 2`);
    expect(await rows('paid_monthly')).toContainEqual({ customer_id: 'c3', m: '2024-12-01', paid: '310.00' });
    // Order 3 is refunded: c3 has no paid order in December any more; c2 still has one, so December is recomputed.
    writeFiles(dir, { 'seeds/raw_orders.csv': orders('refunded') });
    const second = await buildDir(dir, { select });
    expect(second.find((r) => r.name === 'paid_monthly')).toMatchObject({ status: 'success', mode: 'incremental' });
    const incremental = await rows('paid_monthly');
    // merge keeps the stale row: the reason insert_overwrite exists.
    expect(await rows('paid_monthly_merged')).toContainEqual({ customer_id: 'c3', m: '2024-12-01', paid: '310.00' });
    await buildDir(dir, { select: ['paid_monthly'], fullRefresh: true });
    const full = await rows('paid_monthly');
    expect(full).toEqual([
      { customer_id: 'c1', m: '2024-11-01', paid: '120.50' },
      { customer_id: 'c2', m: '2024-12-01', paid: '75.00' },
    ]);
    expect(incremental).toEqual(full);
  });

  it('insert_overwrite without partition_by, or partition_by without it, is a config error', async () => {
    const dir = fixtureCopy('shop', {
      'models/platinum/a.sql': "{{ config(materialized='incremental', incremental_strategy='insert_overwrite') }}\nselect 1 as x",
      'models/platinum/b.sql': "{{ config(materialized='incremental', partition_by='x') }}\nselect 1 as x",
    });
    const messages = (await compileErrors(dir)).map((d) => `${d.location?.file}: ${d.message}`);
    expect(messages).toEqual(expect.arrayContaining([
      "models/platinum/a.sql: config(incremental_strategy='insert_overwrite') needs partition_by",
      "models/platinum/b.sql: config(partition_by=...) only applies with incremental_strategy='insert_overwrite'",
    ]));
  });

  it('builds a dynamic table locally as a table, and accepts Snowflake\'s secure views and transient tables', async () => {
    const dir = fixtureCopy('shop', {
      'models/platinum/paid_fresh.sql':
        "{{ config(materialized='dynamic_table', target_lag='15 minutes', snowflake_warehouse='TRANSFORM_WH', transient=true) }}\nselect order_id from {{ ref('orders') }}",
      'models/platinum/orders_secure.sql': "{{ config(materialized='view', secure=true) }}\nselect order_id from {{ ref('orders') }}",
    });
    const results = await buildDir(dir, { select: ['+paid_fresh', '+orders_secure'] });
    expect(statusOf(results)).toMatchObject({ paid_fresh: 'success', orders_secure: 'success' });
    expect(results.find((r) => r.name === 'paid_fresh')?.rowsAffected).toBe(4);
    expect(await queryWarehouse(dir, "select table_name, table_type from information_schema.tables where table_name in ('paid_fresh', 'orders_secure') order by 1")).toEqual([
      { table_name: 'orders_secure', table_type: 'VIEW' },
      { table_name: 'paid_fresh', table_type: 'BASE TABLE' },
    ]);
  });

  it('a dynamic table without its lag or warehouse, or a lag on anything else, is a config error', async () => {
    const dir = fixtureCopy('shop', {
      'models/platinum/a.sql': "{{ config(materialized='dynamic_table', target_lag='1 hour') }}\nselect 1 as x",
      'models/platinum/b.sql': "{{ config(materialized='table', target_lag='1 hour') }}\nselect 1 as x",
      'models/platinum/c.sql': "{{ config(materialized='dynamic_table', target_lag='soon', snowflake_warehouse='WH') }}\nselect 1 as x",
    });
    const messages = (await compileErrors(dir)).map((d) => `${d.location?.file}: ${d.message}`);
    expect(messages).toEqual(expect.arrayContaining([
      "models/platinum/a.sql: config(materialized='dynamic_table') needs snowflake_warehouse",
      "models/platinum/b.sql: config(target_lag=..., snowflake_warehouse=...) only apply with materialized='dynamic_table'",
      "models/platinum/c.sql: config(target_lag=...) must be a lag like '15 minutes', '1 hour', '1 day', or 'downstream'",
    ]));
  });

  it('turns a table into a view and back', async () => {
    const dir = fixtureCopy('shop');
    // A one-column orders model breaks its contract; this test is about the relation kinds alone.
    rmSync(path.join(dir, 'contracts', 'orders.yml'));
    await buildDir(dir, { select: ['+orders'] });
    writeFiles(dir, { 'models/silver/orders.sql': "{{ config(materialized='view') }}\nselect order_id from {{ ref('orders_landed') }}" });
    expect(statusOf(await buildDir(dir, { select: ['orders'] }))).toEqual({ orders: 'success' });
    expect(await queryWarehouse(dir, "select table_type from information_schema.tables where table_name = 'orders'")).toEqual([{ table_type: 'VIEW' }]);
    writeFiles(dir, { 'models/silver/orders.sql': "{{ config(materialized='table') }}\nselect order_id from {{ ref('orders_landed') }}" });
    expect(statusOf(await buildDir(dir, { select: ['orders'] }))).toEqual({ orders: 'success' });
    expect(await queryWarehouse(dir, "select table_type from information_schema.tables where table_name = 'orders'")).toEqual([{ table_type: 'BASE TABLE' }]);
  });
});

describe('atomic replacement', () => {
  it('a failing table build leaves the previous table intact and no staged relation behind', async () => {
    const dir = fixtureCopy('shop');
    await buildDir(dir);
    const before = await queryWarehouse(dir, 'select * from "SILVER".orders order by order_id');
    // Fails at run time, after the engine has started writing: a cast that cannot succeed for one row.
    writeFiles(dir, { 'models/silver/orders.sql': "select order_id, cast(iff(order_id = 3, 'x', '1') as integer) as broken from {{ ref('orders_landed') }}" });
    const results = await buildDir(dir, { select: ['orders+'] });
    expect(statusOf(results)).toEqual({ orders: 'error', customer_revenue: 'skipped', order_facts: 'skipped' });
    expect(results[0]?.error?.location?.file).toBe('models/silver/orders.sql');
    expect(results[0]?.error?.detail).toContain('CREATE OR REPLACE TABLE "shop"."SILVER"."orders__charter_staged"');
    expect(await queryWarehouse(dir, 'select * from "SILVER".orders order by order_id')).toEqual(before);
    expect(await queryWarehouse(dir, "select count(*)::int as n from information_schema.tables where table_name like '%charter_staged%'")).toEqual([{ n: 0 }]);
  });

  it('a failing view keeps the previous view', async () => {
    const dir = fixtureCopy('shop');
    await buildDir(dir);
    writeFiles(dir, { 'models/bronze/orders_landed.sql': 'select no_such_column from {{ ref(\'raw_orders\') }}' });
    const results = await buildDir(dir, { select: ['orders_landed'] });
    expect(results[0]?.status).toBe('error');
    expect(results[0]?.error?.message).toMatch(/no_such_column/);
    expect(await queryWarehouse(dir, 'select count(*)::int as n from "BRONZE".orders_landed')).toEqual([{ n: 4 }]);
  });
});

describe('scheduling', () => {
  it('skips everything downstream of a failure and still builds independent branches', async () => {
    const dir = fixtureCopy('shop', { 'models/silver/customers.sql': 'select nope from {{ ref(\'customers_landed\') }}' });
    const results = await buildDir(dir, { threads: 4 });
    const status = statusOf(results);
    expect(status).toMatchObject({ customers: 'error', customer_revenue: 'skipped', orders: 'success', order_facts: 'success' });
    expect(results.find((r) => r.name === 'customer_revenue')?.skippedBecause).toBe('model.shop.customers');
  });

  it('gives the same warehouse with 1 and 4 threads', async () => {
    const one = fixtureCopy('shop');
    const four = fixtureCopy('shop');
    await buildDir(one, { threads: 1 });
    await buildDir(four, { threads: 4 });
    const q = 'select * from "PLATINUM".customer_revenue order by 1';
    expect(await queryWarehouse(four, q)).toEqual(await queryWarehouse(one, q));
  });
});

describe('seeds', () => {
  it('loads CSV and gzipped CSV with the types from the seed config', async () => {
    const dir = fixtureCopy('shop');
    const results = await buildDir(dir, { select: ['resource_type:seed'] });
    expect(results.map((r) => [r.name, r.rowsAffected])).toEqual([['raw_customers', 3], ['raw_orders', 4]]);
    const types = await queryWarehouse(dir, "select column_name, data_type from information_schema.columns where table_name = 'raw_orders' order by ordinal_position");
    expect(types).toEqual([
      { column_name: 'order_id', data_type: 'DECIMAL(38,0)' },
      { column_name: 'customer_id', data_type: 'VARCHAR' },
      { column_name: 'order_date', data_type: 'DATE' },
      { column_name: 'amount_usd', data_type: 'DECIMAL(18,2)' },
      { column_name: 'status', data_type: 'VARCHAR' },
    ]);
  });

  it('rejects a seed config that types a column the CSV lacks, keeping the old table', async () => {
    const dir = fixtureCopy('shop');
    await buildDir(dir, { select: ['raw_orders'] });
    writeFiles(dir, { 'seeds/raw_orders.yml': 'columns:\n  order_id: NUMBER(38,0)\n  amount_cents: NUMBER(18,0)\n' });
    const [result] = await buildDir(dir, { select: ['raw_orders'] });
    expect(result?.status).toBe('error');
    expect(result?.error?.message).toContain('amount_cents');
    expect(await queryWarehouse(dir, 'select count(*)::int as n from "BRONZE".raw_orders')).toEqual([{ n: 4 }]);
  });
});

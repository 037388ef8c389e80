import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialectFor } from '../../src/adapters/dialects.js';
import { SHIM_SQL } from '../../src/adapters/duckdb/shims.js';
import { translateSnowflakeToDuckDB } from '../../src/adapters/duckdb/translate-snowflake.js';
import { renderContractTests, type DataTest } from '../../src/render/render-contract-tests.js';
import { fakeProject, loaded, modelNode } from './helpers.js';

// Every kind of check, on a tiny orders table whose clean rows satisfy all of them.
const CONTRACT = `
name: every_check
model: orders
columns:
  - name: order_id
    data_type: NUMBER
    constraints: {primary_key: true}
  - name: customer_id
    constraints:
      not_null: true
      relationships: {to: customers, field: customer_id}
  - name: status
    constraints:
      accepted_values: {values: [paid, shipped, "it's late"]}
  - name: qty
    constraints:
      accepted_values: {values: [1, 2, 3]}
      range: {min: 1, max: 3}
  - name: total_usd
    constraints:
      range: {min: 0, max: 1000, inclusive: false}
      expression: "total_usd < 5000"
    quality_slo:
      completeness: "<= 25%"
  - name: email
    constraints: {unique: true}
    tests:
      - not_null: {where: "status = 'paid'"}
  - name: updated_at
    quality_slo:
      freshness: {max_age: 7d, as_of: "2024-12-31"}
tests:
  - row_count: {min: 1, max: 10}
  - unique_combination: {columns: [customer_id, order_id]}
  - expression: {sql: "qty * 10 <= total_usd"}
quality_slo:
  volume: {min: 1, max: 10}
`;

const CLEAN = [
  'create or replace table customers as select * from (values (10), (11)) as t(customer_id)',
  `create or replace table orders (order_id integer, customer_id integer, status varchar, qty integer,
     total_usd decimal(18,2), email varchar, updated_at timestamp)`,
  `insert into orders values
     (1, 10, 'paid', 1, 10.00, 'a@x', timestamp '2024-12-30 00:00:00'),
     (2, 10, 'shipped', 2, 20.00, 'b@x', timestamp '2024-12-29 00:00:00'),
     (3, 11, 'it''s late', 3, 30.00, null, timestamp '2024-12-28 00:00:00'),
     (4, 11, 'paid', 1, null, 'c@x', timestamp '2024-12-31 00:00:00')`,
];

/** Planted violations, and the failing-row count each check must then report (keyed column:kind); all others 0. */
const SCENARIOS: Array<[string, string[], Record<string, number>]> = [
  ['clean data', [], {}],
  ['a duplicated and a null order_id', [
    "insert into orders values (1, 10, 'paid', 1, 10.00, 'd@x', timestamp '2024-12-30 00:00:00')",
    "insert into orders values (null, 10, 'paid', 1, 10.00, 'e@x', timestamp '2024-12-30 00:00:00')",
  ], { 'order_id:primary_key': 2, ':unique_combination': 1 }],
  ['a null customer_id', ['update orders set customer_id = null where order_id = 4'], { 'customer_id:not_null': 1 }],
  ['an unknown customer', ['update orders set customer_id = 99 where order_id = 3'], { 'customer_id:relationships': 1 }],
  ['a status outside the list', ["update orders set status = 'lost' where order_id = 2"], { 'status:accepted_values': 1 }],
  ['a quantity outside list and range', ['update orders set qty = 5 where order_id = 1'], {
    'qty:accepted_values': 1, 'qty:range': 1, ':expression': 1,
  }],
  ['a total on the excluded bound', ['update orders set total_usd = 0 where order_id = 1'], { 'total_usd:range': 1, ':expression': 1 }],
  ['a total breaking the column expression', ['update orders set total_usd = 6000 where order_id = 2'], { 'total_usd:range': 1, 'total_usd:expression': 1 }],
  ['a repeated email', ["update orders set email = 'a@x' where order_id = 2"], { 'email:unique': 1 }],
  ['a paid order without email (filtered not_null)', ['update orders set email = null where order_id = 1'], { 'email:not_null': 1 }],
  ['too many null totals', ['update orders set total_usd = null where order_id = 1'], { 'total_usd:completeness': 1 }],
  ['stale data', ["update orders set updated_at = timestamp '2024-12-01 00:00:00'"], { 'updated_at:freshness': 1 }],
  ['an empty table', ['delete from orders'], { ':row_count': 1, ':volume': 1, 'updated_at:freshness': 1 }],
  ['too many rows', [
    "insert into orders select 100 + i, 10, 'paid', 1, 10.00, 'x' || i || '@x', timestamp '2024-12-30 00:00:00' from range(7) as r(i)",
  ], { ':row_count': 1, ':volume': 1 }],
];

const project = fakeProject({ models: ['orders'], seeds: ['customers'] });
const tests: DataTest[] = renderContractTests(loaded(CONTRACT, 'contracts/every_check.yml'), modelNode(project, 'orders'), project, dialectFor('duckdb'));
const keyOf = (t: DataTest): string => `${t.column ?? ''}:${t.kind}`;

let instance: DuckDBInstance;
let con: DuckDBConnection;
beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
  con = await instance.connect();
  for (const statement of SHIM_SQL) await con.run(statement);
});
afterAll(() => instance.closeSync());

async function failingRows(sql: string): Promise<number> {
  return (await con.runAndReadAll(sql)).getRowObjectsJson().length;
}

describe('contract tests on DuckDB', () => {
  it('renders one check of every kind', () => {
    expect(new Set(tests.map((t) => t.kind))).toEqual(new Set([
      'primary_key', 'not_null', 'relationships', 'accepted_values', 'range', 'expression', 'unique',
      'row_count', 'unique_combination', 'completeness', 'freshness', 'volume',
    ]));
    expect(new Set(tests.map(keyOf)).size).toBe(tests.length);
  });

  it('translates every check from Snowflake SQL without loss', () => {
    for (const t of tests) expect(translateSnowflakeToDuckDB(t.sql).unsupported, t.id).toEqual([]);
  });

  it.each(SCENARIOS)('%s: as written and translated, only the planted violations fail', async (_name, plant, expected) => {
    for (const statement of [...CLEAN, ...plant]) await con.run(statement);
    const counts: Record<string, [number, number]> = {};
    for (const t of tests) counts[keyOf(t)] = [await failingRows(t.sql), await failingRows(translateSnowflakeToDuckDB(t.sql).sql)];
    const want = Object.fromEntries(tests.map((t) => [keyOf(t), [expected[keyOf(t)] ?? 0, expected[keyOf(t)] ?? 0]]));
    expect(counts).toEqual(want);
  });
});

describe('freshness measured from now', () => {
  const fresh = loaded('name: fresh\nmodel: orders\nquality_slo:\n  freshness: "<=1h for updated_at"\n', 'contracts/fresh.yml');
  const check = renderContractTests(fresh, modelNode(project, 'orders'), project, dialectFor('duckdb'))[0];
  const outcomes = async (sql: string): Promise<number[]> => {
    await con.run('create or replace table orders as select cast(current_timestamp as timestamp) as updated_at');
    const onFresh = await failingRows(sql);
    await con.run("create or replace table orders as select cast(current_timestamp as timestamp) - interval '2 hours' as updated_at");
    return [onFresh, await failingRows(sql)];
  };

  it('passes on fresh rows and fails on old ones', async () => {
    expect(check?.sql).toContain("current_timestamp - interval '1 hours'");
    expect(await outcomes(check?.sql ?? '')).toEqual([0, 1]);
  });

  // Fails, rather than skips, if the translator regresses to a CURRENT_TIMESTAMP() that DuckDB rejects.
  it('does the same translated', async () => {
    expect(await outcomes(translateSnowflakeToDuckDB(check?.sql ?? '').sql)).toEqual([0, 1]);
  });
});

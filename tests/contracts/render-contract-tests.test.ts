import { describe, expect, it } from 'vitest';
import { dialectFor } from '../../src/adapters/dialects.js';
import { evaluateThreshold, intervalText, renderContractTests, type DataTest } from '../../src/render/render-contract-tests.js';
import { edited, fakeProject, loaded, modelNode, ordersCoreText } from './helpers.js';

const snowflake = fakeProject({ models: ['dim_orders', 'stg_orders'] }, { engine: 'snowflake', database: 'brook_commerce', schema: 'platinum' });
const render = (text: string, project = snowflake): DataTest[] =>
  renderContractTests(loaded(text), modelNode(project, 'dim_orders'), project, dialectFor(project.target.engine));
const byId = (tests: DataTest[], id: string): DataTest => {
  const found = tests.find((t) => t.id === id);
  if (!found) throw new Error(`no test ${id} among ${tests.map((t) => t.id).join(', ')}`);
  return found;
};

describe('test ids and metadata', () => {
  it('gives every constraint, test and SLO of orders_core one stable id', () => {
    expect(render(ordersCoreText()).map((t) => [t.id, t.kind, t.severity, t.errorIf, t.warnIf])).toEqual([
      ['test.shop.dim_orders.order_id.primary_key', 'primary_key', 'error', '!=0', '!=0'],
      ['test.shop.dim_orders.order_id.relationships.b990ae37', 'relationships', 'error', '!=0', '!=0'],
      ['test.shop.dim_orders.customer_id.not_null', 'not_null', 'error', '!=0', '!=0'],
      ['test.shop.dim_orders.status.accepted_values.7f1571d8', 'accepted_values', 'error', '!=0', '!=0'],
      ['test.shop.dim_orders.total_usd.range.126fcfdc', 'range', 'error', '!=0', '!=0'],
      ['test.shop.dim_orders.total_usd.range.0b7c1f23', 'range', 'warn', '!=0', '>=1'],
      ['test.shop.dim_orders.region.accepted_values.ecb9da7c', 'accepted_values', 'warn', '!=0', '!=0'],
      ['test.shop.dim_orders.row_count.5f18a75e', 'row_count', 'error', '!=0', '!=0'],
      ['test.shop.dim_orders.unique_combination.5f68d3f6', 'unique_combination', 'error', '!=0', '!=0'],
      ['test.shop.dim_orders.expression.c78df6e0', 'expression', 'error', '>=10', '!=0'],
      ['test.shop.dim_orders.total_usd.completeness.8a43990e', 'completeness', 'error', '!=0', '!=0'],
      ['test.shop.dim_orders.updated_at.freshness.d03cf37a', 'freshness', 'error', '!=0', '!=0'],
    ]);
  });

  it('keeps the id when only severity or thresholds change, and points at the contract line', () => {
    const tuned = render(edited(ordersCoreText(), '{values: [EMEA, AMER, APAC], severity: warn}', '{values: [EMEA, AMER, APAC], severity: error, error_if: ">5"}'));
    const test = byId(tuned, 'test.shop.dim_orders.region.accepted_values.ecb9da7c');
    expect(test).toMatchObject({ severity: 'error', errorIf: '>5', column: 'region', modelId: 'model.shop.dim_orders', contract: 'orders_core' });
    const line = ordersCoreText().split('\n').findIndex((l) => l.includes('{values: [EMEA')) + 1;
    expect(test.location).toEqual({ file: 'contracts/orders_core.yml', line, column: 9 });
  });

  it('uses a test name when given, and numbers exact duplicates', () => {
    const text = edited(ordersCoreText(), '  - row_count: {min: 1}', '  - row_count: {min: 1}\n  - row_count: {min: 1}\n  - row_count: {min: 2, name: at_least_two}');
    expect(render(text).filter((t) => t.kind === 'row_count').map((t) => [t.id, t.name])).toEqual([
      ['test.shop.dim_orders.row_count.5f18a75e', 'row_count_dim_orders'],
      ['test.shop.dim_orders.row_count.5f18a75e_2', 'row_count_dim_orders'],
      ['test.shop.dim_orders.at_least_two', 'at_least_two'],
    ]);
  });

  it('renders no test for a relationship whose model is unknown (checkContracts reports it)', () => {
    const tests = render(edited(ordersCoreText(), '{to: stg_orders,', '{to: nowhere,'));
    expect(tests.some((t) => t.kind === 'relationships')).toBe(false);
  });

  it('renders nothing for a model the contract does not govern', () => {
    expect(renderContractTests(loaded(ordersCoreText()), modelNode(snowflake, 'stg_orders'), snowflake, dialectFor('snowflake'))).toEqual([]);
  });
});

describe('golden Snowflake SQL', () => {
  const tests = render(ordersCoreText());

  it('primary_key', () => {
    expect(byId(tests, 'test.shop.dim_orders.order_id.primary_key').sql).toBe(`\
-- charter contract test test.shop.dim_orders.order_id.primary_key
-- primary_key on dim_orders.order_id; contract orders_core (contracts/orders_core.yml:63:7)
select "ORDER_ID", count(*) as n_records
from "BROOK_COMMERCE"."PLATINUM"."DIM_ORDERS"
group by "ORDER_ID"
having count(*) > 1 or "ORDER_ID" is null`);
  });

  it('relationships, by the other model\'s relation name', () => {
    expect(byId(tests, 'test.shop.dim_orders.order_id.relationships.b990ae37')).toMatchObject({
      dependsOn: ['model.shop.stg_orders'],
      sql: `\
-- charter contract test test.shop.dim_orders.order_id.relationships.b990ae37
-- relationships on dim_orders.order_id; contract orders_core (contracts/orders_core.yml:64:7)
select child."ORDER_ID"
from "BROOK_COMMERCE"."PLATINUM"."DIM_ORDERS" as child
left join "BROOK_COMMERCE"."PLATINUM"."STG_ORDERS" as parent on child."ORDER_ID" = parent."ORDER_ID"
where child."ORDER_ID" is not null
  and parent."ORDER_ID" is null`,
    });
  });

  it('accepted_values', () => {
    expect(byId(tests, 'test.shop.dim_orders.status.accepted_values.7f1571d8').sql.split('\n').slice(2).join('\n')).toBe(`\
select "STATUS"
from "BROOK_COMMERCE"."PLATINUM"."DIM_ORDERS"
where "STATUS" is not null
  and "STATUS" not in ('created', 'paid', 'shipped', 'canceled')`);
  });

  it('model-level expression, row_count and unique_combination', () => {
    const body = (id: string): string => byId(tests, id).sql.split('\n').slice(2).join('\n');
    expect(body('test.shop.dim_orders.expression.c78df6e0')).toBe(`\
select *
from "BROOK_COMMERCE"."PLATINUM"."DIM_ORDERS"
where not (total_usd >= 0 or status = 'canceled')`);
    expect(body('test.shop.dim_orders.row_count.5f18a75e')).toBe(`\
select count(*) as row_count
from "BROOK_COMMERCE"."PLATINUM"."DIM_ORDERS"
having count(*) < 1`);
    expect(body('test.shop.dim_orders.unique_combination.5f68d3f6')).toBe(`\
select "CUSTOMER_ID", "ORDER_ID", count(*) as n_records
from "BROOK_COMMERCE"."PLATINUM"."DIM_ORDERS"
group by "CUSTOMER_ID", "ORDER_ID"
having count(*) > 1`);
  });

  it('completeness and freshness SLOs', () => {
    const body = (id: string): string => byId(tests, id).sql.split('\n').slice(2).join('\n');
    expect(body('test.shop.dim_orders.total_usd.completeness.8a43990e')).toBe(`\
select null_rows, total_rows, cast(null_rows as double) / total_rows as null_rate
from (
  select count(*) as total_rows, count(*) - count("TOTAL_USD") as null_rows
  from "BROOK_COMMERCE"."PLATINUM"."DIM_ORDERS"
) as counts
where total_rows > 0
  and cast(null_rows as double) / total_rows > 0.001`);
    expect(body('test.shop.dim_orders.updated_at.freshness.d03cf37a')).toBe(`\
select max("UPDATED_AT") as latest_value
from "BROOK_COMMERCE"."PLATINUM"."DIM_ORDERS"
having max("UPDATED_AT") is null
  or max("UPDATED_AT") < cast('2024-12-31' as timestamp) - interval '36 hours'`);
  });

  it('escapes quotes and backslashes in accepted values as Snowflake reads them', () => {
    const text = edited(ordersCoreText(), '{values: [created, paid, shipped, canceled]}', `{values: ["it's", 'a\\b', 3], quote: true}`);
    expect(render(text).find((t) => t.kind === 'accepted_values')?.sql).toContain(`not in ('it''s', 'a\\\\b', '3')`);
  });
});

describe('user SQL and names that could break the query', () => {
  it('keeps a trailing comment in an expression from swallowing the closing parenthesis', () => {
    const text = edited(ordersCoreText(), `{sql: "total_usd >= 0 or status = 'canceled'"`, `{sql: "total_usd >= 0 -- refunds are negative"`);
    expect(render(text).find((t) => t.kind === 'expression')?.sql).toMatch(/where not \(total_usd >= 0 -- refunds are negative\n\)$/);
  });

  it('keeps a multi-line contract name inside the header comment', () => {
    const text = edited(ordersCoreText(), 'name: orders_core', 'name: "orders\\ndrop table x"');
    const header = render(text)[0]?.sql.split('\n').slice(0, 3) ?? [];
    expect(header[1]).toContain('contract orders drop table x (');
    expect(header[2]).toBe('select "ORDER_ID", count(*) as n_records');
  });
});

describe('evaluateThreshold', () => {
  it.each([
    [0, '!=0', '!=0', 'error', 'pass'],
    [1, '!=0', '!=0', 'error', 'fail'],
    [1, '!=0', '!=0', 'warn', 'warn'],
    [9, '>=10', '!=0', 'error', 'warn'],
    [10, '>=10', '!=0', 'error', 'fail'],
    [3, '>5', '>2', 'error', 'warn'],
    [2, '>5', '>2', 'error', 'pass'],
    [0, '==0', '<>0', 'error', 'fail'],
  ] as const)('%d failing rows with error_if %s, warn_if %s, severity %s: %s', (count, errorIf, warnIf, severity, outcome) => {
    expect(evaluateThreshold(count, errorIf, warnIf, severity)).toBe(outcome);
  });

  it('throws on a threshold the schema would have refused: that is a bug upstream', () => {
    expect(() => evaluateThreshold(1, 'lots', '!=0')).toThrow(/invalid test threshold/);
  });
});

describe('intervals', () => {
  it('uses the largest whole unit', () => {
    expect([600, 129_600, 604_800, 45, 0.25].map(intervalText)).toEqual(['10 minutes', '36 hours', '7 days', '45 seconds', '250 milliseconds']);
  });
});

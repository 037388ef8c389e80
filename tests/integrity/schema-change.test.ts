// An incremental model whose columns change: never a silent drift from its contract, never 23.25 stored as 23.
import { describe, expect, it } from 'vitest';
import { fixtureCopy, writeFiles } from '../helpers/project.js';
import { buildWithContracts, queryWarehouse } from '../helpers/warehouse.js';
import { resolveSchemaChange } from '../../src/execute/schema-change.js';

const FACTS = 'models/platinum/order_facts.sql';
const incremental = (columns: string, config = ''): string =>
  `{{ config(materialized='incremental', unique_key='order_id'${config}) }}\nselect ${columns}\nfrom {{ ref('orders') }}\n` +
  `{% if is_incremental() %}\nwhere order_date >= (select max(order_date) from {{ this }})\n{% endif %}\n`;
const CONTRACT = (columns: string): string => `name: facts\nversion: 1.0.0\nmodel: order_facts\ncolumns:\n${columns}`;
const ALL = '  - {name: order_id, data_type: "NUMBER(38,0)"}\n  - {name: customer_id, data_type: VARCHAR}\n  - {name: order_date, data_type: DATE}\n  - {name: amount_usd, data_type: "NUMBER(18,2)"}\n  - {name: is_paid, data_type: BOOLEAN}\n';

async function builtTwice(first: Record<string, string>, second: Record<string, string>) {
  const dir = fixtureCopy('shop', first);
  expect((await buildWithContracts(dir)).passed).toBe(true);
  writeFiles(dir, second);
  const rerun = await buildWithContracts(dir, { select: ['order_facts'] });
  return { dir, rerun, facts: rerun.nodes.find((n) => n.name === 'order_facts') };
}

describe('on_schema_change', () => {
  it('a governed model whose column is dropped from model and contract fails, naming the change, and keeps its table', async () => {
    const { dir, facts } = await builtTwice(
      { [FACTS]: incremental('order_id, customer_id, order_date, amount_usd, is_paid'), 'contracts/facts.yml': CONTRACT(ALL) },
      { [FACTS]: incremental('order_id, customer_id, order_date, amount_usd'), 'contracts/facts.yml': CONTRACT(ALL.replace(/.*is_paid.*\n/, '')) },
    );
    expect(facts?.status).toBe('error');
    expect(facts?.error).toMatchObject({ code: 'schema.changed', location: { file: FACTS } });
    expect(facts?.error?.detail).toMatch(/is_paid\s+BOOLEAN\s+\(absent\)\s+no longer in the model/);
    expect(facts?.error?.hint).toContain('--full-refresh');
    const columns = await queryWarehouse(dir, "select column_name from information_schema.columns where table_name = 'order_facts' order by ordinal_position");
    expect(columns.map((c) => c['column_name'])).toContain('is_paid');
  });

  it('a retyped column fails under ignore too: 23.25 is never stored as 23', async () => {
    const { facts } = await builtTwice(
      { [FACTS]: incremental('order_id, customer_id, order_date, cast(amount_usd as integer) as amount, is_paid') },
      { [FACTS]: incremental('order_id, customer_id, order_date, cast(amount_usd as double) as amount, is_paid') },
    );
    expect(facts?.error).toMatchObject({ code: 'schema.changed' });
    expect(facts?.error?.detail).toMatch(/amount\s+INTEGER\s+DOUBLE\s+type changed/);
  });

  it('append_new_columns adds a new column; ignore leaves it out instead of a raw binder error', async () => {
    const added = { [FACTS]: incremental("order_id, customer_id, order_date, amount_usd, is_paid, 'web' as channel", ", on_schema_change='append_new_columns'") };
    const appended = await builtTwice({ [FACTS]: incremental('order_id, customer_id, order_date, amount_usd, is_paid') }, added);
    expect(appended.facts?.status).toBe('success');
    const rows = await queryWarehouse(appended.dir, 'select count(*) as n, count(channel) as with_channel from "shop"."PLATINUM"."order_facts"');
    expect(Number(rows[0]?.['with_channel'])).toBeGreaterThan(0);
    const ignored = await builtTwice(
      { [FACTS]: incremental('order_id, customer_id, order_date, amount_usd, is_paid') },
      { [FACTS]: incremental("order_id, customer_id, order_date, amount_usd, is_paid, 'web' as channel") },
    );
    expect(ignored.facts?.status).toBe('success');
    const columns = await queryWarehouse(ignored.dir, "select column_name from information_schema.columns where table_name = 'order_facts'");
    expect(columns.map((c) => c['column_name'])).not.toContain('channel');
  });

  it('sync_all_columns adds, drops and retypes', async () => {
    const { dir, facts } = await builtTwice(
      { [FACTS]: incremental('order_id, customer_id, order_date, cast(amount_usd as integer) as amount, is_paid') },
      { [FACTS]: incremental("order_id, customer_id, order_date, cast(amount_usd as double) as amount, 'web' as channel", ", on_schema_change='sync_all_columns'") },
    );
    expect(facts?.status, JSON.stringify(facts?.error)).toBe('success');
    const columns = await queryWarehouse(dir, "select column_name, data_type from information_schema.columns where table_name = 'order_facts' order by ordinal_position");
    expect(columns.map((c) => [c['column_name'], c['data_type']])).toEqual([
      ['order_id', 'BIGINT'], ['customer_id', 'VARCHAR'], ['order_date', 'DATE'], ['amount', 'DOUBLE'], ['channel', 'VARCHAR'],
    ].map(([n, t]) => [n, expect.stringMatching(new RegExp(`^(${t}|INTEGER|DECIMAL.*)$`))]));
  });

  it('decides purely from the two column lists', () => {
    const table = [{ name: 'id', type: 'BIGINT' }, { name: 'v', type: 'INTEGER' }];
    const model = { name: 'm', path: 'models/m.sql' };
    expect(resolveSchemaChange(model, 'fail', table, table).resolution?.insert).toEqual(['id', 'v']);
    expect(resolveSchemaChange(model, 'ignore', table, [{ name: 'ID', type: 'bigint' }]).resolution).toEqual({ add: [], drop: [], retype: [], insert: ['ID'] });
    expect(resolveSchemaChange(model, 'append_new_columns', table, [...table, { name: 'w', type: 'VARCHAR' }]).resolution?.add).toEqual([{ name: 'w', type: 'VARCHAR' }]);
    expect(resolveSchemaChange(model, 'append_new_columns', table, [{ name: 'id', type: 'BIGINT' }, { name: 'v', type: 'DOUBLE' }]).problem?.code).toBe('schema.changed');
  });
});

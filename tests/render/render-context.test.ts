import { describe, expect, it } from 'vitest';
import type { ModelNode } from '../../src/project/nodes.js';
import { compileDir, compileErrors, fixtureCopy } from '../helpers/project.js';

const model = (project: Awaited<ReturnType<typeof compileDir>>, name: string): ModelNode => {
  const node = project.nodes.get(`model.shop.${name}`);
  if (node?.kind !== 'model') throw new Error(`no model ${name}`);
  return node;
};

describe('ref() and source()', () => {
  it('renders refs as fully qualified, quoted relation names of the target', async () => {
    const p = await compileDir(fixtureCopy('shop'));
    expect(model(p, 'orders_landed').compiledSql).toContain('"shop"."BRONZE"."raw_orders"');
    expect(model(p, 'orders').compiledSql).toContain('from "shop"."BRONZE"."orders_landed"');
  });

  it('upper-cases and quotes every part for a Snowflake target', async () => {
    const p = await compileDir(fixtureCopy('shop'), { target: 'prod' });
    expect(model(p, 'orders').compiledSql).toContain('"SHOP"."BRONZE"."ORDERS_LANDED"');
    expect(model(p, 'customers_landed').compiledSql).toContain('"SHOP"."BRONZE"."RAW_CUSTOMERS"');
  });

  it('resolves source() through the YAML declaration, identifier included', async () => {
    const p = await compileDir(fixtureCopy('shop'));
    const m = model(p, 'customers_landed');
    expect(m.compiledSql).toContain('"shop"."BRONZE"."raw_customers"');
    expect([...m.dependsOn].sort()).toEqual(['seed.shop.raw_customers', 'source.shop.legacy.customers']);
  });

  it('records dependencies from refs', async () => {
    const p = await compileDir(fixtureCopy('shop'));
    expect([...model(p, 'customer_revenue').dependsOn].sort()).toEqual(['model.shop.customers', 'model.shop.paid_orders']);
  });
});

describe('var()', () => {
  it('takes project vars, overridden by --vars', async () => {
    const dir = fixtureCopy('shop');
    expect(model(await compileDir(dir), 'customer_revenue').compiledSql).toContain('>= 100,');
    expect(model(await compileDir(dir, { vars: { vip_threshold: 250 } }), 'customer_revenue').compiledSql).toContain('>= 250,');
  });

  it('falls back to the default, and reports a missing var with file and line', async () => {
    const dir = fixtureCopy('shop', {
      'models/silver/with_default.sql': "select {{ var('nope', 7) }} as x",
      'models/silver/missing_var.sql': "select 1 as a,\n  {{ var('vip_treshold') }} as x",
    });
    const errors = await compileErrors(dir);
    const missing = errors.find((e) => e.code === 'var.missing');
    expect(missing?.location).toMatchObject({ file: 'models/silver/missing_var.sql', line: 2, column: 6 });
    expect(missing?.hint).toContain('vip_threshold');
    expect(errors.filter((e) => e.location?.file === 'models/silver/with_default.sql')).toEqual([]);
  });
});

describe('config()', () => {
  it('overrides folder defaults from project.yml, and tags accumulate', async () => {
    const p = await compileDir(fixtureCopy('shop'));
    expect(model(p, 'orders').config).toMatchObject({ materialized: 'table', tags: ['clean'] });
    expect(model(p, 'customer_revenue').config.tags).toEqual(['mart', 'finance']);
    expect(model(p, 'order_facts').config).toMatchObject({ materialized: 'incremental', uniqueKey: ['order_id'], incrementalStrategy: 'merge' });
    expect(model(p, 'orders_landed').config.materialized).toBe('view');
  });

  it('moves a model to another schema', async () => {
    const dir = fixtureCopy('shop', { 'models/platinum/moved.sql': "{{ config(schema='OPS') }}\nselect 1 as x" });
    expect(model(await compileDir(dir), 'moved').relationName).toBe('"shop"."OPS"."moved"');
  });

  it('rejects an unknown key with a suggestion and the line', async () => {
    const dir = fixtureCopy('shop', { 'models/silver/bad_config.sql': "\n{{ config(materialised='table') }}\nselect 1 as x" });
    const [e] = await compileErrors(dir);
    expect(e).toMatchObject({ code: 'config.invalid', location: { file: 'models/silver/bad_config.sql', line: 2 } });
    expect(e?.hint).toContain('materialized');
  });

  it('rejects a bad materialization value', async () => {
    const dir = fixtureCopy('shop', { 'models/silver/bad_mat.sql': "{{ config(materialized='tabel') }}\nselect 1 as x" });
    const [e] = await compileErrors(dir);
    expect(e?.message).toContain('materialized');
    expect(e?.message).toContain('view, table, incremental, ephemeral');
  });
});

describe('this, target and is_incremental()', () => {
  it('renders both variants of an incremental model, {{ this }} as its own relation', async () => {
    const m = model(await compileDir(fixtureCopy('shop')), 'order_facts');
    expect(m.compiledSql).not.toContain('max(order_date)');
    expect(m.incrementalSql).toContain('select max(order_date) from "shop"."PLATINUM"."order_facts"');
  });

  it('exposes target name and engine', async () => {
    const dir = fixtureCopy('shop', { 'models/silver/t.sql': "select '{{ target.name }}' as t, '{{ target.engine }}' as e" });
    expect(model(await compileDir(dir), 't').compiledSql).toBe("select 'dev' as t, 'duckdb' as e");
    expect(model(await compileDir(dir, { target: 'prod' }), 't').compiledSql).toBe("select 'prod' as t, 'snowflake' as e");
  });
});

describe('macros', () => {
  it('are available to every model without an import', async () => {
    const m = model(await compileDir(fixtureCopy('shop')), 'orders');
    expect(m.compiledSql).toContain('CAST(ROUND(amount_usd, 2) AS NUMBER(18,2)) as amount_usd');
  });

  it('dispatch per engine, falling back to default__', async () => {
    const dir = fixtureCopy('shop');
    expect(model(await compileDir(dir), 'customers').compiledSql).toContain("upper(replace(segment, '_', ' '))");
    expect(model(await compileDir(dir, { target: 'prod' }), 'customers').compiledSql).toContain('upper(segment) as segment_label');
  });

  it('can call ref()', async () => {
    const dir = fixtureCopy('shop', {
      'macros/latest.sql': "{% macro latest_orders() %}select * from {{ ref('orders') }}{% endmacro %}",
      'models/platinum/latest.sql': '{{ latest_orders() }}',
    });
    const m = model(await compileDir(dir), 'latest');
    expect(m.compiledSql).toBe('select * from "shop"."SILVER"."orders"');
    expect(m.dependsOn).toEqual(['model.shop.orders']);
  });

  it('report a syntax error in a macro file with its line', async () => {
    const dir = fixtureCopy('shop', { 'macros/broken.sql': '{% macro a() %}\n{{ 1 + }}\n{% endmacro %}' });
    const errors = await compileErrors(dir);
    expect(errors[0]).toMatchObject({ code: 'template.syntax', location: { file: 'macros/broken.sql', line: 2 } });
  });
});

describe('ephemeral models', () => {
  it('are inlined as CTEs and have no relation of their own in the SQL', async () => {
    const m = model(await compileDir(fixtureCopy('shop')), 'customer_revenue');
    expect(m.compiledSql.startsWith('WITH "__charter_ephemeral__paid_orders" AS (\nselect * from "shop"."SILVER"."orders" where is_paid\n)')).toBe(true);
    expect(m.compiledSql).toContain('left join "__charter_ephemeral__paid_orders" p');
  });

  it('merge into a model that has its own WITH, dependencies first', async () => {
    const dir = fixtureCopy('shop', {
      'models/silver/big_paid.sql': "{{ config(materialized='ephemeral') }}\nselect * from {{ ref('paid_orders') }} where amount_usd > 100",
      'models/platinum/big.sql': "with x as (select * from {{ ref('big_paid') }})\nselect count(*) as n from x",
    });
    const sql = model(await compileDir(dir), 'big').compiledSql;
    expect(sql.indexOf('"__charter_ephemeral__paid_orders" AS')).toBeLessThan(sql.indexOf('"__charter_ephemeral__big_paid" AS'));
    expect(sql).toMatch(/^with "__charter_ephemeral__paid_orders" AS \(/);
    expect(sql).toContain('),\nx as (select * from "__charter_ephemeral__big_paid")');
  });
});

describe('hashes', () => {
  it('are stable across compiles and change with the SQL', async () => {
    const dir = fixtureCopy('shop');
    const a = model(await compileDir(dir), 'orders');
    const b = model(await compileDir(dir), 'orders');
    expect(a.compiledHash).toBe(b.compiledHash);
    expect(a.rawHash).toMatch(/^[0-9a-f]{64}$/);
    const c = model(await compileDir(fixtureCopy('shop', { 'models/silver/orders.sql': 'select 1 as x' })), 'orders');
    expect(c.compiledHash).not.toBe(a.compiledHash);
  });
});

describe('config(enabled=false)', () => {
  it('leaves the model out of the project, and a ref to it is an error naming the file', async () => {
    const dir = fixtureCopy('shop', { 'models/platinum/retired.sql': "{{ config(enabled=false) }}\nselect 1 as x" });
    const p = await compileDir(dir);
    expect(p.nodes.has('model.shop.retired')).toBe(false);
    const broken = fixtureCopy('shop', {
      'models/platinum/retired.sql': "{{ config(enabled=false) }}\nselect 1 as x",
      'models/platinum/reader.sql': "select * from {{ ref('retired') }}",
    });
    const [e] = await compileErrors(broken);
    expect(e).toMatchObject({ code: 'ref.unknown', message: "ref('retired') names a model that is disabled (enabled=false)", location: { file: 'models/platinum/reader.sql' } });
  });
});

// Every user error names its file, line and column; several at once are all reported.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileErrors, fixtureCopy, repoRoot } from '../helpers/project.js';
import { buildDir, buildWithContracts } from '../helpers/warehouse.js';
import { marked } from '../helpers/marker.js';

describe('project.yml errors', () => {
  it('a YAML syntax error gives line and column', async () => {
    const dir = fixtureCopy('shop', { 'project.yml': 'name: shop\nversion: 1\ntargets:\n  dev: {engine: duckdb\n' });
    const [e] = await compileErrors(dir);
    expect(e).toMatchObject({ code: 'yaml.syntax', location: { file: 'project.yml', line: 5 } });
  });

  it('a misspelt key points at the key and suggests the right one; all errors come at once', async () => {
    const src = marked("name: shop\nversion: '1'\ntargets:\n  dev:\n    engine: duckdb\n    «thread: 2\n  prod: {engine: oracle}\ndefault_taget: dev\n");
    const errors = await compileErrors(fixtureCopy('shop', { 'project.yml': src.text }));
    expect(errors).toHaveLength(3);
    const key = errors.find((e) => e.hint?.includes('`threads`'));
    expect(key?.location).toMatchObject({ file: 'project.yml', line: src.line, column: src.column });
    expect(errors.find((e) => e.message.includes('oracle'))?.location).toMatchObject({ line: 7 });
    const misspelt = errors.find((e) => e.message.includes('default_taget'));
    expect(misspelt?.hint).toContain('default_target');
    expect(misspelt?.location).toMatchObject({ file: 'project.yml', line: 8, column: 1 });
  });

  it('a wrong type says what was expected and what was found', async () => {
    const dir = fixtureCopy('shop', { 'project.yml': "name: shop\nversion: '1'\ntargets:\n  dev: {engine: duckdb, threads: many}\n" });
    const [e] = await compileErrors(dir);
    expect(e?.message).toContain('/targets/dev');
    expect(e?.location).toMatchObject({ file: 'project.yml', line: 4 });
  });

  it('an unknown target suggests a close one', async () => {
    const errors = await compileErrors(fixtureCopy('shop'), { target: 'prd' });
    expect(errors[0]?.hint).toContain('prod');
  });
});

describe('template errors', () => {
  it('a syntax error names file, line and column', async () => {
    const src = marked("select 1 as x\n{{ ref('orders') +  «}}");
    const errors = await compileErrors(fixtureCopy('shop', { 'models/silver/broken.sql': src.text }));
    expect(errors[0]).toMatchObject({ code: 'template.syntax', location: { file: 'models/silver/broken.sql', line: src.line, column: src.column } });
  });

  it('an undefined variable names its line', async () => {
    const errors = await compileErrors(fixtureCopy('shop', { 'models/silver/undef.sql': 'select 1 as x,\n  {{ not_defined_anywhere }} as y' }));
    expect(errors[0]).toMatchObject({ code: 'template.syntax', location: { file: 'models/silver/undef.sql', line: 2 } });
    expect(errors[0]?.hint).toContain('undefined');
  });

  it('errors of several files are reported together', async () => {
    const errors = await compileErrors(
      fixtureCopy('shop', {
        'models/silver/one.sql': "select * from {{ ref('nope_one') }}",
        'models/silver/two.sql': "select * from {{ source('legacy', 'customer') }}",
        'models/silver/three.sql': "select * from {{ ref('orders') }} join {{ ref('nope_three') }} using (x)",
      }),
    );
    expect(errors.map((e) => `${e.location?.file}:${e.code}`).sort()).toEqual([
      'models/silver/one.sql:ref.unknown',
      'models/silver/three.sql:ref.unknown',
      'models/silver/two.sql:source.unknown',
    ]);
    expect(errors.find((e) => e.code === 'source.unknown')?.hint).toContain('legacy.customers');
    expect(errors.find((e) => e.location?.file === 'models/silver/three.sql')?.location).toMatchObject({ line: 1, column: 43 });
  });

  it('two models with one name are an error naming both files', async () => {
    const errors = await compileErrors(fixtureCopy('shop', { 'models/platinum/orders.sql': 'select 1 as x' }));
    expect(errors[0]?.code).toBe('node.duplicate');
    expect(`${errors[0]?.location?.file} ${errors[0]?.hint}`).toMatch(/models\/(platinum|silver)\/orders\.sql.*models\/(silver|platinum)\/orders\.sql/);
  });
});

describe('engine and dialect errors', () => {
  it('a construct that cannot run on DuckDB fails the model with its name, file and line', async () => {
    const dir = fixtureCopy('shop', {
      'models/platinum/sampled.sql': "select *\nfrom {{ ref('orders') }}\nwhere order_id in (select seq4() from table(generator(rowcount => 10)))",
    });
    const results = await buildDir(dir, { select: ['+sampled'] });
    const failed = results.find((r) => r.name === 'sampled');
    expect(failed?.status).toBe('error');
    expect(failed?.error?.code).toBe('translate.unsupported');
    expect(failed?.error?.message).toMatch(/SEQ4|GENERATOR/i);
    expect(failed?.error?.location).toMatchObject({ file: 'models/platinum/sampled.sql', line: 3 });
  });

  it('SQL that does not parse is a syntax error at its line, not a construct DuckDB lacks', async () => {
    const dir = fixtureCopy('shop', { 'models/silver/broken.sql': "select\n    order_id,\n    customer_id\n    amount_usd +\nfrom {{ ref('orders_landed') }}\n" });
    const results = await buildDir(dir, { select: ['+broken'] });
    const failed = results.find((r) => r.name === 'broken');
    expect(failed?.error).toMatchObject({ code: 'sql.syntax', location: { file: 'models/silver/broken.sql', line: 4 } });
    expect(failed?.error?.message).toMatch(/^syntax error in broken: /);
    expect(failed?.error?.hint).not.toMatch(/^build this model on Snowflake/);
  });

  it('an engine error names the model file and shows the failing statement', async () => {
    const dir = fixtureCopy('shop', { 'models/silver/orders.sql': "select order_id / 0 :: integer as x, no_col from {{ ref('orders_landed') }}" });
    const results = await buildDir(dir, { select: ['+orders'] });
    const failed = results.find((r) => r.name === 'orders');
    expect(failed?.error).toMatchObject({ code: 'engine.error', location: { file: 'models/silver/orders.sql' } });
    expect(failed?.error?.detail).toContain('failing statement:');
    expect(failed?.error?.detail).toContain('no_col');
  });
});

describe('table references outside ref() and source()', async () => {
  const { checkTableReferences } = await import('../../src/validate/check-table-references.js');
  const { compileDir } = await import('../helpers/project.js');

  it('warns when a model reads a known relation by name, or an undeclared table', async () => {
    const dir = fixtureCopy('shop', {
      'models/platinum/sneaky.sql':
        "with recent as (select * from {{ ref('orders') }})\nselect * from recent\njoin \"shop\".\"SILVER\".customers c using (customer_id)\njoin legacy_db.crm.accounts a on a.id = c.customer_id",
    });
    const project = await compileDir(dir);
    const node = project.nodes.get('model.shop.sneaky');
    if (node?.kind !== 'model') throw new Error('no model');
    const warnings = checkTableReferences(node, project) ?? [];
    expect(warnings.map((w) => w.severity)).toEqual(['warning', 'warning']);
    expect(warnings[0]?.message).toContain('does not know it depends on model.shop.customers');
    expect(warnings[0]?.hint).toContain("ref('customers')");
    expect(warnings[0]?.location).toMatchObject({ file: 'models/platinum/sneaky.sql', line: 3 });
    expect(warnings[1]?.message).toContain('neither a model, a seed nor a declared source');
  });

  it("warns when a contract test reads a model by name, which the runner does not wait for; ref() makes it wait", async () => {
    const { compile } = await import('../../src/pipeline/compile.js');
    const { checkTestReferences } = await import('../../src/validate/check-table-references.js');
    const contract = readFileSync(path.join(repoRoot, 'tests/fixtures/shop/contracts/orders.yml'), 'utf8').replace(
      'tests:\n',
      'tests:\n' +
        '  - expression: {name: known_customer_by_name, sql: "customer_id in (select customer_id from SILVER.customers)"}\n' +
        `  - expression: {name: known_customer_by_ref, sql: "customer_id in (select customer_id from {{ ref('customers') }})"}\n`,
    );
    const dir = fixtureCopy('shop', { 'contracts/orders.yml': contract });
    const session = await compile({ projectDir: dir });
    const test = (name: string) => session.dataTests.find((t) => t.name === name)!;
    const byName = checkTestReferences(test('known_customer_by_name'), session.compiled) ?? [];
    expect(byName.map((w) => [w.code, w.message, w.hint])).toEqual([
      ['ref.hardcoded', 'test known_customer_by_name reads SILVER.customers by name, so the DAG does not know it depends on model.shop.customers', "use {{ ref('customers') }} so it builds first"],
    ]);
    expect(byName[0]?.location).toMatchObject({ file: 'contracts/orders.yml', line: 27 });
    expect(test('known_customer_by_name').dependsOn).not.toContain('model.shop.customers');
    expect(checkTestReferences(test('known_customer_by_ref'), session.compiled)).toEqual([]);
    expect(test('known_customer_by_ref').dependsOn).toContain('model.shop.customers');
  });

  it('is silent for models that use ref() and source() only', async () => {
    const project = await compileDir(fixtureCopy('shop'));
    for (const node of project.nodes.values()) {
      if (node.kind === 'model') expect(checkTableReferences(node, project) ?? [], node.name).toEqual([]);
    }
  });
});

describe('YAML flow mappings', () => {
  it('explain the comma that split an unquoted NUMBER(18,2)', async () => {
    const dir = fixtureCopy('shop', {
      'contracts/orders.yml': 'name: shop_orders\nmodel: orders\ncolumns:\n  - {name: amount_usd, data_type: NUMBER(18,2)}\n',
    });
    const errors = await compileErrors(dir);
    expect(errors.find((e) => e.message.includes('unknown key `2)`'))?.hint).toContain('quote a type with a comma');
  });
});

// customers_landed fails at run time (a column its source does not have); the orders branch does not read it.
const BROKEN = {
  'models/bronze/customers_landed.sql': "-- depends_on: {{ ref('raw_customers') }}\nselect no_such_column from {{ source('legacy', 'customers') }}",
};

describe('--fail-fast', () => {
  it('skips every node not yet started after the first failure, naming it', async () => {
    const results = await buildWithContracts(fixtureCopy('shop', BROKEN), { threads: 1, failFast: true });
    const status = Object.fromEntries(results.nodes.map((n) => [n.name, [n.status, n.skippedBecause ?? null]]));
    expect(status['customers_landed']).toEqual(['error', null]);
    // The orders branch reads nothing that failed: only --fail-fast stops it.
    expect(status['orders_landed']).toEqual(['skipped', '--fail-fast after model.shop.customers_landed']);
    expect(status['orders']).toEqual(['skipped', '--fail-fast after model.shop.customers_landed']);
    expect(results.passed).toBe(false);
  });

  it('is off by default: nodes that do not read the failure still build', async () => {
    const results = await buildWithContracts(fixtureCopy('shop', BROKEN), { threads: 1 });
    const skippedByFailFast = results.nodes.filter((n) => n.skippedBecause?.startsWith('--fail-fast'));
    expect(skippedByFailFast).toEqual([]);
    expect(results.nodes.filter((n) => n.status === 'success').map((n) => n.name)).toEqual(expect.arrayContaining(['orders_landed', 'orders']));
  });
});

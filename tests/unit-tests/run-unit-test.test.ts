import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatRowDiff } from '../../src/execute/row-diff.js';
import { runUnitTest, UnitTestRunner, type UnitTestResult } from '../../src/execute/run-unit-test.js';
import { loadUnitTests, type UnitTest } from '../../src/load/load-unit-tests.js';
import { checkUnitTests } from '../../src/validate/check-unit-tests.js';
import type { CompiledProject } from '../../src/project/nodes.js';
import { compileDir, fixtureCopy } from '../helpers/project.js';
import { CUSTOMER_REVENUE_YML, CUSTOMERS_CSV, ORDER_FACTS_YML } from './shop-unit-tests.js';
import { createUnitTestSandbox } from '../../src/adapters/create-adapter.js';

const UNIT_FILES = {
  'tests/unit/customer_revenue.yml': CUSTOMER_REVENUE_YML,
  'tests/unit/fixtures/customers.csv': CUSTOMERS_CSV,
  'tests/unit/order_facts.yml': ORDER_FACTS_YML,
};

async function shopWithUnitTests(edit?: (dir: string) => void): Promise<{ dir: string; project: CompiledProject; tests: UnitTest[] }> {
  const dir = fixtureCopy('shop', UNIT_FILES);
  edit?.(dir);
  const project = await compileDir(dir);
  const { tests, diagnostics } = await loadUnitTests(dir, 'tests');
  expect(diagnostics).toEqual([]);
  expect(checkUnitTests(tests, project)).toEqual([]);
  return { dir, project, tests };
}

function named(tests: readonly UnitTest[], name: string): UnitTest {
  const test = tests.find((t) => t.name === name);
  if (!test) throw new Error(`no unit test ${name}`);
  return test;
}

function explain(result: UnitTestResult): string {
  return [result.message ?? '', result.diff ? formatRowDiff(result.diff) : '', result.tableDiff ? formatRowDiff(result.tableDiff) : ''].join('\n');
}

describe('unit tests that pass', () => {
  let dir: string;
  let project: CompiledProject;
  let tests: UnitTest[];
  let runner: UnitTestRunner;
  beforeAll(async () => {
    ({ dir, project, tests } = await shopWithUnitTests());
    runner = new UnitTestRunner(project, { sandbox: createUnitTestSandbox(), compileWithVars: (vars) => compileDir(dir, { vars }) });
    await runner.open();
  });
  afterAll(() => runner.close());

  it('checks a model that inlines an ephemeral model, from given rows only', async () => {
    const result = await runner.run(named(tests, 'revenue_counts_paid_orders_only'));
    expect(result.status, explain(result)).toBe('pass');
    expect(result.location).toMatchObject({ file: 'tests/unit/customer_revenue.yml', line: 2 });
  });

  it('re-renders the model with var overrides and reads a CSV input', async () => {
    const result = await runner.run(named(tests, 'vip_threshold_comes_from_vars'));
    expect(result.status, explain(result)).toBe('pass');
  });

  it('runs is_incremental() against `this` rows and checks the merged table', async () => {
    const result = await runner.run(named(tests, 'order_facts_merges_new_and_changed_orders'));
    expect(result.status, explain(result)).toBe('pass');
  });

  it('runs the full-build SQL of an incremental model when `this` is not given', async () => {
    const result = await runner.run(named(tests, 'order_facts_first_build_takes_everything'));
    expect(result.status, explain(result)).toBe('pass');
  });

  it('gives each test fresh tables: rows of one test are gone in the next', async () => {
    for (const name of ['order_facts_merges_new_and_changed_orders', 'order_facts_first_build_takes_everything', 'order_facts_merges_new_and_changed_orders']) {
      const result = await runner.run(named(tests, name));
      expect(result.status, explain(result)).toBe('pass');
    }
  });
});

describe('unit tests that catch a logic bug', () => {
  it('names the wrong value when the vip boundary is planted as > instead of >=', async () => {
    const { project, tests } = await shopWithUnitTests((dir) => {
      const file = path.join(dir, 'models/platinum/customer_revenue.sql');
      const sql = readFileSync(file, 'utf8');
      expect(sql).toContain(') >= {{');
      writeFileSync(file, sql.replace(') >= {{', ') > {{'));
    });
    const result = await runUnitTest(named(tests, 'revenue_counts_paid_orders_only'), project, { sandbox: createUnitTestSandbox() });
    expect(result.status).toBe('fail');
    expect(result.diff?.changed).toEqual([
      { expected: { customer_id: 'C1', revenue_usd: 100, tier: 'vip' }, actual: expect.objectContaining({ customer_id: 'C1', tier: 'regular' }), columns: ['tier'] },
    ]);
    const text = formatRowDiff(result.diff!);
    console.log(`planted bug, as the CLI would print it:\n${result.message}\n${text}`);
    expect(text).toContain('1 changed');
    expect(text).toMatch(/^- C1 +\| 100 +\| vip +\(expected\)$/m);
    expect(text).toMatch(/^\+ C1 +\| 100\.00 +\| regular +\(actual\)$/m);
  });

  it('catches an incremental filter that drops the latest day (> instead of >=) in the merged table', async () => {
    const { project, tests } = await shopWithUnitTests((dir) => {
      const file = path.join(dir, 'models/platinum/order_facts.sql');
      writeFileSync(file, readFileSync(file, 'utf8').replace('order_date >= (select', 'order_date > (select'));
    });
    const result = await runUnitTest(named(tests, 'order_facts_merges_new_and_changed_orders'), project, { sandbox: createUnitTestSandbox() });
    expect(result.status).toBe('fail');
    expect(result.diff?.missing).toEqual([{ order_id: 2, is_paid: true }]);
    expect(result.tableDiff?.changed).toEqual([expect.objectContaining({ columns: ['is_paid'] })]);
    expect(result.message).toContain('expect_table: expected 3 rows, got 3: 1 changed');
  });

  it('says which expected column the model does not select', async () => {
    const { project, tests } = await shopWithUnitTests();
    const test = named(tests, 'order_facts_first_build_takes_everything');
    const wrong: UnitTest = { ...test, expect: { ...test.expect, data: { kind: 'rows', rows: [{ order_id: 1, amount: 10 }] } } };
    const result = await runUnitTest(wrong, project, { sandbox: createUnitTestSandbox() });
    expect(result.status).toBe('fail');
    expect(result.message).toContain('`order_facts` has no column amount (it selects order_id, customer_id, order_date, amount_usd, is_paid)');
  });
});

describe('unit tests that cannot run', () => {
  it('is an error, not a failure, when vars are given but the runner cannot re-render', async () => {
    const { project, tests } = await shopWithUnitTests();
    const result = await runUnitTest(named(tests, 'vip_threshold_comes_from_vars'), project, { sandbox: createUnitTestSandbox() });
    expect(result.status).toBe('error');
    expect(result.message).toContain('compileWithVars');
  });

  it('reports a model the runner cannot resolve as an error located at the test', async () => {
    const { project, tests } = await shopWithUnitTests();
    const test = { ...named(tests, 'revenue_counts_paid_orders_only'), model: 'customer_revenu' };
    const result = await runUnitTest(test, project, { sandbox: createUnitTestSandbox() });
    expect(result.status).toBe('error');
    expect(result.message).toContain('did you mean `customer_revenue`?');
  });

  it('reports an input that lacks a column the model reads, at the model', async () => {
    const { project, tests } = await shopWithUnitTests();
    const test = named(tests, 'order_facts_first_build_takes_everything');
    const given = test.given[0]!;
    const wrong: UnitTest = { ...test, given: [{ ...given, data: { kind: 'rows', rows: [{ order_id: 1, customer_id: 'C1' }] } }] };
    const result = await runUnitTest(wrong, project, { sandbox: createUnitTestSandbox() });
    expect(result.status).toBe('error');
    expect(result.message).toMatch(/^`order_facts` failed on the given rows: Binder Error: .*order_date.*\(does every input give the columns the model reads\?\)$/);
    expect(result.location).toEqual({ file: 'models/platinum/order_facts.sql', line: 1, column: 1 });
  });

  it('reports a `this` column the model does not select', async () => {
    const { project, tests } = await shopWithUnitTests();
    const test = named(tests, 'order_facts_merges_new_and_changed_orders');
    const wrong: UnitTest = { ...test, this: { ...test.this!, data: { kind: 'rows', rows: [{ order_id: 1, paid: true }] } } };
    const result = await runUnitTest(wrong, project, { sandbox: createUnitTestSandbox() });
    expect(result.status).toBe('error');
    expect(result.message).toContain('this: `order_facts` has no column paid');
  });
});

describe('unit tests from the CLI', async () => {
  const { charter, repoRoot } = await import('../helpers/project.js');

  it('charter test --unit runs them without building anything, and a planted bug fails with a row diff', async () => {
    const files = { 'tests/unit/customer_revenue.yml': CUSTOMER_REVENUE_YML, 'tests/unit/fixtures/customers.csv': CUSTOMERS_CSV };
    const dir = fixtureCopy('shop', files);
    const ok = (await charter(['test', '--unit'], dir));
    expect(ok.stdout).toMatch(/PASS +revenue_counts_paid_orders_only/);
    expect(ok.code).toBe(0);
    // Recorded like any run: run_results.json holds the unit tests.
    const results = JSON.parse(readFileSync(path.join(dir, 'target', 'run_results.json'), 'utf8'));
    expect(results.metadata.command).toBe('test --unit');
    expect(results.tests.map((t: { name: string; status: string }) => `${t.name}:${t.status}`)).toContain('revenue_counts_paid_orders_only:pass');
    const planted = fixtureCopy('shop', {
      ...files,
      'models/platinum/customer_revenue.sql': readFileSync(path.join(repoRoot, 'tests/fixtures/shop/models/platinum/customer_revenue.sql'), 'utf8').replace('>=', '>'),
    });
    const bad = (await charter(['test', '--unit'], planted));
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/FAIL +revenue_counts_paid_orders_only/);
    expect(bad.stdout).toContain('(expected)');
    expect(bad.stdout).toContain('(actual)');
    // build runs the unit test before the model and does not build it when it fails
    const build = (await charter(['build'], planted));
    expect(build.code).toBe(1);
    expect(build.stdout).toMatch(/ERROR +table +"shop"\."PLATINUM"\."customer_revenue"/);
  });
});

describe('a column the given rows leave out', async () => {
  const { charter } = await import('../helpers/project.js');

  it("is NULL when the input's contract names it, as in dbt", async () => {
    // orders' contract types order_date; the rows leave it out, and order_facts selects it.
    const dir = fixtureCopy('shop', {
      'tests/unit/order_facts.yml': `unit_tests:
  - name: order_date_left_out
    model: order_facts
    given:
      - input: ref('orders')
        rows:
          - {order_id: 1, customer_id: C1, amount_usd: 10, is_paid: true}
    expect:
      rows:
        - {order_id: 1, customer_id: C1, order_date: null, amount_usd: 10, is_paid: true}
`,
    });
    const out = await charter(['test', '--unit'], dir);
    expect(out.stdout).toMatch(/PASS +order_date_left_out/);
    expect(out.code).toBe(0);
  });
});

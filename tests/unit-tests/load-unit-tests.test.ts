import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { loadUnitTests, parseInputRef, parseUnitTestFile, type UnitTest } from '../../src/load/load-unit-tests.js';
import { checkUnitTests } from '../../src/validate/check-unit-tests.js';
import { compileDir, fixtureCopy } from '../helpers/project.js';
import { CUSTOMER_REVENUE_YML, CUSTOMERS_CSV, marked, ORDER_FACTS_YML } from './shop-unit-tests.js';

const FILE = 'tests/unit/customer_revenue.yml';

/** Parses the fixture with `from` replaced by `to`; the « in `to` marks where the one expected error must point. */
function parseError(base: string, from: string, to: string): { diagnostic: Diagnostic; line: number; column: number } {
  expect(base).toContain(from);
  const { text, line, column } = marked(base.replace(from, to));
  const { diagnostics } = parseUnitTestFile(FILE, text, '/project');
  expect(diagnostics, JSON.stringify(diagnostics, null, 2)).toHaveLength(1);
  return { diagnostic: diagnostics[0] as Diagnostic, line, column };
}

/** Compiles the shop fixture and checks the fixture text with one edit against it. */
async function checkError(base: string, from: string, to: string): Promise<{ diagnostics: Diagnostic[]; line: number; column: number }> {
  expect(base).toContain(from);
  const { text, line, column } = marked(base.replace(from, to));
  const dir = fixtureCopy('shop', { [FILE]: text, 'tests/unit/fixtures/customers.csv': CUSTOMERS_CSV });
  const loaded = await loadUnitTests(dir, 'tests');
  expect(loaded.diagnostics).toEqual([]);
  return { diagnostics: checkUnitTests(loaded.tests, await compileDir(dir)), line, column };
}

describe('loading unit test files', () => {
  it('types every test, with inputs, CSV paths relative to the YAML file, vars and expectations', async () => {
    const dir = fixtureCopy('shop', { [FILE]: CUSTOMER_REVENUE_YML, 'tests/unit/fixtures/customers.csv': CUSTOMERS_CSV, 'tests/unit/order_facts.yml': ORDER_FACTS_YML });
    const { tests, diagnostics } = await loadUnitTests(dir, 'tests');
    expect(diagnostics).toEqual([]);
    expect(tests.map((t) => t.name)).toEqual([
      'revenue_counts_paid_orders_only',
      'vip_threshold_comes_from_vars',
      'order_facts_merges_new_and_changed_orders',
      'order_facts_first_build_takes_everything',
    ]);
    const [first, second] = tests as [UnitTest, UnitTest];
    expect(first.given.map((g) => g.label)).toEqual(["ref('customers')", "ref('orders')"]);
    expect(first.given[1]?.data).toMatchObject({ kind: 'rows', rows: expect.arrayContaining([expect.objectContaining({ order_date: '2024-01-05', amount_usd: 60.5 })]) });
    expect(second.given[0]?.data).toMatchObject({ kind: 'csv', path: 'tests/unit/fixtures/customers.csv' });
    expect(second.vars).toEqual({ vip_threshold: 1000 });
    expect(tests[2]?.this?.data.kind).toBe('rows');
    expect(tests[2]?.expectTable?.ordered).toBe(false);
    expect(first.location).toEqual({ file: FILE, line: 2, column: 11 });
  });

  it('reads both spellings of an input', () => {
    expect(parseInputRef(`ref("orders")`)).toEqual({ kind: 'ref', name: 'orders' });
    expect(parseInputRef(` source('legacy' , "customers") `)).toEqual({ kind: 'source', source: 'legacy', table: 'customers' });
    expect(parseInputRef('orders')).toBeUndefined();
  });

  it('has no tests and no errors when the project has no tests/unit folder', async () => {
    expect(await loadUnitTests(fixtureCopy('shop'), 'tests')).toEqual({ tests: [], diagnostics: [] });
  });
});

describe('located load errors', () => {
  it('points at a misspelt key and suggests the right one', () => {
    const { diagnostic, line, column } = parseError(CUSTOMER_REVENUE_YML, '    expect:\n      rows:\n        - {customer_id: C1, revenue_usd: 100', '    «exepct:\n      rows:\n        - {customer_id: C1, revenue_usd: 100');
    expect(diagnostic.location).toEqual({ file: FILE, line, column });
    expect(diagnostic.message).toBe('/unit_tests/0: unknown key `exepct`');
    expect(diagnostic.hint).toBe('did you mean `expect`?');
  });

  it('points at a misspelt key inside a given input', () => {
    const { diagnostic, line, column } = parseError(CUSTOMER_REVENUE_YML, "      - input: ref('orders')\n        rows:", "      - input: ref('orders')\n        «rwos:");
    expect(diagnostic.location).toEqual({ file: FILE, line, column });
    expect(diagnostic.hint).toBe('did you mean `rows`?');
  });

  it('says how to write an input it cannot read', () => {
    const { diagnostic, line, column } = parseError(CUSTOMER_REVENUE_YML, "input: ref('orders')", 'input: «orders');
    expect(diagnostic.location).toEqual({ file: FILE, line, column });
    expect(diagnostic.message).toBe(`expected ref('name') or source('source_name', 'table'), found "orders"`);
  });

  it('wants rows or a CSV file, not both', () => {
    const { diagnostic, line, column } = parseError(CUSTOMER_REVENUE_YML, '        csv: fixtures/customers.csv', '        «csv: fixtures/customers.csv\n        rows: []');
    expect(diagnostic.location).toEqual({ file: FILE, line, column });
    expect(diagnostic.message).toBe('give either `rows` or `csv`, not both');
  });

  it('reports a CSV file that does not exist where the YAML says', async () => {
    const dir = fixtureCopy('shop', { [FILE]: CUSTOMER_REVENUE_YML });
    const { diagnostics } = await loadUnitTests(dir, 'tests');
    expect(diagnostics.map((d) => d.message)).toEqual(['CSV file tests/unit/fixtures/customers.csv does not exist']);
    expect(diagnostics[0]?.location).toMatchObject({ file: FILE, line: 27, column: 16 });
  });

  it('reports two tests with one name', async () => {
    const dir = fixtureCopy('shop', { [FILE]: CUSTOMER_REVENUE_YML, 'tests/unit/fixtures/customers.csv': CUSTOMERS_CSV, 'tests/unit/again.yml': CUSTOMER_REVENUE_YML });
    const { tests, diagnostics } = await loadUnitTests(dir, 'tests');
    expect(tests).toHaveLength(2);
    expect(diagnostics.map((d) => d.message)).toEqual(['two unit tests are named `revenue_counts_paid_orders_only`', 'two unit tests are named `vip_threshold_comes_from_vars`']);
    // Files load in path order, so the copy in again.yml is the first and customer_revenue.yml repeats it.
    expect(diagnostics[0]?.location?.file).toBe(FILE);
    expect(diagnostics[0]?.hint).toBe('the other is at tests/unit/again.yml:2');
  });

  it('reports a YAML syntax error at its place and keeps going', () => {
    const { diagnostics } = parseUnitTestFile(FILE, 'unit_tests:\n  - name: [unclosed\n', '/project');
    expect(diagnostics[0]?.code).toBe('yaml.syntax');
  });
});

describe('checks against the compiled project', () => {
  it('names an unknown model and suggests the closest', async () => {
    const { diagnostics, line, column } = await checkError(CUSTOMER_REVENUE_YML, 'model: customer_revenue\n    description', 'model: «customer_revenu\n    description');
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({
      code: 'unit_test.invalid',
      message: 'unit test `revenue_counts_paid_orders_only`: unknown model `customer_revenu`',
      hint: 'did you mean `customer_revenue`?',
      location: { file: FILE, line, column },
    });
  });

  it('lists the inputs the test leaves out, at the model', async () => {
    const { diagnostics, line, column } = await checkError(
      CUSTOMER_REVENUE_YML,
      "    model: customer_revenue\n    description: unpaid orders earn nothing; 100 exactly is vip; a customer without orders is 0\n    given:\n      - input: ref('customers')",
      "    model: «customer_revenue\n    description: unpaid orders earn nothing; 100 exactly is vip; a customer without orders is 0\n    given:\n      - input: ref('customers_x')",
    );
    const missing = diagnostics.find((d) => d.message.includes('does not give'));
    expect(missing?.message).toBe("unit test `revenue_counts_paid_orders_only`: `customer_revenue` reads ref('customers'), which the test does not give");
    expect(missing?.location).toEqual({ file: FILE, line, column });
    const unknown = diagnostics.find((d) => d.message.includes('does not read'));
    expect(unknown?.hint).toBe("did you mean `ref('customers')`?");
  });

  it("says that an ephemeral model's inputs are given instead of it", async () => {
    const { diagnostics, line, column } = await checkError(CUSTOMER_REVENUE_YML, "      - input: ref('orders')\n        rows:\n          - {order_id: 1, customer_id: C1, order_date: 2024-01-05, amount_usd: 60.50", "      - input: «ref('paid_orders')\n        rows:\n          - {order_id: 1, customer_id: C1, order_date: 2024-01-05, amount_usd: 60.50");
    const ephemeral = diagnostics.find((d) => d.message.includes('ephemeral'));
    expect(ephemeral?.location).toEqual({ file: FILE, line, column });
    expect(ephemeral?.hint).toBe("give what it reads instead: ref('orders')");
  });

  it('accepts a seed loaded as a source when given either way, and rejects `this` on a view', async () => {
    const yml = `unit_tests:
  - name: landing_keeps_rows
    model: customers_landed
    given:
      - input: source('legacy', 'customers')
        rows: [{customer_id: c1, name: Ada, segment: enterprise}]
    «this: {rows: []}
    expect: {rows: [{customer_id: c1}]}
`;
    const { diagnostics, line, column } = await checkError(yml, 'this:', 'this:');
    expect(diagnostics.map((d) => d.message)).toEqual([
      'unit test `landing_keeps_rows`: `this` gives the existing table of an incremental model, but `customers_landed` is materialized as view',
    ]);
    expect(diagnostics[0]?.location).toEqual({ file: FILE, line, column });
  });

  it('wants the columns of an input given with no rows when nothing declares them', async () => {
    const yml = `unit_tests:
  - name: no_orders_no_facts
    model: order_facts
    given:
      - input: «ref('orders')
        rows: []
    expect: {rows: []}
`;
    const { diagnostics, line, column } = await checkError(yml, 'rows: []', 'rows: []');
    expect(diagnostics.map((d) => [d.message, d.hint])).toEqual([
      ["unit test `no_orders_no_facts`: ref('orders') has no rows, so its columns are unknown", 'add `columns: {name: TYPE, ...}` to the input'],
    ]);
    expect(diagnostics[0]?.location).toEqual({ file: FILE, line, column });
    const typed = await checkError(yml.replace('rows: []\n    expect', 'rows: []\n        columns: {order_id: "NUMBER(38,0)"}\n    expect'), 'rows: []', 'rows: []');
    expect(typed.diagnostics).toEqual([]);
  });
});

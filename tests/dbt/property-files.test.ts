// dbt property files under models/: tests and docs become contract tests; what charter cannot honour is said.
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/diagnostics/diagnostic.js';
import { enforcesColumns } from '../../src/load/load-contracts.js';
import { loadProject } from '../../src/load/load-project.js';
import { compile } from '../../src/pipeline/compile.js';
import { compileErrors, fixtureCopy } from '../helpers/project.js';
import { marked } from '../helpers/marker.js';

const at = (d: { location?: { file: string; line: number; column: number } }) => d.location && `${d.location.file}:${d.location.line}:${d.location.column}`;

describe('a property file beside a charter contract', () => {
  const SCHEMA = `version: 2
sources:
  - name: raw
    tables: [{name: orders_feed}]
models:
  - name: orders
    description: Orders over the minimum amount.
    columns:
      - name: order_id
        data_tests: [unique, not_null]
      - name: amount_usd
        data_type: NUMBER(18,2)
        tests:
          - dbt_utils.accepted_range:
              arguments: {min_value: 0}
              config: {severity: warn}
`;

  it('adds its tests to the contract, which still governs, and its sources still load', async () => {
    const dir = fixtureCopy('tiny', { 'models/silver/schema.yml': SCHEMA });
    const session = await compile({ projectDir: dir, format: false });
    const orders = session.dataTests.filter((t) => t.modelId.endsWith('.orders'));
    expect(orders.map((t) => [t.kind, t.column, t.severity])).toEqual([
      ['unique', 'order_id', 'error'],
      ['not_null', 'order_id', 'error'],
      ['range', 'amount_usd', 'warn'],
    ]);
    expect(orders[0]?.location).toMatchObject({ file: 'models/silver/schema.yml', line: 10 });
    const bound = [...session.contracts.byModel.values()].find((b) => b.governed.name === 'orders');
    expect(bound?.contract.fromProperties).toBeUndefined();
    expect(enforcesColumns(bound!.governed)).toBe(true);
    expect(session.loaded.sources.map((s) => `${s.sourceName}.${s.name}`)).toEqual(['raw.orders_feed']);
  });

  it('a column typed differently in the two is an error pointing at both', async () => {
    const { text, line, column } = marked(SCHEMA.replace('data_type: NUMBER(18,2)', '«data_type: VARCHAR'));
    const errors = await compileErrors(fixtureCopy('tiny', { 'models/silver/schema.yml': text }));
    const conflict = errors.find((d) => d.code === 'dbt.invalid');
    expect(conflict?.message).toMatch(/`orders\.amount_usd` is VARCHAR here but NUMBER\(18,2\) in contract `tiny_orders`/);
    expect(at(conflict!)).toBe(`models/silver/schema.yml:${line}:${column + 'data_type: '.length}`);
    expect(conflict?.detail).toMatch(/contracts\/orders\.yml:\d+:\d+/);
  });
});

describe('a property file on its own', () => {
  it('documents and tests without enforcing its column list (dbt\'s enforced: false)', async () => {
    const dir = fixtureCopy('tiny', {
      'models/platinum/schema.yml': 'version: 2\nmodels:\n  - name: big_orders\n    columns:\n      - name: not_a_column_of_it\n        description: listed, not enforced\n',
    });
    const loaded = await loadProject({ projectDir: dir });
    const fromFile = loaded.contracts.find((c) => c.fromProperties);
    expect(fromFile?.models[0]).toMatchObject({ name: 'big_orders', enforced: false });
    expect(enforcesColumns(fromFile!.models[0]!)).toBe(false);
  });

  it('with contract enforced, every column needs a data_type', async () => {
    const { text, line, column } = marked('version: 2\nmodels:\n  - name: big_orders\n    config: {contract: {enforced: true}}\n    columns:\n      «- name: order_id\n');
    const errors = await compileErrors(fixtureCopy('tiny', { 'models/platinum/schema.yml': text }));
    const d = errors.find((e) => e.code === 'dbt.invalid');
    expect(d?.message).toMatch(/contract enforced, so column `order_id` needs a data_type/);
    expect(at(d!)).toBe(`models/platinum/schema.yml:${line}:${column + 2}`);
  });

  it('describing a model that does not exist is an error at its name', async () => {
    const { text, line, column } = marked('version: 2\nmodels:\n  - name: «big_ordres\n    columns: [{name: order_id, data_tests: [unique]}]\n');
    const errors = await compile({ projectDir: fixtureCopy('tiny', { 'models/platinum/schema.yml': text }), format: false }).then(
      () => [],
      (e: unknown) => (e instanceof UserError ? e.diagnostics : Promise.reject(e)),
    );
    const d = errors.find((e) => e.code === 'contract.model_unknown');
    expect(d?.message).toBe('property file models/platinum/schema.yml describes unknown model `big_ordres`');
    expect(at(d!)).toBe(`models/platinum/schema.yml:${line}:${column}`);
    expect(d?.hint).toMatch(/big_orders/);
  });

  it('tests and data_tests on one node is an error, as in dbt', async () => {
    const { text, line, column } = marked('version: 2\nmodels:\n  - name: big_orders\n    columns:\n      - name: order_id\n        data_tests: [unique]\n        «tests: [not_null]\n');
    const errors = await compileErrors(fixtureCopy('tiny', { 'models/platinum/schema.yml': text }));
    const d = errors.find((e) => e.code === 'dbt.invalid');
    expect(d?.message).toMatch(/cannot have both 'tests' and 'data_tests'/);
    expect(at(d!)).toBe(`models/platinum/schema.yml:${line}:${column}`);
  });

  it('a test setting charter cannot run is an error at that test, past a skipped one', async () => {
    const { text, line } = marked(`version: 2
models:
  - name: big_orders
    columns:
      - name: order_id
        tests:
          - dbt_expectations.expect_column_values_to_be_unique
          «- accepted_values: {values: [1, 2], config: {error_if: "between 1 and 5"}}
`);
    const errors = await compileErrors(fixtureCopy('tiny', { 'models/platinum/schema.yml': text }));
    const d = errors.find((e) => /error_if/.test(e.message));
    expect(d?.message).toMatch(/failing-row threshold/);
    expect(d?.location).toMatchObject({ file: 'models/platinum/schema.yml', line });
  });

  it('warns, at file:line:col, about each construct it cannot honour', async () => {
    const { text, line, column } = marked(`version: 2
exposures: []
models:
  - name: big_orders
    columns:
      - name: order_id
        data_tests:
          - «relationships: {to: "source('raw', 'orders')", field: id}
          - unique: {config: {store_failures: true}}
`);
    const loaded = await loadProject({ projectDir: fixtureCopy('tiny', { 'models/platinum/schema.yml': text }) });
    const warnings = loaded.warnings.filter((w) => w.code === 'dbt.unsupported').map((w) => `${at(w)} ${w.message}`);
    expect(warnings).toEqual([
      'models/platinum/schema.yml:2:1 `exposures:` in a property file has no charter meaning and is ignored',
      `models/platinum/schema.yml:${line}:${column} relationships to \`source('raw', 'orders')\` has no charter meaning and is ignored`,
      expect.stringMatching(/^models\/platinum\/schema\.yml:9:\d+ test config `store_failures` has no charter meaning/),
    ]);
  });
});

// Unit tests (tests/unit/**/*.yml): YAML, keys, unknown models and inputs, missing inputs, data given wrongly.
import type { CorpusCase } from '../corpus-case.js';

const U = 'tests/unit/orders.yml';

/** A unit test of `orders` that is right but for what a case changes. */
const good = {
  head: 'unit_tests:\n  - name: amounts_round\n    model: orders\n    given:\n',
  input: "      - input: ref('orders_landed')\n        rows:\n          - {order_id: 1, customer_id: c1, order_date: 2024-11-02, amount_usd: 1.005, status: paid}\n",
  expect: '    expect:\n      rows:\n        - {order_id: 1, customer_id: c1, order_date: 2024-11-02, amount_usd: 1.01, is_paid: true}\n',
};
const unit = (text: string): Record<string, string> => ({ [U]: text });

export const UNIT_TEST_CASES: readonly CorpusCase[] = [
  {
    name: 'a unit test file that is not YAML',
    files: unit(`${good.head}${good.input}    expect:\n      rows: [{order_id: 1\n«`),
    expect: { code: 'yaml.syntax' },
  },
  {
    name: 'a unit test file without unit_tests',
    files: unit('«tests:\n  - name: x\n'),
    expect: { code: 'schema.invalid', message: /unknown key `tests`/ },
  },
  {
    name: 'a misspelt expect suggests the right one',
    files: unit(`${good.head}${good.input}    «exepct:\n      rows: []\n`),
    expect: { code: 'schema.invalid', hint: /`expect`/ },
  },
  {
    name: 'no expect at all',
    files: unit(`unit_tests:\n  - «name: amounts_round\n    model: orders\n    given:\n${good.input}`),
    expect: { code: 'schema.invalid', message: /missing required key `expect`/ },
  },
  {
    name: 'a misspelt given key suggests the right one',
    files: unit(`${good.head}      - input: ref('orders_landed')\n        «row:\n          - {order_id: 1}\n${good.expect}`),
    expect: { code: 'schema.invalid', hint: /`rows`/ },
  },
  {
    name: 'a test name with a space',
    files: unit(`unit_tests:\n  - name: «amounts round\n    model: orders\n    given:\n${good.input}${good.expect}`),
    expect: { code: 'schema.invalid', message: /name/ },
  },
  {
    name: 'an unknown model suggests the right one',
    files: unit(`unit_tests:\n  - name: amounts_round\n    model: «ordrs\n    given:\n${good.input}${good.expect}`),
    expect: { code: 'unit_test.invalid', hint: /`orders`/ },
  },
  {
    name: 'a unit test of a seed',
    files: unit(`unit_tests:\n  - name: seed_rows\n    model: «raw_orders\n${good.expect}`),
    expect: { code: 'unit_test.invalid', hint: /seed/ },
  },
  {
    name: 'a test that gives none of the inputs',
    files: unit(`unit_tests:\n  - name: amounts_round\n    model: «orders\n${good.expect}`),
    expect: { code: 'unit_test.invalid', message: /does not give/ },
  },
  {
    name: 'a test that gives one input of two',
    files: unit(`unit_tests:\n  - name: revenue\n    model: «customer_revenue\n    given:\n      - input: ref('customers')\n        rows: [{customer_id: c1, segment_label: X}]\n    expect:\n      rows: []\n`),
    expect: { code: 'unit_test.invalid', message: /ref\('orders'\)/ },
  },
  {
    name: 'an input the model does not read',
    files: unit(`${good.head}${good.input}      - input: «ref('customers')\n        rows: [{customer_id: c1}]\n${good.expect}`),
    expect: { code: 'unit_test.invalid', message: /does not read ref\('customers'\)/ },
  },
  {
    name: 'an input that names an unknown model, with a suggestion',
    files: unit(`${good.head}      - input: «ref('orders_landd')\n        rows: [{order_id: 1}]\n${good.expect}`),
    expect: { code: 'unit_test.invalid', hint: /orders_landed/ },
  },
  {
    name: 'an input that is neither ref() nor source()',
    files: unit(`${good.head}      - input: «orders_landed\n        rows: [{order_id: 1}]\n${good.expect}`),
    expect: { code: 'unit_test.invalid', message: /expected ref/ },
  },
  {
    name: 'an input given twice',
    files: unit(`${good.head}${good.input}      - input: «ref('orders_landed')\n        rows: []\n${good.expect}`),
    expect: { code: 'unit_test.invalid', message: /given twice/ },
  },
  {
    name: 'an ephemeral model given as an input',
    files: unit(`unit_tests:\n  - name: revenue\n    model: customer_revenue\n    given:\n      - input: ref('customers')\n        rows: [{customer_id: c1, segment_label: X}]\n      - input: «ref('paid_orders')\n        rows: [{customer_id: c1, amount_usd: 1}]\n    expect:\n      rows: []\n`),
    expect: { code: 'unit_test.invalid', message: /ephemeral/ },
  },
  {
    name: 'an input with both rows and csv',
    files: unit(`${good.head}      - input: ref('orders_landed')\n        rows: []\n        «csv: orders.csv\n${good.expect}`),
    expect: { code: 'unit_test.invalid', message: /not both/ },
  },
  {
    name: 'an input with neither rows nor csv',
    files: unit(`${good.head}      - «input: ref('orders_landed')\n${good.expect}`),
    expect: { code: 'unit_test.invalid', message: /found neither/ },
  },
  {
    name: 'an empty input without columns',
    files: unit(`unit_tests:\n  - name: revenue\n    model: customer_revenue\n    given:\n      - input: ref('customers')\n        rows: [{customer_id: c1, segment_label: X}]\n      - input: «ref('orders')\n        rows: []\n    expect:\n      rows: []\n`),
    expect: { code: 'unit_test.invalid', message: /no rows/ },
  },
  {
    name: 'two tests with one name',
    files: unit(`${good.head}${good.input}${good.expect}  - name: «amounts_round\n    model: orders\n    given:\n${good.input}${good.expect}`),
    expect: { code: 'unit_test.invalid', message: /two unit tests/ },
  },
  {
    name: '`this` for a model that is not incremental',
    files: unit(`${good.head}${good.input}    «this:\n      rows: []\n${good.expect}`),
    expect: { code: 'unit_test.invalid', message: /`this`/ },
  },
  {
    name: '`expect_table` for a model that is not incremental',
    files: unit(`${good.head}${good.input}${good.expect}    «expect_table:\n      rows: []\n`),
    expect: { code: 'unit_test.invalid', message: /expect_table/ },
  },
  {
    name: 'an unknown model, found by test --unit',
    files: unit(`unit_tests:\n  - name: amounts_round\n    model: «ordrs\n    given:\n${good.input}${good.expect}`),
    args: ['test', '--unit'],
    expect: { code: 'unit_test.invalid', hint: /`orders`/ },
  },
  {
    name: 'a missing input, found by test --unit',
    files: unit(`unit_tests:\n  - name: amounts_round\n    model: «orders\n${good.expect}`),
    args: ['test', '--unit'],
    expect: { code: 'unit_test.invalid', message: /does not give/ },
  },
  {
    name: 'a YAML alias bomb in a unit test file',
    files: unit('a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n'),
    expect: { code: 'yaml.syntax', file: U, line: 1, column: 1, message: /alias/ },
  },
  {
    name: 'given rows that are not mappings',
    files: unit(`${good.head}      - input: ref('orders_landed')\n        rows: [«1, 2]\n${good.expect}`),
    expect: { code: 'schema.invalid', message: /must be object/ },
  },
  {
    name: 'test vars that are not a mapping',
    files: unit(`${good.head}${good.input}    vars: «5\n${good.expect}`),
    expect: { code: 'schema.invalid', message: /\/vars/ },
  },
];

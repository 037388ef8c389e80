// Contracts: YAML, unknown keys, types, SLO strings, bounds, unknown models and relationship targets, duplicates.
import type { CorpusCase } from '../corpus-case.js';
import { edit } from '../shop-files.js';

const C = 'contracts/orders.yml';
const change = (from: string, to: string): Record<string, string> => ({ [C]: edit(C, from, to) });

export const CONTRACT_CASES: readonly CorpusCase[] = [
  // YAML and shape
  {
    name: 'a contract that is not YAML',
    files: change('    data_type: NUMBER(38,0)', '«   data_type: NUMBER(38,0)'),
    expect: { code: 'yaml.syntax' },
  },
  {
    name: 'a contract with a key given twice',
    files: change('description: Cleaned orders, one row per order.', 'description: Cleaned orders, one row per order.\n«description: again'),
    expect: { code: 'yaml.syntax' },
  },
  {
    name: 'a misspelt top-level contract key suggests the right one',
    files: change('columns:\n  - name: order_id', '«colums:\n  - name: order_id'),
    expect: { code: 'schema.invalid', hint: /`columns`/ },
  },
  {
    name: 'a misspelt column key suggests the right one',
    files: change('    data_type: DATE', '    «data_typ: DATE'),
    expect: { code: 'schema.invalid', hint: /`data_type`/ },
  },
  {
    name: 'a misspelt constraint suggests the right one',
    files: change('      not_null: true', '      «not_nul: true'),
    expect: { code: 'schema.invalid', hint: /`not_null`/ },
  },
  {
    name: 'a misspelt quality_slo key suggests the right one',
    files: change('  drift_psi: "<=0.25 for amount_usd"', '  «drift_ps: "<=0.25 for amount_usd"'),
    expect: { code: 'schema.invalid', hint: /`drift_psi`/ },
  },
  {
    name: 'a contract without a name',
    files: change('name: shop_orders\n', ''),
    expect: { code: 'schema.invalid', file: C, line: 1, column: 1, message: /missing required key `name`/ },
  },
  {
    name: 'a version that is not semver',
    files: change('version: 1.0.0', 'version: «v1'),
    expect: { code: 'schema.invalid', message: /semantic version/ },
  },
  {
    name: 'an unknown status',
    files: change('version: 1.0.0', 'version: 1.0.0\nstatus: «live'),
    expect: { code: 'schema.invalid', message: /live/ },
  },
  {
    name: 'an unknown column classification',
    files: change('    classification: pii', '    classification: «secret'),
    expect: { code: 'schema.invalid', message: /secret/ },
  },
  {
    name: 'a column without a name',
    files: change('  - name: is_paid\n    data_type: BOOLEAN', '  - «data_type: BOOLEAN'),
    expect: { code: 'schema.invalid', message: /missing required key `name`/ },
  },
  {
    name: 'owners that are not a list',
    files: change('owners: [data-shop@example.com]', 'owners: «data-shop@example.com'),
    expect: { code: 'schema.invalid', message: /\/owners/ },
  },
  {
    name: 'an unquoted NUMBER(18,2) in a flow mapping',
    files: change('  - name: amount_usd\n    data_type: NUMBER(18,2)\n    constraints:\n      range: {min: 0}', '  - {name: amount_usd, data_type: NUMBER(18,«2)}'),
    expect: { code: 'schema.invalid', hint: /quote a type with a comma/ },
  },
  {
    name: 'a contract file that is empty',
    files: { [C]: '' },
    expect: { code: 'schema.invalid', file: C, line: 1, column: 1 },
  },
  {
    name: 'a contract that is a list',
    files: { [C]: '«- name: shop_orders\n  model: orders\n' },
    expect: { code: 'schema.invalid' },
  },
  // types
  {
    name: 'a misspelt type suggests the right one',
    files: change('    data_type: NUMBER(38,0)', '    data_type: «NUMBR(38,0)'),
    expect: { code: 'contract.invalid', hint: /NUMBER/ },
  },
  {
    name: 'an unknown type',
    files: change('    data_type: BOOLEAN', '    data_type: «BOOL_FLAG'),
    expect: { code: 'contract.invalid', message: /BOOL_FLAG/ },
  },
  {
    name: 'a type with an unclosed parenthesis',
    files: change('    data_type: NUMBER(38,0)', '    data_type: «"NUMBER(38,"'),
    expect: { code: 'schema.invalid', message: /Snowflake data type/ },
  },
  {
    name: 'a masking policy that is not a name',
    files: change('    classification: pii', '    classification: pii\n    masking_policy: «mask pii'),
    expect: { code: 'schema.invalid', message: /masking_policy/ },
  },
  // SLOs
  {
    name: 'a completeness SLO with a bad threshold',
    files: change('  completeness: "null_rate(customer_id) <= 0%"', '  completeness: «"null_rate(customer_id) <= banana"'),
    expect: { code: 'contract.slo_invalid' },
  },
  {
    name: 'a completeness SLO that is not a null rate',
    files: change('  completeness: "null_rate(customer_id) <= 0%"', '  completeness: «"customer_id is mostly filled"'),
    expect: { code: 'contract.slo_invalid' },
  },
  {
    name: 'a drift SLO without a column',
    files: change('  drift_psi: "<=0.25 for amount_usd"', '  drift_psi: «"<=0.25"'),
    expect: { code: 'contract.slo_invalid' },
  },
  {
    name: 'a drift SLO with a word for a number',
    files: change('  drift_psi: "<=0.25 for amount_usd"', '  drift_psi: «"<=low for amount_usd"'),
    expect: { code: 'contract.slo_invalid' },
  },
  {
    name: 'a freshness string with a bad duration',
    files: change('      freshness: {max_age: 30d, as_of: "2024-12-31"}', '      freshness: «"<=36 hours"'),
    expect: { code: 'contract.slo_invalid' },
  },
  {
    name: 'a freshness max_age with a bad duration',
    files: change('      freshness: {max_age: 30d, as_of: "2024-12-31"}', '      freshness: {max_age: «30 days, as_of: "2024-12-31"}'),
    expect: { code: 'schema.invalid', message: /duration/ },
  },
  {
    name: 'a freshness as_of that is not a date',
    files: change('      freshness: {max_age: 30d, as_of: "2024-12-31"}', '      freshness: {max_age: 30d, as_of: «"yesterday"}'),
    expect: { code: 'schema.invalid', message: /as_of/ },
  },
  {
    name: 'a volume with min above max',
    files: change('  volume: {min: 1, max: 1000}', '  volume: {min: «10, max: 1}'),
    expect: { code: 'contract.slo_invalid', message: /min/ },
  },
  {
    name: 'a volume with a negative min',
    files: change('  volume: {min: 1, max: 1000}', '  volume: {min: «-1, max: 1000}'),
    expect: { code: 'schema.invalid', message: /volume\/min/ },
  },
  {
    name: 'a max_null_rate above 1',
    files: change('  completeness: "null_rate(customer_id) <= 0%"', '  completeness: {column: customer_id, max_null_rate: «5}'),
    expect: { code: 'schema.invalid', message: /max_null_rate/ },
  },
  {
    name: 'drift with one bin',
    files: change('  drift_psi: "<=0.25 for amount_usd"', '  drift: {column: amount_usd, bins: «1}'),
    expect: { code: 'schema.invalid', message: /bins/ },
  },
  // bounds and tests
  {
    name: 'a range with min above max',
    files: change('      range: {min: 0}', '      range: {min: «10, max: 1}'),
    expect: { code: 'contract.invalid', message: /min/ },
  },
  {
    name: 'a range with neither min nor max',
    files: change('      range: {min: 0}', '      range: «{}'),
    expect: { code: 'contract.invalid', message: /neither/ },
  },
  {
    name: 'a row_count with min above max',
    files: change('  - row_count: {min: 1}', '  - row_count: {min: «5, max: 2}'),
    expect: { code: 'contract.invalid', message: /min/ },
  },
  {
    name: 'a column test with two kinds in one item',
    files: change('    data_type: BOOLEAN', '    data_type: BOOLEAN\n    tests:\n      - «{not_null: {}, unique: {}}'),
    expect: { code: 'schema.invalid', message: /exactly one key/ },
  },
  {
    name: 'a misspelt column test suggests the right one',
    files: change('    data_type: BOOLEAN', '    data_type: BOOLEAN\n    tests:\n      - «not_nul: {}'),
    expect: { code: 'schema.invalid', hint: /`not_null`/ },
  },
  {
    name: 'accepted_values with no values',
    files: change('    data_type: BOOLEAN', '    data_type: BOOLEAN\n    constraints:\n      accepted_values: {values: «[]}'),
    expect: { code: 'schema.invalid', message: /values/ },
  },
  {
    name: 'an error_if that is not a threshold',
    files: change('    data_type: BOOLEAN', '    data_type: BOOLEAN\n    tests:\n      - not_null: {error_if: «"more than 3"}'),
    expect: { code: 'schema.invalid', message: /threshold/ },
  },
  {
    name: 'a test severity that is unknown',
    files: change('    data_type: BOOLEAN', '    data_type: BOOLEAN\n    tests:\n      - not_null: {severity: «fatal}'),
    expect: { code: 'schema.invalid', message: /fatal/ },
  },
  {
    name: 'a column declared twice',
    files: change('  - name: is_paid\n    data_type: BOOLEAN', '  - name: is_paid\n    data_type: BOOLEAN\n  - name: «IS_PAID\n    data_type: BOOLEAN'),
    expect: { code: 'contract.invalid', message: /declared twice/ },
  },
  {
    name: 'both model and models',
    files: change('description: Cleaned orders, one row per order.', 'description: Cleaned orders, one row per order.\n«models:\n  - name: order_facts'),
    expect: { code: 'contract.invalid', message: /either `model`/ },
  },
  {
    name: 'top-level columns with no model',
    files: change('model: orders\n', 'models:\n  - name: orders\n'),
    expect: { code: 'contract.invalid', file: C, line: 7, column: 1, message: /top-level `columns`/ },
  },
  {
    name: 'a model listed twice in a data product',
    files: { [C]: 'name: shop_product\nmodels:\n  - name: orders\n  - name: «orders\n' },
    expect: { code: 'contract.invalid', message: /listed twice/ },
  },
  // cross-references
  {
    name: 'a contract for an unknown model suggests the right one',
    files: change('model: orders', 'model: «ordres'),
    expect: { code: 'contract.model_unknown', hint: /`orders`/ },
  },
  {
    name: 'a contract for a seed',
    files: change('model: orders', 'model: «raw_orders'),
    expect: { code: 'contract.model_unknown', hint: /seed/ },
  },
  {
    name: 'a data product naming an unknown model',
    files: { [C]: 'name: shop_product\nmodels:\n  - name: orders\n  - name: «order_fact\n' },
    expect: { code: 'contract.model_unknown', hint: /`order_facts`/ },
  },
  {
    name: 'a relationship to an unknown model',
    files: change('      relationships: {to: customers, field: customer_id}', '      relationships: {to: «customer, field: customer_id}'),
    expect: { code: 'contract.relationship_unknown', hint: /`customers`/ },
  },
  {
    name: 'a relationship test to an unknown model',
    files: change('    data_type: BOOLEAN', '    data_type: BOOLEAN\n  - name: segment\n    tests:\n      - relationships: {to: «segments, field: id}'),
    expect: { code: 'contract.relationship_unknown' },
  },
  {
    name: 'two contracts for one model',
    files: { 'contracts/orders_again.yml': 'name: orders_again\nmodel: «orders\n' },
    expect: { code: 'contract.duplicate', message: /two contracts/ },
  },
  {
    name: 'a contract for a model disabled by config',
    files: { 'models/silver/orders.sql': `{{ config(enabled=false) }}\n${edit('models/silver/orders.sql', 'select', 'select')}`, 'models/platinum/order_facts.sql': null, 'models/platinum/customer_revenue.sql': null, 'models/silver/paid_orders.sql': null, [C]: 'name: shop_orders\nmodel: «orders\n' },
    expect: { code: 'contract.model_unknown' },
  },
  {
    name: 'a YAML alias bomb in a contract',
    files: { [C]: 'a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n' },
    expect: { code: 'yaml.syntax', file: C, line: 1, column: 1, message: /alias/ },
  },
  {
    name: 'a freshness as_of naming a var with no value',
    files: change('      freshness: {max_age: 30d, as_of: "2024-12-31"}', `      freshness: «{max_age: 30d, as_of: "{{ var('nope') }}"}`),
    expect: { code: 'var.missing', message: /nope/ },
  },
];

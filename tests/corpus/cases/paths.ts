// paths: in project.yml: folders outside the project, and errors found in relocated folders, located there.
import type { CorpusCase } from '../corpus-case.js';
import { edit, shopFile } from '../shop-files.js';

const P = 'project.yml';
const withPaths = (lines: string): string => edit(P, 'vars:', `paths:\n${lines}\nvars:`);

export const PATH_CASES: readonly CorpusCase[] = [
  {
    name: 'a models folder outside the project',
    files: { [P]: withPaths('  models: «../../elsewhere') },
    expect: { code: 'project.invalid', message: /outside the project/ },
  },
  {
    name: 'an absolute models folder',
    files: { [P]: withPaths('  models: «/etc') },
    expect: { code: 'project.invalid', message: /outside the project/ },
  },
  {
    name: 'a contracts folder outside the project',
    files: { [P]: withPaths('  contracts: «../contracts') },
    expect: { code: 'project.invalid', message: /outside the project/ },
  },
  {
    name: 'a target folder outside the project',
    files: { [P]: withPaths('  target: «../target') },
    expect: { code: 'project.invalid', message: /outside the project/ },
  },
  {
    name: 'the project folder itself as the target folder',
    files: { [P]: withPaths('  target: «.') },
    expect: { code: 'project.invalid', message: /project directory itself/ },
  },
  {
    name: 'an error in a relocated models folder is located there',
    files: {
      [P]: withPaths('  models: transformations'),
      models: null,
      'transformations/sources.yml': shopFile('models/sources.yml'),
      'transformations/silver/orders.sql': "select * from {{ «ref('orders_landd') }}",
      'transformations/bronze/orders_landed.sql': shopFile('models/bronze/orders_landed.sql'),
      'transformations/silver/customers.sql': "select * from {{ source('legacy', 'customers') }}",
    },
    expect: { code: 'ref.unknown', hint: /orders_landed/ },
  },
  {
    name: 'an error in a relocated contracts folder is located there',
    files: { [P]: withPaths('  contracts: governance'), contracts: null, 'governance/orders.yml': edit('contracts/orders.yml', 'model: orders', 'model: «ordres') },
    expect: { code: 'contract.model_unknown', hint: /`orders`/ },
  },
  {
    name: 'an error in a relocated macros folder is located there',
    files: { [P]: withPaths('  macros: lib'), macros: null, 'lib/money.sql': shopFile('macros/money.sql'), 'lib/broken.sql': '{% macro m(x) %}\n  {{ x + «}}\n{% endmacro %}' },
    expect: { code: 'template.syntax' },
  },
  {
    name: 'an error in a relocated seeds folder is located there',
    files: {
      [P]: withPaths('  seeds: data'),
      seeds: null,
      'data/raw_orders.csv': shopFile('seeds/raw_orders.csv'),
      'data/raw_orders.yml': edit('seeds/raw_orders.yml', 'columns:', '«colums:'),
    },
    expect: { code: 'schema.invalid', hint: /`columns`/ },
  },
  {
    name: 'a singular test in a relocated tests folder is located there',
    files: { [P]: withPaths('  tests: checks'), 'checks/orders_positive.sql': "select * from {{ «ref('ordrs') }} where amount_usd < 0" },
    expect: { code: 'ref.unknown', hint: /`orders`/ },
  },
  {
    name: 'a unit test in a relocated tests folder is located there',
    files: { [P]: withPaths('  tests: checks'), 'checks/unit/orders.yml': 'unit_tests:\n  - name: t\n    model: «ordrs\n    expect: {rows: []}\n' },
    expect: { code: 'unit_test.invalid', hint: /`orders`/ },
  },
  {
    name: '--project-dir naming a folder without project.yml',
    files: {},
    args: ['compile', '--project-dir', 'models'],
    expect: { code: 'project.missing', file: null },
  },
  {
    name: 'a models folder that does not exist',
    files: { [P]: withPaths('  models: «modles') },
    expect: { code: 'project.invalid', message: /modles/ },
  },
  {
    name: 'a seeds folder that is a file',
    files: { [P]: withPaths('  seeds: «seeds/raw_orders.csv') },
    expect: { code: 'project.invalid', message: /seeds/ },
  },
];

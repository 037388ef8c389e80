// Bad inputs charter does not handle well yet: each with the diagnostic a demanding user expects, and what happens today.
// They are not run with the corpus. `CORPUS_GAPS=1 npx vitest run tests/corpus` runs them; move a case to
// cases/ once it passes.
import type { KnownGap } from './corpus-case.js';
import { ALIAS_BOMB, edit, shopFile } from './shop-files.js';

const P = 'project.yml';
const NEW = 'models/platinum/broken.sql';
const M = 'macros/broken.sql';
const Y = 'seeds/raw_orders.yml';
const U = 'tests/unit/orders.yml';
const HEADER = 'order_id,customer_id,order_date,amount_usd,status\n';
const unitInput = "      - input: ref('orders_landed')\n";
const unitExpect = '    expect:\n      rows: []\n';

export const KNOWN_GAPS: readonly KnownGap[] = [
  // project.yml
  {
    name: 'an unterminated quoted string points at its opening quote',
    files: { [P]: edit(P, "as_of_date: '2024-12-31'", "as_of_date: «'2024-12-31") },
    expect: { code: 'yaml.syntax' },
    today: 'yaml.syntax at project.yml:27:1, a line past the end of the 26-line file (where the parser gave up)',
  },
  {
    name: 'a YAML alias bomb in project.yml is a YAML error',
    files: { [P]: `${shopFile(P)}«x:\n  ${ALIAS_BOMB.replace(/\n/g, '\n  ')}` },
    expect: { code: 'yaml.syntax', message: /alias/ },
    today: 'yaml.syntax "its aliases expand too far" at project.yml:1:1, not at the key where the bomb starts (exit 70 before this change)',
  },
  {
    name: 'YAML nested too deeply in project.yml says so',
    files: { [P]: edit(P, 'vars:', `vars:\n  x: «${'['.repeat(5000)}${']'.repeat(5000)}`) },
    expect: { code: 'yaml.syntax', message: /nested too deeply/ },
    today: 'some 35 yaml.syntax errors "invalid YAML: Maximum call stack size exceeded" (a JavaScript internal message), the first at 21:826; contracts say "nested too deeply to read"',
  },
  // models
  {
    name: 'ref() to a model disabled in its config points at the ref',
    files: {
      'models/silver/customers.sql': edit('models/silver/customers.sql', "{{ config(unique_key='customer_id') }}", "{{ config(unique_key='customer_id', enabled=false) }}"),
      'models/platinum/customer_revenue.sql': null,
      [NEW]: "select *\nfrom {{ ref('orders') }} o\njoin {{ «ref('customers') }} c using (customer_id)",
    },
    expect: { code: 'ref.unknown', message: /disabled/ },
    today: 'ref.unknown "names a model that is disabled" at models/platinum/broken.sql:1:1',
  },
  {
    name: 'ref() to a model disabled by a folder default points at the ref',
    files: {
      [P]: edit(P, '  platinum: { materialized: table, tags: [mart] }', '  platinum: { materialized: table, tags: [mart] }\n  silver/old: { enabled: false }'),
      'models/silver/old/legacy.sql': 'select 1 as x',
      [NEW]: "select *\nfrom {{ «ref('legacy') }}",
    },
    expect: { code: 'ref.unknown', message: /disabled/ },
    today: 'ref.unknown at models/platinum/broken.sql:1:1',
  },
  {
    name: 'ref() with no name says a name is needed, at the call',
    files: { [NEW]: 'select * from {{ «ref() }}' },
    expect: { code: 'ref.unknown', message: /name/ },
    today: "ref.unknown \"ref('undefined') names no model or seed\" at 1:1",
  },
  {
    name: 'source() with one argument says a table is needed, at the call',
    files: { [NEW]: "select 1 as x\nunion all\nselect * from {{ «source('legacy') }}" },
    expect: { code: 'source.unknown', message: /table/ },
    today: "source.unknown \"source('legacy', 'undefined') is not declared\" at 1:1, no hint",
  },
  {
    name: 'ref() of a variable is located at the call',
    files: { [NEW]: "{% set m = 'ordrs' %}\nselect * from {{ «ref(m) }}" },
    expect: { code: 'ref.unknown', hint: /`orders`/ },
    today: 'ref.unknown at 1:1: the location is found by searching the text for the literal name',
  },
  {
    name: 'a config key also named in a comment is located at the config() call',
    files: { [NEW]: "-- materialised = table is what we want\n{{ config(«materialised='table') }}\nselect 1 as x" },
    expect: { code: 'config.invalid', hint: /`materialized`/ },
    today: 'config.invalid at 1:4, inside the comment (the first text match)',
  },
  {
    name: 'config() with a positional argument says config takes keywords',
    files: { [NEW]: "{{ config(«'table') }}\nselect 1 as x" },
    expect: { code: 'config.invalid', message: /keyword|materialized=/ },
    today: 'five config.invalid errors at 1:1, "config() has no key `0`" ... "`4`": the string is spread into its characters',
  },
  {
    name: 'a var also named in a comment is located at the var() call',
    files: { [NEW]: "-- uses var('start_date') below\nselect {{ «var('start_date') }} as d" },
    expect: { code: 'var.missing' },
    today: 'var.missing at 1:9, inside the comment',
  },
  {
    name: 'an unknown filter is located',
    files: { [NEW]: "select 1 as x,\n  2 as y,\n  {{ 'a' | «shout }} as z" },
    expect: { code: 'template.syntax', message: /shout/ },
    today: 'template.syntax "filter not found: shout" at 1:1',
  },
  {
    name: 'a for without endfor points at the for',
    files: { [NEW]: "select\n«{% for c in ['a', 'b'] %}\n  1 as {{ c }},\n0 as z" },
    expect: { code: 'template.syntax' },
    today: 'template.syntax "unexpected end of file" at 1:1 (every end-of-file parse error is at 1:1)',
  },
  {
    name: 'an unclosed comment points at the comment',
    files: { [NEW]: 'select 1 as x\n«{# a comment that never ends' },
    expect: { code: 'template.syntax' },
    today: 'template.syntax "expected end of comment, got end of file" at 1:1',
  },
  // macros
  {
    name: 'an error inside a macro body is located in the macro file',
    files: { [M]: '{% macro bad_macro(x) %}\n  «{{ nothere }}\n{% endmacro %}', [NEW]: "select {{ bad_macro('a') }} as x" },
    expect: { code: 'template.syntax', hint: /undefined/ },
    today: 'template.syntax at models/platinum/broken.sql:2:3: the macro\'s line and column, given to the model file (which has one line)',
  },
  {
    name: 'a macro that calls an undefined macro is located in the macro file',
    files: { [M]: '{% macro m(x) %}\n{{ «nope(x) }}\n{% endmacro %}', [NEW]: 'select {{ m(1) }} as x' },
    expect: { code: 'template.syntax', message: /nope/ },
    today: 'template.syntax "Unable to call `nope`" at models/platinum/broken.sql:1:12, the call in the model',
  },
  {
    name: 'adapter.dispatch with only a snowflake__ variant says so, at the call',
    files: { 'macros/sf.sql': '{% macro snowflake__only_sf(c) %}{{ c }}{% endmacro %}', [NEW]: "select 1 as x,\n  {{ «adapter.dispatch('only_sf')('x') }} as y" },
    expect: { code: 'template.syntax', hint: /snowflake__only_sf|default__only_sf/ },
    today: 'template.syntax "found neither duckdb__only_sf nor default__only_sf" at 2:22, no hint that snowflake__only_sf exists',
  },
  {
    name: "a broken macro file's own error comes before the errors it causes",
    files: { 'macros/money.sql': "{% macro to_usd(column) %}CAST(ROUND({{ column }}, 2) AS NUMBER(18,2)){% endmacro %}\n\n{% macro default__segment_label(column) %}upper({{ column «}){% endmacro %}\n" },
    expect: { code: 'template.syntax' },
    today: 'the first template.syntax is "adapter.dispatch(\'segment_label\') found neither ..." at models/silver/customers.sql:2:46, then one in orders.sql; the macro file\'s own error comes third',
  },
  {
    name: 'a macro without endmacro on line 2 points at it',
    files: { [M]: '{% macro ok(x) %}{{ x }}{% endmacro %}\n«{% macro m(x) %}\n{{ x }}\n' },
    expect: { code: 'template.syntax' },
    today: 'template.syntax "unexpected end of file" at macros/broken.sql:1:1',
  },
  // seeds (found by loading)
  {
    name: 'a typed column missing from the CSV header is a seed error at the column (seed)',
    files: { [Y]: edit(Y, 'status: VARCHAR', 'status: VARCHAR\n  «currency: VARCHAR') },
    args: ['seed'],
    expect: { code: 'seed.invalid', message: /currency/ },
    today: 'engine.error at seeds/raw_orders.csv:1:1, "Binder Error: COLUMN_TYPES error: Columns with names: "currency" do not exist in the CSV File": DuckDB rejects the typed read before the seed.invalid check runs',
  },
  {
    name: 'a typed column missing from the CSV header is a seed error at the column (build)',
    files: { [Y]: edit(Y, 'status: VARCHAR', 'status: VARCHAR\n  «currency: VARCHAR') },
    args: ['build'],
    expect: { code: 'seed.invalid', message: /currency/ },
    today: 'engine.error at seeds/raw_orders.csv:1:1 (as with seed)',
  },
  {
    name: 'a CSV row with an extra field points at its line',
    files: { 'seeds/raw_orders.csv': `${HEADER}«1,c1,2024-11-02,120.50,paid,EXTRA\n` },
    args: ['seed'],
    expect: { code: 'seed.invalid' },
    today: 'engine.error at seeds/raw_orders.csv:1:1 saying all five typed columns "do not exist in the CSV File"',
  },
  {
    name: 'an empty CSV file says it is empty',
    files: { 'seeds/raw_orders.csv': '' },
    args: ['seed'],
    expect: { code: 'seed.invalid', file: 'seeds/raw_orders.csv', line: 1, column: 1, message: /empty/ },
    today: 'engine.error "COLUMN_TYPES error: Columns with names: ... do not exist in the CSV File"',
  },
  {
    name: 'a .csv.gz that is not gzip is an unusable seed',
    files: { 'seeds/raw_customers.csv.gz': 'customer_id,name,segment\nc1,Ada,enterprise\n' },
    args: ['seed'],
    expect: { code: 'seed.invalid', file: 'seeds/raw_customers.csv.gz', line: 1, column: 1 },
    today: 'engine.error "IO Error: Input is not a GZIP stream: <absolute path>"',
  },
  {
    name: 'a delimiter that does not match the file',
    files: { [Y]: edit(Y, 'columns:', '«delimiter: ";"\ncolumns:') },
    args: ['seed'],
    expect: { code: 'seed.invalid', message: /delimiter|;/ },
    today: 'engine.error at seeds/raw_orders.csv:1:1 saying the typed columns "do not exist in the CSV File"',
  },
  // unit tests
  {
    name: 'a unit-test CSV that does not exist points at the csv key',
    files: { [U]: `unit_tests:\n  - name: amounts_round\n    model: orders\n    given:\n${unitInput}        csv: «missing.csv\n${unitExpect}` },
    expect: { code: 'unit_test.invalid', message: /does not exist/ },
    today: 'unit_test.invalid at tests/unit/orders.yml:5:16, the input line above',
  },
  {
    name: 'a unit-test column type that is not a type is found before the test runs',
    files: { [U]: `unit_tests:\n  - name: t\n    model: orders\n    given:\n${unitInput}        rows: [{order_id: 1}]\n        columns: {order_id: «NOTATYPE}\n${unitExpect}` },
    args: ['test', '--unit'],
    expect: { code: 'unit_test.invalid', message: /NOTATYPE/ },
    today: 'test.failed "could not run: ... Catalog Error: Type with name NOTATYPE does not exist!" at the input (5:16); compile accepts it',
  },
];

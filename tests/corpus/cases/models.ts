// Models: unknown ref/source/var, config() keys and values, template syntax, cycles, duplicate names, disabled refs.
import type { CorpusCase } from '../corpus-case.js';
import { ALIAS_BOMB, edit } from '../shop-files.js';

const NEW = 'models/platinum/broken.sql';


export const MODEL_CASES: readonly CorpusCase[] = [
  {
    name: 'a source table declared twice',
    files: { 'models/sources.yml': 'sources:\n  - name: legacy\n    schema: BRONZE\n    tables:\n      - name: customers\n        identifier: raw_customers\n      - name: «customers\n' },
    expect: { code: 'node.duplicate' },
  },
  {
    name: 'a YAML alias bomb in a sources file is a YAML error',
    files: { 'models/sources.yml': ALIAS_BOMB },
    expect: { code: 'yaml.syntax', file: 'models/sources.yml', line: 1, column: 1, message: /alias/ },
  },
  // ref, source, var
  {
    name: 'ref() to an unknown model, with a suggestion',
    files: { [NEW]: "select *\nfrom {{ «ref('ordrs') }}" },
    expect: { code: 'ref.unknown', hint: /`orders`/ },
  },
  {
    name: 'ref() to an unknown model on a later line and column',
    files: { [NEW]: "select o.*\nfrom {{ ref('orders') }} o\njoin {{ «ref('no_such_model') }} n using (order_id)" },
    expect: { code: 'ref.unknown' },
  },
  {
    name: 'ref() with double quotes',
    files: { [NEW]: 'select * from {{ «ref("customrs") }}' },
    expect: { code: 'ref.unknown', hint: /`customers`/ },
  },
  {
    name: 'ref() to a source table name',
    files: { [NEW]: "select * from {{ «ref('legacy') }}" },
    expect: { code: 'ref.unknown' },
  },
  {
    name: 'an unknown model in an existing model',
    files: { 'models/silver/orders.sql': edit('models/silver/orders.sql', "from {{ ref('orders_landed') }}", "from {{ «ref('orders_landd') }}") },
    expect: { code: 'ref.unknown', hint: /orders_landed/ },
  },
  {
    name: 'source() to an undeclared table, with a suggestion',
    files: { [NEW]: "select * from {{ «source('legacy', 'customer') }}" },
    expect: { code: 'source.unknown', hint: /legacy\.customers/ },
  },
  {
    name: 'source() to an undeclared source',
    files: { [NEW]: "select 1 as x\nunion all\nselect * from {{ «source('crm', 'accounts') }}" },
    expect: { code: 'source.unknown' },
  },
  {
    name: 'var() with no value and no default',
    files: { [NEW]: "select {{ «var('start_date') }} as d" },
    expect: { code: 'var.missing', hint: /--vars/ },
  },
  {
    name: 'a misspelt var() suggests the right one',
    files: { [NEW]: "select 1 as x\nwhere 2 > {{ «var('vip_treshold') }}" },
    expect: { code: 'var.missing', hint: /vip_threshold/ },
  },
  // config()
  {
    name: 'config() with a misspelt key suggests the right one',
    files: { [NEW]: "{{ config(«materialised='table') }}\nselect 1 as x" },
    expect: { code: 'config.invalid', hint: /`materialized`/ },
  },
  {
    name: 'config() with an unknown key on line 2',
    files: { [NEW]: "-- a mart\n{{ config(materialized='table', «colour='red') }}\nselect 1 as x" },
    expect: { code: 'config.invalid' },
  },
  {
    name: 'config() with an unknown materialization',
    files: { [NEW]: "{{ config(«materialized='tabel') }}\nselect 1 as x" },
    expect: { code: 'config.invalid', message: /materialized/ },
  },
  {
    name: 'config() with a numeric unique_key',
    files: { [NEW]: "{{ config(materialized='incremental', «unique_key=5) }}\nselect 1 as x" },
    expect: { code: 'config.invalid', message: /unique_key/ },
  },
  {
    name: 'config() with enabled as a string',
    files: { [NEW]: "{{ config(«enabled='yes') }}\nselect 1 as x" },
    expect: { code: 'config.invalid', message: /enabled/ },
  },
  {
    name: 'config() with a schema that is not an identifier',
    files: { [NEW]: "{{ config(«schema='my-schema') }}\nselect 1 as x" },
    expect: { code: 'config.invalid', message: /schema/ },
  },
  {
    name: 'config() with an alias that is not an identifier',
    files: { [NEW]: "{{ config(«alias='1st') }}\nselect 1 as x" },
    expect: { code: 'config.invalid', message: /alias/ },
  },
  {
    name: 'config() with an unknown incremental strategy',
    files: { [NEW]: "{{ config(materialized='incremental', «incremental_strategy='upsert') }}\nselect 1 as x" },
    expect: { code: 'config.invalid', message: /incremental_strategy/ },
  },
  {
    name: 'config() with an unknown on_schema_change policy',
    files: { [NEW]: "{{ config(materialized='incremental', «on_schema_change='explode') }}\nselect 1 as x" },
    expect: { code: 'config.invalid', message: /on_schema_change/ },
  },
  {
    name: 'config() with tags that are a number',
    files: { [NEW]: "{{ config(«tags=42) }}\nselect 1 as x" },
    expect: { code: 'config.invalid', message: /tags/ },
  },
  {
    name: 'config() with a list of numbers as unique_key',
    files: { [NEW]: "{{ config(materialized='incremental', «unique_key=[1, 2]) }}\nselect 1 as x" },
    expect: { code: 'config.invalid', message: /unique_key/ },
  },
  // template syntax
  {
    name: 'an unclosed {{',
    files: { [NEW]: "select 1 as x\n{{ ref('orders') +  «}}" },
    expect: { code: 'template.syntax' },
  },
  {
    name: 'an undefined variable',
    files: { [NEW]: 'select 1 as x,\n  «{{ not_defined_anywhere }} as y' },
    expect: { code: 'template.syntax', hint: /undefined/ },
  },
  {
    name: 'an if without endif',
    files: { [NEW]: "«{% if target.name == 'dev' %}\nselect 1 as x\n" },
    expect: { code: 'template.syntax' },
  },
  {
    name: 'an endif with no if',
    files: { [NEW]: 'select 1 as x\n{% «endif %}' },
    expect: { code: 'template.syntax' },
  },
  {
    name: "an unknown block tag: dbt's materialization, named as not supported",
    files: { [NEW]: '{% «materialization table %}\nselect 1 as x' },
    expect: { code: 'template.unsupported', message: /\{% materialization %\}/ },
  },
  {
    name: 'a broken set tag',
    files: { [NEW]: '{% set «= 3 %}\nselect 1 as x' },
    expect: { code: 'template.syntax' },
  },
  {
    name: 'an error only in the incremental branch',
    files: {
      [NEW]: "{{ config(materialized='incremental') }}\nselect * from {{ ref('orders') }}\n{% if is_incremental() %}\nwhere order_date > «{{ lastest_date }}\n{% endif %}",
    },
    expect: { code: 'template.syntax', hint: /undefined/ },
  },
  {
    name: 'a member of an undefined variable',
    files: { [NEW]: 'select 1 as x\nwhere «{{ settings.limit }} > 0' },
    expect: { code: 'template.syntax' },
  },
  {
    name: 'an unclosed {{ on line 3 points where the parser stopped',
    files: { [NEW]: "select 1 as x,\n  2 as y,\n  {{ ref('orders') «as z" },
    expect: { code: 'template.syntax', message: /variable end/ },
  },
  {
    name: 'a singular test with an unknown ref',
    files: { 'tests/orders_positive.sql': "select * from {{ «ref('ordrs') }} where amount_usd < 0" },
    expect: { code: 'ref.unknown', hint: /`orders`/ },
  },
  {
    name: 'a singular test with a template syntax error',
    files: { 'tests/orders_positive.sql': "select * from {{ ref('orders') }}\nwhere {{ amount_usd < «}}" },
    expect: { code: 'template.syntax' },
  },
  {
    name: 'a singular test with an unknown config key',
    files: { 'tests/orders_positive.sql': "{{ config(«severity='warn') }}\nselect * from {{ ref('orders') }}" },
    expect: { code: 'config.invalid' },
  },
  {
    name: 'an unknown function on line 3',
    files: { [NEW]: 'select 1 as x,\n  2 as y,\n  {{ to_eur«(amount) }} as z' },
    expect: { code: 'template.syntax', hint: /macro/ },
  },
  {
    name: '{% include %} is refused at the tag',
    files: { [NEW]: "select 1 as x\n{% «include 'other.sql' %}" },
    expect: { code: 'template.forbidden', message: /include/ },
  },
  // the graph
  {
    name: 'a model that refs itself',
    files: { [NEW]: "select * from {{ ref('broken') }}" },
    expect: { code: 'graph.cycle', file: NEW, line: 1, column: 1, message: /broken -> broken/ },
  },
  {
    name: 'two models that ref each other',
    files: { 'models/platinum/a_side.sql': "select * from {{ ref('b_side') }}", 'models/platinum/b_side.sql': "select * from {{ ref('a_side') }}" },
    expect: { code: 'graph.cycle', file: 'models/platinum/a_side.sql', line: 1, column: 1, message: /a_side -> b_side -> a_side|b_side -> a_side -> b_side/ },
  },
  {
    name: 'a cycle through an existing model',
    files: { 'models/silver/orders.sql': edit('models/silver/orders.sql', "from {{ ref('orders_landed') }}", "from {{ ref('orders_landed') }} join {{ ref('order_facts') }} using (order_id)") },
    expect: { code: 'graph.cycle', file: 'models/silver/orders.sql', line: 1, column: 1, message: /orders -> order_facts -> orders/ },
  },
  {
    name: 'three models in a cycle',
    files: { 'models/platinum/a1.sql': "select * from {{ ref('a3') }}", 'models/platinum/a2.sql': "select * from {{ ref('a1') }}", 'models/platinum/a3.sql': "select * from {{ ref('a2') }}" },
    expect: { code: 'graph.cycle', file: 'models/platinum/a1.sql', line: 1, column: 1, message: /a1 -> a2 -> a3 -> a1/ },
  },
  {
    name: 'two models with one name',
    files: { 'models/platinum/orders.sql': 'select 1 as x' },
    expect: { code: 'node.duplicate', file: 'models/silver/orders.sql', line: 1, column: 1, hint: /models\/platinum\/orders\.sql/ },
  },
  {
    name: 'a model named like a seed',
    files: { 'models/bronze/raw_orders.sql': 'select 1 as x' },
    expect: { code: 'node.duplicate', file: 'models/bronze/raw_orders.sql', line: 1, column: 1, hint: /seeds\/raw_orders\.csv/ },
  },
  // the template sandbox and reserved names
  {
    name: 'a template that reaches for a constructor',
    files: { [NEW]: 'select 1 as x,\n  {{ range.«constructor("return process")() }} as y' },
    expect: { code: 'template.forbidden', message: /constructor/ },
  },
  {
    name: 'a template that reaches for __proto__',
    files: { [NEW]: "select 1 as x\n{% set p = target.«__proto__ %}" },
    expect: { code: 'template.forbidden', message: /__proto__/ },
  },
  {
    name: 'a model named like a staged relation',
    files: { 'models/platinum/orders__charter_staged.sql': 'select 1 as x' },
    expect: { code: 'node.invalid', file: 'models/platinum/orders__charter_staged.sql', line: 1, column: 1, message: /__charter_/ },
  },
  {
    name: 'a model aliased like a staged relation',
    files: { [NEW]: "{{ config(«alias='facts__charter_staged') }}\nselect 1 as x" },
    expect: { code: 'node.invalid', message: /alias/ },
  },
  // source declarations beside the models
  {
    name: 'a sources file that is not YAML',
    files: { 'models/sources.yml': 'sources:\n  - name: legacy\n    tables: [customers\n«' },
    expect: { code: 'yaml.syntax' },
  },
  {
    name: 'a misspelt source key suggests the right one',
    files: { 'models/sources.yml': 'sources:\n  - name: legacy\n    «schemas: BRONZE\n    tables:\n      - name: customers\n' },
    expect: { code: 'schema.invalid', hint: /`schema`/ },
  },
  {
    name: 'a source without tables',
    files: { 'models/sources.yml': 'sources:\n  - «name: legacy\n    schema: BRONZE\n' },
    expect: { code: 'schema.invalid', message: /missing required key `tables`/ },
  },
  {
    name: 'a source name that is not an identifier',
    files: { 'models/sources.yml': 'sources:\n  - name: «legacy-crm\n    tables: [{name: customers}]\n' },
    expect: { code: 'schema.invalid', message: /\/sources\/0\/name/ },
  },
  {
    name: 'an unknown top-level key in a properties file',
    // `models:` is a dbt property file's section (tests and docs); a key neither charter nor dbt knows is an error.
    files: { 'models/sources.yml': 'sources:\n  - name: legacy\n    tables: [{name: customers, identifier: raw_customers}]\n«modles:\n  - name: orders\n' },
    expect: { code: 'schema.invalid', message: /unknown key `modles`/ },
  },
];

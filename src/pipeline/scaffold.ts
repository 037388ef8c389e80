// `init` as a library call: a new project with one model per layer, a seed, a contract, a unit test and the policy
// that masks its personal data, that builds at once (and passes the governance gate that build runs first).
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { error, UserError } from '../diagnostics/diagnostic.js';

const files = (name: string): Record<string, string> => ({
  'project.yml': `name: ${name}
version: 0.1.0
default_target: dev
targets:
  dev:
    engine: duckdb
    path: target/${name}.duckdb
    threads: 4
layers:
  bronze: BRONZE
  silver: SILVER
  platinum: PLATINUM
  ops: OPS
vars:
  as_of_date: '2024-12-31'
models:
  bronze: { materialized: view, tags: [bronze] }
  silver: { materialized: table, tags: [silver] }
  platinum: { materialized: table, tags: [platinum] }
`,
  'seeds/raw_orders.csv': `order_id,customer_id,order_date,amount_usd,status
1,c-001,2024-11-02,120.50,paid
2,c-002,2024-11-15,75.00,paid
3,c-001,2024-12-01,42.25,refunded
4,c-003,2024-12-20,310.00,paid
`,
  'seeds/raw_orders.yml': `description: Orders as exported from the shop, one row per order
columns:
  order_id: NUMBER(38,0)
  customer_id: VARCHAR
  order_date: DATE
  amount_usd: NUMBER(18,2)
  status: VARCHAR
`,
  'macros/money.sql': `{# Rounds money the same way on every engine. #}
{% macro to_usd(column) %}CAST(ROUND({{ column }}, 2) AS NUMBER(18,2)){% endmacro %}
`,
  'models/bronze/orders_landed.sql': `-- The seed as landed: no logic in bronze.
select * from {{ ref('raw_orders') }}
`,
  'models/silver/orders.sql': `-- Typed, cleaned orders.
select
    order_id,
    customer_id,
    order_date,
    {{ to_usd('amount_usd') }} as amount_usd,
    status = 'paid' as is_paid
from {{ ref('orders_landed') }}
`,
  'models/platinum/revenue_by_month.sql': `{{ config(materialized='table', tags=['finance']) }}
-- Paid revenue per calendar month.
select
    date_trunc('month', order_date) as month,
    count(*) as orders,
    sum(iff(is_paid, amount_usd, 0)) as revenue_usd
from {{ ref('orders') }}
where order_date <= '{{ var("as_of_date") }}'
group by 1
`,
  'contracts/orders.yml': `# What the orders model promises: checked before it replaces the last good build, and tested after.
name: orders
version: 1.0.0
model: orders
owners: [data-team@example.com]
columns:
  - name: order_id
    data_type: NUMBER(38,0)
    constraints: {primary_key: true}
  - name: customer_id
    data_type: VARCHAR
    classification: pii
    constraints: {not_null: true}
  - name: order_date
    data_type: DATE
  - name: amount_usd
    data_type: NUMBER(18,2)
    constraints:
      range: {min: 0}
  - name: is_paid
    data_type: BOOLEAN
tests:
  - row_count: {min: 1}
`,
  'policies/governance.yml': `# Roles, tags and policies, defined once; contracts name them. A column a contract classifies pii carries the
# PII tag, and the tag masks it: classifying a column is enough to mask it.
roles:
  PII_READER: {description: may read personal data in clear}
tags:
  PII:
    allowed_values: [pii]
    classifications: [pii]
    masking_policies: [MASK_PII]
masking_policies:
  MASK_PII:
    signature: {val: VARCHAR}
    body: "CASE WHEN IS_ROLE_IN_SESSION('PII_READER') THEN val ELSE '*****' END"
`,
  'tests/unit/orders.yml': `# Logic checks on given rows: no warehouse needed (charter test --unit).
unit_tests:
  - name: paid_flag_and_rounding
    model: orders
    given:
      - input: ref('orders_landed')
        rows:
          - {order_id: 1, customer_id: c-001, order_date: 2024-11-02, amount_usd: 10.005, status: paid}
          - {order_id: 2, customer_id: c-002, order_date: 2024-11-03, amount_usd: 5, status: refunded}
    expect:
      rows:
        - {order_id: 1, amount_usd: 10.01, is_paid: true}
        - {order_id: 2, amount_usd: 5.00, is_paid: false}
`,
  '.gitignore': 'target/\n',
});

/** Writes the project into `dir` (which must be empty or missing); returns its name and absolute path. */
export async function scaffold(dir: string, options: { readonly name?: string } = {}): Promise<{ name: string; root: string }> {
  const root = path.resolve(dir);
  if (existsSync(root) && readdirSync(root).length) {
    throw new UserError([error('cli.usage', `${root} is not empty`, { hint: 'choose a new directory' })]);
  }
  const name = (options.name ?? path.basename(root)).toLowerCase().replace(/[^a-z0-9_]/g, '_').replace(/^([^a-z_])/, '_$1');
  for (const [file, text] of Object.entries(files(name))) {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await writeFile(path.join(root, file), text);
  }
  return { name, root };
}

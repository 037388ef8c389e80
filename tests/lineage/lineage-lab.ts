// A small project whose models each exercise one construct column lineage must see through (or refuse to guess).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeFiles } from '../helpers/project.js';

const PROJECT = `name: lab
version: 1.0.0
default_target: prod
targets:
  prod:
    engine: snowflake
    account: xy12345.eu-west-1
    database: LAB
    warehouse: TRANSFORM_WH
    role: TRANSFORMER
layers: {bronze: BRONZE, silver: SILVER, platinum: PLATINUM, ops: OPS}
models:
  bronze: {materialized: view}
  silver: {materialized: table}
  platinum: {materialized: table}
`;

export const LAB_MODELS: Readonly<Record<string, string>> = {
  // SELECT * over a seed whose columns are declared.
  'bronze/brz_customers.sql': "select * from {{ ref('customers') }}",
  // SELECT * over a source: nobody declares its columns.
  'bronze/brz_events.sql': "select * from {{ source('legacy', 'events') }}",
  'silver/stg_customers.sql': `
select
    customer_id,
    lower(trim(email))        as email,
    name,
    cast(signup_date as date) as signup_date,
    segment::varchar          as segment
from {{ ref('brz_customers') }}`,
  'silver/paid_orders.sql': "{{ config(materialized='ephemeral') }}\nselect order_id, customer_id, amount from {{ ref('orders') }} where status = 'paid'",
  'platinum/cte_join.sql': `
with c as (
    select customer_id, email from {{ ref('stg_customers') }}
),
o as (
    select * from {{ ref('paid_orders') }}
)
select c.customer_id, c.email as contact_email, po.amount, po.amount * 100 as amount_cents
from c
join (select customer_id, amount from o) as po on po.customer_id = c.customer_id`,
  'platinum/customer_totals.sql': `
select
    customer_id,
    sum(amount)                                                as total_amount,
    count(*)                                                   as order_count,
    case when sum(amount) > 100 then 'big' else 'small' end    as size_band,
    rank() over (order by sum(amount) desc)                    as amount_rank,
    iff(max(status) = 'paid', 'y', 'n')                        as any_paid
from {{ ref('orders') }}
group by customer_id`,
  'platinum/order_steps.sql': `
select
    order_id,
    amount - lag(amount) over (partition by customer_id order by ordered_at) as amount_step
from {{ ref('orders') }}`,
  'platinum/contacts.sql': `
select email as contact, 'email' as kind from {{ ref('stg_customers') }}
union all
select name, 'name' from {{ ref('brz_customers') }}
except
select name, 'name' from {{ ref('stg_customers') }} where segment = 'test'`,
  'platinum/star_join.sql': `
select c.*, o.amount
from {{ ref('stg_customers') }} as c
join {{ ref('orders') }} as o on o.customer_id = c.customer_id`,
  'platinum/opaque.sql': `
select
    customer_id,
    hash(*)  as row_hash,
    nope     as missing
from {{ ref('stg_customers') }}`,
  // The same, but a contract declares the model's columns.
  'bronze/brz_accounts.sql': "select * from {{ source('legacy', 'accounts') }}",
  'platinum/over_accounts.sql': "select * from {{ ref('brz_accounts') }}",
  'platinum/event_summary.sql': "select event_id, count(*) as n from {{ ref('brz_events') }} group by event_id",
  'platinum/over_events.sql': "select * from {{ ref('brz_events') }}",
  'platinum/checks.sql': `
with checks as (
    select 'a' as check_name, (select sum(amount) from {{ ref('orders') }}) as value
    union all
    select 'b', (select count(*) from {{ ref('customers') }})
    union all
    select 'c', (select max(amount) from {{ ref('orders') }})
)
select check_name, value from checks`,
};

/** A fresh copy of the lab project, with `models` written over (or beside) the standard ones. */
export function labProject(models: Readonly<Record<string, string>> = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'charter-lineage-'));
  const files: Record<string, string> = {
    'project.yml': PROJECT,
    'seeds/customers.csv': 'customer_id,email,name,segment,signup_date\nc1,A@X.COM,Ann,smb,2024-01-02\n',
    'seeds/customers.yml': 'columns:\n  customer_id: VARCHAR\n  email: VARCHAR\n  name: VARCHAR\n  segment: VARCHAR\n  signup_date: DATE\n',
    'seeds/orders.csv': 'order_id,customer_id,amount,status,ordered_at\n1,c1,10.5,paid,2024-02-01\n',
    'seeds/orders.yml': 'columns:\n  order_id: INTEGER\n  customer_id: VARCHAR\n  amount: NUMBER(18,2)\n  status: VARCHAR\n  ordered_at: DATE\n',
    'models/sources.yml': 'sources:\n  - name: legacy\n    schema: BRONZE\n    tables:\n      - name: events\n      - name: accounts\n',
    'contracts/brz_accounts.yml': [
      'name: accounts_landed',
      'version: 1.0.0',
      'model: brz_accounts',
      'owners: [data@example.com]',
      'columns:',
      '  - {name: account_id, data_type: VARCHAR}',
      '  - {name: owner_email, data_type: VARCHAR, classification: pii}',
      '',
    ].join('\n'),
  };
  for (const [file, sql] of Object.entries({ ...LAB_MODELS, ...models })) files[`models/${file}`] = sql;
  writeFiles(dir, files);
  return dir;
}

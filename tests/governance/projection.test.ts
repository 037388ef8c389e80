// Projection policies: a column some roles may filter and join on but not select. On the local target charter traces
// the query's output columns to the columns they come from (Snowflake checks the outermost projection only), and
// refuses the query (FAIL) or returns NULL for the column (NULLIFY). Order amounts in the tiny fixture's seed:
// 1: 120.50, 2: 75.00, 3: 42.25, 4: 310.00.
import { describe, expect, it } from 'vitest';
import { snowflakeGovernanceDdl } from '../../src/adapters/snowflake/governance-ddl.js';
import { UserError } from '../../src/diagnostics/diagnostic.js';
import { compile } from '../../src/pipeline/compile.js';
import { query } from '../../src/pipeline/query.js';
import { fixtureCopy } from '../helpers/project.js';
import { buildWithContracts } from '../helpers/warehouse.js';

const policies = (enforcement: string) => `roles:
  ANALYST: {}
  PII_READER: {}
  FINANCE: {}
masking_policies:
  MASK_PII:
    signature: {val: VARCHAR}
    body: "CASE WHEN IS_ROLE_IN_SESSION('PII_READER') THEN val ELSE '*****' END"
projection_policies:
  AMOUNTS_FOR_FINANCE:
    description: order amounts are selected by finance only
    allowed_roles: [FINANCE]
${enforcement}`;

const contract = (policy = 'AMOUNTS_FOR_FINANCE') => `name: tiny_orders
version: 1.0.0
model: orders
owners: [data@example.com]
columns:
  - name: order_id
    data_type: NUMBER(18,0)
  - name: customer_id
    data_type: VARCHAR
    classification: pii
    masking_policy: GOVERNANCE.MASK_PII
  - name: amount_usd
    data_type: NUMBER(18,2)
    projection_policy: ${policy}
`;

async function built(enforcement = ''): Promise<string> {
  const dir = fixtureCopy('tiny', { 'policies/governance.yml': policies(enforcement), 'contracts/orders.yml': contract() });
  expect((await buildWithContracts(dir)).passed).toBe(true);
  return dir;
}

const refusal = async (dir: string, role: string, sql: string): Promise<string[]> => {
  const err = await query({ projectDir: dir, role, sql }).then(() => undefined, (e: unknown) => e);
  expect(err, sql).toBeInstanceOf(UserError);
  return (err as UserError).diagnostics.map((d) => `${d.code}: ${d.message}`);
};

describe('projection policies', () => {
  it('let a role filter, join and group on the column, and refuse it in the output, however it is reached', async () => {
    const dir = await built();
    const rows = async (role: string, sql: string) => (await query({ projectDir: dir, role, sql })).rows;
    expect(await rows('ANALYST', 'select order_id from SILVER.orders where amount_usd > 100 order by order_id')).toEqual([[1], [4]]);
    expect(await rows('ANALYST', 'with o as (select order_id, amount_usd from tiny.silver.orders) select count(*) as n from o where amount_usd < 100')).toEqual([[2]]);
    expect(await refusal(dir, 'ANALYST', 'select order_id, amount_usd from SILVER.orders')).toEqual([
      'policy.projection: projection policy AMOUNTS_FOR_FINANCE does not let ANALYST select orders.amount_usd (output column amount_usd)',
    ]);
    expect(await refusal(dir, 'ANALYST', 'select sum(amount_usd) as total from SILVER.orders')).toEqual([
      'policy.projection: projection policy AMOUNTS_FOR_FINANCE does not let ANALYST select orders.amount_usd (output column total)',
    ]);
    expect((await refusal(dir, 'ANALYST', 'select * from silver.orders'))[0]).toContain('output column amount_usd');
    expect(await rows('FINANCE', 'select order_id, amount_usd from SILVER.orders order by order_id limit 2')).toEqual([[1, '120.50'], [2, '75.00']]);
  });

  it('with NULLIFY, return NULL for the column instead of refusing', async () => {
    const dir = await built('    enforcement: NULLIFY\n');
    const { rows } = await query({ projectDir: dir, role: 'ANALYST', sql: 'select order_id, amount_usd * 2 as doubled from SILVER.orders order by order_id limit 2' });
    expect(rows).toEqual([[1, null], [2, null]]);
  });

  it('render for Snowflake: created once, its body set each run, and set on the column with FORCE', async () => {
    const dir = fixtureCopy('tiny', { 'policies/governance.yml': policies(''), 'contracts/orders.yml': contract() });
    const session = await compile({ projectDir: dir, target: 'prod', format: false });
    const at = { database: 'TINY', schema: 'GOVERNANCE' };
    const setup = snowflakeGovernanceDdl.setup(session.governance.policies, at).flatMap((s) => ('sql' in s ? [s.sql] : []));
    expect(setup.filter((s) => s.includes('PROJECTION POLICY'))).toEqual([
      'CREATE PROJECTION POLICY IF NOT EXISTS "TINY"."GOVERNANCE"."AMOUNTS_FOR_FINANCE" AS () RETURNS PROJECTION_CONSTRAINT ->\n' +
        "CASE WHEN IS_ROLE_IN_SESSION('FINANCE') THEN PROJECTION_CONSTRAINT(ALLOW => TRUE)\nELSE PROJECTION_CONSTRAINT(ALLOW => FALSE, ENFORCEMENT => 'FAIL') END\n" +
        "COMMENT = 'order amounts are selected by finance only'",
      'ALTER PROJECTION POLICY "TINY"."GOVERNANCE"."AMOUNTS_FOR_FINANCE" SET BODY ->\n' +
        "CASE WHEN IS_ROLE_IN_SESSION('FINANCE') THEN PROJECTION_CONSTRAINT(ALLOW => TRUE)\nELSE PROJECTION_CONSTRAINT(ALLOW => FALSE, ENFORCEMENT => 'FAIL') END",
    ]);
    const orders = [...session.governance.relations.values()].find((g) => g.relation.identifier.toLowerCase() === 'orders')!;
    const attach = snowflakeGovernanceDdl.attach(orders, { ...orders.relation, identifier: 'ORDERS__CHARTER_STAGED' }, 'table', at);
    expect(attach.filter((s) => s.includes('PROJECTION'))).toEqual([
      'ALTER TABLE "TINY"."SILVER"."ORDERS__CHARTER_STAGED" MODIFY COLUMN "AMOUNT_USD" SET PROJECTION POLICY "TINY"."GOVERNANCE"."AMOUNTS_FOR_FINANCE" FORCE',
    ]);
  });

  it('a projection policy name that is not defined fails compile with a did-you-mean', async () => {
    const dir = fixtureCopy('tiny', { 'policies/governance.yml': policies(''), 'contracts/orders.yml': contract('AMOUNTS_FOR_FINANC') });
    const err = await compile({ projectDir: dir, format: false }).then(() => undefined, (e: unknown) => e);
    expect((err as UserError).diagnostics.map((d) => [d.code, d.location?.line, d.hint])).toEqual([
      ['policy.undefined', 14, 'did you mean `AMOUNTS_FOR_FINANCE`?'],
    ]);
  });
});

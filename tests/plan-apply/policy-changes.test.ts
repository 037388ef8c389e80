// A deploy to Snowflake (the loopback server, through the real driver) when policies and contracts change under
// deployed relations: a policy whose signature changed is replaced without a moment where anything it protects is
// without a policy (proved from the statements in the order the server ran them), and grants, tags and projection
// policies a contract no longer names are taken off, only where the deployed state recorded them.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Connection, ConnectionOptions } from 'snowflake-sdk';
import { describe, expect, it } from 'vitest';
import { parseSignature } from '../../src/adapters/snowflake/policy-reader.js';
import { snowflakeGovernanceDdl } from '../../src/adapters/snowflake/governance-ddl.js';
import type { UserError } from '../../src/diagnostics/diagnostic.js';
import { NO_POLICIES } from '../../src/load/load-policies.js';
import { sameSignature } from '../../src/plan/policy-changes.js';
import { apply, plan } from '../../src/pipeline/deploy.js';
import { compile } from '../../src/pipeline/compile.js';
import { describePlan } from '../../src/pipeline/describe-deploy-plan.js';
import { fixtureCopy } from '../helpers/project.js';
import { parsesAsSnowflake } from '../helpers/snowflake-parse.js';
import type { LoopbackServer } from '../snowflake/loopback-server.js';
import { loopbackForFile, targetLoopback } from '../snowflake/loopback-target.js';

const PASSWORD_ENV = 'CHARTER_LOOPBACK_POLICY_PASSWORD';
let server: LoopbackServer;

loopbackForFile(PASSWORD_ENV, (started) => (server = started));

const MASK_PII = {
  before: "signature: {val: VARCHAR}\n    body: \"CASE WHEN IS_ROLE_IN_SESSION('PII_READER') THEN val ELSE '*****' END\"",
  // Conditional: a customer's own consent unmasks the value too.
  after: "signature: {val: VARCHAR, consent: BOOLEAN}\n    body: \"CASE WHEN consent OR IS_ROLE_IN_SESSION('PII_READER') THEN val ELSE '*****' END\"",
};
const ORDER_ACCESS = {
  before: "signature: {amount: 'NUMBER(18,2)'}\n    body: \"IS_ROLE_IN_SESSION('ANALYST') OR amount < 100\"",
  after: "signature: {amount: 'NUMBER(18,2)', customer: VARCHAR}\n    body: \"IS_ROLE_IN_SESSION('ANALYST') OR (amount < 100 AND customer <> 'c3')\"",
};

const policies = (mask: string, rows: string): string => `roles:
  ANALYST: {}
  PII_READER: {}
tags:
  PII:
    classifications: [pii]
    masking_policies: [MASK_PII]
  FINANCE:
    allowed_values: [amount]
masking_policies:
  MASK_PII:
    ${mask}
row_access_policies:
  ORDER_ACCESS:
    ${rows}
projection_policies:
  HIDE_AMOUNT:
    allowed_roles: [ANALYST]
`;

interface OrdersContract {
  readonly rowAccessOn?: string;
  readonly roles?: string;
  /** The governance amount_usd carries. */
  readonly amount?: string;
}
const ordersContract = ({ rowAccessOn = '[amount_usd]', roles = '[ANALYST, PII_READER]', amount = '\n    tags: [FINANCE=amount]\n    projection_policy: GOVERNANCE.HIDE_AMOUNT' }: OrdersContract = {}): string => `name: tiny_orders
version: 1.0.0
model: orders
owners: [data@example.com]
security_controls:
  row_access_policy: GOVERNANCE.ORDER_ACCESS
  row_access_on: ${rowAccessOn}
  roles_allowed: ${roles}
columns:
  - name: order_id
    data_type: NUMBER(18,0)
  - name: customer_id
    data_type: VARCHAR
    classification: pii
    masking_policy: GOVERNANCE.MASK_PII
  - name: amount_usd
    data_type: NUMBER(18,2)${amount}
  - name: consent
    data_type: BOOLEAN
`;

/**
 * The tiny fixture governed on a `loopback` Snowflake target in its own database: ORDERS masks CUSTOMER_ID directly,
 * filters rows by ORDER_ACCESS and grants SELECT; CUSTOMER_TOTALS masks CUSTOMER_ID through the PII tag.
 */
function project(database: string): string {
  const dir = fixtureCopy('tiny', {
    'policies/governance.yml': policies(MASK_PII.before, ORDER_ACCESS.before),
    'contracts/orders.yml': ordersContract(),
    'contracts/customer_totals.yml': `name: tiny_customer_totals
version: 1.0.0
model: customer_totals
owners: [data@example.com]
columns:
  - name: customer_id
    data_type: VARCHAR
    classification: pii
  - name: consent
    data_type: BOOLEAN
  - name: total_usd
    data_type: NUMBER(38,2)
`,
    'models/silver/orders.sql': "select order_id, customer_id, amount_usd, amount_usd < 100 as consent\nfrom {{ ref('orders_landed') }}\nwhere amount_usd >= {{ var('min_amount') }}\n",
    'models/platinum/customer_totals.sql': "select customer_id, max(amount_usd) < 100 as consent, sum(amount_usd) as total_usd\nfrom {{ ref('orders') }}\ngroup by 1\n",
  });
  return targetLoopback(dir, server, database, PASSWORD_ENV);
}

async function deployed(database: string): Promise<string> {
  const dir = project(database);
  const first = await apply({ projectDir: dir });
  expect(first.results.passed, JSON.stringify(first.results.nodes.filter((n) => n.status !== 'success'))).toBe(true);
  return dir;
}

const edit = (dir: string, file: string, text: string): void => writeFileSync(path.join(dir, file), text);

/** The statements the server ran from `from` on. */
const sentSince = (from: number): string[] => server.statements.slice(from).filter((s) => !s.error).map((s) => s.sqlText);

describe('a policy whose signature changed', () => {
  it('is planned as its own change, replaced without a window on apply (one stopped part way is finished), and compile alone still renders it fresh', async () => {
    const db = 'POLICY_SWAP';
    const dir = await deployed(db);
    edit(dir, 'policies/governance.yml', policies(MASK_PII.after, ORDER_ACCESS.after));
    edit(dir, 'contracts/orders.yml', ordersContract({ rowAccessOn: '[amount_usd, customer_id]' }));

    const planned = (await plan({ projectDir: dir })).plan!;
    const lines = describePlan(planned, { sql: true, verb: 'plan' }).map((l) => l.message);
    expect(lines.filter((l) => l.startsWith('policy')).map((l) => l.split('\n')[0])).toEqual([
      'policy     MASK_PII (masking policy): signature (val VARCHAR) -> (val VARCHAR, consent BOOLEAN): replaced without a window, moving 2 attachments',
      'policy     ORDER_ACCESS (row access policy): signature (amount NUMBER) -> (amount NUMBER(18,2), customer VARCHAR): replaced without a window, moving 1 attachment',
    ]);
    expect(lines.at(-1)).toBe('plan: 0 to create, 0 to alter, 0 to replace, 2 to re-apply governance, 0 to drop, 2 policies to replace without a window; 3 unchanged');
    const gov = (name: string): string => `"${db}"."GOVERNANCE"."${name}"`;
    const orders = `"${db}"."SILVER"."ORDERS"`;
    expect(planned.policies[0]?.sql).toEqual([
      `CREATE MASKING POLICY IF NOT EXISTS ${gov('MASK_PII__CHARTER_NEXT')} AS ("VAL" VARCHAR, "CONSENT" BOOLEAN) RETURNS VARCHAR ->\nCASE WHEN consent OR IS_ROLE_IN_SESSION('PII_READER') THEN val ELSE '*****' END`,
      `ALTER MASKING POLICY ${gov('MASK_PII__CHARTER_NEXT')} SET BODY ->\nCASE WHEN consent OR IS_ROLE_IN_SESSION('PII_READER') THEN val ELSE '*****' END`,
      `ALTER TABLE ${orders} MODIFY COLUMN "CUSTOMER_ID" SET MASKING POLICY ${gov('MASK_PII__CHARTER_NEXT')} USING ("CUSTOMER_ID", "CONSENT") FORCE`,
      `ALTER TAG ${gov('PII')} SET MASKING POLICY ${gov('MASK_PII__CHARTER_NEXT')} FORCE`,
      `DROP MASKING POLICY ${gov('MASK_PII')}`,
      `ALTER MASKING POLICY ${gov('MASK_PII__CHARTER_NEXT')} RENAME TO ${gov('MASK_PII')}`,
    ]);
    expect(planned.policies[1]?.sql).toContain(
      `ALTER TABLE ${orders} DROP ROW ACCESS POLICY ${gov('ORDER_ACCESS')}, ADD ROW ACCESS POLICY ${gov('ORDER_ACCESS__CHARTER_NEXT')} ON ("AMOUNT_USD", "CUSTOMER_ID")`,
    );
    // polyglot parses no DROP ... POLICY; the rest must parse as Snowflake SQL.
    expect(planned.policies.flatMap((p) => p.sql).filter((sql) => !sql.startsWith('DROP ') && !parsesAsSnowflake(sql))).toEqual([]);

    // Whatever had a policy before the apply has one, old or new, after every statement the server runs.
    const { governance } = server;
    const protectedNow = (): string[] => {
      const tagged = governance.tags.get(`${db}.GOVERNANCE.PII`)?.masking.get('VARCHAR');
      return [
        ...(governance.relations.get(`${db}.SILVER.ORDERS`)?.masking.get('CUSTOMER_ID') ? ['ORDERS.CUSTOMER_ID'] : []),
        ...(governance.relations.get(`${db}.PLATINUM.CUSTOMER_TOTALS`)?.tags.get('CUSTOMER_ID')?.has(`${db}.GOVERNANCE.PII`) && tagged ? ['CUSTOMER_TOTALS.CUSTOMER_ID'] : []),
        ...(governance.relations.get(`${db}.SILVER.ORDERS`)?.rowAccess ? ['ORDERS rows'] : []),
      ];
    };
    const all = ['ORDERS.CUSTOMER_ID', 'CUSTOMER_TOTALS.CUSTOMER_ID', 'ORDERS rows'];
    expect(protectedNow()).toEqual(all);
    const windows: string[] = [];
    const from = server.statements.length;
    const stop = server.observe((record) => {
      const missing = all.filter((p) => !protectedNow().includes(p));
      if (missing.length) windows.push(`${missing.join(', ')} unprotected after: ${record.sqlText}`);
      // The first apply stops between dropping the old ORDER_ACCESS and renaming its successor: the next finishes.
      if (record.sqlText === `DROP ROW ACCESS POLICY ${gov('ORDER_ACCESS')}`) server.inject({ kind: 'sql-error', code: '000603', message: 'Incident: the warehouse went away' });
    });
    const stopped = await apply({ projectDir: dir }).catch((e: unknown) => e);
    expect((stopped as UserError).diagnostics?.[0]?.message).toMatch(/^replacing a policy failed: Incident: the warehouse went away/);
    const resumed = (await plan({ projectDir: dir })).plan!;
    expect(describePlan(resumed, { sql: true, verb: 'plan' }).map((l) => l.message).filter((l) => l.startsWith('policy'))).toEqual([
      `policy     ORDER_ACCESS (row access policy): dropped by an apply that stopped while replacing it: its replacement takes its name
    ALTER ROW ACCESS POLICY ${gov('ORDER_ACCESS__CHARTER_NEXT')} RENAME TO ${gov('ORDER_ACCESS')};
`,
    ]);
    const applied = await apply({ projectDir: dir }).finally(stop);
    expect(applied.results.passed).toBe(true);
    expect(windows).toEqual([]);

    const sent = sentSince(from);
    const at = (sql: string): number => sent.indexOf(sql);
    // The move happens in the setup, before the relations' own statements, which then name the new policy.
    expect(at(`DROP MASKING POLICY ${gov('MASK_PII')}`)).toBeGreaterThan(at(`ALTER TAG ${gov('PII')} SET MASKING POLICY ${gov('MASK_PII__CHARTER_NEXT')} FORCE`));
    expect(at(`ALTER MASKING POLICY ${gov('MASK_PII__CHARTER_NEXT')} RENAME TO ${gov('MASK_PII')}`)).toBe(at(`DROP MASKING POLICY ${gov('MASK_PII')}`) + 1);
    expect(at(`ALTER TABLE ${orders} MODIFY COLUMN "CUSTOMER_ID" SET MASKING POLICY ${gov('MASK_PII')} USING ("CUSTOMER_ID", "CONSENT") FORCE`))
      .toBeGreaterThan(at(`ALTER MASKING POLICY ${gov('MASK_PII__CHARTER_NEXT')} RENAME TO ${gov('MASK_PII')}`));
    expect(sent.filter((sql) => /^CREATE OR REPLACE (MASKING|ROW ACCESS) POLICY/.test(sql))).toEqual([]);
    expect(sent.filter((sql) => sql.startsWith(`ALTER ROW ACCESS POLICY ${gov('ORDER_ACCESS__CHARTER_NEXT')} RENAME TO`))).toHaveLength(1);

    // The warehouse ends with the new definitions under the old names, attached where the old ones were.
    expect(governance.masking.get(`${db}.GOVERNANCE.MASK_PII`)?.args).toEqual([['VAL', 'VARCHAR'], ['CONSENT', 'BOOLEAN']]);
    expect(governance.rowAccess.get(`${db}.GOVERNANCE.ORDER_ACCESS`)?.args).toEqual([['AMOUNT', 'NUMBER(18,2)'], ['CUSTOMER', 'VARCHAR']]);
    expect([...governance.masking.keys(), ...governance.rowAccess.keys()].filter((k) => k.startsWith(`${db}.`) && k.endsWith('__CHARTER_NEXT'))).toEqual([]);
    expect(governance.relations.get(`${db}.SILVER.ORDERS`)).toMatchObject({
      masking: new Map([['CUSTOMER_ID', `${db}.GOVERNANCE.MASK_PII`]]),
      rowAccess: { policy: `${db}.GOVERNANCE.ORDER_ACCESS`, on: ['AMOUNT_USD', 'CUSTOMER_ID'] },
    });
    expect(governance.tags.get(`${db}.GOVERNANCE.PII`)?.masking).toEqual(new Map([['VARCHAR', `${db}.GOVERNANCE.MASK_PII`]]));
    expect((await plan({ projectDir: dir })).plan).toMatchObject({ changes: [], policies: [] });

    // Compiling alone (no connection) renders what a fresh target gets: the policy created with its new signature.
    await compile({ projectDir: dir, format: false });
    const script = readFileSync(path.join(dir, 'target', 'compiled', 'governance', 'snowflake.sql'), 'utf8');
    expect(script).toContain(`CREATE MASKING POLICY IF NOT EXISTS ${gov('MASK_PII')} AS ("VAL" VARCHAR, "CONSENT" BOOLEAN) RETURNS VARCHAR ->`);
    expect(script).not.toContain('__CHARTER_NEXT');
  });
});

describe('comparing what the warehouse has with the definition', () => {
  const sig = (returns: string, ...args: Array<[string, string]>) => ({ args: args.map(([name, type]) => ({ name, type })), returns });

  it('reads DESCRIBE\'s signature and folds names and type synonyms as Snowflake stores them', () => {
    expect(parseSignature('(VAL VARCHAR, N NUMBER(38,0), "Mixed case" TIMESTAMP_LTZ(9))')).toEqual([
      { name: 'VAL', type: 'VARCHAR' }, { name: 'N', type: 'NUMBER(38,0)' }, { name: 'Mixed case', type: 'TIMESTAMP_LTZ(9)' },
    ]);
    expect(parseSignature('()')).toEqual([]);
    const deployed = sig('VARCHAR(16777216)', ['VAL', 'VARCHAR']);
    for (const same of [sig('STRING', ['val', 'STRING']), sig('TEXT', ['val', 'VARCHAR(100)']), sig('VARCHAR', ['Val', 'VARCHAR'])]) expect(sameSignature(same, deployed)).toBe(true);
    for (const other of [sig('VARCHAR', ['val', 'VARCHAR'], ['consent', 'BOOLEAN']), sig('VARCHAR', ['value', 'VARCHAR']), sig('VARCHAR(64)', ['val', 'VARCHAR']), sig('NUMBER', ['val', 'NUMBER'])]) {
      expect(sameSignature(other, deployed)).toBe(false);
    }
    expect(sameSignature(sig('NUMBER(18,2)', ['n', 'NUMBER(18,2)']), sig('NUMBER(18,2)', ['N', 'NUMBER']))).toBe(true);
    expect(sameSignature(sig('NUMBER', ['n', 'INT']), sig('NUMBER(38,0)', ['N', 'NUMBER']))).toBe(true);
  });

  it('refuses to move a row access policy onto columns nothing names', () => {
    const policies = {
      ...NO_POLICIES,
      rowAccessPolicies: new Map([['BY_REGION', { name: 'BY_REGION', definition: { signature: { region: 'VARCHAR', tier: 'VARCHAR' }, body: 'TRUE' }, location: { file: 'policies/p.yml', line: 1, column: 1 } }]]),
    };
    const relation = { database: 'DB', schema: 'S', identifier: 'T' };
    const { unmovable } = snowflakeGovernanceDdl.replacePolicy(policies, { database: 'DB', schema: 'GOVERNANCE' }, { kind: 'row_access', name: 'BY_REGION', from: sig('BOOLEAN', ['REGION', 'VARCHAR']) },
      [{ on: 'relation', relation, object: 'table', columns: ['REGION'] }]);
    expect(unmovable).toEqual(['"DB"."S"."T" reads REGION with it, and the new signature takes 2 columns']);
  });
});

describe('grants, tags and projection policies a contract no longer names', () => {
  const withoutThem = ordersContract({ roles: '[ANALYST]', amount: '' });

  it('are revoked and unset on the next apply, after what the relation now has is set', async () => {
    const db = 'POLICY_DETACH';
    const dir = await deployed(db);
    const { governance } = server;
    const orders = `"${db}"."SILVER"."ORDERS"`;
    expect(governance.relations.get(`${db}.SILVER.ORDERS`)).toMatchObject({
      grants: new Set(['ANALYST', 'PII_READER']), projection: new Map([['AMOUNT_USD', `${db}.GOVERNANCE.HIDE_AMOUNT`]]),
    });
    edit(dir, 'contracts/orders.yml', withoutThem);
    const from = server.statements.length;
    const applied = await apply({ projectDir: dir });
    expect(applied.results.passed).toBe(true);
    const change = applied.plan?.changes.find((c) => c.name === 'orders');
    expect(change?.kind).toBe('governance');
    expect(change?.reasons).toEqual([
      're-apply governance: contract or tags changed, data unchanged',
      'unsets tag FINANCE on amount_usd',
      'unsets projection policy HIDE_AMOUNT on amount_usd',
      'revokes SELECT from PII_READER',
    ]);
    expect(change?.breaking).toEqual(['column amount_usd projection policy HIDE_AMOUNT removed']);
    const detached = [
      `ALTER TABLE ${orders} MODIFY COLUMN "AMOUNT_USD" UNSET TAG "${db}"."GOVERNANCE"."FINANCE"`,
      `ALTER TABLE ${orders} MODIFY COLUMN "AMOUNT_USD" UNSET PROJECTION POLICY`,
      `REVOKE SELECT ON TABLE ${orders} FROM ROLE "PII_READER"`,
    ];
    const sent = sentSince(from);
    const first = sent.indexOf(detached[0]!);
    expect(sent.slice(first, first + detached.length)).toEqual(detached);
    expect(sent.indexOf(`GRANT SELECT ON TABLE ${orders} TO ROLE "ANALYST"`)).toBeLessThan(first);
    expect(sent[first + detached.length]).toMatch(/^INSERT INTO "POLICY_DETACH"\."OPS"\."CHARTER_STATE"/);
    expect(governance.relations.get(`${db}.SILVER.ORDERS`)).toMatchObject({
      grants: new Set(['ANALYST']), projection: new Map(), tags: new Map([['CUSTOMER_ID', new Map([[`${db}.GOVERNANCE.PII`, 'pii']])]]),
    });
  });

  it('are left alone when the state row was written before charter recorded them: unknown, so nothing is revoked', async () => {
    const db = 'POLICY_OLD_ROWS';
    const dir = await deployed(db);
    // The orders row as an older charter wrote it: no grants, no column tags or projection policies.
    await onSnowflake(db, async (sql) => {
      const [row] = await sql(`SELECT seq, governed_columns FROM "${db}"."OPS"."CHARTER_STATE" WHERE node_id = 'model.tiny.orders' ORDER BY seq DESC LIMIT 1`);
      const stored = JSON.parse(String(row!['GOVERNED_COLUMNS'])) as { columns: Array<Record<string, unknown>>; rowAccess: unknown; grants?: unknown };
      expect(stored.grants).toEqual(['ANALYST', 'PII_READER']);
      const old = { columns: stored.columns.map(({ tags: _tags, projectionPolicy: _projection, ...column }) => column), rowAccess: stored.rowAccess };
      await sql(`UPDATE "${db}"."OPS"."CHARTER_STATE" SET governed_columns = '${JSON.stringify(old)}' WHERE node_id = 'model.tiny.orders' AND seq = ${String(row!['SEQ'])}`);
    });
    edit(dir, 'contracts/orders.yml', withoutThem);
    const from = server.statements.length;
    const applied = await apply({ projectDir: dir });
    expect(applied.results.passed).toBe(true);
    expect(applied.plan?.changes.find((c) => c.name === 'orders')?.reasons).toEqual(['re-apply governance: contract or tags changed, data unchanged']);
    expect(sentSince(from).filter((sql) => /^REVOKE|UNSET (TAG|PROJECTION)/.test(sql) || / UNSET (TAG|PROJECTION) /.test(sql))).toEqual([]);
    expect(server.governance.relations.get(`${db}.SILVER.ORDERS`)).toMatchObject({
      grants: new Set(['ANALYST', 'PII_READER']), projection: new Map([['AMOUNT_USD', `${db}.GOVERNANCE.HIDE_AMOUNT`]]),
    });
  });
});

/** SQL on the loopback server through the driver, as the deploying user, outside charter. */
async function onSnowflake(database: string, work: (sql: (text: string) => Promise<Array<Record<string, unknown>>>) => Promise<void>): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const snowflake = (await import('snowflake-sdk')).default;
  snowflake.configure({ logLevel: 'OFF' });
  const connection = snowflake.createConnection({ accessUrl: server.url, account: 'testacct', username: 'DEPLOYER', password: 'any', database, warehouse: 'WH' } as ConnectionOptions);
  await new Promise<Connection>((resolve, reject) => connection.connect((err, conn) => (err ? reject(err) : resolve(conn))));
  const sql = (sqlText: string): Promise<Array<Record<string, unknown>>> =>
    new Promise((resolve, reject) => connection.execute({ sqlText, complete: (err, _s, rows) => (err ? reject(err) : resolve((rows ?? []) as Array<Record<string, unknown>>)) }));
  try {
    await work(sql);
  } finally {
    await new Promise<void>((resolve) => connection.destroy(() => resolve()));
  }
}

// Policy tests: a contract says what a role sees of a governed model (masked columns, clear columns, which rows),
// and `charter build` / `charter test` check it through the role's view on the local target. The expected failing
// counts below are read off tests/fixtures/tiny/seeds/raw_orders.csv by hand: orders 1 and 3 are c1's, 2 is c2's,
// 4 is c3's.
import { describe, expect, it } from 'vitest';
import { UserError, type Diagnostic } from '../../src/diagnostics/diagnostic.js';
import type { TestResult } from '../../src/execute/run-data-test.js';
import { fixtureCopy } from '../helpers/project.js';
import { buildWithContracts } from '../helpers/warehouse.js';

const POLICIES = `roles:
  ANALYST: {}
  PII_READER: {}
  ADMIN: {inherits: [PII_READER]}
masking_policies:
  MASK_PII:
    signature: {val: VARCHAR}
    body: "CASE WHEN IS_ROLE_IN_SESSION('PII_READER') THEN val ELSE '*****' END"
row_access_policies:
  CUSTOMER_ACCESS:
    signature: {cid: VARCHAR}
    roles: {ANALYST: [c1], PII_READER: '*'}
`;

/** The tiny orders contract with a row access policy and the given policy tests (YAML list items, indented 2). */
const contract = (policyTests: string): string => `name: tiny_orders
version: 1.0.0
model: orders
owners: [data@example.com]
security_controls:
  row_access_policy: CUSTOMER_ACCESS
  row_access_on: [customer_id]
columns:
  - name: order_id
    data_type: NUMBER(18,0)
    constraints: {primary_key: true}
  - name: customer_id
    data_type: VARCHAR
    classification: pii
    masking_policy: GOVERNANCE.MASK_PII
  - name: amount_usd
    data_type: NUMBER(18,2)
policy_tests:
${policyTests}`;

async function built(policyTests: string): Promise<TestResult[]> {
  const dir = fixtureCopy('tiny', { 'policies/governance.yml': POLICIES, 'contracts/orders.yml': contract(policyTests) });
  return (await buildWithContracts(dir)).tests.filter((t) => t.kind === 'policy');
}

async function compileErrors(contractText: string): Promise<readonly Diagnostic[]> {
  const dir = fixtureCopy('tiny', { 'policies/governance.yml': POLICIES, 'contracts/orders.yml': contractText });
  try {
    await buildWithContracts(dir);
  } catch (e) {
    if (e instanceof UserError) return e.diagnostics;
    throw e;
  }
  throw new Error('the build did not stop at compile');
}

/** The line (1-based) of the first line of the contract holding `text`. */
const lineOf = (policyTests: string, text: string): number => contract(policyTests).split('\n').findIndex((l) => l.includes(text)) + 1;

describe('policy tests', () => {
  it('pass when each role sees what the contract says: masked, clear, and its rows', async () => {
    const results = await built(`  - {role: ANALYST, masked: [customer_id], clear: [order_id, amount_usd], sees: "customer_id = 'c1'"}
  - {role: PII_READER, clear: [customer_id], sees: all}
  - {role: ADMIN, clear: [customer_id, amount_usd], sees: all}
`);
    expect(results.map((r) => [r.name, r.status, r.failures])).toEqual([
      ['policy_orders_as_analyst', 'pass', 0],
      ['policy_orders_as_pii_reader', 'pass', 0],
      ['policy_orders_as_admin', 'pass', 0],
    ]);
  });

  it('fail, row by row, when a role sees more or less than the contract says', async () => {
    const tests = `  - {role: ANALYST, clear: [customer_id], sees: all}
  - {role: PII_READER, masked: [customer_id], sees: "customer_id <> 'c3'"}
  - {role: ANALYST, sees: none, severity: warn}
`;
    const results = await built(tests);
    expect(results.map((r) => [r.name, r.status, r.failures])).toEqual([
      // ANALYST sees only c1's two orders, masked: both in the wrong state, and orders 2 and 4 hidden.
      ['policy_orders_as_analyst', 'fail', 4],
      // PII_READER sees all four in clear, and c3's order 4 though the test says it is hidden.
      ['policy_orders_as_pii_reader', 'fail', 5],
      ['policy_orders_as_analyst_2', 'warn', 2],
    ]);
    const [first] = results;
    expect(first?.location).toMatchObject({ file: 'contracts/orders.yml', line: lineOf(tests, 'role: ANALYST, clear') });
    expect(first?.error?.message).toContain('4 failing rows');
  });

  it('are refused at compile when they name a role or column that does not exist, or cannot match rows', async () => {
    const tests = `  - {role: ANALYS, masked: [customer_id]}
  - {role: ANALYST, masked: [customer]}
  - {role: ANALYST}
`;
    const errors = await compileErrors(contract(tests));
    expect(errors.map((d) => [d.code, d.location?.line, d.hint])).toEqual([
      ['policy.undefined', lineOf(tests, 'ANALYS,'), 'did you mean `ANALYST`?'],
      ['contract.invalid', lineOf(tests, '[customer]'), 'did you mean `customer_id`?'],
      ['contract.invalid', lineOf(tests, 'role: ANALYST}'), expect.stringContaining('masked: [columns]')],
    ]);
    // Rows are matched by the primary key unless the test names a key; without either there is nothing to match on.
    const keyless = contract('  - {role: ANALYST, masked: [customer_id]}\n').replace('    constraints: {primary_key: true}\n', '');
    expect((await compileErrors(keyless)).map((d) => [d.code, d.message, d.hint])).toEqual([
      ['contract.invalid', 'policy test on orders needs a key column to match rows: the contract names no primary key', expect.stringContaining('key: <column>')],
    ]);
  });
});

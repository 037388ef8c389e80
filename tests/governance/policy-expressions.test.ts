// Policy bodies are written once, in Snowflake SQL, and evaluated locally on DuckDB (translated like any model) under
// a simulated role. Each expected value below is written by hand from Snowflake's documented semantics
// (IS_ROLE_IN_SESSION holds for the role and every role it inherits; REGEXP_REPLACE with a back-reference; SHA2's hex
// digest; NULL in, NULL out), not computed by charter.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { positional } from '../../src/adapters/adapter.js';
import { DuckDBAdapter } from '../../src/adapters/duckdb/adapter.js';
import { closeEngine, openEngine } from '../../src/execute/engine.js';
import { StatementLog, StatementRunner } from '../../src/execute/statement-runner.js';
import { loadPolicies } from '../../src/load/load-policies.js';
import type { MaskingPolicyDefinition } from '../../src/load/policy-schema.js';
import { maskingExpression, rolesHeldBy, rowAccessExpression } from '../../src/render/governance-sql.js';
import { repoRoot } from '../helpers/project.js';

const { policies } = await loadPolicies(repoRoot);
const adapter = new DuckDBAdapter({ file: ':memory:' });
let runner: StatementRunner;

beforeAll(async () => {
  await openEngine(adapter);
  runner = new StatementRunner(await adapter.openSession(), new StatementLog());
});
afterAll(async () => {
  await closeEngine(adapter);
});

/** Runs Snowflake SQL as the given role (with the roles it inherits), translated as the local target does. */
async function asRole(role: string | undefined, snowflakeSql: string): Promise<unknown[][]> {
  const held = role ? rolesHeldBy(role, policies) : [];
  await runner.run(`SET VARIABLE charter_role = ${role ? `'${role}'` : 'NULL'}`, { purpose: 'test' });
  await runner.run(`SET VARIABLE charter_roles = [${held.map((r) => `'${r}'`).join(', ')}]::VARCHAR[]`, { purpose: 'test' });
  const translated = adapter.translate(snowflakeSql);
  expect(translated.unsupported).toEqual([]);
  return positional(await runner.run(translated.sql, { purpose: 'test' }));
}

/** One masked value: `policy` applied to `value` (a SQL literal) in column V. */
async function mask(policy: MaskingPolicyDefinition, role: string | undefined, value: string, extra = ''): Promise<unknown> {
  const [[out]] = await asRole(role, `SELECT ${maskingExpression(policy, 'V', ['CONSENT'])} AS OUT FROM (SELECT ${value} AS V${extra})`) as [[unknown]];
  return out;
}

describe("the showcase's MASK_PII", () => {
  const policy = policies.maskingPolicies.get('MASK_PII')!.definition;

  it("redacts an email's local part and keeps its domain for a role without PII access", async () => {
    expect(await mask(policy, 'ANALYST_REVENUE', "'mei.rossi@cobaltlabs.example.com'")).toBe('*****@cobaltlabs.example.com');
    expect(await mask(policy, 'FINANCE', "'a@b.example'")).toBe('*****@b.example');
  });

  it('redacts a name or a phone number wholly, and keeps NULL as NULL', async () => {
    expect(await mask(policy, 'ANALYST_REVENUE', "'+1-404-555-0188'")).toBe('*****');
    expect(await mask(policy, 'ANALYST_REVENUE', "'Mei Rossi'")).toBe('*****');
    expect(await mask(policy, 'ANALYST_REVENUE', 'CAST(NULL AS VARCHAR)')).toBeNull();
  });

  it('shows clear values to PII_READER, to CUSTOMER_SUCCESS, and to ADMIN, which inherits PII_READER', async () => {
    for (const role of ['PII_READER', 'CUSTOMER_SUCCESS', 'ADMIN']) expect(await mask(policy, role, "'mei.rossi@cobaltlabs.example.com'")).toBe('mei.rossi@cobaltlabs.example.com');
    // DATA_ENGINEER inherits analysts and the auditor, not PII_READER.
    expect(await mask(policy, 'DATA_ENGINEER', "'x@y.example'")).toBe('*****@y.example');
    // With no role in session, nothing is clear.
    expect(await mask(policy, undefined, "'x@y.example'")).toBe('*****@y.example');
  });
});

describe('masking kinds written in Snowflake SQL', () => {
  const policy = (body: string, signature: Record<string, string> = { val: 'VARCHAR' }): MaskingPolicyDefinition => ({ signature, body });

  it('full redaction, nulling, hashing with SHA2 and a back-reference in REGEXP_REPLACE', async () => {
    expect(await mask(policy("IFF(IS_ROLE_IN_SESSION('PII_READER'), val, '***MASKED***')"), 'ANALYST_REVENUE', "'secret'")).toBe('***MASKED***');
    expect(await mask(policy("CASE WHEN IS_ROLE_IN_SESSION('PII_READER') THEN val ELSE NULL END"), 'ANALYST_REVENUE', "'secret'")).toBeNull();
    // SHA-256 of "a", the standard test vector.
    expect(await mask(policy('SHA2(val, 256)'), 'ANALYST_REVENUE', "'a'")).toBe('ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb');
    // The seed's MASK_EMAIL: everything before the @ becomes #***.
    expect(await mask(policy("IFF(IS_ROLE_IN_SESSION('ANALYST_PHI'), val, REGEXP_REPLACE(val, '.+(@.*)', '#***\\\\1'))"), 'ANALYST_REVENUE', "'jo@brook.example'")).toBe('#***@brook.example');
  });

  it('conditional masking on a second column: clear where the row consents', async () => {
    const consent = policy("CASE WHEN consent OR IS_ROLE_IN_SESSION('PII_READER') THEN val ELSE '***' END", { val: 'VARCHAR', consent: 'BOOLEAN' });
    expect(await mask(consent, 'ANALYST_REVENUE', "'a@b.example'", ', TRUE AS CONSENT')).toBe('a@b.example');
    expect(await mask(consent, 'ANALYST_REVENUE', "'a@b.example'", ', FALSE AS CONSENT')).toBe('***');
  });
});

describe("the showcase's CUSTOMER_SEGMENT_ACCESS", () => {
  const policy = policies.rowAccessPolicies.get('CUSTOMER_SEGMENT_ACCESS')!.definition;
  const visible = async (role: string | undefined) =>
    (await asRole(role, `SELECT C FROM (SELECT 'c1' AS C, 'enterprise' AS SEGMENT UNION ALL SELECT 'c2', 'startup' UNION ALL SELECT 'c3', 'mid_market') WHERE ${rowAccessExpression(policy, ['SEGMENT'])} ORDER BY C`)).map(([c]) => c);

  it("admits an account team to its segment's customers only", async () => {
    expect(await visible('ACCOUNT_TEAM_ENTERPRISE')).toEqual(['c1']);
    expect(await visible('ACCOUNT_TEAM_STARTUP')).toEqual(['c2']);
  });

  it('admits every row to the analysts and to roles that inherit them; none to a role it does not name', async () => {
    expect(await visible('ANALYST_REVENUE')).toEqual(['c1', 'c2', 'c3']);
    expect(await visible('EXECUTIVE_READER')).toEqual(['c1', 'c2', 'c3']);
    expect(await visible('ADMIN')).toEqual(['c1', 'c2', 'c3']);
    expect(await visible('PUBLIC_READER')).toEqual([]);
    expect(await visible(undefined)).toEqual([]);
  });
});

// policies/*.yml: every policy, role and tag a contract or a policy names must be defined and fit where it is used,
// or compile fails at the file and line with a did-you-mean. A misspelt policy name can never leave a column unmasked.
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError, type Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { compile } from '../../src/pipeline/compile.js';
import { rolesNamedIn } from '../../src/validate/check-policies.js';
import { fixtureCopy, repoRoot } from '../helpers/project.js';
import { compileSchema } from '../../src/load/json-schema.js';
import { policyFileSchema } from '../../src/load/policy-schema.js';

/** What `charter compile` reports (contracts are checked against the policies there, after rendering). */
async function compileErrors(dir: string): Promise<readonly Diagnostic[]> {
  try {
    await compile({ projectDir: dir, format: false });
  } catch (e) {
    if (e instanceof UserError) return e.diagnostics;
    throw e;
  }
  throw new Error('expected compile to fail');
}

const at = (d: { location?: { file: string; line: number } | undefined; message: string; hint?: string | undefined }) =>
  `${d.location?.file}:${d.location?.line} ${d.message}${d.hint ? ` | ${d.hint}` : ''}`;

const TINY_CONTRACT = (maskingPolicy: string, extra = '') => `name: tiny_orders
version: 1.0.0
model: orders
owners: [data@example.com]
${extra}columns:
  - name: order_id
    data_type: NUMBER(18,0)
  - name: customer_id
    data_type: VARCHAR
    classification: pii
    masking_policy: ${maskingPolicy}
  - name: amount_usd
    data_type: NUMBER(18,2)
`;

describe('policy references', () => {
  it('a misspelt policy or role in a contract fails compile at its line, with a did-you-mean', async () => {
    const dir = fixtureCopy('tiny', {
      'contracts/orders.yml': TINY_CONTRACT('GOVERNANCE.MASK_PI', 'security_controls:\n  roles_allowed: [ANALYST, ANALISTS]\n'),
    });
    expect((await compileErrors(dir)).map(at)).toEqual([
      'contracts/orders.yml:6 role `ANALISTS` is not defined | did you mean `ANALYST`?',
      'contracts/orders.yml:13 masking policy `GOVERNANCE.MASK_PI` is not defined | did you mean `MASK_PII`?',
    ]);
  });

  it('a policy qualified with another schema, or named by a project without policies, is refused', async () => {
    const other = fixtureCopy('tiny', { 'contracts/orders.yml': TINY_CONTRACT('SECURITY.MASK_PII') });
    expect((await compileErrors(other)).map(at)).toEqual([
      "contracts/orders.yml:11 masking policy `SECURITY.MASK_PII` names schema SECURITY, but the project's policies are in GOVERNANCE | write `MASK_PII` or `GOVERNANCE.MASK_PII`",
    ]);
    const none = fixtureCopy('tiny');
    rmSync(path.join(none, 'policies'), { recursive: true });
    expect((await compileErrors(none)).map(at)).toEqual([
      "contracts/orders.yml:11 masking policy `GOVERNANCE.MASK_PII` is not defined | define it in policies/*.yml (see the README's governance section)",
    ]);
  });

  it('a masking policy whose type differs from the column it masks, and a row access policy on the wrong columns', async () => {
    const dir = fixtureCopy('tiny', {
      'policies/more.yml': `masking_policies:
  MASK_AMOUNT:
    signature: {val: 'NUMBER(18,2)'}
    body: "CASE WHEN IS_ROLE_IN_SESSION('PII_READER') THEN val ELSE 0 END"
row_access_policies:
  BY_REGION:
    signature: {region: VARCHAR, country: VARCHAR}
    body: "IS_ROLE_IN_SESSION('ANALYST')"
`,
      'contracts/orders.yml': TINY_CONTRACT('MASK_AMOUNT', 'security_controls:\n  row_access_policy: BY_REGION\n  row_access_on: [regoin]\n'),
    });
    expect((await compileErrors(dir)).map(at)).toEqual([
      'contracts/orders.yml:7 row access policy `BY_REGION` takes 2 columns (region, country), and row_access_on names 1',
      'contracts/orders.yml:7 row_access_on names `regoin`, which model orders does not have',
      "contracts/orders.yml:14 masking policy `MASK_AMOUNT` masks NUMBER(18,2), but column `customer_id` is VARCHAR | Snowflake refuses to attach a policy whose first argument type differs from the column's; define one for this type",
    ]);
  });

  it('inside the policies files: undefined roles in bodies and hierarchies, cycles, a tag with two policies of one type; a name defined twice', async () => {
    const dir = fixtureCopy('tiny', {
      'policies/governance.yml': `roles:
  ANALYST: {inherits: [LEAD]}
  LEAD: {inherits: [ANALYST]}
  PII_READER: {inherits: [ADMINN]}
tags:
  PII:
    masking_policies: [MASK_PII, MASK_PII_2]
masking_policies:
  MASK_PII:
    signature: {val: VARCHAR}
    body: "IFF(IS_ROLE_IN_SESSION('PII_READR') OR CURRENT_ROLE() IN ('ANALYST', 'AUDITOR'), val, '*')"
  MASK_PII_2:
    signature: {val: VARCHAR}
    returns: NUMBER
    body: "'*'"
`,
    });
    expect((await compileErrors(dir)).map(at)).toEqual([
      'policies/governance.yml:4 role `ADMINN` is not defined | defined roles: ANALYST, LEAD, PII_READER (in policies/governance.yml)',
      'policies/governance.yml:2 roles inherit each other in a cycle: ANALYST -> LEAD -> ANALYST | a role hierarchy is a tree; remove one of the inherits',
      'policies/governance.yml:6 tag `PII` has two masking policies for one data type: MASK_PII and MASK_PII_2 | Snowflake allows one masking policy per data type on a tag',
      'policies/governance.yml:9 role `PII_READR` is not defined | did you mean `PII_READER`?',
      'policies/governance.yml:9 role `AUDITOR` is not defined | defined roles: ANALYST, LEAD, PII_READER (in policies/governance.yml)',
      'policies/governance.yml:12 masking policy `MASK_PII_2` returns NUMBER but masks VARCHAR: Snowflake requires them to match',
    ]);
    const twice = fixtureCopy('tiny', { 'policies/second.yml': 'roles:\n  analyst: {}\n' });
    expect((await compileErrors(twice)).map(at)).toEqual([
      'policies/second.yml:2 role `ANALYST` is already defined at policies/governance.yml:2 | a name is defined once in the project; rename one or remove it',
    ]);
  });

  it('reads the roles a body names', () => {
    expect(rolesNamedIn("CASE WHEN is_role_in_session('pii_reader') OR CURRENT_ROLE() = 'ADMIN' OR INVOKER_ROLE() IN ('A', 'b') THEN val END")).toEqual(['PII_READER', 'ADMIN', 'A', 'B']);
  });
});

describe('the policies JSON Schema', () => {
  it('is the same in schemas/policies.schema.json as in src, and compiles under ajv strict mode', () => {
    expect(JSON.parse(readFileSync(path.join(repoRoot, 'schemas/policies.schema.json'), 'utf8'))).toEqual(policyFileSchema);
    expect(() => compileSchema('policies', policyFileSchema)({})).not.toThrow();
  });
});

// Golden file: the Snowflake governance DDL of the showcase (target prod), as `charter compile` writes it to
// target/compiled/governance/snowflake.sql: the project's schema, roles, tags and policies, then what each governed
// relation gets. Each statement must parse as Snowflake SQL. After an intended change,
// UPDATE_GOLDEN=1 npx vitest run tests/golden rewrites the file; review its diff like code.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { snowflakeDialect } from '../../src/adapters/snowflake/dialect.js';
import { snowflakeGovernanceDdl } from '../../src/adapters/snowflake/governance-ddl.js';
import { rowAccessBody } from '../../src/adapters/policy-body.js';
import { compile } from '../../src/pipeline/compile.js';
import { governanceScript, governanceScriptText } from '../../src/render/governance-script.js';
import { removeShowcaseCopies, showcaseCopy } from '../helpers/showcase.js';
import { parsesAsSnowflake } from '../helpers/snowflake-parse.js';

const GOLDEN = path.join(path.dirname(new URL(import.meta.url).pathname), 'snowflake-governance.sql');

describe('the Snowflake governance DDL of the showcase', async () => {
  const dir = showcaseCopy({ contracts: true });
  const session = await compile({ projectDir: dir, target: 'prod', format: false });
  const deployRole = session.loaded.target.engine === 'snowflake' ? session.loaded.target.role : undefined;
  const script = governanceScript(session.governance, session.compiled, snowflakeGovernanceDdl, deployRole);
  const text = governanceScriptText(script, snowflakeDialect, 'prod');
  const setup = script.setup.flatMap((s) => ('sql' in s ? [s.sql] : []));
  afterAll(() => removeShowcaseCopies());

  it('is the golden file, and what compile writes to target/compiled/governance/snowflake.sql', () => {
    if (process.env['UPDATE_GOLDEN'] || !existsSync(GOLDEN)) writeFileSync(GOLDEN, text);
    expect(text).toBe(readFileSync(GOLDEN, 'utf8'));
    expect(readFileSync(path.join(dir, 'target', 'compiled', 'governance', 'snowflake.sql'), 'utf8')).toBe(text);
  });

  it('lets the deploying role (the target\'s role) read as stored, and no other role by inheritance', () => {
    expect(deployRole).toBe('TRANSFORMER');
    const bodies = setup.filter((s) => /^ALTER (MASKING|ROW ACCESS|PROJECTION) POLICY .* SET BODY/.test(s));
    expect(bodies.length).toBeGreaterThanOrEqual(5);
    for (const body of bodies) expect(body, body).toMatch(/CURRENT_ROLE\(\) = 'TRANSFORMER'/);
    const mask = bodies.find((s) => s.includes('"MASK_PII" SET BODY'));
    expect(mask).toMatch(/^ALTER MASKING POLICY "PHANTOM_SEC"\."GOVERNANCE"\."MASK_PII" SET BODY ->\nCASE WHEN CURRENT_ROLE\(\) = 'TRANSFORMER' THEN "VAL" ELSE \(\n/);
    const rows = bodies.find((s) => s.includes('"CUSTOMER_SEGMENT_ACCESS" SET BODY'));
    expect(rows).toMatch(/SET BODY ->\nCURRENT_ROLE\(\) = 'TRANSFORMER' OR \(\n/);
  });

  it('parses as Snowflake SQL, statement by statement', () => {
    const all = [...setup, ...script.relations.flatMap((r) => r.statements)];
    expect(all.length).toBeGreaterThan(60);
    expect(all.filter((sql) => !parsesAsSnowflake(sql))).toEqual([]);
  });

  it('creates what it names before naming it, and never replaces a policy', () => {
    const first = (pattern: RegExp): number => setup.findIndex((s) => pattern.test(s));
    const last = (pattern: RegExp): number => setup.length - 1 - [...setup].reverse().findIndex((s) => pattern.test(s));
    expect(setup[0]).toBe('CREATE SCHEMA IF NOT EXISTS "PHANTOM_SEC"."GOVERNANCE"');
    expect(last(/^CREATE ROLE/)).toBeLessThan(first(/^GRANT ROLE/));
    expect(last(/^CREATE TAG/)).toBeLessThan(first(/^CREATE MASKING POLICY/));
    expect(last(/^(CREATE|ALTER) (MASKING|ROW ACCESS) POLICY/)).toBeLessThan(first(/^ALTER TAG/));
    expect(setup).toContain('GRANT ROLE "DATA_ENGINEER" TO ROLE "ADMIN"');
    expect(setup).toContain('ALTER TAG "PHANTOM_SEC"."GOVERNANCE"."PII" SET MASKING POLICY "PHANTOM_SEC"."GOVERNANCE"."MASK_PII" FORCE');
    // A policy may be attached: its body is set in place, its signature created once.
    expect(setup.filter((s) => /^ALTER (MASKING|ROW ACCESS) POLICY "PHANTOM_SEC"\."GOVERNANCE"\.\S+ SET BODY ->\n/.test(s))).toHaveLength(5); // MASK_PII, MASK_EMAIL, MASK_PHI, CUSTOMER_SEGMENT_ACCESS, INCIDENT_REGION
    expect(text).not.toMatch(/CREATE OR REPLACE/);
    expect(text).toContain('-- network policy INTERNAL_ONLY_V1 is verified, not managed');
  });

  it('attaches tags, then masking, then row access, then grants; a column masked through a tag gets only its tag', () => {
    const dim = script.relations.find((r) => r.name === 'dim_customer_360')!;
    const order = dim.statements.map((s) => /SET TAG|SET MASKING POLICY|ADD ROW ACCESS POLICY|GRANT SELECT/.exec(s)?.[0]);
    expect(order).toEqual([...Array(3).fill('SET TAG'), ...Array(3).fill('SET MASKING POLICY'), 'ADD ROW ACCESS POLICY', ...Array(3).fill('GRANT SELECT')]);
    expect(dim.statements).toContain('ALTER TABLE "PHANTOM_SEC"."PLATINUM"."DIM_CUSTOMER_360" ADD ROW ACCESS POLICY "PHANTOM_SEC"."GOVERNANCE"."CUSTOMER_SEGMENT_ACCESS" ON ("SEGMENT")');
    const view = script.relations.find((r) => r.name === 'brz_customers')!;
    expect(view.kind).toBe('view');
    expect(view.statements.every((s) => /^(ALTER VIEW|GRANT SELECT ON VIEW) "PHANTOM_SEC"\."BRONZE"\."BRZ_CUSTOMERS" /.test(s))).toBe(true);

    const viaTag = snowflakeGovernanceDdl.attach(
      { node: 'model.x.t', relation: { database: 'DB', schema: 'S', identifier: 'T' }, grants: [],
        columns: [{ column: 'email', tags: [{ tag: 'PII', value: 'pii' }], masking: { policy: 'MASK_PII', via: { tag: 'PII' } } }] },
      { database: 'DB', schema: 'S', identifier: 'T__charter_staged' }, 'table', { database: 'DB', schema: 'GOV' });
    expect(viaTag).toEqual(['ALTER TABLE "DB"."S"."T__CHARTER_STAGED" MODIFY COLUMN "EMAIL" SET TAG "DB"."GOV"."PII" = \'pii\'']);
  });

  it('writes a roles mapping as one boolean expression', () => {
    expect(rowAccessBody({ signature: { segment: 'VARCHAR' }, roles: { account_team: ['enterprise', "o'brien"], ANALYST: '*' } })).toBe(
      "(IS_ROLE_IN_SESSION('ACCOUNT_TEAM') AND segment IN ('enterprise', 'o''brien'))\nOR IS_ROLE_IN_SESSION('ANALYST')",
    );
    expect(rowAccessBody({ signature: { segment: 'VARCHAR' }, roles: {} })).toBe('FALSE');
    expect(rowAccessBody({ signature: { segment: 'VARCHAR' }, body: 'TRUE' })).toBe('TRUE');
  });

  it('is not written for a DuckDB target', async () => {
    const local = showcaseCopy({ contracts: true });
    await compile({ projectDir: local, format: false });
    expect(existsSync(path.join(local, 'target', 'compiled', 'governance'))).toBe(false);
  });
});

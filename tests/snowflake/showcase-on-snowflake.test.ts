// The whole showcase built and tested on a Snowflake target through the real snowflake-sdk, against the loopback
// server (which runs what it receives on DuckDB after the same Snowflake-to-DuckDB translation as the local target).
// What charter sent to build each model must equal the golden Snowflake SQL (tests/golden/snowflake-showcase.sql).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify } from 'yaml';
import type { RunResults } from '../../src/pipeline/finish-run.js';
import { ALL_MODELS, describeSlo, describeTest, notPassing, removeShowcaseCopies, showcaseCopy } from '../helpers/showcase.js';
import { repoRoot } from '../helpers/project.js';
import { startLoopbackServer, type LoopbackServer, type StatementRecord } from './loopback-server.js';

const GOLDEN = path.join(repoRoot, 'tests', 'golden', 'snowflake-showcase.sql');
const PASSWORD_ENV = 'CHARTER_LOOPBACK_TEST_PASSWORD';

/** The golden file's "first build" statements of each model, as sent (each ends in `;` followed by a blank line). */
function goldenFirstBuilds(): Map<string, string[]> {
  const sections = readFileSync(GOLDEN, 'utf8').split(/^-- ==== /m).filter(Boolean);
  const builds = new Map<string, string[]>();
  for (const section of sections) {
    const [title, ...body] = section.split('\n');
    const first = /^(\w+): first build$/.exec(title ?? '');
    if (!first) continue;
    builds.set(first[1]!, body.join('\n').trim().split(/;\n(?:\n|$)/).map((s) => s.replace(/;$/, '')).filter(Boolean));
  }
  return builds;
}

/** The query tag every statement carries, parsed. */
const tagOf = (s: StatementRecord): { node?: string; purpose?: string; run?: string; command?: string } => JSON.parse(s.queryTag ?? '{}');

describe('the showcase on a Snowflake target (loopback)', () => {
  let server: LoopbackServer;
  let dir: string;
  let results: RunResults;

  beforeAll(async () => {
    server = await startLoopbackServer({ passwords: { CHARTER_DEPLOY: 'loopback-secret-pw' } });
    dir = showcaseCopy({ contracts: true });
    const projectFile = path.join(dir, 'project.yml');
    const project = parseYaml(readFileSync(projectFile, 'utf8')) as { targets: Record<string, unknown> };
    const { port } = new URL(server.url);
    project.targets['loopback'] = {
      engine: 'snowflake', account: 'phantomsec-test', user: 'CHARTER_DEPLOY', role: 'TRANSFORMER', warehouse: 'TRANSFORM_WH',
      database: 'PHANTOM_SEC', host: '127.0.0.1', port: Number(port), protocol: 'http', password_env: PASSWORD_ENV, threads: 4,
    };
    writeFileSync(projectFile, stringify(project));
    process.env[PASSWORD_ENV] = 'loopback-secret-pw';
    const { build } = await import('../../src/pipeline/build.js');
    results = await build({ projectDir: dir, target: 'loopback' });
  }, 240_000);

  afterAll(async () => {
    delete process.env[PASSWORD_ENV];
    await server?.close();
    removeShowcaseCopies();
  });

  it('builds every seed and model, and every contract test and SLO passes', () => {
    expect(results.nodes.filter((n) => n.status !== 'success').map((n) => `${n.uniqueId}: ${n.error?.message ?? n.status}`)).toEqual([]);
    expect(results.nodes.filter((n) => n.uniqueId.startsWith('model.')).map((n) => n.uniqueId.split('.').at(-1)).sort()).toEqual([...ALL_MODELS].sort());
    // Policy tests read through charter's local policy views; on Snowflake the warehouse enforces the policies.
    const [policy, others] = [results.tests.filter((t) => t.kind === 'policy'), results.tests.filter((t) => t.kind !== 'policy')];
    expect(notPassing(others).map(describeTest)).toEqual([]);
    expect(policy.length).toBeGreaterThanOrEqual(5);
    for (const t of policy) expect([t.status, t.skippedBecause]).toEqual(['skipped', 'policy tests run on the local target; snowflake enforces its policies for its own users']);
    expect(notPassing(results.slos).map(describeSlo)).toEqual([]);
    expect(results.tests.length).toBeGreaterThan(400);
    expect(results.slos.length).toBeGreaterThan(50);
    expect(results.passed).toBe(true);
  });

  it('sent exactly the golden Snowflake SQL to build each model', () => {
    const golden = goldenFirstBuilds();
    expect([...golden.keys()].sort()).toEqual([...ALL_MODELS].sort());
    for (const [model, statements] of golden) {
      const sent = server.statements
        .filter((s) => tagOf(s).run === results.runId && tagOf(s).node === `model.phantom_sec.${model}` && ['build', 'governance', 'swap', 'merge', 'cleanup', 'retention'].includes(tagOf(s).purpose ?? ''))
        .map((s) => s.sqlText);
      // Schemas are created once per run, not once per model as in the golden file's self-contained sections.
      expect(sent, model).toEqual(statements.filter((s) => !s.startsWith('CREATE SCHEMA')));
    }
  });

  it('tagged every statement with the run, and logged in with the password without recording it', () => {
    const first = server.statements.filter((s) => tagOf(s).run === results.runId);
    expect(first.length).toBeGreaterThan(200);
    expect(server.statements.every((s) => tagOf(s).command === 'build')).toBe(true);
    expect(server.logins.every((l) => l.accepted && l.user === 'CHARTER_DEPLOY' && l.role === 'TRANSFORMER')).toBe(true);
    const artifacts = ['run_results.json', 'manifest.json'].map((f) => readFileSync(path.join(dir, 'target', f), 'utf8')).join('\n');
    expect(artifacts).not.toContain('loopback-secret-pw');
  });

  it("set up the project's governance once, before the first governed model, and left each relation governed", () => {
    const sent = server.statements.filter((s) => tagOf(s).run === results.runId);
    const setup = sent.filter((s) => tagOf(s).purpose === 'governance' && !tagOf(s).node);
    expect(setup.map((s) => s.sqlText)[0]).toBe('CREATE SCHEMA IF NOT EXISTS "PHANTOM_SEC"."GOVERNANCE"');
    expect(setup.length).toBe(new Set(setup.map((s) => s.sqlText)).size);
    const firstGoverned = sent.findIndex((s) => tagOf(s).purpose === 'governance' && tagOf(s).node);
    expect(sent.indexOf(setup.at(-1)!)).toBeLessThan(firstGoverned);
    expect(sent.filter((s) => s.error)).toEqual([]);

    const { governance } = server;
    const dim = governance.relations.get('PHANTOM_SEC.PLATINUM.DIM_CUSTOMER_360');
    const pii = ['PRIMARY_CONTACT_NAME', 'PRIMARY_CONTACT_EMAIL', 'PRIMARY_CONTACT_PHONE'];
    expect(Object.fromEntries(dim?.masking ?? [])).toEqual(Object.fromEntries(pii.map((c) => [c, 'PHANTOM_SEC.GOVERNANCE.MASK_PII'])));
    expect(pii.map((c) => dim?.tags.get(c)?.get('PHANTOM_SEC.GOVERNANCE.PII'))).toEqual(['pii', 'pii', 'pii']);
    expect(dim?.rowAccess).toEqual({ policy: 'PHANTOM_SEC.GOVERNANCE.CUSTOMER_SEGMENT_ACCESS', on: ['SEGMENT'] });
    expect([...dim?.grants ?? []].sort()).toEqual(['ANALYST_REVENUE', 'CUSTOMER_SUCCESS', 'EXECUTIVE_READER']);
    // The view was governed under its staged name and renamed into place; nothing is left under a staged name.
    expect(governance.relations.get('PHANTOM_SEC.BRONZE.BRZ_CUSTOMERS')?.masking.size).toBe(3);
    expect([...governance.relations.keys()].filter((k) => k.endsWith('__CHARTER_STAGED'))).toEqual([]);
    expect(governance.tags.get('PHANTOM_SEC.GOVERNANCE.PII')?.masking.get('VARCHAR')).toBe('PHANTOM_SEC.GOVERNANCE.MASK_PII');
    expect(governance.roleGrants.get('ADMIN')).toContain('PII_READER');
  });

  it('a rebuild of dim_customer_360 never shows its name without its policies: all of them go on the staged table, before the swap', async () => {
    const { build } = await import('../../src/pipeline/build.js');
    const rebuild = await build({ projectDir: dir, target: 'loopback', select: ['dim_customer_360'] });
    expect(rebuild.nodes.map((n) => `${n.name}: ${n.status}`)).toEqual(['dim_customer_360: success']);
    const sent = server.statements.filter((s) => tagOf(s).run === rebuild.runId);
    expect(sent.filter((s) => s.error)).toEqual([]);
    // The project's governance again, unchanged and idempotent: created if missing, bodies set again.
    expect(sent.filter((s) => tagOf(s).purpose === 'governance' && !tagOf(s).node).length).toBeGreaterThan(20);

    const mine = sent.filter((s) => tagOf(s).node === 'model.phantom_sec.dim_customer_360').map((s) => s.sqlText);
    const swap = mine.findIndex((sql) => /^ALTER TABLE "PHANTOM_SEC"\."PLATINUM"\."DIM_CUSTOMER_360__CHARTER_STAGED" SWAP WITH "PHANTOM_SEC"\."PLATINUM"\."DIM_CUSTOMER_360"$/.test(sql));
    const attaching = mine.map((sql, i) => ({ sql, i })).filter(({ sql }) => /SET MASKING POLICY|ADD ROW ACCESS POLICY|SET TAG|^GRANT /.test(sql));
    expect(swap).toBeGreaterThan(0);
    expect(attaching).toHaveLength(10);
    for (const { sql, i } of attaching) {
      expect(sql).toMatch(/^(ALTER|GRANT SELECT ON) TABLE "PHANTOM_SEC"\."PLATINUM"\."DIM_CUSTOMER_360__CHARTER_STAGED" /);
      expect(i).toBeLessThan(swap);
    }
    // Nothing touches the public name between the build and the swap, and after the swap it carries everything.
    expect(mine.slice(0, swap).filter((sql) => sql.includes('"DIM_CUSTOMER_360" ') || sql.endsWith('"DIM_CUSTOMER_360"'))).toEqual([]);
    const dim = server.governance.relations.get('PHANTOM_SEC.PLATINUM.DIM_CUSTOMER_360');
    expect([dim?.masking.size, dim?.rowAccess?.policy, dim?.grants.size]).toEqual([3, 'PHANTOM_SEC.GOVERNANCE.CUSTOMER_SEGMENT_ACCESS', 3]);
    expect(server.governance.relations.has('PHANTOM_SEC.PLATINUM.DIM_CUSTOMER_360__CHARTER_STAGED')).toBe(false);
  }, 120_000);
});

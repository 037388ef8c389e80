// What governance is in force after a build on a Snowflake target, read back through the real driver from the
// loopback server's governance state (POLICY_REFERENCES by relation, TAG_REFERENCES_ALL_COLUMNS, SHOW GRANTS ON),
// into the evidence bundle's governance/in-force.json; a change made behind charter's back shows as a difference
// naming the relation and the column; and the chain head is kept in OPS.charter_evidence_head too.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAdapter } from '../../src/adapters/create-adapter.js';
import { canReadGovernance } from '../../src/adapters/governance.js';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { StatementLog, StatementRunner } from '../../src/execute/statement-runner.js';
import { loadProject } from '../../src/load/load-project.js';
import { build } from '../../src/pipeline/build.js';
import { apply } from '../../src/pipeline/deploy.js';
import { readHead } from '../../src/pipeline/evidence-bundle.js';
import { warehouseHead, warehouseHeadDiagnostics } from '../../src/pipeline/evidence-head-mirror.js';
import type { InForceReport } from '../../src/plan/governance-in-force.js';
import { silentReporter, type Reporter } from '../../src/pipeline/reporter.js';
import { fixtureCopy } from '../helpers/project.js';
import type { LoopbackServer } from './loopback-server.js';
import { loopbackForFile, targetLoopback } from './loopback-target.js';

const PASSWORD_ENV = 'CHARTER_LOOPBACK_IN_FORCE_PASSWORD';
let server: LoopbackServer;

loopbackForFile(PASSWORD_ENV, (started) => (server = started));

/** The tiny fixture, ORDERS governed by masking (its own), a tag (by classification) and a SELECT grant. */
function project(database: string): string {
  const dir = fixtureCopy('tiny');
  const policies = path.join(dir, 'policies/governance.yml');
  const contract = path.join(dir, 'contracts/orders.yml');
  writeFileSync(policies, `${readFileSync(policies, 'utf8')}tags:\n  PII:\n    allowed_values: [pii, phi]\n    classifications: [pii, phi]\n`);
  writeFileSync(contract, `${readFileSync(contract, 'utf8')}security_controls:\n  roles_allowed: [ANALYST]\n`);
  return targetLoopback(dir, server, database, PASSWORD_ENV);
}

function collecting(): { reporter: Reporter; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  return { diagnostics, reporter: { ...silentReporter, diagnostics: (ds) => diagnostics.push(...ds) } };
}

const inForceOf = (dir: string, runId: string): InForceReport =>
  JSON.parse(readFileSync(path.join(dir, 'target/evidence', runId, 'governance/in-force.json'), 'utf8')) as InForceReport;

describe('governance in force on a Snowflake target', () => {
  it('reads back what the contract set on ORDERS, finds no difference, and records the chain head in OPS', async () => {
    const dir = project('IN_FORCE_OK');
    const { reporter, diagnostics } = collecting();
    const results = await build({ projectDir: dir, reporter });
    expect(results.passed).toBe(true);
    const report = inForceOf(dir, results.runId);
    expect(report).toMatchObject({ format: 'charter-governance-in-force', engine: 'snowflake', source: 'warehouse', differences: [] });
    const orders = {
      relation: 'IN_FORCE_OK.SILVER.ORDERS',
      node: 'model.tiny.orders',
      masking: { CUSTOMER_ID: 'IN_FORCE_OK.GOVERNANCE.MASK_PII' },
      projection: {},
      row_access: null,
      tags: { CUSTOMER_ID: { 'IN_FORCE_OK.GOVERNANCE.PII': 'pii' } },
      grants: ['ANALYST'],
    };
    expect(report.objects).toEqual([orders]);
    expect(report.desired).toEqual([orders]);
    expect(diagnostics.filter((d) => d.code === 'governance.not_in_force')).toEqual([]);
    // Read through the driver, in Snowflake's own syntax, each statement in the run's log as 'introspect'.
    const log = readFileSync(path.join(dir, 'target/evidence', results.runId, 'statements.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { sql: string; purpose: string });
    const reads = log.filter((r) => /POLICY_REFERENCES\(REF_ENTITY_NAME|TAG_REFERENCES_ALL_COLUMNS|^SHOW GRANTS ON/.test(r.sql));
    expect(reads.map((r) => r.sql)).toEqual([
      `SELECT POLICY_DB, POLICY_SCHEMA, POLICY_NAME, POLICY_KIND, REF_COLUMN_NAME, REF_ARG_COLUMN_NAMES, TAG_NAME FROM TABLE("IN_FORCE_OK".INFORMATION_SCHEMA.POLICY_REFERENCES(REF_ENTITY_NAME => '"IN_FORCE_OK"."SILVER"."ORDERS"', REF_ENTITY_DOMAIN => 'table'))`,
      `SELECT TAG_DATABASE, TAG_SCHEMA, TAG_NAME, TAG_VALUE, COLUMN_NAME FROM TABLE("IN_FORCE_OK".INFORMATION_SCHEMA.TAG_REFERENCES_ALL_COLUMNS('"IN_FORCE_OK"."SILVER"."ORDERS"', 'table'))`,
      'SHOW GRANTS ON TABLE "IN_FORCE_OK"."SILVER"."ORDERS"',
    ]);
    expect(reads.every((r) => r.purpose === 'introspect')).toBe(true);

    // The head HEAD.json names is the newest row of OPS.charter_evidence_head, and a verify against it agrees.
    const head = readHead(path.join(dir, 'target/evidence'));
    expect(head?.runId).toBe(results.runId);
    expect((await warehouseHead({ projectDir: dir })).head).toMatchObject({ runId: results.runId, digest: head?.digest, chainLength: 1 });
    expect(await warehouseHeadDiagnostics({ projectDir: dir }, head)).toEqual([]);
  });

  it('after an apply too: what it deployed, read back', async () => {
    const dir = project('IN_FORCE_APPLY');
    const applied = await apply({ projectDir: dir });
    expect(applied.results.passed).toBe(true);
    const report = inForceOf(dir, applied.results.runId);
    expect(report.differences).toEqual([]);
    expect(report.objects).toEqual([expect.objectContaining({ relation: 'IN_FORCE_APPLY.SILVER.ORDERS', masking: { CUSTOMER_ID: 'IN_FORCE_APPLY.GOVERNANCE.MASK_PII' }, grants: ['ANALYST'] })]);
    expect(server.statements.some((s) => /^INSERT INTO "IN_FORCE_APPLY"\."OPS"\."CHARTER_EVIDENCE_HEAD"/.test(s.sqlText))).toBe(true);
  });

  it('reports what was changed behind charter\'s back, naming the relation and the column', async () => {
    const dir = project('IN_FORCE_DRIFT');
    const relation = { database: 'IN_FORCE_DRIFT', schema: 'SILVER', name: 'ORDERS' };
    // Once ORDERS takes its name, governed, someone unsets its masking, retags it and grants another role.
    const stop = server.observe((record) => {
      if (!/"IN_FORCE_DRIFT"\."SILVER"\."ORDERS__CHARTER_STAGED" (RENAME TO|SWAP WITH)/.test(record.sqlText)) return;
      server.governance.apply({ op: 'unset-masking', object: 'TABLE', relation, column: 'CUSTOMER_ID' });
      server.governance.apply({ op: 'set-tag', object: 'TABLE', relation, column: 'CUSTOMER_ID', tags: [[{ database: 'IN_FORCE_DRIFT', schema: 'GOVERNANCE', name: 'PII' }, 'phi']] });
      server.governance.apply({ op: 'grant-select', object: 'TABLE', relation, role: 'PII_READER' });
    });
    const { reporter, diagnostics } = collecting();
    const results = await build({ projectDir: dir, reporter }).finally(stop);
    // The build itself passed: the difference is a warning, and evidence.
    expect(results.passed).toBe(true);
    const report = inForceOf(dir, results.runId);
    const at = { object: 'IN_FORCE_DRIFT.SILVER.ORDERS', node: 'model.tiny.orders' };
    expect(report.differences).toEqual([
      { ...at, column: 'CUSTOMER_ID', what: 'masking', expected: 'IN_FORCE_DRIFT.GOVERNANCE.MASK_PII', found: null },
      { ...at, column: 'CUSTOMER_ID', what: 'tag', expected: 'IN_FORCE_DRIFT.GOVERNANCE.PII=pii', found: 'IN_FORCE_DRIFT.GOVERNANCE.PII=phi' },
      { ...at, column: null, what: 'grant', expected: null, found: 'PII_READER' },
    ]);
    expect(report.objects[0]).toMatchObject({ masking: {}, grants: ['ANALYST', 'PII_READER'] });
    const warnings = diagnostics.filter((d) => d.code === 'governance.not_in_force');
    expect(warnings.map((d) => [d.severity, d.message])).toEqual([
      ['warning', 'IN_FORCE_DRIFT.SILVER.ORDERS.CUSTOMER_ID: masking policy IN_FORCE_DRIFT.GOVERNANCE.MASK_PII is not in force (the contract sets it)'],
      ['warning', 'IN_FORCE_DRIFT.SILVER.ORDERS.CUSTOMER_ID: tag in force is IN_FORCE_DRIFT.GOVERNANCE.PII=phi, the contract says IN_FORCE_DRIFT.GOVERNANCE.PII=pii'],
      ['warning', 'IN_FORCE_DRIFT.SILVER.ORDERS: SELECT grant PII_READER is in force, but the contract does not set it'],
    ]);
  });

  it('reads a view\'s row access policy and the columns it reads, and masking through a tag (for the column\'s type)', async () => {
    const loaded = await loadProject({ projectDir: project('IN_FORCE_READER') });
    const adapter = createAdapter(loaded, 1, { runId: 'reader', command: 'test' });
    await adapter.open();
    try {
      const session = await adapter.openSession();
      const { run } = new StatementRunner(session, new StatementLog());
      const g = '"IN_FORCE_READER"."GOV"';
      for (const sql of [
        `CREATE SCHEMA IF NOT EXISTS ${g}`, 'CREATE SCHEMA IF NOT EXISTS "IN_FORCE_READER"."MART"', 'CREATE ROLE IF NOT EXISTS "FINANCE"',
        `CREATE TAG ${g}."PII"`, `CREATE MASKING POLICY ${g}."REDACT" AS (val VARCHAR) RETURNS VARCHAR -> '***'`,
        `CREATE ROW ACCESS POLICY ${g}."BY_REGION" AS (region VARCHAR) RETURNS BOOLEAN -> TRUE`, `ALTER TAG ${g}."PII" SET MASKING POLICY ${g}."REDACT"`,
        'CREATE TABLE "IN_FORCE_READER"."MART"."T" (email VARCHAR, region VARCHAR, amount NUMBER(18,2))',
        'CREATE VIEW "IN_FORCE_READER"."MART"."V" AS SELECT email, region, amount FROM "IN_FORCE_READER"."MART"."T"',
        // A tag's VARCHAR policy does not mask a NUMBER column carrying the tag.
        `ALTER VIEW "IN_FORCE_READER"."MART"."V" MODIFY COLUMN "AMOUNT" SET TAG ${g}."PII" = 'phi'`,
        `ALTER VIEW "IN_FORCE_READER"."MART"."V" MODIFY COLUMN "EMAIL" SET TAG ${g}."PII" = 'pii'`,
        `ALTER VIEW "IN_FORCE_READER"."MART"."V" ADD ROW ACCESS POLICY ${g}."BY_REGION" ON ("REGION")`,
        'GRANT SELECT ON VIEW "IN_FORCE_READER"."MART"."V" TO ROLE "FINANCE"',
      ]) await run(sql, { purpose: 'setup' });
      expect(canReadGovernance(adapter)).toBe(true);
      if (!canReadGovernance(adapter)) return;
      const view = { database: 'IN_FORCE_READER', schema: 'MART', identifier: 'V' };
      expect(await adapter.readGovernance(run, view, 'view')).toEqual({
        relation: view,
        masking: { EMAIL: 'IN_FORCE_READER.GOV.REDACT' },
        projection: {},
        rowAccess: { policy: 'IN_FORCE_READER.GOV.BY_REGION', on: ['REGION'] },
        tags: { AMOUNT: { 'IN_FORCE_READER.GOV.PII': 'phi' }, EMAIL: { 'IN_FORCE_READER.GOV.PII': 'pii' } },
        grants: ['FINANCE'],
      });
      // The table under it has nothing of its own.
      const table = { ...view, identifier: 'T' };
      expect(await adapter.readGovernance(run, table, 'table')).toEqual({ relation: table, masking: {}, projection: {}, rowAccess: null, tags: {}, grants: [] });
      await session.close();
    } finally {
      await adapter.close();
    }
  });
});

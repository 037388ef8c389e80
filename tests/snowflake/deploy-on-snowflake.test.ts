// plan/apply and Ctrl-C on a Snowflake target, through the real driver against the loopback server, where no file
// lock keeps two processes apart: two concurrent applies meet at the state-table lock, and a cancelled run stops its
// statement in the warehouse.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/diagnostics/diagnostic.js';
import { apply, plan } from '../../src/pipeline/deploy.js';
import { fixtureCopy } from '../helpers/project.js';
import type { LoopbackServer } from './loopback-server.js';
import { loopbackForFile, targetLoopback } from './loopback-target.js';

const PASSWORD_ENV = 'CHARTER_LOOPBACK_DEPLOY_PASSWORD';
let server: LoopbackServer;

loopbackForFile(PASSWORD_ENV, (started) => (server = started));

/** The tiny fixture with a `loopback` Snowflake target, each copy in its own database. */
function project(database: string): string {
  const dir = fixtureCopy('tiny');
  return targetLoopback(dir, server, database, PASSWORD_ENV);
}

describe('plan/apply on a Snowflake target', () => {
  it('two concurrent applies: the second fails clearly on the state-table lock, the first finishes, and a plan is then up to date', async () => {
    const dir = project('DEPLOY_RACE');
    let second: unknown;
    const first = await apply({
      projectDir: dir,
      // While the first apply holds the lock, a second one, on a session of its own, tries.
      onApplied: async (change) => {
        if (change.name === 'orders') second = await apply({ projectDir: dir }).catch((e: unknown) => e);
      },
    });
    expect(first.results.passed).toBe(true);
    expect(first.results.nodes.map((n) => n.status)).toEqual(Array(first.results.nodes.length).fill('success'));
    expect(second).toBeInstanceOf(UserError);
    const [locked] = (second as UserError).diagnostics;
    expect(locked?.code).toBe('deploy.locked');
    expect(locked?.message).toMatch(new RegExp(`^another apply holds the deploy lock: \\S+ \\(run ${first.results.runId}\\), since \\S+Z, expires \\S+Z \\(in 10 min\\)$`));
    const again = await plan({ projectDir: dir });
    expect(again.plan?.changes).toEqual([]);
    expect(again.plan?.unchanged).toBe(first.results.nodes.length);
    // The state and lock tables live in the target's OPS schema, written through the driver.
    expect(server.statements.some((s) => /INSERT INTO "DEPLOY_RACE"\."OPS"\."CHARTER_STATE"/i.test(s.sqlText))).toBe(true);
    expect(server.statements.filter((s) => /"DEPLOY_RACE"\."OPS"\."CHARTER_LOCK"/i.test(s.sqlText)).length).toBeGreaterThan(3);
  });

  it('governs ORDERS on its staged table before it takes its name, after the project-level setup, which runs once', async () => {
    const dir = project('DEPLOY_GOVERNED');
    const planned = await plan({ projectDir: dir });
    const orders = planned.plan?.changes.find((c) => c.name === 'orders');
    const masking = 'ALTER TABLE "DEPLOY_GOVERNED"."SILVER"."ORDERS__CHARTER_STAGED" MODIFY COLUMN "CUSTOMER_ID" SET MASKING POLICY "DEPLOY_GOVERNED"."GOVERNANCE"."MASK_PII" FORCE';
    // The plan shows it, with the setup as a comment.
    expect(orders?.sql).toContain(masking);
    expect(orders?.sql).toContain("-- the project's policies, tags and roles, once per run");
    const from = server.statements.length;
    const applied = await apply({ projectDir: dir });
    expect(applied.results.passed).toBe(true);
    const sent = server.statements.slice(from).map((s) => s.sqlText);
    const setup = sent.filter((sql) => /^CREATE MASKING POLICY IF NOT EXISTS "DEPLOY_GOVERNED"\."GOVERNANCE"\."MASK_PII"/.test(sql));
    expect(setup).toHaveLength(1);
    const at = (pattern: RegExp): number => sent.findIndex((sql) => pattern.test(sql));
    const attached = sent.indexOf(masking);
    expect(attached).toBeGreaterThan(at(/^CREATE MASKING POLICY IF NOT EXISTS/));
    expect(attached).toBeGreaterThan(at(/^CREATE OR REPLACE TABLE "DEPLOY_GOVERNED"\."SILVER"\."ORDERS__CHARTER_STAGED"/));
    // On a fresh target the staged table is renamed into place (SWAP WITH once there is a table to swap with).
    expect(attached).toBeLessThan(at(/^ALTER TABLE "DEPLOY_GOVERNED"\."SILVER"\."ORDERS__CHARTER_STAGED" (RENAME TO|SWAP WITH) "DEPLOY_GOVERNED"\."SILVER"\."ORDERS"$/));
    // What is attached went with the table under its name.
    expect(server.governance.relations.get('DEPLOY_GOVERNED.SILVER.ORDERS')?.masking.get('CUSTOMER_ID')).toBe('DEPLOY_GOVERNED.GOVERNANCE.MASK_PII');

    // An edited policy body: the governance is re-applied on the live table, nothing rebuilt.
    const policies = path.join(dir, 'policies/governance.yml');
    writeFileSync(policies, readFileSync(policies, 'utf8').replace("ELSE '*****'", "ELSE '#####'"));
    const again = server.statements.length;
    const reapplied = await apply({ projectDir: dir });
    expect(reapplied.plan?.changes.map((c) => `${c.kind} ${c.name}`)).toEqual(['governance orders']);
    const resent = server.statements.slice(again).map((s) => s.sqlText);
    expect(resent).toContain(masking.replace('ORDERS__CHARTER_STAGED', 'ORDERS'));
    expect(resent.filter((sql) => /^ALTER MASKING POLICY .* SET BODY/s.test(sql))).toHaveLength(1);
    expect(resent.some((sql) => /^CREATE OR REPLACE TABLE "DEPLOY_GOVERNED"\."SILVER"/.test(sql))).toBe(false);
    expect(server.governance.masking.get('DEPLOY_GOVERNED.GOVERNANCE.MASK_PII')?.body).toContain('#####');
  });

  it('Ctrl-C cancels the statement running in the warehouse and stops the run', async () => {
    const dir = project('DEPLOY_CANCEL');
    const controller = new AbortController();
    server.inject({ kind: 'hang', sql: /CREATE OR REPLACE TABLE "DEPLOY_CANCEL"\."SILVER"\."ORDERS__CHARTER_STAGED"/ });
    let sentBefore = 0;
    const running = server.whenRunning((q) => q.hanging).then(() => {
      sentBefore = server.statements.length;
      controller.abort();
    });
    const outcome = await apply({ projectDir: dir, signal: controller.signal }).catch((e: unknown) => e);
    await running;
    expect(outcome).toBeInstanceOf(UserError);
    expect((outcome as UserError).diagnostics[0]?.code).toBe('engine.interrupted');
    // The statement was aborted in the warehouse, and nothing after it was started but the clean-up.
    expect(server.aborts).toEqual([expect.objectContaining({ found: true })]);
    const after = server.statements.slice(sentBefore).filter((s) => !/ORDERS__CHARTER_STAGED" AS/.test(s.sqlText));
    expect(after.map((s) => s.sqlText).filter((sql) => !/^(DROP|DELETE FROM)/.test(sql))).toEqual([]);
    expect(after.some((s) => /DELETE FROM "DEPLOY_CANCEL"\."OPS"\."CHARTER_LOCK"/.test(s.sqlText))).toBe(true);
  });
});

// `charter ci` on a Snowflake target, through snowflake-sdk against the loopback server: the gate builds in a
// database of its own per pull request (a zero-copy clone of production with `ci: {clone: true}`, else an empty one),
// through the normal adapter, and drops it afterwards, also when the build fails or is interrupted.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAdapter } from '../../src/adapters/create-adapter.js';
import { StatementLog, StatementRunner } from '../../src/execute/statement-runner.js';
import { loadProject } from '../../src/load/load-project.js';
import { ci } from '../../src/pipeline/ci.js';
import { charter, fixtureCopy } from '../helpers/project.js';
import type { LoopbackServer, StatementRecord } from '../snowflake/loopback-server.js';
import { loopbackForFile, targetLoopback } from '../snowflake/loopback-target.js';
import { commitAll, editFile, initRepo } from '../helpers/scratch-git.js';

const PASSWORD_ENV = 'CHARTER_LOOPBACK_CI_PASSWORD';
let server: LoopbackServer;
loopbackForFile(PASSWORD_ENV, (started) => (server = started));

// The pull request's number comes from the CI system's environment: each test sets its own.
const CI_ENV = ['GITHUB_REF', 'CI_MERGE_REQUEST_IID', 'GITHUB_ACTIONS', 'GITHUB_STEP_SUMMARY'] as const;
const saved = new Map<string, string | undefined>();
beforeEach(() => {
  for (const key of CI_ENV) {
    saved.set(key, process.env[key]);
    delete process.env[key];
  }
});
afterEach(() => {
  for (const [key, value] of saved) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

/** The tiny fixture on the loopback in `database`, committed as the base; `ci: {clone}` as given. */
function scratch(database: string, clone: boolean): string {
  const dir = targetLoopback(fixtureCopy('tiny'), server, database, PASSWORD_ENV);
  // The fixture's PLATINUM models have no contracts: a lint warning here, not the error it is by default.
  editFile(dir, 'project.yml', (t) => `${t.trimEnd()}\nlint: {rules: {platinum_contract: warn}}\n${clone ? 'ci: {clone: true}\n' : ''}`);
  // A key on orders: contract tests the gate runs on what it built.
  editFile(dir, 'contracts/orders.yml', (t) => t.replace('  - name: order_id\n    data_type: NUMBER(18,0)\n', '  - name: order_id\n    data_type: NUMBER(18,0)\n    constraints: {primary_key: true}\n'));
  initRepo(dir);
  return dir;
}

/** A non-breaking change to orders (a filter), committed: orders, big_orders and customer_totals are modified+. */
function changeOrders(dir: string): void {
  editFile(dir, 'models/silver/orders.sql', (t) => t.replace("where amount_usd >= {{ var('min_amount') }}", "where amount_usd >= {{ var('min_amount') }} and order_id is not null"));
  commitAll(dir, 'filter orders');
}

/** What the gate sent after `from`: its statements, without each login's session settings. */
const sentSince = (from: number): StatementRecord[] => server.statements.slice(from).filter((s) => !/^ALTER SESSION SET/.test(s.sqlText));
const tag = (s: StatementRecord): Record<string, string> => (s.queryTag ? (JSON.parse(s.queryTag) as Record<string, string>) : {});
/** The nodes the CI build sent build statements for, by name. */
const builtNodes = (sent: readonly StatementRecord[]): string[] =>
  [...new Set(sent.filter((s) => tag(s)['target'] === 'charter_ci' && ['build', 'seed'].includes(tag(s)['purpose'] ?? '') && tag(s)['node']).map((s) => tag(s)['node']!.split('.').at(-1)!))].sort();

/** Whether the loopback has the database now, asked through a session of the project's own target. */
async function databaseExists(dir: string, name: string): Promise<boolean> {
  const loaded = await loadProject({ projectDir: dir });
  const adapter = createAdapter(loaded, 1, { runId: 'probe', command: 'test' });
  await adapter.open();
  try {
    const session = await adapter.openSession();
    try {
      const { rows } = await new StatementRunner(session, new StatementLog()).run(`SHOW DATABASES LIKE '${name}'`, { purpose: 'introspect' });
      return rows.length > 0;
    } finally {
      await session.close();
    }
  } finally {
    await adapter.close();
  }
}

describe('charter ci on a Snowflake target, with ci: {clone: true}', () => {
  it('clones production, builds only modified+ in the clone, tests it, and drops the clone; production untouched', async () => {
    const dir = scratch('CI_CLONE', true);
    const prod = await charter(['build'], dir);
    expect(prod.code, prod.stdout + prod.stderr).toBe(0);
    changeOrders(dir);
    process.env['GITHUB_REF'] = 'refs/pull/7/merge';
    const from = server.statements.length;
    const summaryFile = path.join(dir, 'target', 'summary.md');
    const r = await charter(['ci', '--base', 'HEAD~1', '--summary', summaryFile], dir);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const sent = sentSince(from);
    const sql = sent.map((s) => s.sqlText);

    // Made first, as a zero-copy clone of production, through charter's adapter (tagged as the gate's).
    const create = sent.findIndex((s) => s.sqlText === 'CREATE OR REPLACE DATABASE "CI_CLONE_CI_PR7" CLONE "CI_CLONE"');
    expect(create).toBeGreaterThanOrEqual(0);
    expect(tag(sent[create]!)).toMatchObject({ command: 'ci', purpose: 'setup' });
    // Only modified+ built, in the clone; the unmodified parents (orders_landed, raw_orders) are read from it.
    expect(builtNodes(sent)).toEqual(['big_orders', 'customer_totals', 'orders']);
    expect(sql).toContainEqual(expect.stringMatching(/^CREATE OR REPLACE TABLE "CI_CLONE_CI_PR7"\."SILVER"\."ORDERS__CHARTER_STAGED"/));
    const buildStatements = sent.filter((s) => tag(s)['target'] === 'charter_ci');
    expect(buildStatements.every((s) => !/"CI_CLONE"\./.test(s.sqlText))).toBe(true);
    expect(buildStatements.some((s) => tag(s)['purpose'] === 'test')).toBe(true);
    // Dropped last.
    const drop = sent.findIndex((s) => s.sqlText === 'DROP DATABASE IF EXISTS "CI_CLONE_CI_PR7"');
    expect(drop).toBe(sent.length - 1);
    expect(tag(sent[drop]!)).toMatchObject({ command: 'ci', purpose: 'cleanup' });
    expect(await databaseExists(dir, 'CI_CLONE_CI_PR7')).toBe(false);
    expect([...server.governance.relations.keys()].filter((k) => k.startsWith('CI_CLONE_CI_PR7.'))).toEqual([]);
    // Production: named by no statement of the gate but the clone's source.
    expect(sql.filter((s) => /"CI_CLONE"(?!_)/.test(s))).toEqual([sql[create]]);

    const summary = readFileSync(summaryFile, 'utf8');
    expect(summary.split('\n')[0]).toBe('## ✅ charter ci passed against `HEAD~1`');
    expect(summary).toMatch(/\*\*Tests:\*\* [1-9]\d* passed, 0 failed/);
    expect(summary).toContain('**Build** in Snowflake database `CI_CLONE_CI_PR7` (a zero-copy clone of `CI_CLONE`; dropped after the build): 3 nodes modified or downstream, 3 nodes built');
    // The evidence bundle says which database the gate built in, and how it was made.
    const bundle = /\*\*Evidence bundle:\*\* `([^`]+)`/.exec(summary)![1]!;
    const gate = JSON.parse(readFileSync(path.join(dir, bundle, 'ci', 'gate.json'), 'utf8'));
    expect(gate.database).toMatchObject({ name: 'CI_CLONE_CI_PR7', clone_of: 'CI_CLONE', created_by: sql[create] });
  });

  it('drops the clone when the build fails, and when it is interrupted', async () => {
    const dir = scratch('CI_CLONE_FAILS', true);
    expect((await charter(['build'], dir)).code).toBe(0);
    editFile(dir, 'models/platinum/customer_totals.sql', (t) => t.replace('sum(amount_usd)', 'sum(amount_usdx)'));
    commitAll(dir, 'a typo');
    process.env['CI_MERGE_REQUEST_IID'] = '12';
    const from = server.statements.length;
    const r = await charter(['ci', '--base', 'HEAD~1'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr + r.stdout).toContain('charter ci: FAILED against HEAD~1: build');
    const sent = sentSince(from).map((s) => s.sqlText);
    expect(sent[0]).toBe('CREATE OR REPLACE DATABASE "CI_CLONE_FAILS_CI_MR12" CLONE "CI_CLONE_FAILS"');
    expect(sent.at(-1)).toBe('DROP DATABASE IF EXISTS "CI_CLONE_FAILS_CI_MR12"');
    expect(await databaseExists(dir, 'CI_CLONE_FAILS_CI_MR12')).toBe(false);

    // Ctrl-C while the build's statement runs in the warehouse: it is cancelled, and the database still dropped.
    const controller = new AbortController();
    server.inject({ kind: 'hang', sql: /CREATE OR REPLACE TABLE "CI_CLONE_FAILS_CI_MR12"\."PLATINUM"\."CUSTOMER_TOTALS/ });
    const running = server.whenRunning((q) => q.hanging).then(() => controller.abort());
    const again = server.statements.length;
    const report = await ci({ projectDir: dir, base: 'HEAD~1', signal: controller.signal });
    await running;
    expect(report.passed).toBe(false);
    expect(report.steps.find((s) => s.name === 'build')?.diagnostics.map((d) => d.code)).toContain('engine.interrupted');
    expect(report.build?.snowflake).toEqual({ cloneOf: 'CI_CLONE_FAILS', dropped: true });
    expect(sentSince(again).at(-1)?.sqlText).toBe('DROP DATABASE IF EXISTS "CI_CLONE_FAILS_CI_MR12"');
    expect(await databaseExists(dir, 'CI_CLONE_FAILS_CI_MR12')).toBe(false);
  });

  it('keeps the database with --keep', async () => {
    const dir = scratch('CI_KEEP', true);
    expect((await charter(['build'], dir)).code).toBe(0);
    changeOrders(dir);
    process.env['GITHUB_REF'] = 'refs/pull/3/merge';
    const r = await charter(['ci', '--base', 'HEAD~1', '--keep'], dir);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stderr + r.stdout).toContain('ci database CI_KEEP_CI_PR3 kept (--keep): drop it when done with DROP DATABASE IF EXISTS "CI_KEEP_CI_PR3"');
    expect(await databaseExists(dir, 'CI_KEEP_CI_PR3')).toBe(true);
    // The governance in the kept database is its own: the clone's policy, on the table the gate built.
    expect(server.governance.masking.has('CI_KEEP_CI_PR3.GOVERNANCE.MASK_PII')).toBe(true);
    expect(server.governance.relations.get('CI_KEEP_CI_PR3.SILVER.ORDERS')?.masking.get('CUSTOMER_ID')).toBe('CI_KEEP_CI_PR3.GOVERNANCE.MASK_PII');
    expect(server.governance.relations.get('CI_KEEP.SILVER.ORDERS')?.masking.get('CUSTOMER_ID')).toBe('CI_KEEP.GOVERNANCE.MASK_PII');
  });
});

describe('charter ci on a Snowflake target, without clone', () => {
  it('makes an empty database, builds modified+ and the parents they read in it, and drops it', async () => {
    // No production build: the gate needs nothing of it.
    const dir = scratch('CI_EMPTY', false);
    changeOrders(dir);
    const from = server.statements.length;
    const r = await charter(['ci', '--base', 'HEAD~1'], dir);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const sent = sentSince(from);
    const create = sent.find((s) => /^CREATE OR REPLACE DATABASE "CI_EMPTY_CI_[0-9A-F]{8}"$/.test(s.sqlText));
    expect(create, sent.map((s) => s.sqlText).join('\n')).toBeDefined();
    const name = /"(CI_EMPTY_CI_[0-9A-F]{8})"/.exec(create!.sqlText)![1]!;
    expect(builtNodes(sent)).toEqual(['big_orders', 'customer_totals', 'orders', 'orders_landed', 'raw_orders']);
    expect(sent.at(-1)?.sqlText).toBe(`DROP DATABASE IF EXISTS "${name}"`);
    expect(await databaseExists(dir, name)).toBe(false);
    expect(sent.some((s) => /"CI_EMPTY"(?!_)/.test(s.sqlText))).toBe(false);
  });
});

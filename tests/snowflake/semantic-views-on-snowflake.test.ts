// Semantic views on a Snowflake target, through the real driver against the loopback server: a build sends each view's
// CREATE OR REPLACE SEMANTIC VIEW and its grants after the models it reads (and nothing on DuckDB), and
// `charter semantic pull` reads the deployed definition back, shows a verified query added in the warehouse, and
// --merge writes it into the project's YAML with the file's comments kept.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { loadSemanticViews } from '../../src/load/load-semantic-views.js';
import { build } from '../../src/pipeline/build.js';
import { semanticPull } from '../../src/pipeline/semantic-pull.js';
import { semanticViewDecisions, type SemanticViewDeploy } from '../../src/plan/semantic-view-deploys.js';
import { fixtureCopy } from '../helpers/project.js';
import type { LoopbackServer } from './loopback-server.js';
import { loopbackForFile, targetLoopback } from './loopback-target.js';

const PASSWORD_ENV = 'CHARTER_LOOPBACK_SEMANTIC_PASSWORD';
let server: LoopbackServer;

loopbackForFile(PASSWORD_ENV, (started) => (server = started));

const VIEW_FILE = 'semantic_views/orders_sv.yml';
const VIEW_YAML = `# Orders and what each customer spent: the tiny fixture's semantic view.
name: orders_sv
description: Orders and customer totals.
tables:
  - name: orders
    model: orders
    primary_key: [order_id]
    dimensions:
      - {name: customer_id, expr: customer_id}
    facts:
      - {name: amount, expr: amount_usd, private: true}
    metrics:
      - {name: total_amount, expr: SUM(orders.amount), synonyms: [revenue]}
  - name: customers
    model: customer_totals
    primary_key: [customer_id]
    dimensions:
      - {name: customer_total, expr: total_usd}
relationships:
  - {name: orders_customers, from: orders, columns: [customer_id], to: customers}
grants:
  - {privileges: [SELECT, REFERENCES], roles: [ANALYST]}   # analysts query it, Cortex Analyst reads it
verified_queries:
  # Checked by hand on the fixture's seed.
  - {name: total_revenue, question: What is our total revenue?, sql: SELECT SUM(amount) FROM orders}
`;

/** The tiny fixture with a semantic view and a `loopback` Snowflake target, in its own database. */
function project(database: string): string {
  const dir = fixtureCopy('tiny', { [VIEW_FILE]: VIEW_YAML });
  return targetLoopback(dir, server, database, PASSWORD_ENV);
}

describe('semantic views on a Snowflake target', () => {
  it('a build sends the view and its grants after the models it reads; a DuckDB build sends nothing', async () => {
    const dir = project('SEMVIEW_BUILD');
    const from = server.statements.length;
    const built = await build({ projectDir: dir });
    expect(built.passed).toBe(true);
    expect(built.semanticViews).toEqual([{ view: 'orders_sv', name: 'SEMVIEW_BUILD.PLATINUM.ORDERS_SV', status: 'deployed', grants: 1 }]);
    // What built and deployed; the read-back of the governance in force after the run is not part of it.
    const sent = server.statements.slice(from).filter((s) => (JSON.parse(s.queryTag ?? '{}') as { purpose?: string }).purpose !== 'introspect').map((s) => s.sqlText);
    const create = sent.findIndex((sql) => sql.startsWith('CREATE OR REPLACE SEMANTIC VIEW SEMVIEW_BUILD.PLATINUM.ORDERS_SV'));
    const lastOf = (pattern: RegExp): number => sent.reduce((last, sql, i) => (pattern.test(sql) ? i : last), -1);
    expect(create).toBeGreaterThan(lastOf(/"SEMVIEW_BUILD"\."SILVER"\."ORDERS"/));
    expect(create).toBeGreaterThan(lastOf(/"SEMVIEW_BUILD"\."PLATINUM"\."CUSTOMER_TOTALS"/));
    expect(sent[create]).toContain('ORDERS AS SEMVIEW_BUILD.SILVER.ORDERS\n      PRIMARY KEY (ORDER_ID)');
    expect(sent[create + 1]).toBe('GRANT SELECT, REFERENCES ON SEMANTIC VIEW SEMVIEW_BUILD.PLATINUM.ORDERS_SV TO ROLE ANALYST');
    expect([...(server.semanticViews.views.get('SEMVIEW_BUILD.PLATINUM.ORDERS_SV')?.grants.get('ANALYST') ?? [])]).toEqual(['SELECT', 'REFERENCES']);
    // The statement log records them as the view's own.
    const log = readFileSync(path.join(dir, 'target', 'logs', `statements-${built.runId}.jsonl`), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { node?: string; purpose: string });
    expect(log.filter((r) => r.node === 'semantic_view.orders_sv').map((r) => r.purpose)).toEqual(['build', 'governance']);

    const local = await build({ projectDir: dir, target: 'dev' });
    expect(local.passed).toBe(true);
    expect(local.semanticViews).toEqual([]);
  });

  it('a view is sent when the run built a model it reads and none of them failed; left alone when it built none', () => {
    const deploy: SemanticViewDeploy = { view: 'v', file: 'semantic_views/v.yml', name: 'DB.S.V', reads: ['model.p.a', 'model.p.b'], statements: ['CREATE ...'] };
    expect(semanticViewDecisions([deploy], new Map([['model.p.a', 'success'], ['model.p.b', 'success']]))).toEqual([{ deploy, send: true }]);
    // b not selected: assumed built, as the run assumes for parents outside a selection.
    expect(semanticViewDecisions([deploy], new Map([['model.p.a', 'success']]))).toEqual([{ deploy, send: true }]);
    expect(semanticViewDecisions([deploy], new Map([['model.p.a', 'success'], ['model.p.b', 'skipped']]))).toEqual([{ deploy, send: false, because: 'model.p.b was not built (skipped)' }]);
    expect(semanticViewDecisions([deploy], new Map([['model.p.c', 'success']]))).toEqual([]);
  });

  it('semantic pull shows a verified query added in the warehouse; --merge writes it into the YAML, comments kept', async () => {
    const dir = project('SEMVIEW_PULL');
    expect((await build({ projectDir: dir })).passed).toBe(true);
    server.semanticViews.addVerifiedQuery('SEMVIEW_PULL.PLATINUM.ORDERS_SV', {
      name: 'big_spenders', question: 'Which customers spent more than 100?', sql: 'SELECT customer_id FROM customers WHERE customer_total > 100',
      verified_at: 1764400000, verified_by: 'ana@example.com', use_as_onboarding_question: false,
    });
    const pulled = await semanticPull({ projectDir: dir, view: 'orders_sv' });
    // The project's own verified query was deployed with the view (AI_VERIFIED_QUERIES); only Snowsight's differs.
    expect(pulled.differences).toEqual([
      { side: 'deployed', kind: 'verified query', name: 'big_spenders', detail: 'Which customers spent more than 100?' },
    ]);
    expect(pulled.merged).toEqual([]);

    // The CLI prints it.
    const out: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
    let code: number;
    try {
      code = await main(['semantic', 'pull', 'orders_sv', '--project-dir', dir]);
    } finally {
      write.mockRestore();
    }
    expect(code).toBe(0);
    expect(out.join('')).toBe([
      'semantic view SEMVIEW_PULL.PLATINUM.ORDERS_SV (semantic_views/orders_sv.yml): 1 difference',
      'deployed only  verified query  big_spenders: Which customers spent more than 100?',
      'pass --merge to write the 1 deployed-only verified query into semantic_views/orders_sv.yml',
      '',
    ].join('\n'));

    const merged = await semanticPull({ projectDir: dir, view: 'orders_sv', merge: true });
    expect(merged.merged.map((q) => q.name)).toEqual(['big_spenders']);
    const text = readFileSync(path.join(dir, VIEW_FILE), 'utf8');
    expect(text).toContain("# Orders and what each customer spent: the tiny fixture's semantic view.");
    expect(text).toContain('# analysts query it, Cortex Analyst reads it');
    expect(text).toContain('# Checked by hand on the fixture\'s seed.');
    const { views, diagnostics } = await loadSemanticViews(dir);
    expect(diagnostics).toEqual([]);
    expect(views[0]?.definition.verified_queries?.at(-1)).toEqual({
      name: 'big_spenders', question: 'Which customers spent more than 100?', sql: 'SELECT customer_id FROM customers WHERE customer_total > 100',
      verified_by: 'ana@example.com', verified_at: 1764400000, onboarding: false,
    });
    // Pulled again: nothing only the warehouse has.
    const again = await semanticPull({ projectDir: dir, view: 'orders_sv' });
    expect(again.differences.filter((d) => d.side === 'deployed')).toEqual([]);
    // The next deploy sends both in AI_VERIFIED_QUERIES: the one added in Snowsight is not lost.
    expect((await build({ projectDir: dir })).passed).toBe(true);
    const redeployed = server.semanticViews.views.get('SEMVIEW_PULL.PLATINUM.ORDERS_SV')!;
    expect(redeployed.model.verified_queries?.map((q) => String(q['name']).toLowerCase())).toEqual(['total_revenue', 'big_spenders']);
    expect((await semanticPull({ projectDir: dir, view: 'orders_sv' })).differences).toEqual([]);
  });

  it('a view changed in the warehouse shows what changed; pull on a DuckDB target is refused', async () => {
    const dir = project('SEMVIEW_DRIFT');
    expect((await build({ projectDir: dir })).passed).toBe(true);
    const record = server.semanticViews.views.get('SEMVIEW_DRIFT.PLATINUM.ORDERS_SV')!;
    const metric = (record.model.tables[0]!['metrics'] as Array<Record<string, unknown>>)[0]!;
    metric['expr'] = 'AVG(orders.amount)';
    const pulled = await semanticPull({ projectDir: dir, view: 'orders_sv' });
    expect(pulled.differences).toContainEqual({
      side: 'changed', kind: 'metric', name: 'orders.total_amount', detail: 'expr: deployed "avg(orders.amount)", project "sum(orders.amount)"',
    });
    await expect(semanticPull({ projectDir: dir, view: 'orders_sv', target: 'dev' })).rejects.toMatchObject({ diagnostics: [{ code: 'semantic.not_deployed' }] });
  });
});

// `charter plan` and `charter apply` on the DuckDB target of the tiny fixture, through the real command in this
// process: creates, up to date, one edited model, a var, another target, governance and breaking changes, drops,
// saved plans applied exactly or refused as stale.
import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { charter, fixtureCopy } from '../helpers/project.js';
import { queryWarehouse } from '../helpers/warehouse.js';
import { deployedCopy } from './deployed.js';

const DB = 'target/tiny.duckdb';
const query = (dir: string, sql: string) => queryWarehouse(dir, sql, DB);
const printed = (run: { stdout: string; stderr: string }) => `${run.stdout}\n${run.stderr}`;

/** The change lines of a plan's output (not its SQL, banner or counts). */
const changeLines = (stdout: string): string[] => stdout.split('\n').filter((l) => /^(create|alter|replace|governance|drop|would drop) /.test(l)).map((l) => l.replace(/\s+/g, ' '));

/** The last run's results and its statement log. */
function lastRun(dir: string): { nodes: Array<{ name: string; status: string; note: string | null }>; statements: Array<{ purpose: string; node?: string; sql: string }> } {
  const results = JSON.parse(readFileSync(path.join(dir, 'target/run_results.json'), 'utf8'));
  const log = readFileSync(path.join(dir, 'target/logs', `statements-${results.metadata.run_id}.jsonl`), 'utf8');
  return { nodes: results.results, statements: log.split('\n').filter(Boolean).map((l) => JSON.parse(l)) };
}

/** Nodes the last run sent a build or swap statement for. */
const built = (dir: string): string[] => [...new Set(lastRun(dir).statements.filter((s) => ['build', 'swap', 'seed'].includes(s.purpose)).map((s) => s.node as string))];

async function applied(dir: string, args: string[] = []): Promise<void> {
  const run = await charter(['apply', ...args], dir);
  expect(run.code, printed(run)).toBe(0);
}

const deployedTiny = () => deployedCopy('tiny');

describe('charter plan and apply', () => {
  it('plans every node as a create on a fresh target, applies them with who, when and which commit, and is then up to date', async () => {
    const dir = fixtureCopy('tiny');
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: dir, encoding: 'utf8' }).trim();
    git('init', '-q');
    git('add', '.');
    git('commit', '-q', '-m', 'tiny');
    const head = git('rev-parse', 'HEAD');

    const plan = await charter(['plan'], dir);
    expect(plan.code, printed(plan)).toBe(0);
    expect(changeLines(plan.stdout)).toEqual([
      'create raw_orders (seed) "tiny"."BRONZE"."raw_orders": not deployed yet',
      'create orders_landed (view) "tiny"."BRONZE"."orders_landed": not deployed yet',
      'create orders (table) "tiny"."SILVER"."orders": not deployed yet',
      'create big_orders (view) "tiny"."PLATINUM"."big_orders": not deployed yet',
      'create customer_totals (table) "tiny"."PLATINUM"."customer_totals": not deployed yet',
    ]);
    // The SQL each change runs, as DuckDB runs it (translated), under its line.
    // orders masks customer_id: DuckDB builds it in private, and its public name becomes the masking view.
    expect(plan.stdout).toContain('    CREATE OR REPLACE TABLE "tiny"."SILVER"."orders__charter_physical__charter_staged" AS\n    SELECT order_id, customer_id, amount_usd FROM "tiny"."BRONZE"."orders_landed" WHERE amount_usd >= 0;');
    expect(plan.stdout).toContain('    -- make "tiny"."SILVER"."orders" the view that masks and filters "tiny"."SILVER"."orders__charter_physical" for the role in session, from its columns as built');
    expect(plan.stdout).toContain('plan: 5 to create, 0 to alter, 0 to replace, 0 to re-apply governance, 0 to drop; 0 unchanged');
    // A plan writes nothing: not even the state table.
    expect(await query(dir, "select count(*)::int as n from information_schema.tables where table_schema = 'OPS'")).toEqual([{ n: 0 }]);

    const apply = await charter(['apply'], dir);
    expect(apply.code, printed(apply)).toBe(0);
    expect(apply.stdout).toMatch(/5\/5 OK +table +"tiny"\."PLATINUM"\."customer_totals" +3 rows/);
    const rows = await query(dir, 'select node_id, action, kind, materialized, relation, applied_by, run_id, git_commit, contract, contract_version, governed_columns from "tiny"."OPS".charter_state order by seq');
    expect(rows.map((r) => `${r['action']} ${r['node_id']} ${r['materialized']}`)).toEqual([
      'deploy seed.tiny.raw_orders seed',
      'deploy model.tiny.orders_landed view',
      'deploy model.tiny.orders table',
      'deploy model.tiny.big_orders view',
      'deploy model.tiny.customer_totals table',
    ]);
    const runId = JSON.parse(readFileSync(path.join(dir, 'target/run_results.json'), 'utf8')).metadata.run_id;
    expect(rows.every((r) => r['run_id'] === runId && r['git_commit'] === head && r['applied_by'])).toBe(true);
    const orders = rows.find((r) => r['node_id'] === 'model.tiny.orders') ?? {};
    expect(orders).toMatchObject({ relation: '"tiny"."SILVER"."orders"', contract: 'tiny_orders', contract_version: '1.0.0' });
    expect(JSON.parse(String(orders['governed_columns']))[1]).toEqual({ name: 'customer_id', dataType: 'VARCHAR', classification: 'pii', maskingPolicy: 'GOVERNANCE.MASK_PII' });
    expect(await query(dir, 'select count(*)::int as n from "tiny"."OPS".charter_lock')).toEqual([{ n: 0 }]);

    for (const command of ['plan', 'apply']) {
      const again = await charter([command], dir);
      expect(again.code, printed(again)).toBe(0);
      expect(again.stdout).toContain('up to date: 5 nodes deployed as the project says');
      expect(changeLines(again.stdout)).toEqual([]);
    }
    // The up-to-date apply ran nothing and took no lock.
    expect(lastRun(dir).statements.filter((s) => !['introspect', 'setup'].includes(s.purpose) || /charter_lock/.test(s.sql))).toEqual([]);
  });

  it('after one model is edited, plans exactly that change and applies only it', async () => {
    const dir = await deployedTiny();
    writeFileSync(path.join(dir, 'models/platinum/customer_totals.sql'), "select customer_id, sum(amount_usd) as total_usd, count(*) as orders\nfrom {{ ref('orders') }}\ngroup by 1\n");
    const plan = await charter(['plan'], dir);
    expect(changeLines(plan.stdout)).toEqual(['replace customer_totals (table) "tiny"."PLATINUM"."customer_totals": SQL changed']);
    expect(plan.stdout).toContain('DROP TABLE IF EXISTS "tiny"."PLATINUM"."customer_totals";');
    expect(plan.stdout).toContain('plan: 0 to create, 0 to alter, 1 to replace, 0 to re-apply governance, 0 to drop; 4 unchanged');

    await applied(dir);
    expect(lastRun(dir).nodes.map((n) => `${n.name} ${n.status} ${n.note}`)).toEqual(['customer_totals success replaced: SQL changed']);
    expect(built(dir)).toEqual(['model.tiny.customer_totals']);
    expect(await query(dir, 'select orders::int as orders from "tiny"."PLATINUM".customer_totals where customer_id = \'c1\'')).toEqual([{ orders: 2 }]);
    expect((await charter(['plan'], dir)).stdout).toContain('up to date');
  });

  it('a var marks the model that reads it; the table downstream is rebuilt, the view downstream rebinds', async () => {
    const dir = await deployedTiny();
    const vars = ['--vars', '{min_amount: 100}'];
    const plan = await charter(['plan', ...vars], dir);
    expect(changeLines(plan.stdout)).toEqual([
      'replace orders (table) "tiny"."SILVER"."orders": SQL changed',
      'replace customer_totals (table) "tiny"."PLATINUM"."customer_totals": upstream orders rebuilt',
    ]);
    await applied(dir, vars);
    expect(built(dir)).toEqual(['model.tiny.orders', 'model.tiny.customer_totals']);
    expect(await query(dir, 'select count(*)::int as n from "tiny"."PLATINUM".big_orders')).toEqual([{ n: 2 }]);
    expect((await charter(['plan', ...vars], dir)).stdout).toContain('up to date');
    // Without the var, the deployed orders no longer matches the project.
    expect(changeLines((await charter(['plan'], dir)).stdout)[0]).toMatch(/^replace orders \(table\)/);
  });

  it('the same project on another target is the same deploy: a copy of the warehouse there is up to date', async () => {
    const dir = await deployedTiny();
    copyFileSync(path.join(dir, DB), path.join(dir, 'target/staging.duckdb'));
    const plan = await charter(['plan', '--target', 'staging'], dir);
    expect(plan.code, printed(plan)).toBe(0);
    expect(plan.stdout).toContain('plan on staging (duckdb)');
    expect(plan.stdout).toContain('up to date: 5 nodes');
  });

  it('re-applies governance for a contract change alone, and flags what breaks the contract', async () => {
    const dir = await deployedTiny();
    const contract = readFileSync(path.join(dir, 'contracts/orders.yml'), 'utf8');
    writeFileSync(path.join(dir, 'contracts/orders.yml'), contract.replace('classification: pii', 'classification: internal').replace(/\n\s+masking_policy: .*/, ''));
    const plan = await charter(['plan'], dir);
    expect(changeLines(plan.stdout)).toEqual([
      'governance orders (table) "tiny"."SILVER"."orders": re-apply governance: contract or tags changed, data unchanged ' +
        '(breaking: column customer_id classification weakened pii -> internal; column customer_id masking policy GOVERNANCE.MASK_PII removed)',
    ]);
    // No longer masked: the private table takes its public name back, over the masking view; nothing is rebuilt.
    expect(plan.stdout).toContain('    -- check the columns of "tiny"."SILVER"."orders__charter_physical" against its contract\n' +
      '    BEGIN TRANSACTION;\n    DROP VIEW IF EXISTS "tiny"."SILVER"."orders";\n    ALTER TABLE "tiny"."SILVER"."orders__charter_physical" RENAME TO "orders";\n    COMMIT;');
    await applied(dir);
    expect(lastRun(dir).statements.filter((s) => /CREATE (OR REPLACE )?TABLE "tiny"\."(SILVER|PLATINUM)"/i.test(s.sql))).toEqual([]);
    expect(await query(dir, "select table_name, table_type from information_schema.tables where table_name like 'orders%' order by 1")).toEqual([
      { table_name: 'orders', table_type: 'BASE TABLE' },
      { table_name: 'orders_landed', table_type: 'VIEW' },
    ]);
    expect(lastRun(dir).nodes.map((n) => `${n.name} ${n.note}`)).toEqual(['orders governance re-applied']);
    expect((await charter(['plan'], dir)).stdout).toContain('up to date');

    // A column gone from the model and its contract: a replace that breaks, and the table downstream rebuilt.
    writeFileSync(path.join(dir, 'contracts/orders.yml'), readFileSync(path.join(dir, 'contracts/orders.yml'), 'utf8').replace(/\n {2}- name: amount_usd\n.*/, ''));
    writeFileSync(path.join(dir, 'models/silver/orders.sql'), "select order_id, customer_id\nfrom {{ ref('orders_landed') }}\n");
    writeFileSync(path.join(dir, 'models/platinum/big_orders.sql'), "{{ config(materialized='view') }}\nselect order_id from {{ ref('orders') }}\n");
    writeFileSync(path.join(dir, 'models/platinum/customer_totals.sql'), "select customer_id, count(*) as orders from {{ ref('orders') }} group by 1\n");
    const breaking = await charter(['plan'], dir);
    expect(changeLines(breaking.stdout)[0]).toBe('replace orders (table) "tiny"."SILVER"."orders": SQL changed; contract or tags changed (breaking: column amount_usd removed)');
    expect(breaking.stdout).toMatch(/; 1 breaking$/m);
  });

  it('drops a model gone from the project only with --allow-drop', async () => {
    const dir = await deployedTiny();
    rmSync(path.join(dir, 'models/platinum/big_orders.sql'));
    const plan = await charter(['plan'], dir);
    expect(changeLines(plan.stdout)).toEqual(['would drop big_orders (view) "tiny"."PLATINUM"."big_orders": no longer in the project; pass --allow-drop to drop it']);
    // Without --allow-drop, the apply has nothing else to do.
    const withheld = await charter(['apply'], dir);
    expect(withheld.code, printed(withheld)).toBe(0);
    expect(withheld.stdout).toContain('nothing to apply: 0 to create, 0 to alter, 0 to replace, 0 to re-apply governance, 0 to drop; 4 unchanged; 1 drop withheld (pass --allow-drop)');
    expect(await query(dir, "select count(*)::int as n from information_schema.tables where table_name = 'big_orders'")).toEqual([{ n: 1 }]);

    await applied(dir, ['--allow-drop']);
    expect(lastRun(dir).statements.filter((s) => s.node === 'model.tiny.big_orders' && s.purpose === 'cleanup').map((s) => s.sql)).toEqual(['DROP VIEW IF EXISTS "tiny"."PLATINUM"."big_orders"']);
    expect(await query(dir, "select count(*)::int as n from information_schema.tables where table_name = 'big_orders'")).toEqual([{ n: 0 }]);
    expect(await query(dir, 'select action from "tiny"."OPS".charter_state where node_id = \'model.tiny.big_orders\' order by seq')).toEqual([{ action: 'deploy' }, { action: 'drop' }]);
    expect((await charter(['plan'], dir)).stdout).toContain('up to date: 4 nodes');
  });

  it('a failing node skips what is downstream of it; what finished is recorded, the lock released; fixed, apply goes on', async () => {
    const dir = fixtureCopy('tiny');
    const orders = readFileSync(path.join(dir, 'models/silver/orders.sql'), 'utf8');
    writeFileSync(path.join(dir, 'models/silver/orders.sql'), "select order_id, customer_id, amount_usd, no_such_column from {{ ref('orders_landed') }}\n");
    const failed = await charter(['apply'], dir);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/models\/silver\/orders\.sql:1:1 error\[engine\.error\]: model\.tiny\.orders: .*no_such_column/);
    expect(lastRun(dir).nodes.map((n) => `${n.name} ${n.status}`)).toEqual(['raw_orders success', 'orders_landed success', 'orders error', 'big_orders skipped', 'customer_totals skipped']);
    expect(await query(dir, 'select node_id from "tiny"."OPS".charter_state order by seq')).toEqual([{ node_id: 'seed.tiny.raw_orders' }, { node_id: 'model.tiny.orders_landed' }]);
    expect(await query(dir, 'select count(*)::int as n from "tiny"."OPS".charter_lock')).toEqual([{ n: 0 }]);

    writeFileSync(path.join(dir, 'models/silver/orders.sql'), orders);
    // A selection plans only what it names (and never drops).
    expect(changeLines((await charter(['plan', '--select', 'orders'], dir)).stdout)).toEqual(['create orders (table) "tiny"."SILVER"."orders": not deployed yet']);
    await applied(dir);
    expect(lastRun(dir).nodes.map((n) => n.name)).toEqual(['orders', 'big_orders', 'customer_totals']);
  });

  it('--out saves the plan; apply <file> runs exactly it, and refuses a plan made against another state or edited since', async () => {
    const dir = fixtureCopy('tiny');
    const saved = await charter(['plan', '--out', 'plan.json'], dir);
    expect(saved.code, printed(saved)).toBe(0);
    expect(saved.stdout).toContain('plan saved to plan.json; `charter apply plan.json` applies exactly it');
    expect((await charter(['plan', '--out', 'also.json'], dir)).code).toBe(0);
    const file = JSON.parse(readFileSync(path.join(dir, 'plan.json'), 'utf8'));
    expect(file).toMatchObject({ format: 'charter-plan', version: 1, project: 'tiny', target: { name: 'dev', engine: 'duckdb', database: 'tiny' }, state: { nodes: 0 } });
    expect(file.changes.map((c: { kind: string; node: string }) => `${c.kind} ${c.node}`)).toHaveLength(5);

    // An edited plan is not the plan that was reviewed.
    writeFileSync(path.join(dir, 'edited.json'), JSON.stringify({ ...file, changes: file.changes.slice(1) }));
    const edited = await charter(['apply', 'edited.json'], dir);
    expect(edited.code).toBe(1);
    expect(edited.stderr).toMatch(/error\[deploy\.plan_invalid\]: .*edited\.json is not a plan charter can apply: its content does not match its digest/);

    const apply = await charter(['apply', 'plan.json'], dir);
    expect(apply.code, printed(apply)).toBe(0);
    expect(apply.stdout).toContain('apply on dev (duckdb): plan.json, planned ');
    expect(lastRun(dir).nodes).toHaveLength(5);

    // The state moved on since also.json (and plan.json itself) were made: both are refused, and nothing runs.
    for (const stale of ['also.json', 'plan.json']) {
      const refused = await charter(['apply', stale], dir);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/error\[deploy\.stale\]: the deployed state of target dev changed since the plan was made: it was made against 0 deployed nodes \(state [0-9a-f]{12}\), the state is now 5/);
      expect(refused.stderr).toContain('plan again (`charter plan --target dev --out <file>`), review it, and apply the new plan');
    }
    expect(await query(dir, 'select count(*)::int as n from "tiny"."OPS".charter_state')).toEqual([{ n: 5 }]);
    expect(await query(dir, 'select count(*)::int as n from "tiny"."OPS".charter_lock')).toEqual([{ n: 0 }]);

    // A plan of the project as it was, applied after the project changed, is refused too.
    writeFileSync(path.join(dir, 'models/platinum/customer_totals.sql'), "select customer_id, max(amount_usd) as top_usd from {{ ref('orders') }} group by 1\n");
    expect((await charter(['plan', '--out', 'next.json'], dir)).code).toBe(0);
    writeFileSync(path.join(dir, 'models/platinum/customer_totals.sql'), "select customer_id, min(amount_usd) as low_usd from {{ ref('orders') }} group by 1\n");
    const changed = await charter(['apply', 'next.json'], dir);
    expect(changed.code).toBe(1);
    expect(changed.stderr).toMatch(/error\[deploy\.stale\]: customer_totals: the project no longer compiles to what the plan deploys/);
    const usage = await charter(['apply', 'next.json', '--select', 'orders'], dir);
    expect(usage.code).toBe(1);
    expect(usage.stderr).toContain('--select and --exclude do not apply to a saved plan');
  });
});

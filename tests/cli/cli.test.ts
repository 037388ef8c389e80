// The CLI as a user runs it, on a real DuckDB file: in this process through main() (what bin/charter.js calls),
// and, for a few cases, as the real child process.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { charter, charterProcess, fixtureCopy, repoRoot, writeFiles } from '../helpers/project.js';

describe('charter CLI', () => {
  it('prints its version and help for every command', async () => {
    const version = charterProcess(['--version'], tmpdir());
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    for (const command of ['init', 'compile', 'seed', 'run', 'build', 'ls', 'clean']) {
      const help = (await charter([command, '--help'], tmpdir()));
      expect(help.code, command).toBe(0);
      expect(help.stdout).toContain(`Usage: charter ${command}`);
    }
    expect((await charter(['build', '--help'], tmpdir())).stdout).toContain('--full-refresh');
  });

  it('rejects an unknown flag or command with a hint and exit code 2', async () => {
    const flag = charterProcess(['build', '--ful-refresh'], tmpdir());
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain("unknown option '--ful-refresh'");
    expect(flag.stderr).toContain('--full-refresh');
    const command = (await charter(['biuld'], tmpdir()));
    expect(command.code).toBe(2);
    expect(command.stderr).toContain('build');
  });

  it('init scaffolds a project that builds at once', async () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), 'charter-init-')), 'acme');
    expect((await charter(['init', dir], tmpdir())).code).toBe(0);
    const build = await charter(['build'], dir);
    expect(build.stderr).toBe('');
    expect(build.code).toBe(0);
    expect(build.stdout).toMatch(/4\/4 OK .*"acme"\."PLATINUM"\."revenue_by_month"/);
    expect(build.stdout).toContain('4 ok, 0 error, 0 skipped; tests: 5 pass, 0 warn, 0 fail, 0 error');
    expect((await charter(['test', '--unit'], dir)).stdout).toMatch(/PASS +paid_flag_and_rounding/);
    expect(existsSync(path.join(dir, 'target', 'acme.duckdb'))).toBe(true);
    expect((await charter(['init', dir], tmpdir())).code).toBe(1);
  });

  it('CHARTER_DUCKDB_THREADS that is not a whole number of threads is a usage error, before anything is built', async () => {
    const dir = fixtureCopy('shop');
    const before = process.env['CHARTER_DUCKDB_THREADS'];
    process.env['CHARTER_DUCKDB_THREADS'] = 'two';
    try {
      const run = await charter(['build'], dir);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('CHARTER_DUCKDB_THREADS must be a whole number of threads, 1 or more; it is `two`');
    } finally {
      if (before === undefined) delete process.env['CHARTER_DUCKDB_THREADS'];
      else process.env['CHARTER_DUCKDB_THREADS'] = before;
    }
  });

  it('build writes the warehouse, run results and compiled SQL; ls lists an upstream chain', async () => {
    const dir = fixtureCopy('shop');
    const build = (await charter(['build', '--threads', '3'], dir));
    expect(build.code).toBe(0);
    const results = JSON.parse(readFileSync(path.join(dir, 'target', 'run_results.json'), 'utf8'));
    expect(results.metadata).toMatchObject({ command: 'build', charter_version: expect.stringMatching(/^\d/) });
    expect(results.metadata.run_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(results.results).toHaveLength(8);
    expect(results.results.every((r: { status: string }) => r.status === 'success')).toBe(true);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'target', 'manifest.json'), 'utf8'));
    expect(manifest.metadata.run_id).toBe(results.metadata.run_id);
    // Every statement of the run is in the statement log, tagged with its purpose and node.
    const log = readFileSync(path.join(dir, 'target', 'logs', `statements-${results.metadata.run_id}.jsonl`), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(log.find((r) => r.node === 'model.shop.orders' && r.purpose === 'build')?.sql).toContain('CREATE OR REPLACE TABLE "shop"."SILVER"."orders__charter_staged"');
    expect(log.find((r) => r.node === 'seed.shop.raw_orders' && r.purpose === 'seed')?.sql).toContain('read_csv(');
    expect(new Set(log.map((r) => r.purpose))).toEqual(new Set(['schema', 'introspect', 'seed', 'count', 'swap', 'build', 'test', 'setup']));
    // Translations persist for the next run.
    const translations = JSON.parse(readFileSync(path.join(dir, 'target', '.charter', 'translations.json'), 'utf8'));
    expect(Object.keys(translations.entries).length).toBeGreaterThan(5);
    // A build records the local-parity report of what it built.
    expect(manifest.nodes['model.shop.customer_revenue'].local_parity).toEqual({ translated: ['IFF'], unsupported: [] });
    const node = manifest.nodes['model.shop.orders'];
    expect(node).toMatchObject({ path: 'models/silver/orders.sql', layer: 'silver', depends_on: ['model.shop.orders_landed'] });
    expect(node.raw_sql_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(node.compiled_sql_sha256).toMatch(/^[0-9a-f]{64}$/);
    const compiled = readFileSync(path.join(dir, 'target', 'compiled', 'models', 'silver', 'orders.sql'), 'utf8');
    expect(compiled).toContain('-- source: models/silver/orders.sql');
    expect(compiled).toContain('"shop"."BRONZE"."orders_landed"');

    const ls = (await charter(['ls', '--select', '+customer_revenue'], dir));
    expect(ls.stdout.trim().split('\n')).toEqual([
      'seed raw_customers', 'seed raw_orders', 'customers_landed', 'orders_landed', 'customers', 'orders', 'paid_orders', 'customer_revenue',
    ]);
    const json = (await charter(['ls', '-s', 'tag:finance', '-o', 'json'], dir)).stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(json).toEqual([expect.objectContaining({ name: 'customer_revenue', layer: 'platinum', materialized: 'table' })]);
  });

  it('emits one JSON object per event with --log-format json', async () => {
    const dir = fixtureCopy('shop');
    const out = (await charter(['seed', '--log-format', 'json'], dir));
    expect(out.code).toBe(0);
    const events = out.stdout.trim().split('\n').map((l) => JSON.parse(l));
    // The two seeds load in parallel, so they may finish in either order.
    const finished = events.filter((e) => e.type === 'node_finished').map((e) => [e.name, e.status, e.rowsAffected]);
    expect(finished.sort((a, b) => String(a[0]).localeCompare(String(b[0])))).toEqual([
      ['raw_customers', 'success', 3],
      ['raw_orders', 'success', 4],
    ]);
    expect(events.at(-1)).toMatchObject({ type: 'run_finished', success: 2, error: 0, skipped: 0 });
  });

  it('exits 1 and names the file of a failing model, with the statement', async () => {
    const dir = fixtureCopy('shop', { 'models/silver/orders.sql': "select no_such_col from {{ ref('orders_landed') }}" });
    const out = (await charter(['build'], dir));
    expect(out.code).toBe(1);
    expect(out.stdout).toMatch(/ERROR +table +"shop"\."SILVER"\."orders"/);
    expect(out.stdout).toMatch(/SKIP .*customer_revenue/);
    expect(out.stdout).toContain('models/silver/orders.sql:1:1 error[engine.error]');
    expect(out.stdout).toContain('failing statement:');
    expect(out.stdout).not.toMatch(/at .*\.js:\d+/);
  });

  it('reports a missing ref with file, line, column and a suggestion, without a stack trace', async () => {
    const dir = fixtureCopy('shop', { 'models/platinum/bad.sql': "select *\nfrom {{ ref('order') }}" });
    const out = (await charter(['compile'], dir));
    expect(out.code).toBe(1);
    expect(out.stderr).toContain("models/platinum/bad.sql:2:9 error[ref.unknown]: ref('order') names no model or seed");
    expect(out.stderr).toContain('did you mean `orders`');
    expect(out.stderr).toContain("2 | from {{ ref('order') }}");
    expect(out.stderr).not.toMatch(/at .*\.js:\d+/);
  });

  it('compile --vars and --target change the rendered SQL; --parity reports translation', async () => {
    const dir = fixtureCopy('shop');
    expect((await charter(['compile', '--vars', '{vip_threshold: 999}'], dir)).code).toBe(0);
    expect(readFileSync(path.join(dir, 'target/compiled/models/platinum/customer_revenue.sql'), 'utf8')).toContain('>= 999');
    expect((await charter(['compile', '--target', 'prod'], dir)).code).toBe(0);
    expect(readFileSync(path.join(dir, 'target/compiled/models/silver/orders.sql'), 'utf8')).toContain('"SHOP"."BRONZE"."ORDERS_LANDED"');
    const parity = (await charter(['compile', '--parity'], dir));
    expect(parity.stdout).toContain('model.shop.customer_revenue: rewrote IFF');
    const badVars = (await charter(['compile', '--vars', '[1, 2]'], dir));
    expect(badVars.code).toBe(2);
    expect(badVars.stderr).toContain('expected a mapping');
  });

  it('refuses a Snowflake target whose connection is incomplete, naming every missing setting and where to set it', async () => {
    const out = (await charter(['run', '--target', 'prod'], fixtureCopy('shop')));
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('target `prod`: no Snowflake user to log in as');
    expect(out.stderr).toContain('target `prod`: password authentication, but no password is set');
    expect(out.stderr).toContain('$SNOWFLAKE_PASSWORD');
  });

  it('clean removes artifacts and keeps the database unless asked', async () => {
    const dir = fixtureCopy('shop');
    await charter(['build'], dir);
    expect((await charter(['clean'], dir)).code).toBe(0);
    expect(existsSync(path.join(dir, 'target', 'manifest.json'))).toBe(false);
    expect(existsSync(path.join(dir, 'target', 'shop.duckdb'))).toBe(true);
    await charter(['clean', '--database'], dir);
    expect(existsSync(path.join(dir, 'target', 'shop.duckdb'))).toBe(false);
  });

  it('rewrites no compiled file when nothing changed', async () => {
    const dir = fixtureCopy('shop');
    // 8 compiled models (one incremental model has two variants, one model is ephemeral) and 5 contract test queries.
    expect((await charter(['compile'], dir)).stdout).toMatch(/13 files written, 0 unchanged/);
    const first = JSON.parse(readFileSync(path.join(dir, 'target', 'manifest.json'), 'utf8'));
    expect((await charter(['compile'], dir)).stdout).toMatch(/0 files written, 13 unchanged/);
    // Nothing changed: the manifest keeps its nodes and gets this compile's run id.
    const second = JSON.parse(readFileSync(path.join(dir, 'target', 'manifest.json'), 'utf8'));
    expect(second.metadata.run_id).not.toBe(first.metadata.run_id);
    expect(second.nodes).toEqual(first.nodes);
    writeFiles(dir, { 'models/silver/orders.sql': "select order_id from {{ ref('orders_landed') }}" });
    expect((await charter(['compile'], dir)).stdout).toMatch(/1 files written, 12 unchanged/);
    expect(readFileSync(path.join(dir, 'target/compiled/tests/orders/order_id.primary_key.sql'), 'utf8')).toContain('-- charter test: test.shop.orders.order_id.primary_key');
  });
});

describe('charter CLI with --log-format json', () => {
  it('reports user errors as JSON diagnostics on stdout, with their location', async () => {
    const dir = fixtureCopy('shop', { 'models/platinum/bad.sql': "select *\nfrom {{ ref('order') }}" });
    const out = (await charter(['compile', '--log-format', 'json'], dir));
    expect(out.code).toBe(1);
    const [diagnostic] = out.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(diagnostic).toMatchObject({ type: 'diagnostic', code: 'ref.unknown', location: { file: 'models/platinum/bad.sql', line: 2, column: 9 } });
  });

  it('emits test and SLO events during a build', async () => {
    const out = (await charter(['build', '--log-format', 'json'], fixtureCopy('shop')));
    expect(out.code).toBe(0);
    const events = out.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(events.filter((e) => e.type === 'test_finished').length).toBe(5);
    expect(events.filter((e) => e.type === 'slo_finished').map((e) => e.kind).sort()).toEqual(['completeness', 'drift', 'freshness', 'volume']);
    expect(events.at(-1)).toMatchObject({ type: 'run_finished', error: 0, tests: { pass: 5, fail: 0 } });
  });
});

describe('a database held by another process', () => {
  it('is reported clearly, not as a crash', async () => {
    const { spawn } = await import('node:child_process');
    const dir = fixtureCopy('shop');
    expect((await charter(['seed'], dir)).code).toBe(0);
    // Another process opens the file read-write and keeps it until killed.
    const holder = spawn(
      process.execPath,
      ['--input-type=module', '-e', "import { DuckDBInstance } from '@duckdb/node-api'; await DuckDBInstance.create(process.argv[1]); console.log('held'); setInterval(() => {}, 1000);", path.join(dir, 'target', 'shop.duckdb')],
      // An -e module resolves packages from its working directory: the repo's node_modules.
      { cwd: repoRoot },
    );
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout.on('data', (d: Buffer) => d.toString().includes('held') && resolve());
        holder.on('exit', (code) => reject(new Error(`holder exited ${code}`)));
      });
      const out = await charter(['run'], dir);
      expect(out.code).toBe(1);
      expect(out.stderr).toContain('is in use by another process');
      expect(out.stderr).not.toContain('charter bug');
    } finally {
      holder.kill();
    }
  });
});

describe('compile --no-format', () => {
  it('writes the SQL as rendered, and a later formatted compile rewrites it', async () => {
    const dir = fixtureCopy('shop');
    const file = path.join(dir, 'target/compiled/models/silver/orders.sql');
    expect((await charter(['compile', '--no-format'], dir)).code).toBe(0);
    // The template's own layout survives: four-space indents, lower-case keywords on one line each.
    expect(readFileSync(file, 'utf8')).toContain('select\n    order_id,\n    customer_id,');
    expect((await charter(['compile'], dir)).stdout).toMatch(/13 files written, 0 unchanged/);
    expect(readFileSync(file, 'utf8')).toContain('select\n  order_id,\n  customer_id,');
  });
});

// A build killed with SIGKILL at the worst moments leaves every table wholly old or wholly new, and the next build
// recovers. The shop fixture, with seeds large enough that each phase lasts a while, is built once (old), then its
// seeds and a model change (new); a real `node bin/charter.js build` is killed while loading a seed, inside the swap
// of a table, inside the merge of the incremental order_facts, and while testing; the DuckDB file is then read
// (after the child is dead) and built again.
//
// Where the kill lands: while the statement log streams (target/logs/statements-<run>.jsonl, one line per
// statement as it completes), the child is stopped (SIGSTOP) every millisecond or so near its target and the log
// read: it is killed as soon as the log shows it inside the window, and a miss is retried. Without a streaming log,
// it is killed a fixed time after a progress line on stdout, the time taken from an uninterrupted reference build.
// Needs `npm run build:ts` (bin/charter.js runs dist/).
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { charter, fixtureCopy, repoRoot } from '../helpers/project.js';

// ---- the project, old and new ----------------------------------------------------------------------------------

const OLD_ORDERS = 100_000;
const NEW_ORDERS = 50_000;
const CUSTOMERS = 500;
const DAY = 86_400_000;

/** v1: OLD_ORDERS orders over 2024. v2: the same orders with every amount changed, and NEW_ORDERS more in 2025. */
function ordersCsv(version: 1 | 2): string {
  const lines = ['order_id,customer_id,order_date,amount_usd,status'];
  const total = version === 1 ? OLD_ORDERS : OLD_ORDERS + NEW_ORDERS;
  for (let i = 1; i <= total; i++) {
    const date = i <= OLD_ORDERS ? Date.UTC(2024, 0, 1) + ((i * 7) % 366) * DAY : Date.UTC(2025, 0, 1) + (i % 90) * DAY;
    const amount = ((i * 37) % 50_000) / 100 + (version === 2 ? 1 : 0);
    lines.push(`${i},c${(i % CUSTOMERS) + 1},${new Date(date).toISOString().slice(0, 10)},${amount.toFixed(2)},${i % 5 ? 'paid' : 'refunded'}`);
  }
  return `${lines.join('\n')}\n`;
}

function customersCsvGz(version: 1 | 2): Buffer {
  const lines = ['customer_id,name,segment'];
  for (let i = 1; i <= CUSTOMERS + (version === 2 ? 10 : 0); i++) lines.push(`c${i},Name ${i},${['enterprise', 'startup', 'mid_market'][i % 3]}`);
  return gzipSync(`${lines.join('\n')}\n`);
}

// NUMBER(18,0), not (38,0): DuckDB reads a DECIMAL(38,0) CSV column many times slower, and the test has 30 s.
const SEED_TYPES = 'columns:\n  order_id: NUMBER(18,0)\n  customer_id: VARCHAR\n  order_date: DATE\n  amount_usd: NUMBER(18,2)\n  status: VARCHAR\n';

/** The shop contract without drift and volume SLOs (their baselines would be one more table to compare). */
const CONTRACT = `name: shop_orders
version: 1.0.0
model: orders
owners: [data-shop@example.com]
columns:
  - name: order_id
    data_type: NUMBER(18,0)
    constraints: {primary_key: true}
  - name: customer_id
    data_type: VARCHAR
    constraints:
      not_null: true
      relationships: {to: customers, field: customer_id}
  - name: order_date
    data_type: DATE
  - name: amount_usd
    data_type: NUMBER(18,2)
    constraints:
      range: {min: 0}
  - name: is_paid
    data_type: BOOLEAN
tests:
  - row_count: {min: 1}
`;

/** The new customer_revenue: one more column, so its table is replaced by a different shape. */
const CUSTOMER_REVENUE_V2 = `{{ config(tags=['finance']) }}
select
    c.customer_id,
    c.segment_label,
    coalesce(sum(p.amount_usd), 0) as revenue_usd,
    count(p.order_id) as paid_orders,
    iff(coalesce(sum(p.amount_usd), 0) >= {{ var('vip_threshold') }}, 'vip', 'regular') as tier
from {{ ref('customers') }} c
left join {{ ref('paid_orders') }} p on p.customer_id = c.customer_id
group by 1, 2
`;

const oldFiles = (): Record<string, string | Buffer> => ({
  'seeds/raw_orders.csv': ordersCsv(1),
  'seeds/raw_customers.csv.gz': customersCsvGz(1),
  'seeds/raw_orders.yml': SEED_TYPES,
  'contracts/orders.yml': CONTRACT,
});
const newFiles = (): Record<string, string | Buffer> => ({
  'seeds/raw_orders.csv': ordersCsv(2),
  'seeds/raw_customers.csv.gz': customersCsvGz(2),
  'models/platinum/customer_revenue.sql': CUSTOMER_REVENUE_V2,
});

/** Each table, by the node that builds it. */
const TABLES: Readonly<Record<string, string>> = {
  'seed.shop.raw_customers': 'BRONZE.raw_customers',
  'seed.shop.raw_orders': 'BRONZE.raw_orders',
  'model.shop.customers': 'SILVER.customers',
  'model.shop.orders': 'SILVER.orders',
  'model.shop.order_facts': 'PLATINUM.order_facts',
  'model.shop.customer_revenue': 'PLATINUM.customer_revenue',
};
const VIEWS = ['BRONZE.customers_landed', 'BRONZE.orders_landed'];

// ---- reading the warehouse -------------------------------------------------------------------------------------

interface Snapshot {
  /** Per table, its row multiset as `count:sum of row hashes`; null when the table is missing. */
  readonly tables: Readonly<Record<string, string | null>>;
  readonly views: Readonly<Record<string, boolean>>;
  /** Relations named *__charter_staged, as schema.name. */
  readonly staged: readonly string[];
}

/** Reads a copy of the database files, so charter's next build sees them exactly as the kill left them. */
async function snapshot(dir: string): Promise<Snapshot> {
  const side = mkdtempSync(path.join(tmpdir(), 'charter-kill-db-'));
  try {
    for (const f of readdirSync(path.join(dir, 'target')).filter((f) => f.startsWith('shop.duckdb'))) cpSync(path.join(dir, 'target', f), path.join(side, f));
    const instance = await DuckDBInstance.create(path.join(side, 'shop.duckdb'));
    const c = await instance.connect();
    const one = async (sql: string): Promise<unknown> => Object.values((await c.runAndReadAll(sql)).getRowObjectsJson()[0] ?? {})[0];
    try {
      const tables: Record<string, string | null> = {};
      const existing = new Set(
        (await c.runAndReadAll("SELECT table_schema || '.' || table_name AS t FROM information_schema.tables")).getRowObjectsJson().map((r) => String(r['t'])),
      );
      for (const t of Object.values(TABLES)) {
        tables[t] = existing.has(t) ? `${await one(`SELECT count(*) FROM ${t}`)}:${await one(`SELECT sum(hash(x)::HUGEINT) FROM ${t} x`)}` : null;
      }
      const views: Record<string, boolean> = {};
      for (const v of VIEWS) views[v] = await one(`SELECT count(*) FROM ${v}`).then(() => true, () => false);
      return { tables, views, staged: [...existing].filter((t) => t.endsWith('__charter_staged')).sort() };
    } finally {
      c.closeSync();
      instance.closeSync();
    }
  } finally {
    rmSync(side, { recursive: true, force: true });
  }
}

// ---- the statement log -----------------------------------------------------------------------------------------

interface Statement {
  readonly seq: number;
  readonly startedAt: string;
  readonly purpose: string;
  readonly node?: string;
  readonly sql: string;
  readonly ms: number;
  readonly error?: string;
}

const logsIn = (dir: string): string[] => (existsSync(path.join(dir, 'target/logs')) ? readdirSync(path.join(dir, 'target/logs')) : []);

function readLog(file: string): Statement[] {
  // A line cut short by the kill is not a record.
  return readFileSync(file, 'utf8')
    .split('\n')
    .flatMap((l) => {
      try {
        return l ? [JSON.parse(l) as Statement] : [];
      } catch {
        return [];
      }
    });
}

const committed = (log: readonly Statement[], node: string, purpose?: string): boolean =>
  log.some((s) => s.node === node && (purpose ? s.purpose === purpose : s.purpose === 'swap' || s.purpose === 'merge') && s.sql === 'COMMIT' && !s.error);

// ---- where to kill ---------------------------------------------------------------------------------------------

type Where = 'before' | 'inside' | 'after';

interface KillPoint {
  readonly name: string;
  /** The stdout progress event after which the child is watched closely (or, without a streaming log, timed). */
  readonly anchor: (event: Record<string, unknown>) => boolean;
  /** Where the run is, by what its statement log says has completed. */
  readonly where: (log: readonly Statement[]) => Where;
  /** In the reference build: the statement whose middle a timed kill aims at. */
  readonly target: (s: Statement) => boolean;
}

const started = (node: string) => (e: Record<string, unknown>) => e['type'] === 'node_started' && e['node'] === node;
const ORDERS = 'model.shop.orders';
const FACTS = 'model.shop.order_facts';

const KILL_POINTS: readonly KillPoint[] = [
  {
    name: 'during seeds: raw_customers swapped in, raw_orders still loading',
    anchor: started('seed.shop.raw_orders'),
    where: (log) =>
      log.some((s) => s.node === 'seed.shop.raw_orders' && s.purpose === 'seed') ? 'after' : committed(log, 'seed.shop.raw_customers') ? 'inside' : 'before',
    target: (s) => s.node === 'seed.shop.raw_orders' && s.purpose === 'seed',
  },
  {
    name: 'during the swap of SILVER.orders (BEGIN done, COMMIT not)',
    anchor: started(ORDERS),
    where: (log) => (committed(log, ORDERS, 'swap') ? 'after' : log.some((s) => s.node === ORDERS && s.purpose === 'swap') ? 'inside' : 'before'),
    target: (s) => s.node === ORDERS && s.purpose === 'swap' && s.sql === 'COMMIT',
  },
  {
    name: 'during tests of SILVER.orders',
    anchor: started(ORDERS),
    where: (log) => (log.some((s) => s.purpose === 'test') ? 'after' : committed(log, ORDERS, 'swap') ? 'inside' : 'before'),
    target: (s) => s.node === ORDERS && s.purpose === 'test',
  },
  {
    name: 'during the merge into PLATINUM.order_facts (DELETE done, INSERT not committed)',
    anchor: started(FACTS),
    where: (log) =>
      committed(log, FACTS, 'merge') ? 'after' : log.some((s) => s.node === FACTS && s.purpose === 'merge' && s.sql.startsWith('DELETE')) ? 'inside' : 'before',
    target: (s) => s.node === FACTS && s.purpose === 'merge' && s.sql.startsWith('INSERT'),
  },
];

interface Killed {
  readonly exit: { code: number | null; signal: NodeJS.Signals | null };
  /** Stepped: watched through the streaming log. Timed: killed a fixed time after the anchor. */
  readonly mode: 'stepped' | 'timed';
  /** The run's statement log as the kill left it; undefined when the log is written only at the end. */
  readonly log?: readonly Statement[];
  /** Where the kill landed, by the log; undefined without one. */
  readonly where?: Where;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A `charter build` child process under way, with its progress events as they arrived. */
interface Running {
  readonly dir: string;
  readonly child: ChildProcess;
  readonly events: Array<{ readonly at: number; readonly event: Record<string, unknown> }>;
  readonly exited: Promise<Killed['exit']>;
  exit?: Killed['exit'];
  /** Its statement log, once it exists. */
  logFile(): string | undefined;
}

const running = new Set<Running>();

/** Starts `charter build` in `dir`; the next trial's child starts up while the last one is checked. */
function startBuild(dir: string): Running {
  const before = new Set(logsIn(dir));
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'charter.js'), 'build', '--log-format', 'json'], {
    cwd: dir,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const run: Running = {
    dir,
    child,
    events: [],
    exited: new Promise((resolve) =>
      child.on('exit', (code, signal) => {
        run.exit = { code, signal };
        running.delete(run);
        resolve(run.exit);
      }),
    ),
    logFile: () => {
      const f = logsIn(dir).find((x) => !before.has(x) && x.startsWith('statements-'));
      return f && path.join(dir, 'target/logs', f);
    },
  };
  running.add(run);
  child.stderr.resume();
  let pending = '';
  child.stdout.on('data', (chunk: Buffer) => {
    pending += chunk.toString('utf8');
    for (let i = pending.indexOf('\n'); i >= 0; i = pending.indexOf('\n')) {
      const line = pending.slice(0, i);
      pending = pending.slice(i + 1);
      if (line.startsWith('{')) run.events.push({ at: performance.now(), event: JSON.parse(line) as Record<string, unknown> });
    }
  });
  return run;
}

/** SIGKILLs the build at `point`; `timedDelay` (ms after the anchor) when the log does not stream. */
async function killAt(run: Running, point: KillPoint, timedDelay: number): Promise<Killed> {
  const { child } = run;
  const anchor = (): number | undefined => run.events.find((e) => point.anchor(e.event))?.at;
  const kill = async (): Promise<Killed['exit']> => {
    child.kill('SIGKILL');
    return run.exited;
  };
  try {
    while (anchor() === undefined && !run.exit) await sleep(1);
    const streaming = run.logFile();
    if (run.exit) return { exit: run.exit, mode: streaming ? 'stepped' : 'timed', where: 'after' };
    if (!streaming) {
      await sleep((anchor() ?? 0) + timedDelay - performance.now());
      const exit = await kill();
      const file = run.logFile();
      const log = file ? readLog(file) : undefined;
      return { exit, mode: 'timed', ...(log ? { log, where: point.where(log) } : {}) };
    }
    for (;;) {
      child.kill('SIGSTOP');
      const where = point.where(readLog(streaming));
      if (where !== 'before') return { exit: await kill(), mode: 'stepped', where, log: readLog(streaming) };
      child.kill('SIGCONT');
      await sleep(1);
      if (run.exit) return { exit: run.exit, mode: 'stepped', where: 'after', log: readLog(streaming) };
    }
  } finally {
    if (!run.exit) await kill();
  }
}

/** From a finished run: ms from the anchor event to the middle of the target statement. */
function timedDelay(stdout: string, log: readonly Statement[], point: KillPoint): number {
  const anchor = stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .find(point.anchor);
  const target = log.find(point.target);
  if (!anchor || !target) return 0;
  return Math.max(0, Date.parse(target.startedAt) + target.ms / 2 - Date.parse(String(anchor['ts'])));
}

// ---- the test --------------------------------------------------------------------------------------------------

const dirs: string[] = [];
afterAll(async () => {
  for (const run of running) {
    run.child.kill('SIGKILL');
    await run.exited;
  }
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
});

function copyOf(dir: string): string {
  const copy = mkdtempSync(path.join(tmpdir(), 'charter-kill-'));
  cpSync(dir, copy, { recursive: true });
  dirs.push(copy);
  return copy;
}

function writeAll(dir: string, files: Record<string, string | Buffer>): void {
  for (const [file, data] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), data);
  }
}

describe('a build killed with SIGKILL', () => {
  it('leaves every table wholly old or wholly new, commits what its log says, and the next build recovers', async ({ annotate }) => {
    // Old: built once. Base: the old warehouse with the new files, ready to be rebuilt.
    const old = fixtureCopy('shop');
    dirs.push(old);
    writeAll(old, oldFiles());
    expect((await charter(['build', '--quiet'], old)).code).toBe(0);
    const before = await snapshot(old);
    const base = copyOf(old);
    writeAll(base, newFiles());

    // The first kill's child starts up while the reference builds.
    let next: Running | undefined = startBuild(copyOf(base));

    // New: the base rebuilt without interruption; its log and progress lines time the kills when the log does not stream.
    const reference = copyOf(base);
    const logsBefore = new Set(logsIn(reference));
    const ref = await charter(['build', '--log-format', 'json'], reference);
    expect(ref.code, ref.stdout).toBe(0);
    const after = await snapshot(reference);
    const refLog = readLog(path.join(reference, 'target/logs', logsIn(reference).find((f) => !logsBefore.has(f)) as string));
    for (const [table, fingerprint] of Object.entries(after.tables)) {
      expect(fingerprint, table).not.toBeNull();
      expect(fingerprint, `${table} must differ between the old and the new build`).not.toBe(before.tables[table]);
    }

    for (const [i, point] of KILL_POINTS.entries()) {
      // A kill that came too late (the log already past the window) is tried again.
      let run = next ?? startBuild(copyOf(base));
      let killed = await killAt(run, point, timedDelay(ref.stdout, refLog, point));
      for (let attempt = 1; attempt < 4 && killed.mode === 'stepped' && killed.where !== 'inside'; attempt++) {
        run = startBuild(copyOf(base));
        killed = await killAt(run, point, timedDelay(ref.stdout, refLog, point));
      }
      next = i + 1 < KILL_POINTS.length ? startBuild(copyOf(base)) : undefined;
      const { dir } = run;
      const what = `${point.name} [${killed.mode}, landed ${killed.where ?? 'unknown'}]`;
      expect(killed.exit.signal, `${what}: the build finished before it was killed`).toBe('SIGKILL');
      if (killed.mode === 'stepped') expect(killed.where, `${what}: four kills missed the window`).toBe('inside');

      const state = await snapshot(dir);
      for (const [table, fingerprint] of Object.entries(state.tables)) {
        expect([before.tables[table], after.tables[table]], `${what}: ${table} is neither the old nor the new table`).toContain(fingerprint);
      }
      for (const [view, readable] of Object.entries(state.views)) expect(readable, `${what}: view ${view} cannot be read`).toBe(true);
      // What the log records as committed is in the warehouse. Before the log streamed, a killed run left none.
      if (!killed.log) await annotate(`${what}: no statement log after the kill, so what it committed was not checked`, 'warning');
      for (const [node, table] of Object.entries(TABLES)) {
        if (killed.log && committed(killed.log, node)) expect(state.tables[table], `${what}: the log says ${node} committed`).toBe(after.tables[table]);
      }

      // The next build succeeds from exactly what the kill left, and ends where an uninterrupted build ends.
      const again = await charter(['build', '--log-format', 'json'], dir);
      expect(again.code, `${what}: the build after the kill failed:\n${again.stdout}`).toBe(0);
      const recovered = await snapshot(dir);
      expect(recovered.tables, `${what}: the build after the kill`).toEqual(after.tables);
      expect(recovered.staged, `${what}: staged relations left after the next build`).toEqual([]);
    }
  }, 60_000);
});

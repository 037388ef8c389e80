// A build killed with SIGKILL at the worst moments leaves every table wholly old or wholly new, and the next build
// recovers. The shop fixture is built once (old), then given new seeds and a model change (new); a real
// `node bin/charter.js build` is caught while loading a seed, inside the swap of a table, while testing, and inside
// the merge (MERGE run, not committed) of the incremental order_facts; what it leaves in target/ is then read and built again.
//
// Where it is caught: the statement log streams (target/logs/statements-<run>.jsonl, one line per statement as it
// completes), and once it exists the child only runs in short bursts (down to half a millisecond), between which
// it is stopped (SIGSTOP, waited for until every thread has stopped) and its log read. So a window is caught however
// short it is and however busy this process is; a miss is retried with a new child.
//
// One child serves every kill point: at each window but its last, the stopped child's target/ is copied, which is
// byte for byte what a SIGKILL at that moment leaves (a killed process writes nothing more; the kernel already holds
// everything it wrote), and the child is let go on to the next window. At its last window it is killed for real
// with SIGKILL, and the files it left are compared with a copy taken just before: that comparison is the evidence
// that a copy of a stopped child is a kill.
// Needs `npm run build:ts` (bin/charter.js runs dist/).
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { charter, fixtureCopy, repoRoot } from '../helpers/project.js';

// ---- the project, old and new ----------------------------------------------------------------------------------

// Enough that loading raw_orders outlasts loading and swapping in raw_customers (the seeds window), and no more:
// the stepping below catches windows of a millisecond or two, so no phase needs to last long.
const OLD_ORDERS = 10_000;
const NEW_ORDERS = 5_000;
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

// NUMBER(18,0), not (38,0): DuckDB reads a DECIMAL(38,0) CSV column many times slower.
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
  /**
   * How long (ms) the child may run between two looks at its log on its way there, well under the window; while
   * the log stands still, up to four times that (at least 2 ms): the window comes only after more statements.
   */
  readonly burst: number;
  /** Where the run is, by what its statement log says has completed. */
  readonly where: (log: readonly Statement[]) => Where;
}

const ORDERS = 'model.shop.orders';
const FACTS = 'model.shop.order_facts';

/** In the order a build reaches them. */
const KILL_POINTS: readonly KillPoint[] = [
  {
    name: 'during seeds: raw_customers swapped in, raw_orders still loading',
    // The window lasts tens of ms. Stopping the child often slows raw_customers (a few short statements) more than
    // raw_orders (one long one), which can close it: so not too often.
    burst: 4,
    where: (log) =>
      log.some((s) => s.node === 'seed.shop.raw_orders' && s.purpose === 'seed') ? 'after' : committed(log, 'seed.shop.raw_customers') ? 'inside' : 'before',
  },
  {
    name: 'during the swap of SILVER.orders (BEGIN done, COMMIT not)',
    // A few ms at most: four statements that change no data.
    burst: 0.5,
    where: (log) => (committed(log, ORDERS, 'swap') ? 'after' : log.some((s) => s.node === ORDERS && s.purpose === 'swap') ? 'inside' : 'before'),
  },
  {
    name: 'during tests of SILVER.orders',
    burst: 1,
    where: (log) => (log.some((s) => s.purpose === 'test') ? 'after' : committed(log, ORDERS, 'swap') ? 'inside' : 'before'),
  },
  {
    name: 'during the merge into PLATINUM.order_facts (MERGE done, not committed)',
    burst: 1,
    where: (log) =>
      committed(log, FACTS, 'merge') ? 'after' : log.some((s) => s.node === FACTS && s.purpose === 'merge' && s.sql.startsWith('MERGE')) ? 'inside' : 'before',
  },
];

/** A kill point the child was caught at. */
interface Caught {
  readonly point: KillPoint;
  /** killed: the child was SIGKILLed there. stopped: its target/ was copied while every thread was stopped. */
  readonly how: 'killed' | 'stopped';
  /** A project whose target/ is exactly what the child left there. */
  readonly dir: string;
  /** The run's statement log as it was left. */
  readonly log: readonly Statement[];
  readonly exit?: { code: number | null; signal: NodeJS.Signals | null };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

/** Blocks this thread, without taking a core: the child's burst must end on time whatever else is queued here. */
function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** A process's or thread's state from its /proc stat file (T: stopped, Z: exited); X when there is none. */
function procState(stat: string): string {
  try {
    const text = readFileSync(stat, 'utf8');
    // The state follows the command name, which is in parentheses and may itself hold some.
    return text.charAt(text.lastIndexOf(')') + 2);
  } catch {
    return 'X';
  }
}

/** Whether every thread of `pid` has stopped (or is gone). */
function allStopped(pid: number): boolean {
  const tasks = existsSync(`/proc/${pid}/task`) ? readdirSync(`/proc/${pid}/task`) : [];
  return tasks.every((task) => 'TtZX'.includes(procState(`/proc/${pid}/task/${task}/stat`)));
}

/** Waits for a SIGSTOP to take effect: kill() returns before it does. */
async function whenStopped(pid: number): Promise<void> {
  if (process.platform !== 'linux') return sleep(5);
  // Checked often but leaving the core to the child: its threads must run to stop (one takes the signal, then
  // stops the others), and one in the middle of writing a file stops only when the write is done.
  for (let i = 0; !allStopped(pid); i++) {
    if (i < 200) pause(0.05);
    else await sleep(1);
  }
}

/** Every file under `dir`, by its path relative to it. */
function filesIn(dir: string, under = ''): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const entry of readdirSync(path.join(dir, under), { withFileTypes: true })) {
    const rel = path.join(under, entry.name);
    if (entry.isDirectory()) for (const [f, data] of filesIn(dir, rel)) files.set(f, data);
    else files.set(rel, readFileSync(path.join(dir, rel)));
  }
  return files;
}

const children = new Set<{ kill: () => Promise<unknown> }>();

/**
 * Runs `charter build` in a copy of `base` and catches it at each of `points` (in the order a build reaches them):
 * a copy of the stopped child at each window but the last, a SIGKILL at the last. Returns the points whose window
 * the child was past before it could be stopped, with where it was then.
 */
async function catchBuild(base: string, points: readonly KillPoint[], onCaught: (caught: Caught) => void): Promise<Map<KillPoint, Where>> {
  const dir = copyOf(base);
  const before = new Set(logsIn(dir));
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'charter.js'), 'build', '--log-format', 'json'], {
    cwd: dir,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString('utf8')));
  child.stderr.on('data', (d: Buffer) => (output += d.toString('utf8')));
  let exit: Caught['exit'];
  const exited = new Promise<NonNullable<Caught['exit']>>((resolve) => child.on('exit', (code, signal) => resolve((exit = { code, signal }))));
  const handle = { kill: async () => (exit ? exit : (child.kill('SIGKILL'), exited)) };
  children.add(handle);
  const pid = child.pid as number;
  const missed = new Map<KillPoint, Where>();
  try {
    // Loading and compiling run freely: nothing reaches the warehouse before the statement log exists.
    let file: string | undefined;
    while (!exit && !(file = logsIn(dir).find((f) => !before.has(f) && f.startsWith('statements-')))) await sleep(2);
    expect(file, `the build ended without a statement log:\n${output}`).toBeDefined();
    const logFile = path.join(dir, 'target/logs', file as string);
    let pending = [...points];
    let burst = 0.5;
    let lines = 0;
    for (;;) {
      child.kill('SIGSTOP');
      await whenStopped(pid);
      const log = readLog(logFile);
      if (exit || (process.platform === 'linux' && !'Tt'.includes(procState(`/proc/${pid}/stat`)))) {
        await exited;
        // The build finished (or failed) before reaching every window: past them is a miss, short of them a failure.
        for (const point of pending) missed.set(point, point.where(log));
        expect([...missed.values()], `the build ended before reaching every kill point:\n${output}`).not.toContain('before');
        return missed;
      }
      const moved = log.length !== lines;
      lines = log.length;
      const reached = pending.map((point) => ({ point, where: point.where(log) })).filter((p) => p.where !== 'before');
      pending = pending.filter((point) => !reached.some((r) => r.point === point));
      for (const { point, where } of reached) if (where === 'after') missed.set(point, where);
      const inside = reached.filter((r) => r.where === 'inside').map((r) => r.point);
      if (inside.length && pending.length) {
        for (const point of inside) onCaught({ point, how: 'stopped', dir: copyOf(dir), log });
      } else if (inside.length) {
        const stopped = copyOf(dir);
        child.kill('SIGKILL');
        const killed = await exited;
        // What the kill left is what the copy of the stopped child holds, file for file.
        const left = filesIn(path.join(dir, 'target'));
        const copied = filesIn(path.join(stopped, 'target'));
        expect([...left.keys()].sort(), 'the files a SIGKILL left are those of the stopped child').toEqual([...copied.keys()].sort());
        for (const [f, data] of left) expect(data.equals(copied.get(f) as Buffer), `${f}: the SIGKILL left it as the stopped child had it`).toBe(true);
        inside.forEach((point, i) => onCaught({ point, how: 'killed', dir: i ? copyOf(stopped) : dir, log, exit: killed }));
      }
      if (!pending.length) return missed;
      const next = (pending[0] as KillPoint).burst;
      burst = moved ? next : Math.min(burst * 2, Math.max(2, 4 * next));
      // Let other work here go on while the child is stopped, then let the child run a little.
      await turn();
      child.kill('SIGCONT');
      pause(burst);
    }
  } finally {
    await handle.kill();
    children.delete(handle);
  }
}

// ---- the test --------------------------------------------------------------------------------------------------

const dirs: string[] = [];
afterAll(async () => {
  for (const child of children) await child.kill();
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
  it('leaves every table wholly old or wholly new, commits what its log says, and the next build recovers', async () => {
    // Old: built once. Base: the old warehouse with the new files, ready to be rebuilt.
    const old = fixtureCopy('shop');
    dirs.push(old);
    writeAll(old, oldFiles());
    expect((await charter(['build', '--quiet'], old)).code).toBe(0);
    const base = copyOf(old);
    writeAll(base, newFiles());

    // The child starts up (seconds of loading) while the old warehouse is read and the base is rebuilt here without
    // interruption (new).
    const warehouses = (async () => {
      const before = await snapshot(old);
      const reference = copyOf(base);
      expect((await charter(['build', '--quiet'], reference)).code).toBe(0);
      const after = await snapshot(reference);
      for (const [table, fingerprint] of Object.entries(after.tables)) {
        expect(fingerprint, table).not.toBeNull();
        expect(fingerprint, `${table} must differ between the old and the new build`).not.toBe(before.tables[table]);
      }
      return { before, after };
    })();

    // Each kill point caught is checked here while the child goes on to the next; the checks run one at a time.
    const caught: Caught[] = [];
    let checking: Promise<unknown> = warehouses;
    const check = (c: Caught): void => {
      caught.push(c);
      checking = checking.then(async () => verify(c, await warehouses));
      checking.catch(() => undefined);
    };
    try {
      // A point whose window a child was past before it could be stopped is tried again, with a new child.
      let missed = await catchBuild(base, KILL_POINTS, check);
      for (let attempt = 2; attempt <= 4 && missed.size; attempt++) missed = await catchBuild(base, [...missed.keys()], check);
      await checking;
      for (const [point, where] of missed) expect.fail(`${point.name}: four tries missed the window (the last landed ${where})`);
      expect(caught.map((c) => c.point.name).sort()).toEqual(KILL_POINTS.map((p) => p.name).sort());
      expect(caught.filter((c) => c.how === 'killed').length, 'at least one kill point is a real SIGKILL').toBeGreaterThan(0);
    } finally {
      await checking.catch(() => undefined);
    }
  }, 60_000);
});

/** A kill point's warehouse: every table old or new, the log's commits in it, and the next build recovers. */
async function verify(killed: Caught, { before, after }: { before: Snapshot; after: Snapshot }): Promise<void> {
  const { dir } = killed;
  const what = `${killed.point.name} [${killed.how}]`;
  if (killed.how === 'killed') expect(killed.exit?.signal, `${what}: the build finished before it was killed`).toBe('SIGKILL');

  const state = await snapshot(dir);
  for (const [table, fingerprint] of Object.entries(state.tables)) {
    expect([before.tables[table], after.tables[table]], `${what}: ${table} is neither the old nor the new table`).toContain(fingerprint);
  }
  for (const [view, readable] of Object.entries(state.views)) expect(readable, `${what}: view ${view} cannot be read`).toBe(true);
  // What the log records as committed is in the warehouse.
  for (const [node, table] of Object.entries(TABLES)) {
    if (committed(killed.log, node)) expect(state.tables[table], `${what}: the log says ${node} committed`).toBe(after.tables[table]);
  }

  // The next build succeeds from exactly what the kill left, and ends where an uninterrupted build ends.
  const again = await charter(['build', '--log-format', 'json'], dir);
  expect(again.code, `${what}: the build after the kill failed:\n${again.stdout}`).toBe(0);
  const recovered = await snapshot(dir);
  expect(recovered.tables, `${what}: the build after the kill`).toEqual(after.tables);
  expect(recovered.staged, `${what}: staged relations left after the next build`).toEqual([]);
}

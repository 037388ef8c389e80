// An apply killed with SIGKILL half way: the state records exactly the nodes its statement log says it recorded,
// each of them built; the lock it left is taken over (its process is gone), and the next apply builds only the rest.
// The real CLI runs as a child process (`node bin/charter.js`, which runs dist/: needs `npm run build:ts`).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { charter, fixtureCopy, startCharter } from '../helpers/project.js';
import { queryWarehouse } from '../helpers/warehouse.js';

const DB = 'target/tiny.duckdb';
const query = (dir: string, sql: string) => queryWarehouse(dir, sql, DB);

/**
 * The last node to build, slow on purpose in the apply that is killed (a second or so, with `slow_rows` a million):
 * the apply is killed while it builds. The apply that finishes it later builds it small (nothing reads the var but it).
 */
const SLOW = `select (select count(*) from {{ ref('customer_totals') }}) as customers, sum(length(md5(cast(i as varchar)))) as work
from range(0, {{ var('slow_rows', 1000) }}) t(i)
`;

interface LogLine {
  readonly purpose: string;
  readonly node?: string;
  readonly sql: string;
}

function logFile(dir: string): string | undefined {
  const logs = path.join(dir, 'target/logs');
  const file = existsSync(logs) ? readdirSync(logs).find((f) => f.startsWith('statements-')) : undefined;
  return file && path.join(logs, file);
}

/** The statement log's size so far: -1 before it exists. */
function logSize(dir: string): number {
  const file = logFile(dir);
  return file ? statSync(file).size : -1;
}

function readLog(dir: string): LogLine[] {
  const file = logFile(dir);
  if (!file) return [];
  // The last line may be half written when it is read.
  return readFileSync(file, 'utf8').split('\n').flatMap((l) => {
    try {
      return [JSON.parse(l) as LogLine];
    } catch {
      return [];
    }
  });
}

const recordedIn = (log: readonly LogLine[]): string[] => log.filter((l) => l.purpose === 'deploy' && /INSERT INTO .*charter_state/.test(l.sql)).map((l) => l.node as string);

describe('an apply killed with SIGKILL', () => {
  it('has recorded what finished; the next apply takes over its lock and builds only the rest', async () => {
    const dir = fixtureCopy('tiny', { 'models/platinum/slow_totals.sql': SLOW });
    const { child, exit, exited, output } = startCharter(['apply', '--vars', '{slow_rows: 1000000}'], dir);
    try {
      // Killed as soon as customer_totals is recorded: slow_totals is then being built. The log is read again only
      // when it has grown, not every 2 ms.
      for (let seen = -1; !exited(); await sleep(2)) {
        const size = logSize(dir);
        if (size === seen) continue;
        seen = size;
        if (recordedIn(readLog(dir)).includes('model.tiny.customer_totals')) break;
      }
      child.kill('SIGKILL');
      expect(await exit, `the apply ended before it could be killed:\n${output()}`).toEqual({ code: null, signal: 'SIGKILL' });
    } finally {
      child.kill('SIGKILL');
    }

    // The state holds exactly what the log says was recorded, every one of it built; slow_totals is not there.
    const recorded = recordedIn(readLog(dir));
    expect(recorded).not.toContain('model.tiny.slow_totals');
    const state = await query(dir, 'select node_id, relation from "tiny"."OPS".charter_state order by seq');
    expect(state.map((r) => r['node_id'])).toEqual(recorded);
    expect(state.map((r) => r['node_id'])).toEqual(['seed.tiny.raw_orders', 'model.tiny.orders_landed', 'model.tiny.orders', 'model.tiny.big_orders', 'model.tiny.customer_totals']);
    const relations = await query(dir, "select table_schema || '.' || table_name as name from information_schema.tables where table_catalog = 'tiny' and table_schema <> 'OPS' order by 1");
    for (const r of state) expect(relations.map((x) => x['name']), String(r['relation'])).toContain(String(r['relation']).replace(/"/g, '').split('.').slice(1).join('.'));
    expect((await query(dir, 'select owner from "tiny"."OPS".charter_lock')).map((r) => r['owner'])).toEqual([expect.stringMatching(new RegExp(`:${child.pid}$`))]);

    // The next apply takes the dead apply's lock over and builds only what it had not finished.
    const plan = await charter(['plan'], dir);
    expect(plan.stdout.split('\n').filter((l) => /^(create|replace) /.test(l)).map((l) => l.split(/\s+/).slice(0, 2).join(' '))).toEqual(['create slow_totals']);
    const again = await charter(['apply'], dir);
    expect(again.code, `${again.stdout}\n${again.stderr}`).toBe(0);
    expect(again.stdout).toMatch(new RegExp(`took over the deploy lock left by \\S+:${child.pid} .*its process is gone`));
    expect(again.stdout).toMatch(/1\/1 OK +table +"tiny"\."PLATINUM"\."slow_totals"/);
    expect((await charter(['plan'], dir)).stdout).toContain('up to date: 6 nodes');
    expect(await query(dir, 'select count(*)::int as n from "tiny"."OPS".charter_lock')).toEqual([{ n: 0 }]);
    expect(await query(dir, "select count(*)::int as n from information_schema.tables where table_name like '%charter_staged'")).toEqual([{ n: 0 }]);
  }, 60_000);
});

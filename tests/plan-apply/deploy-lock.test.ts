// The deploy lock on the DuckDB target: a second apply while one runs is refused, naming the holder; a lock that
// expired or whose process died is taken over; a live one from elsewhere waits, or is broken on request.
import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import path from 'node:path';
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { apply } from '../../src/pipeline/deploy.js';
import { charter, fixtureCopy } from '../helpers/project.js';
import { queryWarehouse } from '../helpers/warehouse.js';
import { deployedCopy } from './deployed.js';

const DB = 'target/tiny.duckdb';
const query = (dir: string, sql: string) => queryWarehouse(dir, sql, DB);
const printed = (run: { stdout: string; stderr: string }) => `${run.stdout}\n${run.stderr}`;
const claims = async (dir: string) => (await query(dir, 'select owner from "tiny"."OPS".charter_lock order by acquired_at')).map((r) => r['owner']);

async function claim(dir: string, owner: string, expiresInMs: number): Promise<void> {
  const now = Date.now();
  const at = (ms: number) => new Date(ms).toISOString();
  await query(dir, `insert into "tiny"."OPS".charter_lock values ('apply', '${owner}', 'run-of-${owner}', '${at(now - 60_000)}', '${at(now + expiresInMs)}')`);
}

let edits = 0;
/** A change for the next apply to make. */
const editModel = (dir: string) =>
  writeFileSync(path.join(dir, 'models/platinum/customer_totals.sql'), `select customer_id, sum(amount_usd) + ${++edits} as total_usd from {{ ref('orders') }} group by 1\n`);

describe('the deploy lock', () => {
  it('refuses a second apply while one holds it, naming the holder; the first finishes and releases it', async () => {
    const dir = fixtureCopy('tiny');
    let second: Awaited<ReturnType<typeof charter>> | undefined;
    const first = await apply({
      projectDir: dir,
      // Half way through the first apply, a second one starts on the same database.
      onApplied: async (change) => {
        if (change.name === 'orders') second = await charter(['apply'], dir);
      },
    });
    expect(first.results.passed).toBe(true);
    expect(first.results.nodes).toHaveLength(5);
    expect(second?.code).toBe(1);
    expect(second?.stderr).toMatch(
      new RegExp(`error\\[deploy\\.locked\\]: another apply holds the deploy lock: \\S+@${hostname()}:${process.pid} \\(run ${first.results.runId}\\), since \\S+Z, expires \\S+Z \\(in 10 min\\)`),
    );
    expect(second?.stderr).toContain('`charter apply --break-lock` removes its lock');
    expect(await claims(dir)).toEqual([]);
    const plan = await charter(['plan'], dir);
    expect(plan.stdout, printed(plan)).toContain('up to date: 5 nodes');
  });

  it('takes over a lock that expired or whose process is gone; a live one waits, unless broken', async () => {
    const dir = await deployedCopy('tiny');

    editModel(dir);
    await claim(dir, 'ops@build-7:4242', 3_600_000);
    const refused = await charter(['apply'], dir);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/another apply holds the deploy lock: ops@build-7:4242 \(run run-of-ops@build-7:4242\), since .*\(in 60 min\)/);
    expect(await claims(dir)).toEqual(['ops@build-7:4242']);
    const broken = await charter(['apply', '--break-lock'], dir);
    expect(broken.code, printed(broken)).toBe(0);
    expect(await claims(dir)).toEqual([]);

    editModel(dir);
    await claim(dir, 'ops@build-7:4242', -1000);
    const expired = await charter(['apply'], dir);
    expect(expired.code, printed(expired)).toBe(0);
    expect(expired.stdout).toContain('took over the deploy lock left by ops@build-7:4242 (run run-of-ops@build-7:4242): it expired, or its process is gone');

    // A process of this host that has exited: its unexpired lock is taken over at once.
    const gone = spawnSync(process.execPath, ['-e', '0']).pid;
    editModel(dir);
    await claim(dir, `me@${hostname()}:${gone}`, 3_600_000);
    const dead = await charter(['apply'], dir);
    expect(dead.code, printed(dead)).toBe(0);
    expect(dead.stdout).toContain(`took over the deploy lock left by me@${hostname()}:${gone}`);
    expect(await claims(dir)).toEqual([]);
  });
});

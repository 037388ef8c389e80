// Ctrl-C on a real `charter build`: the statement running in the engine is cancelled (not waited for), nothing new
// starts, the staged relation is cleaned up, and the process exits 1 saying so.
// Needs `npm run build:ts` (bin/charter.js runs dist/).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { fixtureCopy, startCharter } from '../helpers/project.js';
import { queryWarehouse } from '../helpers/warehouse.js';

// Valid Snowflake that DuckDB runs for minutes: a recursive count to a billion, one row per step.
const SLOW = `{{ config(materialized='table') }}
with recursive steps (n) as (select 1 union all select n + 1 from steps where n < 1000000000)
select count(*) as n from steps, {{ ref('raw_orders') }}
`;

function startedSlowModel(dir: string): boolean {
  const logs = path.join(dir, 'target', 'logs');
  if (!existsSync(logs)) return false;
  return readdirSync(logs).some((f) => readFileSync(path.join(logs, f), 'utf8').includes('"node":"model.tiny.slow_count"'));
}

it('SIGINT cancels the running statement and stops the build, leaving no staged relation', async () => {
  const dir = fixtureCopy('tiny', { 'models/platinum/slow_count.sql': SLOW });
  const { child, exit, output } = startCharter(['build', '--select', '+slow_count'], dir);
  // The statement log streams each statement as it completes: once the slow model's first one (its introspection)
  // is there, its CREATE TABLE is running, for minutes unless interrupted.
  const deadline = Date.now() + 60_000;
  while (!startedSlowModel(dir) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  await new Promise((r) => setTimeout(r, 300));
  const sentAt = Date.now();
  child.kill('SIGINT');
  const { code } = await exit;
  expect(Date.now() - sentAt).toBeLessThan(10_000);
  expect(code, output()).toBe(1);
  expect(output()).toContain('error[engine.interrupted]: interrupted: the statements running in the warehouse were cancelled');
  const left = await queryWarehouse(dir, "select table_name from information_schema.tables where table_name like 'slow_count%'", 'target/tiny.duckdb');
  expect(left).toEqual([]);
  expect(startedSlowModel(dir)).toBe(true);
}, 90_000);

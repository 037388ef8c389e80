// `charter plan` and `charter apply` alter a deployed incremental model whose contract only adds nullable columns:
// the table gets the columns and the model's incremental run, and keeps its rows. On the tiny fixture (DuckDB), with
// an incremental model and its contract added by the test.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { charter, writeFiles } from '../helpers/project.js';
import { queryWarehouse } from '../helpers/warehouse.js';
import { deployedCopy } from './deployed.js';

const DB = 'target/tiny.duckdb';
const query = (dir: string, sql: string) => queryWarehouse(dir, sql, DB);
const printed = (run: { stdout: string; stderr: string }) => `${run.stdout}\n${run.stderr}`;
const changeLines = (stdout: string): string[] => stdout.split('\n').filter((l) => /^(create|alter|replace|governance|drop|would drop) /.test(l)).map((l) => l.replace(/\s+/g, ' '));

const MODEL = 'models/platinum/order_scores.sql';
const CONTRACT = 'contracts/order_scores.yml';
/** Upserts on order_id; each run re-reads the newest order it has, and everything newer. */
const model = (columns: string) => `{{ config(materialized='incremental', unique_key='order_id') }}
select ${columns}
from {{ ref('orders') }}
{% if is_incremental() %}where order_id >= (select max(order_id) from {{ this }}){% endif %}
`;
const contract = (columns: string) => `name: tiny_order_scores
version: 1.0.0
model: order_scores
owners: [data@example.com]
columns:
  - name: order_id
    data_type: NUMBER(18,0)
${columns}`;
const AMOUNT = '  - name: amount_usd\n    data_type: NUMBER(18,2)\n';
const RISK = '  - name: risk_score\n    data_type: INTEGER\n';

/** A tiny project with order_scores deployed: orders 1 to 4, columns order_id and amount_usd (one apply, shared). */
const deployed = (): Promise<string> => deployedCopy('tiny', { [MODEL]: model('order_id, amount_usd'), [CONTRACT]: contract(AMOUNT) });

/** A change's SQL as the plan prints it: the lines under its change line, up to the blank line. */
function sqlOf(stdout: string, name: string): string[] {
  const lines = stdout.split('\n');
  const start = lines.findIndex((l) => /^\S+ +(\S+) /.exec(l)?.[1] === name);
  const end = lines.indexOf('', start);
  return lines.slice(start + 1, end).map((l) => l.replace(/^ {4}/, ''));
}

function lastStatements(dir: string): Array<{ purpose: string; node?: string; sql: string }> {
  const results = JSON.parse(readFileSync(path.join(dir, 'target/run_results.json'), 'utf8'));
  const log = readFileSync(path.join(dir, 'target/logs', `statements-${results.metadata.run_id}.jsonl`), 'utf8');
  return log.split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

describe('an incremental model that adds a nullable column is altered, not rebuilt', () => {
  it('plans the ALTER and the merge, keeps the old rows (NULL in the new column), merges the new ones, and is then up to date', async () => {
    const dir = await deployed();
    writeFiles(dir, {
      [MODEL]: model('order_id, amount_usd, iff(amount_usd > 100, 1, 0) as risk_score'),
      [CONTRACT]: contract(AMOUNT + RISK),
      // A new order arrives with the change.
      'seeds/raw_orders.csv': `${readFileSync(path.join(dir, 'seeds/raw_orders.csv'), 'utf8')}5,c2,20.00\n`,
    });
    const plan = await charter(['plan'], dir);
    expect(plan.code, printed(plan)).toBe(0);
    expect(changeLines(plan.stdout)).toContain(
      'alter order_scores (incremental) "tiny"."PLATINUM"."order_scores": adds nullable column risk_score: existing rows keep NULL; pass --full-refresh to rebuild instead',
    );
    const target = '"tiny"."PLATINUM"."order_scores"';
    const staged = '"tiny"."PLATINUM"."order_scores__charter_staged"';
    const merge = [
      'BEGIN TRANSACTION;',
      // The contract's INTEGER as DuckDB types seeds; the model's own INTEGER goes into it as it is.
      `ALTER TABLE ${target} ADD COLUMN IF NOT EXISTS "risk_score" BIGINT;`,
      `MERGE INTO ${target} AS "charter_target" USING ${staged} AS "charter_staged"`,
      'ON "charter_target"."order_id" = "charter_staged"."order_id"',
      'WHEN MATCHED THEN UPDATE SET "amount_usd" = "charter_staged"."amount_usd", "risk_score" = "charter_staged"."risk_score"',
      'WHEN NOT MATCHED THEN INSERT ("order_id", "amount_usd", "risk_score") VALUES ("charter_staged"."order_id", "charter_staged"."amount_usd", "charter_staged"."risk_score");',
      'COMMIT;',
    ];
    expect(sqlOf(plan.stdout, 'order_scores')).toEqual([
      'CREATE SCHEMA IF NOT EXISTS "tiny"."PLATINUM";',
      `CREATE OR REPLACE TABLE ${staged} AS`,
      `SELECT order_id, amount_usd, CASE WHEN amount_usd > 100 THEN 1 ELSE 0 END AS risk_score FROM "tiny"."SILVER"."orders" WHERE order_id >= (SELECT MAX(order_id) FROM ${target});`,
      `-- check the columns of ${staged} against its contract`,
      ...merge,
      `DROP TABLE IF EXISTS ${staged};`,
    ]);
    expect(plan.stdout).toContain('plan: 0 to create, 1 to alter, 3 to replace, 0 to re-apply governance, 0 to drop; 2 unchanged');

    const apply = await charter(['apply'], dir);
    expect(apply.code, printed(apply)).toBe(0);
    expect(apply.stdout).toMatch(/4\/4 OK +incremental +"tiny"\."PLATINUM"\."order_scores" +2 rows .*\(altered: adds nullable column risk_score/);
    // What ran is what the plan showed.
    const ran = lastStatements(dir).filter((s) => s.node === 'model.tiny.order_scores' && s.purpose === 'merge').map((s) => `${s.sql};`);
    expect(ran.join('\n')).toBe(merge.join('\n'));
    expect(await query(dir, 'select order_id::int as id, risk_score::int as risk from "tiny"."PLATINUM".order_scores order by 1')).toEqual([
      { id: 1, risk: null },
      { id: 2, risk: null },
      { id: 3, risk: null },
      { id: 4, risk: 1 },
      { id: 5, risk: 0 },
    ]);
    // The state row is a replace's: the new checksums and contract.
    const [state] = await query(dir, 'select action, governed_columns from "tiny"."OPS".charter_state where node_id = \'model.tiny.order_scores\' order by seq desc limit 1');
    expect(state?.['action']).toBe('deploy');
    expect(JSON.parse(String(state?.['governed_columns'])).map((c: { name: string }) => c.name)).toEqual(['order_id', 'amount_usd', 'risk_score']);
    expect((await charter(['plan'], dir)).stdout).toContain('up to date: 6 nodes deployed as the project says');
  });

  it('--full-refresh plans a replace instead; a saved plan has settled it already', async () => {
    const dir = await deployed();
    writeFiles(dir, { [MODEL]: model('order_id, amount_usd, iff(amount_usd > 100, 1, 0) as risk_score'), [CONTRACT]: contract(AMOUNT + RISK) });
    const plan = await charter(['plan', '--full-refresh', '--out', 'plan.json'], dir);
    expect(changeLines(plan.stdout)).toEqual(['replace order_scores (incremental) "tiny"."PLATINUM"."order_scores": SQL changed; contract or tags changed']);
    const refused = await charter(['apply', 'plan.json', '--full-refresh'], dir);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('--full-refresh does not apply to a saved plan');
  });

  it('a removed or retyped column is a replace that breaks; a new not_null column is a replace', async () => {
    const dir = await deployed();
    const planned = async (columns: string, declared: string): Promise<string[]> => {
      writeFiles(dir, { [MODEL]: model(columns), [CONTRACT]: contract(declared) });
      const plan = await charter(['plan'], dir);
      expect(plan.code, printed(plan)).toBe(0);
      return changeLines(plan.stdout);
    };
    const replaced = 'replace order_scores (incremental) "tiny"."PLATINUM"."order_scores": SQL changed; contract or tags changed';
    expect(await planned('order_id, 1 as risk_score', RISK)).toEqual([`${replaced} (breaking: column amount_usd removed)`]);
    expect(await planned('order_id, amount_usd::number(18,4) as amount_usd, 1 as risk_score', AMOUNT.replace('18,2', '18,4') + RISK)).toEqual([
      `${replaced} (breaking: column amount_usd retyped NUMBER(18,2) -> NUMBER(18,4))`,
    ]);
    expect(await planned('order_id, amount_usd, 1 as risk_score', `${AMOUNT}${RISK}    constraints: {not_null: true}\n`)).toEqual([replaced]);
  });
});

// Rows that arrive later than an incremental model's window: the run rebuilds the model (or fails, if it says so)
// instead of leaving a table that disagrees with a full refresh.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { fixtureCopy, repoRoot } from '../helpers/project.js';
import { buildDir, queryWarehouse } from '../helpers/warehouse.js';

function showcaseCopy(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'charter-late-'));
  for (const entry of ['project.yml', 'models', 'macros', 'seeds']) {
    cpSync(path.join(repoRoot, entry), path.join(dir, entry), { recursive: true, filter: (src) => path.relative(repoRoot, src) !== path.join('seeds', 'generator') });
  }
  return dir;
}

function appendToGzipCsv(file: string, line: string): void {
  const text = gunzipSync(readFileSync(file)).toString('utf8');
  writeFileSync(file, gzipSync(`${text.replace(/\n?$/, '\n')}${line}\n`));
}

const DB = 'target/phantom_sec.duckdb';
const ARR_2024 = `select calendar_quarter, sum(arr) as arr from "phantom_sec"."PLATINUM"."fct_arr_quarterly" where calendar_quarter like '2024%' group by 1 order by 1`;
const ACTIVITIES = 'select count(*) as n, max(activity_id) as last_id from "phantom_sec"."PLATINUM"."fct_compliance_activities"';

describe('late data', () => {
  it('rows older than the window make the showcase\'s incremental models rebuild, agreeing with a full refresh', async () => {
    const dir = showcaseCopy();
    expect((await buildDir(dir)).every((r) => r.status === 'success')).toBe(true);
    // A backdated expansion (mid-2024) and a backdated activity: both older than their models' windows.
    appendToGzipCsv(path.join(dir, 'seeds/fact_subscription_events.csv.gz'), 'EVT-09999,CUST-0143,2024-06-10,expansion,enterprise,5265.18,monthly,12,0.00,inside_sales,ach');
    appendToGzipCsv(path.join(dir, 'seeds/fact_compliance_activities.csv.gz'), 'ACT-100001,CUST-0001,1,ADP-00001,2020-02-04,training,network_security,false,60,true,medium,false');
    const rerun = await buildDir(dir);
    for (const name of ['fct_mrr_monthly', 'fct_compliance_activities']) {
      expect(rerun.find((r) => r.name === name), name).toMatchObject({ status: 'success', mode: 'full', note: expect.stringContaining('late_arrival window') });
    }
    const incremental = { arr: await queryWarehouse(dir, ARR_2024, DB), activities: await queryWarehouse(dir, ACTIVITIES, DB) };
    expect(incremental.activities[0]?.['last_id']).toBe('ACT-100001');
    await buildDir(dir, { fullRefresh: true, select: ['fct_mrr_monthly+', 'fct_compliance_activities+'] });
    expect(await queryWarehouse(dir, ARR_2024, DB)).toEqual(incremental.arr);
    expect(await queryWarehouse(dir, ACTIVITIES, DB)).toEqual(incremental.activities);
  });

  it('a model that says on_late=fail fails, naming the days and pointing to --full-refresh', async () => {
    const facts = `{{ config(materialized='incremental', unique_key='order_id', late_arrival={'input': 'orders', 'column': 'order_date', 'window_days': 0, 'on_late': 'fail'}) }}
select order_id, customer_id, order_date, amount_usd, is_paid from {{ ref('orders') }}
{% if is_incremental() %} where order_date >= (select max(order_date) from {{ this }}) {% endif %}`;
    const dir = fixtureCopy('shop', { 'models/platinum/order_facts.sql': facts });
    expect((await buildDir(dir)).every((r) => r.status === 'success')).toBe(true);
    // Nothing late: the next run merges as usual.
    expect((await buildDir(dir)).find((r) => r.name === 'order_facts')).toMatchObject({ status: 'success', mode: 'incremental' });
    const seed = path.join(dir, 'seeds/raw_orders.csv');
    writeFileSync(seed, `${readFileSync(seed, 'utf8').replace(/\n?$/, '\n')}9,c1,2024-11-03,10.00,paid\n`);
    const facts2 = (await buildDir(dir)).find((r) => r.name === 'order_facts');
    expect(facts2?.error).toMatchObject({ code: 'data.late', location: { file: 'models/platinum/order_facts.sql' } });
    expect(facts2?.error?.detail).toContain('2024-11-03: 0 rows when sealed, 1 now');
    expect(facts2?.error?.hint).toContain('--full-refresh');
  });

  it('an input the model does not ref is a compile error', async () => {
    const dir = fixtureCopy('shop', {
      'models/platinum/order_facts.sql': "{{ config(materialized='incremental', late_arrival={'input': 'customers', 'column': 'order_date', 'window_days': 1}) }}\nselect * from {{ ref('orders') }}",
    });
    const run = await import('../helpers/project.js').then((h) => h.charter(['compile'], dir));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('config(late_arrival=...) names input `customers`, which `order_facts` does not ref()');
  });
});

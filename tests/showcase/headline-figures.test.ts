// The showcase's headline figures: charter builds the Phantom Sec warehouse once, and every figure the PLATINUM
// marts give is recomputed here with plain DuckDB SQL straight on the seed CSV files (never through the models),
// then also pinned to the values the data generator's author computed independently.
//
// ARR on a date = 12 x the MRR in force on it, where a customer's MRR is the mrr_amount of their latest
// subscription event on or before the date (0 after churn). Event amounts are never summed over time.

import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/project.js';
import { buildDir, queryWarehouse, statusOf } from '../helpers/warehouse.js';

const DB_FILE = 'target/phantom_sec.duckdb';
const AS_OF = '2024-12-31';
const QUARTER_ENDS = ['2023-12-31', '2024-03-31', '2024-06-30', '2024-09-30', '2024-12-31'] as const;
const INCREMENTAL_MODELS = ['fct_mrr_monthly', 'fct_compliance_activities'] as const;

/** The generator author's figures (computed outside charter and outside this file's SQL). */
const PINNED_ARR: Record<(typeof QUARTER_ENDS)[number], string> = {
  '2023-12-31': '12675447.96',
  '2024-03-31': '14598389.28',
  '2024-06-30': '15433940.76',
  '2024-09-30': '16892878.68',
  '2024-12-31': '18636615.36',
};

/** Temporary project copies, removed after the file's tests. */
const copies: string[] = [];

/** A private copy of the repo's showcase project: project.yml, models/, macros/, seeds/. */
function showcaseCopy(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'charter-showcase-'));
  copies.push(dir);
  for (const entry of ['project.yml', 'models', 'macros', 'seeds']) {
    cpSync(path.join(repoRoot, entry), path.join(dir, entry), {
      recursive: true,
      // The generator's TypeScript sources are not part of the project.
      filter: (src) => path.relative(repoRoot, src) !== path.join('seeds', 'generator'),
    });
  }
  return dir;
}

const warehouse = (dir: string, sql: string) => queryWarehouse(dir, sql, DB_FILE);

/** Row count of every relation charter built, by "SCHEMA.name". */
async function relationCounts(dir: string): Promise<Record<string, number>> {
  const relations = await warehouse(
    dir,
    "select table_schema as s, table_name as t from information_schema.tables where table_catalog = 'phantom_sec' " +
      // charter's own bookkeeping (OPS.charter_*: baselines, late-arrival watermarks) is not the warehouse's data.
      "and table_schema in ('BRONZE', 'SILVER', 'PLATINUM', 'OPS') and table_name not like 'charter\\_%' escape '\\' order by 1, 2",
  );
  const union = relations.map((r) => `select '${r['s']}.${r['t']}' as rel, count(*)::int as n from "${r['s']}"."${r['t']}"`).join(' union all ');
  const rows = await warehouse(dir, `${union} order by 1`);
  return Object.fromEntries(rows.map((r) => [String(r['rel']), Number(r['n'])]));
}

/** Row count and an order-independent digest of a PLATINUM table's full contents. */
async function contents(dir: string, model: string): Promise<{ n: number; digest: string }> {
  const [row] = await warehouse(
    dir,
    `select count(*)::int as n, md5(string_agg(cast(t as varchar), chr(10) order by cast(t as varchar))) as digest from "PLATINUM".${model} as t`,
  );
  return { n: Number(row?.['n']), digest: String(row?.['digest']) };
}

async function allContents(dir: string): Promise<Record<string, { n: number; digest: string }>> {
  const out: Record<string, { n: number; digest: string }> = {};
  for (const model of INCREMENTAL_MODELS) out[model] = await contents(dir, model);
  return out;
}

// ---- the reference: plain SQL on the seed files ---------------------------------------------------------

let reference: DuckDBInstance;

async function seedQuery(sql: string): Promise<Record<string, unknown>[]> {
  const connection = await reference.connect();
  try {
    return (await connection.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    connection.closeSync();
  }
}

async function openReference(): Promise<DuckDBInstance> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const seed = (file: string) => `read_csv('${path.join(repoRoot, 'seeds', file).replace(/'/g, "''")}', header = true)`;
  for (const sql of [
    `create view customers as select * from ${seed('dim_customers.csv.gz')}`,
    `create view frameworks as select * from ${seed('dim_compliance_frameworks.csv')}`,
    `create view events as select customer_id, event_id, cast(event_date as date) as event_date, event_type,
       cast(mrr_amount as decimal(18, 2)) as mrr_amount from ${seed('fact_subscription_events.csv.gz')}`,
    `create view adoptions as select * from ${seed('fact_framework_adoptions.csv.gz')}`,
    `create view activities as select * from ${seed('fact_compliance_activities.csv.gz')}`,
  ]) {
    await connection.run(sql);
  }
  connection.closeSync();
  return instance;
}

/** Each customer's MRR on a date: mrr_amount of their latest event on or before it. */
const mrrOnDate = (date: string) => `
  select customer_id, arg_max(mrr_amount, event_date) as mrr
  from events where event_date <= date '${date}' group by customer_id`;

async function ledgerArr(date: string): Promise<{ arr: string; mrr: string; active: number }> {
  const [row] = await seedQuery(
    `select cast(12 * sum(mrr) as decimal(18, 2))::varchar as arr, cast(sum(mrr) as decimal(18, 2))::varchar as mrr,
            count(*) filter (where mrr > 0)::int as active
     from (${mrrOnDate(date)})`,
  );
  return { arr: String(row?.['arr']), mrr: String(row?.['mrr']), active: Number(row?.['active']) };
}

// ---- one build for the whole file ------------------------------------------------------------------------

let dir: string;
let firstCounts: Record<string, number>;
let fullContents: Record<string, { n: number; digest: string }>;

beforeAll(async () => {
  reference = await openReference();
  dir = showcaseCopy();
  const results = await buildDir(dir, { threads: 4 });
  const failed = results.filter((r) => r.status !== 'success');
  expect(failed.map((r) => `${r.name}: ${r.error?.message ?? r.status}`)).toEqual([]);
  firstCounts = await relationCounts(dir);
  fullContents = await allContents(dir);
});

afterAll(() => {
  reference?.closeSync();
  for (const copy of copies) rmSync(copy, { recursive: true, force: true });
});

describe('the showcase build', () => {
  it('builds every layer, with the seeds loaded whole', () => {
    expect(Object.keys(firstCounts)).toHaveLength(5 + 16); // seeds + models (5 bronze, 5 silver, 5 platinum, 1 ops)
    expect(firstCounts).toMatchObject({
      'BRONZE.dim_customers': 300,
      'BRONZE.dim_compliance_frameworks': 8,
      'BRONZE.fact_subscription_events': 735,
      'BRONZE.fact_framework_adoptions': 1111,
      'BRONZE.fact_compliance_activities': 100000,
      'BRONZE.brz_customers': 300,
      'SILVER.stg_customers': 300,
      'SILVER.stg_subscription_events': 735,
      'SILVER.stg_compliance_activities': 100000,
      'PLATINUM.dim_customer_360': 300,
      'PLATINUM.fct_framework_adoptions': 1111,
      'PLATINUM.fct_compliance_activities': 100000,
    });
    expect(firstCounts['PLATINUM.fct_mrr_monthly']).toBeGreaterThan(0);
    expect(firstCounts['PLATINUM.fct_arr_quarterly']).toBeGreaterThan(0);
  });

  it('has one fct_mrr_monthly row per customer and month, from the first subscription month to churn or the as-of month', async () => {
    const [grain] = await warehouse(dir, 'select count(*)::int as n, count(distinct (customer_id, month_start))::int as keys from "PLATINUM".fct_mrr_monthly');
    expect(grain?.['n']).toBe(grain?.['keys']);
    // Expected rows from the ledger: months from the first event's month to the churn month, or to 2024-12.
    const [expected] = await seedQuery(`
      select sum(date_diff('month', date_trunc('month', first_event), date_trunc('month', last_day_held)) + 1)::int as n
      from (select customer_id, min(event_date) as first_event,
                   case when arg_max(event_type, event_date) = 'churn' then max(event_date) else date '${AS_OF}' end as last_day_held
            from events group by customer_id)`);
    expect(grain?.['n']).toBe(expected?.['n']);
  });

  it('passes its own OPS reconciliation checks', async () => {
    const checks = await warehouse(dir, 'select check_name, is_passing from "OPS".ops_revenue_reconciliation order by 1');
    expect(checks.length).toBeGreaterThanOrEqual(6);
    expect(checks.filter((c) => c['is_passing'] !== true)).toEqual([]);
  });
});

describe('headline figures: the marts against plain SQL on the seed files', () => {
  it(`ARR at ${AS_OF} is $18,636,615.36 (MRR $1,553,051.28) in every mart`, async () => {
    const ledger = await ledgerArr(AS_OF);
    expect(ledger).toEqual({ arr: '18636615.36', mrr: '1553051.28', active: 272 });

    const [monthly] = await warehouse(dir, `select sum(arr)::varchar as arr, sum(mrr)::varchar as mrr from "PLATINUM".fct_mrr_monthly where month_end = date '${AS_OF}'`);
    const [quarterly] = await warehouse(dir, `select sum(arr)::varchar as arr from "PLATINUM".fct_arr_quarterly where calendar_quarter = '2024-Q4'`);
    const [customers] = await warehouse(dir, 'select sum(current_arr)::varchar as arr, sum(current_mrr)::varchar as mrr from "PLATINUM".dim_customer_360');
    expect(monthly).toEqual({ arr: ledger.arr, mrr: ledger.mrr });
    expect(quarterly).toEqual({ arr: ledger.arr });
    expect(customers).toEqual({ arr: ledger.arr, mrr: ledger.mrr });
  });

  it('ARR at each quarter end of 2024 (and at 2023-12-31)', async () => {
    const monthly = await warehouse(dir, `select month_end::varchar as d, sum(arr)::varchar as arr from "PLATINUM".fct_mrr_monthly
      where month_end in (${QUARTER_ENDS.map((d) => `date '${d}'`).join(', ')}) group by 1 order by 1`);
    const quarterly = await warehouse(dir, `select quarter_end::varchar as d, sum(arr)::varchar as arr from "PLATINUM".fct_arr_quarterly
      where quarter_end in (${QUARTER_ENDS.map((d) => `date '${d}'`).join(', ')}) group by 1 order by 1`);
    const ledger = [];
    for (const d of QUARTER_ENDS) ledger.push({ d, arr: (await ledgerArr(d)).arr });

    expect(ledger).toEqual(QUARTER_ENDS.map((d) => ({ d, arr: PINNED_ARR[d] })));
    expect(monthly).toEqual(ledger);
    expect(quarterly).toEqual(ledger);
  });

  it('quarterly ARR rolls forward: each quarter starts where the previous one ended', async () => {
    const gaps = await warehouse(dir, `
      with totals as (select quarter_start, sum(starting_arr) as opening, sum(arr) as closing from "PLATINUM".fct_arr_quarterly group by 1)
      select quarter_start from totals qualify opening <> coalesce(lag(closing) over (order by quarter_start), 0)`);
    expect(gaps).toEqual([]);
  });

  it(`active customers by segment at ${AS_OF}: 272 (startup 130, mid_market 105, enterprise 37)`, async () => {
    const ledger = await seedQuery(`
      select c.segment, count(*)::int as n from (${mrrOnDate(AS_OF)}) as m join customers as c using (customer_id)
      where m.mrr > 0 group by 1 order by 1`);
    const mart = await warehouse(dir, `select segment, count(*)::int as n from "PLATINUM".dim_customer_360 where customer_status = 'active' group by 1 order by 1`);
    const monthly = await warehouse(dir, `select c.segment, count(*)::int as n from "PLATINUM".fct_mrr_monthly as m
      join "PLATINUM".dim_customer_360 as c using (customer_id) where m.month_end = date '${AS_OF}' and m.is_active group by 1 order by 1`);
    expect(ledger).toEqual([
      { segment: 'enterprise', n: 37 },
      { segment: 'mid_market', n: 105 },
      { segment: 'startup', n: 130 },
    ]);
    expect(mart).toEqual(ledger);
    expect(monthly).toEqual(ledger);
  });

  it('customer statuses: every customer is active, churned or never subscribed', async () => {
    const ledger = await seedQuery(`
      select case when m.customer_id is null then 'never_subscribed' when m.mrr > 0 then 'active' else 'churned' end as status,
             count(*)::int as n
      from customers as c left join (${mrrOnDate(AS_OF)}) as m using (customer_id) group by 1 order by 1`);
    const mart = await warehouse(dir, 'select customer_status as status, count(*)::int as n from "PLATINUM".dim_customer_360 group by 1 order by 1');
    expect(mart).toEqual(ledger);
    expect(mart).toEqual([{ status: 'active', n: 272 }, { status: 'churned', n: 28 }]);
  });

  it('adoptions, completions and certifications per framework', async () => {
    const ledger = await seedQuery(`
      select f.framework_name, count(*)::int as adoptions,
             count(*) filter (where a.status in ('completed', 'certified'))::int as completed,
             count(*) filter (where a.status = 'certified')::int as certified
      from adoptions as a join frameworks as f using (framework_id) group by 1 order by 1`);
    const mart = await warehouse(dir, `
      select framework_name, count(*)::int as adoptions, count(*) filter (where is_completed)::int as completed,
             count(*) filter (where is_certified)::int as certified
      from "PLATINUM".fct_framework_adoptions group by 1 order by 1`);
    expect(ledger).toHaveLength(8);
    expect(mart).toEqual(ledger);
  });

  it('activity automation rate is 55.37 %, and success and evidence rates match', async () => {
    const [ledger] = await seedQuery(`
      select round(100.0 * count(*) filter (where automated_flag) / count(*), 2)::varchar as automation,
             round(100.0 * count(*) filter (where success_flag) / count(*), 2)::varchar as success,
             round(100.0 * count(*) filter (where evidence_collected) / count(*), 2)::varchar as evidence
      from activities`);
    const [mart] = await warehouse(dir, `
      select round(100.0 * count(*) filter (where is_automated) / count(*), 2)::varchar as automation,
             round(100.0 * count(*) filter (where is_successful) / count(*), 2)::varchar as success,
             round(100.0 * count(*) filter (where is_evidence_collected) / count(*), 2)::varchar as evidence
      from "PLATINUM".fct_compliance_activities`);
    expect(ledger?.['automation']).toBe('55.37');
    expect(mart).toEqual(ledger);
  });

  it('average time to compliance, overall and per framework', async () => {
    const ledger = await seedQuery(`
      select coalesce(f.framework_name, 'all') as framework, round(avg(cast(a.completion_date as date) - cast(a.start_date as date)), 4)::varchar as days
      from adoptions as a join frameworks as f using (framework_id)
      where a.completion_date is not null group by rollup (f.framework_name) order by 1`);
    const mart = await warehouse(dir, `
      select coalesce(framework_name, 'all') as framework, round(avg(days_to_compliance), 4)::varchar as days
      from "PLATINUM".fct_framework_adoptions where days_to_compliance is not null group by rollup (framework_name) order by 1`);
    expect(ledger).toHaveLength(9);
    expect(mart).toEqual(ledger);
  });
});

describe('rebuilding', () => {
  it('a second build runs the incremental models incrementally and changes nothing; --full-refresh agrees', async () => {
    const second = await buildDir(dir, { threads: 4 });
    expect(Object.values(statusOf(second)).filter((s) => s !== 'success')).toEqual([]);
    for (const model of INCREMENTAL_MODELS) expect(second.find((r) => r.name === model)?.mode).toBe('incremental');
    expect(await relationCounts(dir)).toEqual(firstCounts);
    expect(await allContents(dir)).toEqual(fullContents);

    const refreshed = await buildDir(dir, { threads: 4, fullRefresh: true });
    for (const model of INCREMENTAL_MODELS) expect(refreshed.find((r) => r.name === model)?.mode).toBe('full');
    expect(await relationCounts(dir)).toEqual(firstCounts);
    expect(await allContents(dir)).toEqual(fullContents);
  });

  it('rolling the as-of date forward from 2024-06-30 incrementally gives the same tables as a full build', async () => {
    const rolled = showcaseCopy();
    const early = await buildDir(rolled, { threads: 4, vars: { as_of_date: '2024-06-30' } });
    expect(Object.values(statusOf(early)).filter((s) => s !== 'success')).toEqual([]);
    const [mid] = await queryWarehouse(rolled, 'select max(month_start)::varchar as last_month, sum(arr) filter (where month_end = date \'2024-06-30\')::varchar as arr from "PLATINUM".fct_mrr_monthly', DB_FILE);
    expect(mid).toEqual({ last_month: '2024-06-01', arr: PINNED_ARR['2024-06-30'] });

    const later = await buildDir(rolled, { threads: 4 });
    for (const model of INCREMENTAL_MODELS) expect(later.find((r) => r.name === model)?.mode).toBe('incremental');
    expect(await allContents(rolled)).toEqual(fullContents);
  });
});

// The showcase warehouse, built once with its contracts, as `charter build` does, and checked three ways:
// - its headline figures: every figure the PLATINUM marts give is recomputed here with plain DuckDB SQL straight on
//   the seed CSV files (never through the models), then also pinned to the values the data generator's author
//   computed independently;
// - its data contracts (contracts/**/*.yml): every model matches its declared columns, every contract test and SLO
//   passes, and a second build measures drift against the first one's baselines;
// - rebuilding: incrementally, with rows arriving late, and rolling the as-of date forward, the tables always equal
//   a full build's.
//
// ARR on a date = 12 x the MRR in force on it, where a customer's MRR is the mrr_amount of their latest
// subscription event on or before the date (0 after churn). Event amounts are never summed over time.

import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ask } from '../../src/pipeline/ask.js';
import type { RunResults } from '../../src/pipeline/finish-run.js';
import { semanticQuery } from '../../src/pipeline/semantic-query.js';
import { ALL_MODELS, MODELS, appendToGzipCsv, openShowcaseWarehouse, describeSlo, describeTest, modelOf, notPassing, removeShowcaseCopies, showcaseCopy, showcaseQuery as warehouse } from '../helpers/showcase.js';
import type { NodeResult } from '../../src/execute/node-result.js';
import { buildDir, buildWithContracts, statusOf } from '../helpers/warehouse.js';
import { describeSeedQuestions, mrrOnDate, openReference } from './questions.js';
import { describeMetricDefinitions } from './metric-definitions.js';

const AS_OF = '2024-12-31';
const QUARTER_ENDS = ['2023-12-31', '2024-03-31', '2024-06-30', '2024-09-30', '2024-12-31'] as const;
const INCREMENTAL_MODELS = ['fct_mrr_monthly', 'fct_compliance_activities'] as const;

/** The generator author's figures (computed outside charter and outside this file's SQL). */
const PINNED_ARR: Record<(typeof QUARTER_ENDS)[number], string> = {
  '2023-12-31': '13820596.20',
  '2024-03-31': '15492063.84',
  '2024-06-30': '16436684.16',
  '2024-09-30': '17843298.00',
  '2024-12-31': '20356382.04',
};


/** Row count of every relation charter built, by "SCHEMA.name". */
async function relationCounts(dir: string): Promise<Record<string, number>> {
  const relations = await warehouse(
    dir,
    "select table_schema as s, table_name as t from information_schema.tables where table_catalog = 'phantom_sec' " +
      // charter's own bookkeeping (OPS.charter_*: baselines, late-arrival watermarks) is not the warehouse's data.
      "and table_schema in ('BRONZE', 'SILVER', 'PLATINUM', 'OPS') and table_name not like 'charter\\_%' escape '\\' " +
      // A protected model's rows are under its physical name, and counted through its public view.
      "and table_name not like '%\\_\\_charter\\_physical' escape '\\' order by 1, 2",
  );
  const union = relations.map((r) => `select '${r['s']}.${r['t']}' as rel, count(*)::int as n from "${r['s']}"."${r['t']}"`).join(' union all ');
  const rows = await warehouse(dir, `${union} order by 1`);
  return Object.fromEntries(rows.map((r) => [String(r['rel']), Number(r['n'])]));
}

/** Row count and an order-independent digest of a PLATINUM table's full contents: the sum of its rows' hashes. */
async function contents(dir: string, model: string): Promise<{ n: number; digest: string }> {
  const [row] = await warehouse(
    dir,
    `select count(*)::int as n, sum(hash(t))::varchar as digest from "PLATINUM".${model} as t`,
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
/** The build as of 2024-06-30 that `first` rolls forward to the as-of date. */
let early: NodeResult[];
let earlyFigures: Record<string, unknown> | undefined;
let first: RunResults;
let firstCounts: Record<string, number>;
let firstContents: Record<string, { n: number; digest: string }>;

beforeAll(async () => {
  reference = await openReference();
  dir = showcaseCopy({ contracts: true, semanticViews: true });
  // Built first as of mid-2024, then rolled forward to the as-of date: every check reads a warehouse whose
  // incremental models were brought up to date incrementally, and 'rebuilding' compares it with a full refresh.
  early = await buildDir(dir, { threads: 4, vars: { as_of_date: '2024-06-30' } });
  [earlyFigures] = await warehouse(dir, `select max(month_start)::varchar as last_month,
    sum(arr) filter (where month_end = date '2024-06-30')::varchar as arr from "PLATINUM".fct_mrr_monthly`);
  first = await buildWithContracts(dir, { threads: 4 });
  firstCounts = await relationCounts(dir);
  firstContents = await allContents(dir);
});

afterAll(() => {
  reference?.closeSync();
  removeShowcaseCopies();
});

describe('the showcase build', () => {
  it('protects the models with pii columns: their rows under a private name, a masking view under the public one', async () => {
    const protectedOnes = await warehouse(dir, "select table_schema || '.' || table_name as rel, table_type from information_schema.tables where table_catalog = 'phantom_sec' and (table_name like '%charter_physical' or table_name in ('brz_customers', 'stg_customers', 'dim_customer_360', 'brz_phi_incidents', 'stg_phi_incidents', 'fct_phi_incidents')) order by 1");
    expect(protectedOnes).toEqual([
      { rel: 'BRONZE.brz_customers', table_type: 'VIEW' },
      { rel: 'BRONZE.brz_customers__charter_physical', table_type: 'VIEW' },
      { rel: 'BRONZE.brz_phi_incidents', table_type: 'VIEW' },
      { rel: 'BRONZE.brz_phi_incidents__charter_physical', table_type: 'VIEW' },
      { rel: 'PLATINUM.dim_customer_360', table_type: 'VIEW' },
      { rel: 'PLATINUM.dim_customer_360__charter_physical', table_type: 'BASE TABLE' },
      { rel: 'PLATINUM.fct_phi_incidents', table_type: 'VIEW' },
      { rel: 'PLATINUM.fct_phi_incidents__charter_physical', table_type: 'BASE TABLE' },
      { rel: 'SILVER.stg_customers', table_type: 'VIEW' },
      { rel: 'SILVER.stg_customers__charter_physical', table_type: 'BASE TABLE' },
      { rel: 'SILVER.stg_phi_incidents', table_type: 'VIEW' },
      { rel: 'SILVER.stg_phi_incidents__charter_physical', table_type: 'BASE TABLE' },
    ]);
  });

  it('builds every layer, with the seeds loaded whole', () => {
    const failed = first.nodes.filter((n) => n.status !== 'success');
    expect(failed.map((n) => `${n.name}: ${n.status} ${n.error?.message ?? n.skippedBecause ?? ''}\n${n.error?.detail ?? ''}`)).toEqual([]);
    expect(first.nodes.filter((n) => n.kind === 'model').map((n) => n.name).sort()).toEqual([...ALL_MODELS].sort());
    expect(Object.keys(firstCounts)).toHaveLength(6 + 19); // seeds + models (6 bronze, 6 silver, 6 platinum, 1 ops)
    expect(firstCounts).toMatchObject({
      'BRONZE.dim_customers': 300,
      'BRONZE.dim_compliance_frameworks': 8,
      'BRONZE.fact_subscription_events': 746,
      'BRONZE.fact_framework_adoptions': 1114,
      'BRONZE.fact_compliance_activities': 100000,
      'BRONZE.fact_phi_incidents': 1111,
      'BRONZE.brz_customers': 300,
      'SILVER.stg_customers': 300,
      'SILVER.stg_subscription_events': 746,
      'SILVER.stg_compliance_activities': 100000,
      'PLATINUM.dim_customer_360': 300,
      'PLATINUM.fct_framework_adoptions': 1114,
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
  it(`ARR at ${AS_OF} is $20,356,382.04 (MRR $1,696,365.17) in every mart`, async () => {
    const ledger = await ledgerArr(AS_OF);
    expect(ledger).toEqual({ arr: '20356382.04', mrr: '1696365.17', active: 270 });

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

  it(`active customers by segment at ${AS_OF}: 270 (startup 129, mid_market 104, enterprise 37)`, async () => {
    const ledger = await seedQuery(`
      select c.segment, count(*)::int as n from (${mrrOnDate(AS_OF)}) as m join customers as c using (customer_id)
      where m.mrr > 0 group by 1 order by 1`);
    const mart = await warehouse(dir, `select segment, count(*)::int as n from "PLATINUM".dim_customer_360 where customer_status = 'active' group by 1 order by 1`);
    const monthly = await warehouse(dir, `select c.segment, count(*)::int as n from "PLATINUM".fct_mrr_monthly as m
      join "PLATINUM".dim_customer_360 as c using (customer_id) where m.month_end = date '${AS_OF}' and m.is_active group by 1 order by 1`);
    expect(ledger).toEqual([
      { segment: 'enterprise', n: 37 },
      { segment: 'mid_market', n: 104 },
      { segment: 'startup', n: 129 },
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
    expect(mart).toEqual([{ status: 'active', n: 270 }, { status: 'churned', n: 30 }]);
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

  it('activity automation rate is 55.63 %, and success and evidence rates match', async () => {
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
    expect(ledger?.['automation']).toBe('55.63');
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

// ---- the contracts ----------------------------------------------------------------------------------------

describe('the showcase contracts on the generated data', () => {
  it('pass every contract test', () => {
    const bad = notPassing(first.tests);
    expect(bad.length, `tests not passing:\n${bad.map(describeTest).join('\n')}`).toBe(0);
    expect(first.tests.length).toBeGreaterThan(300);
  });

  it('meet every SLO', () => {
    const bad = notPassing(first.slos);
    expect(bad.length, `SLOs not met:\n${bad.map(describeSlo).join('\n')}`).toBe(0);
  });

  it('govern every model of every layer with tests', () => {
    const tested = new Set(first.tests.map((t) => modelOf(t.modelId)));
    expect(ALL_MODELS.filter((m) => !tested.has(m))).toEqual([]);
    for (const model of [...MODELS.silver, ...MODELS.platinum]) {
      const kinds = new Set(first.tests.filter((t) => modelOf(t.modelId) === model).map((t) => t.kind));
      expect([...kinds], model).toEqual(expect.arrayContaining(['row_count', 'expression']));
      expect(first.slos.some((s) => modelOf(s.modelId) === model), `${model} has SLOs`).toBe(true);
    }
  });

  it('use every kind of test and SLO', () => {
    const count = (kind: string) => first.tests.filter((t) => t.kind === kind).length;
    for (const kind of ['primary_key', 'not_null', 'unique', 'unique_combination', 'relationships', 'accepted_values', 'expression', 'range', 'row_count']) {
      expect(count(kind), `tests of kind ${kind}`).toBeGreaterThan(0);
    }
    const sloKinds = new Set(first.slos.map((s) => s.kind));
    expect([...sloKinds].sort()).toEqual(['completeness', 'drift', 'freshness', 'volume']);
  });

  it('check referential integrity of every customer, framework and adoption key', () => {
    const relationships = first.tests.filter((t) => t.kind === 'relationships').map((t) => `${modelOf(t.modelId)}.${t.column}`);
    expect(relationships).toEqual(
      expect.arrayContaining([
        'stg_subscription_events.customer_id',
        'stg_framework_adoptions.customer_id',
        'stg_framework_adoptions.framework_id',
        'stg_compliance_activities.customer_id',
        'stg_compliance_activities.framework_id',
        'stg_compliance_activities.adoption_id',
        'fct_compliance_activities.adoption_id',
        'fct_mrr_monthly.customer_id',
        'dim_customer_360.customer_id',
      ]),
    );
  });

  it('measure freshness against the data as-of date, and drift on MRR, activity duration and activity type', () => {
    const freshness = first.slos.filter((s) => s.kind === 'freshness');
    expect(freshness.length).toBeGreaterThan(0);
    for (const s of freshness) expect(s.threshold, s.id).toContain('as of 2024-12-31');
    const drift = first.slos.filter((s) => s.kind === 'drift').map((s) => `${modelOf(s.modelId)}.${s.column}`);
    expect(drift).toEqual(
      expect.arrayContaining([
        'fct_mrr_monthly.mrr',
        'stg_subscription_events.mrr_amount',
        'fct_compliance_activities.duration_minutes',
        'fct_compliance_activities.activity_type',
      ]),
    );
  });
});

// Before 'rebuilding', which plants late rows.
describeSeedQuestions(AS_OF, async () => {
  const open = await openShowcaseWarehouse(dir);
  return { marts: open.query, seeds: seedQuery, close: open.close };
});
describeMetricDefinitions(() => ({ dir }));

// ---- rebuilding -------------------------------------------------------------------------------------------

const ARR_2024 = `select calendar_quarter, sum(arr)::varchar as arr from "PLATINUM".fct_arr_quarterly where calendar_quarter like '2024%' group by 1 order by 1`;
const ACTIVITIES = 'select count(*)::int as n, max(activity_id) as last_id from "PLATINUM".fct_compliance_activities';

describe('the semantic views on the built warehouse (before rebuilding changes it)', () => {
  // ADMIN reads every customer and segment: the customers table is dim_customer_360, under row access.
  const financial = (request: { metrics: string[]; dimensions: string[]; where?: string }) =>
    semanticQuery({ projectDir: dir, view: 'financial', role: 'ADMIN', ...request });
  const dollars = (value: string | number): string => `$${Number(value).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

  it('ask: "What was our total ARR in Q4 2024?" is the ARR at 2024-12-31 computed from the seed files, and rewordings agree', async () => {
    const expected = `Total ARR in Q4 2024: ${dollars((await ledgerArr('2024-12-31')).arr)}.`;
    expect(expected).toBe('Total ARR in Q4 2024: $20,356,382.04.');
    for (const question of ['What was our total ARR in Q4 2024?', 'total ARR for 2024 Q4', 'Total annual recurring revenue in Q4 of 2024?']) {
      const answer = await ask({ projectDir: dir, question });
      expect(answer.sentence, question).toBe(expected);
      expect(answer.answered && answer.sql, question).toMatch(/QUALIFY/);
    }
    const declined = await ask({ projectDir: dir, question: 'What will the weather be on Friday?' });
    expect([declined.answered, /\d/.test(declined.sentence)]).toEqual([false, false]);
  });

  it('ARR by segment at each 2024 quarter end adds up to the ledger ARR, quarter by quarter', async () => {
    const { rows } = await financial({ metrics: ['total_arr'], dimensions: ['snapshot_quarter', 'segment'], where: "snapshot_quarter >= '2024-01-01'" });
    const byQuarter = new Map<string, number>();
    for (const [quarter, , arr] of rows) byQuarter.set(String(quarter), (byQuarter.get(String(quarter)) ?? 0) + Number(arr));
    expect([...byQuarter].map(([q, arr]) => [q, arr.toFixed(2)])).toEqual([
      ['2024-01-01', PINNED_ARR['2024-03-31']], ['2024-04-01', PINNED_ARR['2024-06-30']], ['2024-07-01', PINNED_ARR['2024-09-30']], ['2024-10-01', PINNED_ARR['2024-12-31']],
    ]);
  });

  it('without fan-out: customers counted beside monthly ARR rows are counted once each, as dim_customer_360 counts them', async () => {
    const { rows } = await financial({ metrics: ['customer_count', 'total_arr'], dimensions: ['segment'] });
    const plain = await warehouse(dir, 'select segment, count(*)::int as n from "PLATINUM".dim_customer_360__charter_physical group by 1 order by 1');
    expect(rows.map(([segment, n]) => ({ segment, n: Number(n) }))).toEqual(plain);
  });

  it('expansion and churned MRR in 2024: the semantic view, the monthly mart and the quarterly mart agree', async () => {
    const { rows } = await financial({ metrics: ['expansion_mrr', 'churned_mrr'], dimensions: ['snapshot_year'], where: "snapshot_year = '2024-01-01'" });
    const [monthly] = await warehouse(dir, `select sum(expansion_mrr)::varchar as e, sum(churned_mrr)::varchar as c from "PLATINUM".fct_mrr_monthly where month_start >= date '2024-01-01' and month_start < date '2025-01-01'`);
    const [quarterly] = await warehouse(dir, `select sum(expansion_mrr)::varchar as e, sum(churned_mrr)::varchar as c from "PLATINUM".fct_arr_quarterly where calendar_quarter like '2024-%'`);
    const semantic = { e: Number(rows[0]?.[1]).toFixed(2), c: Number(rows[0]?.[2]).toFixed(2) };
    expect(semantic).toEqual({ e: Number(monthly?.['e']).toFixed(2), c: Number(monthly?.['c']).toFixed(2) });
    expect(semantic).toEqual({ e: Number(quarterly?.['e']).toFixed(2), c: Number(quarterly?.['c']).toFixed(2) });
  });
});

describe('retention: the semantic view and both marts agree', () => {
  it('net revenue retention and customer retention over Q4 2024', async () => {
    const { rows } = await semanticQuery({
      projectDir: dir, view: 'financial', role: 'ADMIN', metrics: ['net_revenue_retention', 'customer_retention_rate'], dimensions: ['arr_quarter'],
      where: "arr_quarter = '2024-10-01'",
    });
    const semantic = { nrr: Number(rows[0]?.[1]).toFixed(6), retained: Number(rows[0]?.[2]).toFixed(6) };
    // The quarterly mart: customers paying at the quarter's start, their MRR at its end over their MRR at its start.
    const [quarterly] = await warehouse(dir, `select (sum(mrr) filter (where starting_mrr > 0) / sum(starting_mrr))::double as nrr,
      (count(*) filter (where starting_mrr > 0 and mrr > 0) / count(*) filter (where starting_mrr > 0))::double as retained
      from "PLATINUM".fct_arr_quarterly where calendar_quarter = '2024-Q4'`);
    // The monthly mart: the same customers read off the September and December month ends.
    const [monthly] = await warehouse(dir, `with s as (select customer_id, mrr from "PLATINUM".fct_mrr_monthly where month_start = date '2024-09-01' and mrr > 0),
      e as (select customer_id, mrr from "PLATINUM".fct_mrr_monthly where month_start = date '2024-12-01')
      select (sum(coalesce(e.mrr, 0)) / sum(s.mrr))::double as nrr, (count(*) filter (where e.mrr > 0) / count(*))::double as retained
      from s left join e using (customer_id)`);
    expect(semantic).toEqual({ nrr: Number(quarterly?.['nrr']).toFixed(6), retained: Number(quarterly?.['retained']).toFixed(6) });
    expect(semantic).toEqual({ nrr: Number(monthly?.['nrr']).toFixed(6), retained: Number(monthly?.['retained']).toFixed(6) });
    expect(Number(semantic.nrr)).toBeGreaterThan(0.9);
  });
});

describe('rebuilding', () => {
  it('rolling the as-of date forward from 2024-06-30 incrementally gives the same tables as a full refresh', async () => {
    expect(Object.values(statusOf(early)).filter((s) => s !== 'success')).toEqual([]);
    expect(earlyFigures).toEqual({ last_month: '2024-06-01', arr: PINNED_ARR['2024-06-30'] });
    for (const model of INCREMENTAL_MODELS) expect(first.nodes.find((r) => r.name === model)?.mode, model).toBe('incremental');

    const refreshed = await buildDir(dir, { threads: 4, fullRefresh: true, select: INCREMENTAL_MODELS.map((m) => `${m}+`) });
    for (const model of INCREMENTAL_MODELS) expect(refreshed.find((r) => r.name === model)?.mode, model).toBe('full');
    expect(await relationCounts(dir)).toEqual(firstCounts);
    expect(await allContents(dir)).toEqual(firstContents);
  });

  it('a second build measures drift against the first, passes again, and runs the incremental models incrementally, changing nothing', async () => {
    const second = await buildWithContracts(dir, { threads: 4 });
    expect(second.nodes.filter((n) => n.status !== 'success').map((n) => n.name)).toEqual([]);
    const badTests = notPassing(second.tests);
    expect(badTests.length, `tests not passing:\n${badTests.map(describeTest).join('\n')}`).toBe(0);
    const badSlos = notPassing(second.slos);
    expect(badSlos.length, `SLOs not met:\n${badSlos.map(describeSlo).join('\n')}`).toBe(0);
    expect(second.tests.length).toBe(first.tests.length);

    const drift = second.slos.filter((s) => s.kind === 'drift');
    expect(drift.length).toBeGreaterThanOrEqual(4);
    for (const s of drift) {
      expect(s.detail, s.id).toMatch(/^baseline of \d+ rows/);
      expect(s.measured, s.id).toBe(0);
    }
    const incremental = second.nodes.filter((n) => n.materialized === 'incremental');
    expect(incremental.map((n) => `${n.name}: ${n.mode}`).sort()).toEqual(INCREMENTAL_MODELS.map((m) => `${m}: incremental`).sort());
    expect(await relationCounts(dir)).toEqual(firstCounts);
    expect(await allContents(dir)).toEqual(firstContents);
  });

  it('rows older than the late_arrival window make the incremental models rebuild, and --full-refresh agrees', async () => {
    const before = await warehouse(dir, ARR_2024);
    // A backdated expansion (mid-2024) and a backdated activity: both older than their models' windows. CUST-0186 is
    // a mid-market customer on a 24-month professional contract from 2023-05-04 at $2,528.40 with no later event, so
    // the upsell (x2.08, into the enterprise tier) holds from June on; ADP-00001 is CUST-0002's HIPAA adoption (from
    // 2020-02-05), and the activity a weekday training in its first two weeks.
    appendToGzipCsv(path.join(dir, 'seeds/fact_subscription_events.csv.gz'), 'EVT-09999,CUST-0186,2024-06-10,expansion,enterprise,5265.18,monthly,12,0.00,inside_sales,ach');
    appendToGzipCsv(path.join(dir, 'seeds/fact_compliance_activities.csv.gz'), 'ACT-100001,CUST-0002,4,ADP-00001,2020-02-06,training,network_security,false,60,true,medium,false');
    const rerun = await buildDir(dir, { threads: 4 });
    expect(Object.values(statusOf(rerun)).filter((s) => s !== 'success')).toEqual([]);
    for (const model of INCREMENTAL_MODELS) {
      expect(rerun.find((r) => r.name === model), model).toMatchObject({ mode: 'full', note: expect.stringContaining('late_arrival window') });
    }
    const incremental = { arr: await warehouse(dir, ARR_2024), activities: await warehouse(dir, ACTIVITIES) };
    expect(incremental.activities).toEqual([{ n: 100_001, last_id: 'ACT-100001' }]);
    // The backdated expansion is in force from June 2024 on: the first quarter is as it was, the later ones are not.
    expect(incremental.arr[0]).toEqual(before[0]);
    expect(incremental.arr.slice(1)).not.toEqual(before.slice(1));

    const refreshed = await buildDir(dir, { threads: 4, fullRefresh: true, select: INCREMENTAL_MODELS.map((m) => `${m}+`) });
    for (const model of INCREMENTAL_MODELS) expect(refreshed.find((r) => r.name === model)?.mode, model).toBe('full');
    expect(await warehouse(dir, ARR_2024)).toEqual(incremental.arr);
    expect(await warehouse(dir, ACTIVITIES)).toEqual(incremental.activities);
  });
});

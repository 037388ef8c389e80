// One definition per metric word: the expansion, upsell, churn and retention questions asked of every PLATINUM
// mart that can answer them give one number, the number plain SQL gives on the ledger as loaded
// (BRONZE.fact_subscription_events); every mart carries the as-of date, and "this month" and "last quarter"
// resolve against it. The definitions are stated in README.md ("Metric definitions") and in fct_mrr_monthly's
// and fct_framework_adoptions's contracts. Registered by warehouse.test.ts, on its one build of the showcase.
//
// The marts are compared with each other and with the ledger, never with pinned numbers: the seed data may be
// regenerated.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODELS, openShowcaseWarehouse } from '../helpers/showcase.js';

type Rows = Record<string, unknown>[];

const AS_OF = '2024-12-31';
/** The year the questions ask about, and the month end before it (retention's starting point). */
const YEAR = { start: '2024-01-01', end: '2024-12-31', before: '2023-12-31' };

// Relative time, as README.md defines it: calendar periods resolved against a date column (DuckDB SQL).
const thisMonthStart = (asOf: string) => `cast(date_trunc('month', ${asOf}) as date)`;
/** The latest calendar quarter that has ended on or before the as-of date. */
const lastQuarterStart = (asOf: string) => `cast(date_trunc('quarter', ${asOf} + interval 1 day) - interval 3 month as date)`;
const lastQuarterEnd = (asOf: string) => `cast(date_trunc('quarter', ${asOf} + interval 1 day) - interval 1 day as date)`;

/** The ledger as loaded, up to the as-of date. */
const LEDGER = `(select customer_id, event_id, event_date, event_type, mrr_amount
  from "BRONZE".fact_subscription_events where event_date <= date '${AS_OF}')`;

/**
 * Each customer's MRR at each month end from December 2023 to the as-of month (the as-of date in the as-of
 * month), with the previous month end's and the month's movement amounts: expansion (of which price uplift, the
 * renewals' MRR steps, capped), contraction and churn, as README.md defines them, recomputed on the ledger
 * without the models.
 */
const LEDGER_MONTHS = `(
  with months as (
    select cast(m as date) as month_start, least(cast(last_day(m) as date), date '${AS_OF}') as month_end
    from unnest(generate_series(date '2023-11-01', date '${AS_OF}', interval 1 month)) as t(m)
  ),
  customers as (select distinct customer_id from ${LEDGER}),
  state as (
    select c.customer_id, m.month_start, coalesce(arg_max(l.mrr_amount, l.event_date), 0) as mrr
    from customers as c cross join months as m
    left join ${LEDGER} as l on l.customer_id = c.customer_id and l.event_date <= m.month_end
    group by all
  ),
  steps as (
    select customer_id, cast(date_trunc('month', event_date) as date) as month_start, event_type,
           mrr_amount - lag(mrr_amount, 1, 0) over (partition by customer_id order by event_date, event_id) as step
    from ${LEDGER}
  ),
  uplift as (
    select customer_id, month_start, sum(step) filter (where event_type = 'renewal' and step > 0) as renewal_uplift
    from steps group by all
  ),
  with_prev as (
    select *, lag(mrr) over (partition by customer_id order by month_start) as prev_mrr from state
  )
  select p.customer_id, p.month_start, p.mrr, p.prev_mrr,
         case when p.prev_mrr > 0 and p.mrr > p.prev_mrr then p.mrr - p.prev_mrr else 0 end as expansion,
         case when p.prev_mrr > 0 and p.mrr > p.prev_mrr then least(coalesce(u.renewal_uplift, 0), p.mrr - p.prev_mrr) else 0 end as price_uplift,
         case when p.mrr > 0 and p.mrr < p.prev_mrr then p.prev_mrr - p.mrr else 0 end as contraction,
         case when p.prev_mrr > 0 and p.mrr = 0 then p.prev_mrr else 0 end as churned
  from with_prev as p left join uplift as u using (customer_id, month_start)
  where p.month_start >= date '2023-12-01'
)`;

const inYear = (column: string) => `${column} between date '${YEAR.start}' and date '${YEAR.end}'`;
const money = (sql: string) => `cast(${sql} as decimal(18, 2))::varchar`;

/** Registers the tests; `context` gives the built showcase copy once the file's beforeAll has run. */
export function describeMetricDefinitions(context: () => { dir: string }): void {
  describe('metric definitions: one number per metric word, whichever mart is asked', () => {
    let open: Awaited<ReturnType<typeof openShowcaseWarehouse>> | undefined;
    const q = (sql: string): Promise<Rows> => (open as NonNullable<typeof open>).query(sql);
    const one = async (sql: string): Promise<Record<string, unknown>> => (await q(sql))[0] ?? {};
    beforeAll(async () => {
      open = await openShowcaseWarehouse(context().dir);
    });
    afterAll(() => open?.close());

    it(`every mart carries the as-of date, ${AS_OF}, on every row`, async () => {
      const relations = [...MODELS.platinum.map((m) => `"PLATINUM".${m}`), ...MODELS.ops.map((m) => `"OPS".${m}`)];
      for (const relation of relations) {
        const row = await one(`select count(*)::int as n, count(as_of_date)::int as stamped, count(distinct as_of_date)::int as dates,
          min(as_of_date)::varchar as as_of_date from ${relation}`);
        expect(row['n'], relation).toBeGreaterThan(0);
        expect(row, relation).toEqual({ n: row['n'], stamped: row['n'], dates: 1, as_of_date: AS_OF });
      }
    });

    it("'this month' is the as-of date's calendar month and 'last quarter' the latest quarter ended by it", async () => {
      const resolve = (date: string) =>
        one(`select ${thisMonthStart(date)}::varchar as this_month, ${lastQuarterStart(date)}::varchar as q_start, ${lastQuarterEnd(date)}::varchar as q_end`);
      expect(await resolve(`date '${AS_OF}'`)).toEqual({ this_month: '2024-12-01', q_start: '2024-10-01', q_end: '2024-12-31' });
      // The rule, not the date: mid-quarter, last quarter is the previous one; on a quarter's last day, that quarter.
      expect(await resolve(`date '2024-11-15'`)).toEqual({ this_month: '2024-11-01', q_start: '2024-07-01', q_end: '2024-09-30' });
      expect(await resolve(`date '2024-09-30'`)).toEqual({ this_month: '2024-09-01', q_start: '2024-07-01', q_end: '2024-09-30' });
      // Each mart resolves them from its own as_of_date column to the same periods.
      for (const model of MODELS.platinum) {
        expect(await resolve(`(select max(as_of_date) from "PLATINUM".${model})`), model).toEqual({ this_month: '2024-12-01', q_start: '2024-10-01', q_end: '2024-12-31' });
      }
    });

    it("MRR 'this month' and ARR 'last quarter' are the same in every revenue mart and in the ledger", async () => {
      const monthly = await one(`select ${money('sum(mrr)')} as mrr_this_month from "PLATINUM".fct_mrr_monthly
        where month_start = ${thisMonthStart('as_of_date')}`);
      const customers = await one(`select ${money('sum(current_mrr)')} as mrr_this_month from "PLATINUM".dim_customer_360`);
      const ledger = await one(`select ${money('sum(mrr)')} as mrr_this_month, ${money('12 * sum(mrr)')} as arr
        from ${LEDGER_MONTHS} where month_start = date '2024-12-01'`);
      expect(monthly).toEqual({ mrr_this_month: ledger['mrr_this_month'] });
      expect(customers).toEqual({ mrr_this_month: ledger['mrr_this_month'] });

      const quarterly = await one(`select min(calendar_quarter) as quarter, ${money('sum(arr)')} as arr from "PLATINUM".fct_arr_quarterly
        where quarter_start = ${lastQuarterStart('as_of_date')}`);
      const monthEnd = await one(`select ${money('sum(arr)')} as arr from "PLATINUM".fct_mrr_monthly where month_end = ${lastQuarterEnd('as_of_date')}`);
      expect(quarterly).toEqual({ quarter: '2024-Q4', arr: ledger['arr'] });
      expect(monthEnd).toEqual({ arr: ledger['arr'] });
    });

    it("activities and adoptions 'this month' and 'last quarter' agree with the seed files", async () => {
      const mart = await one(`select
          count(*) filter (where activity_month = ${thisMonthStart('as_of_date')})::int as activities_this_month,
          count(*) filter (where is_high_risk and activity_date between ${lastQuarterStart('as_of_date')} and ${lastQuarterEnd('as_of_date')})::int as high_risk_last_quarter
        from "PLATINUM".fct_compliance_activities`);
      const seed = await one(`select
          count(*) filter (where date_trunc('month', activity_date) = date '2024-12-01')::int as activities_this_month,
          count(*) filter (where risk_level in ('high', 'critical') and activity_date between date '2024-10-01' and date '2024-12-31')::int as high_risk_last_quarter
        from "BRONZE".fact_compliance_activities where activity_date <= date '${AS_OF}'`);
      expect(mart).toEqual(seed);
      expect(Number(seed['high_risk_last_quarter'])).toBeGreaterThan(0);

      const adoptions = await one(`select count(*) filter (where completion_date between ${lastQuarterStart('as_of_date')} and ${lastQuarterEnd('as_of_date')})::int as finished_last_quarter
        from "PLATINUM".fct_framework_adoptions`);
      const seedAdoptions = await one(`select count(*) filter (where completion_date between date '2024-10-01' and date '2024-12-31')::int as finished_last_quarter
        from "BRONZE".fact_framework_adoptions`);
      expect(adoptions).toEqual(seedAdoptions);
    });

    it('how many customers expanded in 2024, and by how much: the monthly and quarterly marts and the ledger agree', async () => {
      const answer = (from: string, customer: string, amount: string, when: string) =>
        one(`select count(distinct ${customer}) filter (where ${amount} > 0)::int as customers_expanded, ${money(`sum(${amount})`)} as expansion_mrr
          from ${from} where ${when}`);
      const monthly = await answer('"PLATINUM".fct_mrr_monthly', 'customer_id', 'expansion_mrr', inYear('month_start'));
      const quarterly = await answer('"PLATINUM".fct_arr_quarterly', 'customer_id', 'expansion_mrr', inYear('quarter_start'));
      const ledger = await answer(LEDGER_MONTHS, 'customer_id', 'expansion', inYear('month_start'));
      expect(Number(ledger['customers_expanded'])).toBeGreaterThan(0);
      expect(monthly).toEqual(ledger);
      expect(quarterly).toEqual(ledger);
      // The monthly movement is the same word: a month is an expansion exactly when it has expansion MRR.
      const [mismatch] = await q(`select count(*)::int as n from "PLATINUM".fct_mrr_monthly where (movement = 'expansion') <> (expansion_mrr > 0)`);
      expect(mismatch).toEqual({ n: 0 });
      // Ever, too: dim_customer_360 counts each customer's expansion months and MRR.
      const everMonthly = await one(`select count(distinct customer_id) filter (where expansion_mrr > 0)::int as customers, count(*) filter (where expansion_mrr > 0)::int as months,
        ${money('sum(expansion_mrr)')} as mrr from "PLATINUM".fct_mrr_monthly`);
      const everCustomers = await one(`select count(*) filter (where expansion_month_count > 0)::int as customers, sum(expansion_month_count)::int as months,
        ${money('sum(total_expansion_mrr)')} as mrr from "PLATINUM".dim_customer_360`);
      expect(everCustomers).toEqual(everMonthly);
    });

    it('expansion is upsell plus price uplift, in the monthly and quarterly marts and in the ledger', async () => {
      const split = (from: string, upsell: string, uplift: string, when: string) =>
        one(`select ${money(`sum(${upsell})`)} as upsell_mrr, ${money(`sum(${uplift})`)} as price_uplift_mrr from ${from} where ${when}`);
      const monthly = await split('"PLATINUM".fct_mrr_monthly', 'upsell_mrr', 'price_uplift_mrr', inYear('month_start'));
      const quarterly = await split('"PLATINUM".fct_arr_quarterly', 'upsell_mrr', 'price_uplift_mrr', inYear('quarter_start'));
      const ledger = await split(LEDGER_MONTHS, 'expansion - price_uplift', 'price_uplift', inYear('month_start'));
      expect(monthly).toEqual(ledger);
      expect(quarterly).toEqual(ledger);
      for (const table of ['fct_mrr_monthly', 'fct_arr_quarterly']) {
        const [bad] = await q(`select count(*)::int as n from "PLATINUM".${table} where expansion_mrr <> upsell_mrr + price_uplift_mrr`);
        expect(bad, table).toEqual({ n: 0 });
      }
    });

    it("how many upsells in 2024, and ever: the ledger's expansion events, in every mart", async () => {
      const ledger = await one(`select count(*) filter (where event_type = 'expansion' and ${inYear('event_date')})::int as upsells_2024,
          count(distinct customer_id) filter (where event_type = 'expansion' and ${inYear('event_date')})::int as customers_2024,
          count(*) filter (where event_type = 'expansion')::int as upsells_ever
        from ${LEDGER}`);
      const answer = (from: string, when: string) =>
        one(`select sum(upsell_count) filter (where ${when})::int as upsells_2024,
            count(distinct customer_id) filter (where ${when} and upsell_count > 0)::int as customers_2024,
            sum(upsell_count)::int as upsells_ever
          from ${from}`);
      expect(Number(ledger['upsells_2024'])).toBeGreaterThan(0);
      expect(await answer('"PLATINUM".fct_mrr_monthly', inYear('month_start'))).toEqual(ledger);
      expect(await answer('"PLATINUM".fct_arr_quarterly', inYear('quarter_start'))).toEqual(ledger);
      const customers = await one(`select sum(upsell_count)::int as upsells_ever from "PLATINUM".dim_customer_360`);
      expect(customers).toEqual({ upsells_ever: ledger['upsells_ever'] });
    });

    it('how many customers churned in 2024, and the MRR lost: every mart and the ledger agree', async () => {
      const ledger = await one(`select count(distinct customer_id) filter (where churned > 0)::int as customers_churned, ${money('sum(churned)')} as churned_mrr
        from ${LEDGER_MONTHS} where ${inYear('month_start')}`);
      const monthly = await one(`select count(distinct customer_id) filter (where movement = 'churn')::int as customers_churned, ${money('sum(churned_mrr)')} as churned_mrr
        from "PLATINUM".fct_mrr_monthly where ${inYear('month_start')}`);
      const quarterly = await one(`select count(distinct customer_id) filter (where churned_mrr > 0)::int as customers_churned, ${money('sum(churned_mrr)')} as churned_mrr
        from "PLATINUM".fct_arr_quarterly where ${inYear('quarter_start')}`);
      const customers = await one(`select count(*) filter (where ${inYear('churn_date')})::int as customers_churned from "PLATINUM".dim_customer_360`);
      expect(Number(ledger['customers_churned'])).toBeGreaterThan(0);
      expect(monthly).toEqual(ledger);
      expect(quarterly).toEqual(ledger);
      expect(customers).toEqual({ customers_churned: ledger['customers_churned'] });
    });

    /** A retention cohort's figures, from its start MRR (cohort), its year's contraction and churn, and its end MRR. */
    const retention = (cohort: string, year: string, final: string): string => `
      with cohort as (${cohort}), year as (${year}), final as (${final})
      select count(*)::int as customers, count(*) filter (where f.end_mrr > 0)::int as retained,
             ${money('sum(c.start_mrr)')} as start_mrr, ${money('sum(coalesce(f.end_mrr, 0))')} as end_mrr,
             ${money('sum(coalesce(y.contraction, 0))')} as contraction, ${money('sum(coalesce(y.churned, 0))')} as churned
      from cohort as c left join year as y using (customer_id) left join final as f using (customer_id)`;

    it('retention over 2024 (customer, net and gross revenue retention) is the same from every mart that can answer it and from the ledger', async () => {
      // The cohort: customers with MRR > 0 at the end of 2023. Their number and MRR then and at the end of 2024,
      // and their contraction and churn in 2024's months.
      const ledger = await one(retention(`select customer_id, mrr as start_mrr from ${LEDGER_MONTHS} where month_start = date '2023-12-01' and mrr > 0`, `select customer_id, sum(contraction) as contraction, sum(churned) as churned from ${LEDGER_MONTHS} where ${inYear('month_start')} group by 1`, `select customer_id, mrr as end_mrr from ${LEDGER_MONTHS} where month_start = date '2024-12-01'`));
      const monthly = await one(retention(`select customer_id, mrr as start_mrr from "PLATINUM".fct_mrr_monthly where month_end = date '${YEAR.before}' and mrr > 0`, `select customer_id, sum(contraction_mrr) as contraction, sum(churned_mrr) as churned from "PLATINUM".fct_mrr_monthly where ${inYear('month_start')} group by 1`, `select customer_id, mrr as end_mrr from "PLATINUM".fct_mrr_monthly where month_end = date '${YEAR.end}'`));
      const quarterly = await one(retention(`select customer_id, starting_mrr as start_mrr from "PLATINUM".fct_arr_quarterly where quarter_start = date '${YEAR.start}' and starting_mrr > 0`, `select customer_id, sum(contraction_mrr) as contraction, sum(churned_mrr) as churned from "PLATINUM".fct_arr_quarterly where ${inYear('quarter_start')} group by 1`, `select customer_id, mrr as end_mrr from "PLATINUM".fct_arr_quarterly where quarter_end = date '${YEAR.end}'`));
      // dim_customer_360 knows who was subscribed and who churned when, so it answers customer retention.
      const customers = await one(`select count(*)::int as customers, count(*) filter (where is_active)::int as retained
        from "PLATINUM".dim_customer_360
        where first_subscription_date <= date '${YEAR.before}' and (churn_date is null or churn_date > date '${YEAR.before}')`);

      expect(Number(ledger['customers'])).toBeGreaterThan(0);
      expect(Number(ledger['churned'])).toBeGreaterThan(0);
      expect(monthly).toEqual(ledger);
      expect(quarterly).toEqual(ledger);
      expect(customers).toEqual({ customers: ledger['customers'], retained: ledger['retained'] });

      // NRR from the bridge equals NRR from the two snapshots: the cohort's movements close on its end MRR.
      const bridge = await one(`
        with cohort as (select customer_id from "PLATINUM".fct_mrr_monthly where month_end = date '${YEAR.before}' and mrr > 0)
        select ${money('sum(expansion_mrr + reactivation_mrr - contraction_mrr - churned_mrr)')} as net_change
        from "PLATINUM".fct_mrr_monthly join cohort using (customer_id) where ${inYear('month_start')}`);
      const start = Number(ledger['start_mrr']);
      expect(start + Number(bridge['net_change'])).toBeCloseTo(Number(ledger['end_mrr']), 2);
      const grr = (start - Number(ledger['contraction']) - Number(ledger['churned'])) / start;
      const nrr = Number(ledger['end_mrr']) / start;
      expect(grr).toBeGreaterThan(0);
      expect(grr).toBeLessThanOrEqual(1);
      expect(nrr).toBeGreaterThanOrEqual(grr);
    });

    it('hours saved: realised and projected are told apart the same way in the adoptions mart, the customer 360 and the seed file', async () => {
      const mart = await one(`select sum(realised_hours_saved)::bigint as realised, sum(projected_hours_saved)::bigint as projected,
          sum(hours_saved)::bigint as recorded, count(*) filter (where is_hours_saved_projected <> is_active)::int as misflagged
        from "PLATINUM".fct_framework_adoptions`);
      const customers = await one(`select sum(realised_hours_saved)::bigint as realised, sum(projected_hours_saved)::bigint as projected from "PLATINUM".dim_customer_360`);
      const seed = await one(`select sum(hours_saved) filter (where status <> 'active')::bigint as realised, sum(hours_saved) filter (where status = 'active')::bigint as projected,
          sum(hours_saved)::bigint as recorded, 0 as misflagged
        from "BRONZE".fact_framework_adoptions where start_date <= date '${AS_OF}'`);
      expect(mart).toEqual({ ...seed, misflagged: 0 });
      expect(customers).toEqual({ realised: seed['realised'], projected: seed['projected'] });
    });

    it('time to compliance covers finished adoptions only, and on time is against the maturity-adjusted target', async () => {
      const mart = await q(`select compliance_maturity, count(days_to_compliance)::int as finished, round(avg(days_to_compliance), 4)::varchar as avg_days,
          count(*) filter (where is_on_time)::int as on_time, count(*) filter (where is_within_framework_typical_duration)::int as within_typical
        from "PLATINUM".fct_framework_adoptions group by 1 order by 1`);
      const seed = await q(`select c.compliance_maturity, count(a.completion_date)::int as finished, round(avg(a.completion_date - a.start_date), 4)::varchar as avg_days,
          count(*) filter (where a.completion_date - a.start_date <= round(f.avg_completion_days * case c.compliance_maturity
            when 'advanced' then 0.8 when 'intermediate' then 1.0 when 'beginner' then 1.3 end))::int as on_time,
          count(*) filter (where a.completion_date - a.start_date <= f.avg_completion_days)::int as within_typical
        from "BRONZE".fact_framework_adoptions as a join "BRONZE".dim_customers as c using (customer_id)
        join "BRONZE".dim_compliance_frameworks as f using (framework_id)
        where a.start_date <= date '${AS_OF}' group by 1 order by 1`);
      expect(seed).toHaveLength(3);
      expect(mart).toEqual(seed);
      // Against the target the data was planned by, every maturity finishes on time about as often.
      for (const row of mart) {
        const share = Number(row['on_time']) / Number(row['finished']);
        expect(share, String(row['compliance_maturity'])).toBeGreaterThan(0.25);
        expect(share, String(row['compliance_maturity'])).toBeLessThan(0.75);
      }
    });
  });
}

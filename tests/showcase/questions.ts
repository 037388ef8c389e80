// The 25 business questions of the showcase's source documents (../shared/seeds/: the specification's nine
// "mock problem statements" and ten "sample demo queries", the POC log's five test questions, and the key
// requirement's "What was the ARR in Jan 2025?"). Each is either answered two ways, from the PLATINUM marts and
// with plain SQL straight on the seed files, which must agree, or declined, with the reason and the fact the reason
// rests on checked. Registered by warehouse.test.ts, on its one build of the showcase.
//
// Relative time resolves against the as-of date (var as_of_date, 2024-12-31): "this month" is the calendar month
// that contains it, "last quarter" the last calendar quarter that has ended on or before it (2024-Q4).
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/project.js';

type Rows = Record<string, unknown>[];

/** Each customer's MRR on a date in the seed ledger (table events): mrr_amount of their latest event on or before it. */
export const mrrOnDate = (date: string): string => `
  select customer_id, arg_max(mrr_amount, event_date) as mrr
  from events where event_date <= date '${date}' group by customer_id`;

export interface QuestionContext {
  /** Rows of a query on the built warehouse (schemas "PLATINUM", ...). */
  readonly marts: (sql: string) => Promise<Rows>;
  /** Rows of a query on the seed files, loaded as tables customers, frameworks, events, adoptions and activities. */
  readonly seeds: (sql: string) => Promise<Rows>;
}

interface Answered {
  readonly question: string;
  readonly source: string;
  /** How the question is read, where the words allow more than one reading. */
  readonly reading?: string;
  readonly marts: string;
  readonly seeds: string;
  /** Extra facts about the answer (beyond the two agreeing). */
  readonly check?: (rows: Rows) => void;
}

interface Declined {
  readonly question: string;
  readonly source: string;
  readonly decline: string;
  /** Checks the fact the decline rests on. */
  readonly evidence: (context: QuestionContext) => Promise<void>;
}

type Question = Answered | Declined;

const SPEC_PROBLEMS = '001 mock problem statements';
const SPEC_DEMO = '001 sample demo queries';
const POC = '000 POC test questions';
const KEY = '001 key requirement';

const PLATINUM_COLUMNS = `select table_name, column_name from information_schema.columns where table_schema = 'PLATINUM'`;

/** Each customer's MRR on a date in the ledger, as a subquery. */
const ledgerMrr = (date: string) => `(${mrrOnDate(date)})`;

/** Finished adoptions with their days to compliance, segment and framework, from the seed files. */
const seedAdoptions = `(select a.*, f.framework_name, c.segment, c.industry, c.compliance_maturity,
    cast(a.completion_date as date) - cast(a.start_date as date) as days
  from adoptions as a join frameworks as f using (framework_id) join customers as c using (customer_id))`;

const martAdoptions = `(select a.*, c.segment, c.industry, c.compliance_maturity
  from "PLATINUM".fct_framework_adoptions as a join "PLATINUM".dim_customer_360 as c using (customer_id))`;

const seedActivities = `(select x.*, f.framework_name, c.segment, c.industry, c.compliance_maturity
  from activities as x join frameworks as f using (framework_id) join customers as c using (customer_id))`;

const martActivities = `(select x.*, c.segment, c.industry, c.compliance_maturity
  from "PLATINUM".fct_compliance_activities as x join "PLATINUM".dim_customer_360 as c using (customer_id))`;

export function seedQuestions(asOf: string): Question[] {
  const month = `cast(date_trunc('month', date '${asOf}') as date)`;
  const lastQuarter = { start: `date '2024-10-01'`, end: `date '${asOf}'` };
  return [
    // ---- the specification's mock problem statements -------------------------------------------------------
    {
      question: 'What was our ARR growth by customer segment in Q4 2024?',
      source: SPEC_PROBLEMS,
      reading: 'ARR at the end of Q4 against ARR at its start (2024-09-30), per segment',
      marts: `select c.segment, sum(q.starting_arr)::decimal(18, 2)::varchar as arr_start, sum(q.arr)::decimal(18, 2)::varchar as arr_end,
          round(100 * (sum(q.arr) - sum(q.starting_arr)) / sum(q.starting_arr), 2)::double as growth_pct
        from "PLATINUM".fct_arr_quarterly as q join "PLATINUM".dim_customer_360 as c using (customer_id)
        where q.calendar_quarter = '2024-Q4' group by 1 order by 1`,
      seeds: `select c.segment, (12 * sum(coalesce(s.mrr, 0)))::decimal(18, 2)::varchar as arr_start, (12 * sum(coalesce(e.mrr, 0)))::decimal(18, 2)::varchar as arr_end,
          round(100 * (sum(coalesce(e.mrr, 0)) - sum(coalesce(s.mrr, 0))) / sum(coalesce(s.mrr, 0)), 2)::double as growth_pct
        from customers as c left join ${ledgerMrr('2024-09-30')} as s using (customer_id) left join ${ledgerMrr(asOf)} as e using (customer_id)
        group by 1 order by 1`,
      check: (rows) => expect(rows).toHaveLength(3),
    },
    {
      question: 'Which compliance frameworks are driving the highest customer retention?',
      source: SPEC_PROBLEMS,
      reading: 'of the customers who adopted a framework, the share still subscribed at the as-of date, per framework',
      marts: `select a.framework_name, count(distinct a.customer_id)::int as customers,
          round(100.0 * count(distinct case when c.is_active then a.customer_id end) / count(distinct a.customer_id), 2)::double as retained_pct
        from "PLATINUM".fct_framework_adoptions as a join "PLATINUM".dim_customer_360 as c using (customer_id)
        group by 1 order by retained_pct desc, 1`,
      seeds: `select f.framework_name, count(distinct a.customer_id)::int as customers,
          round(100.0 * count(distinct case when m.mrr > 0 then a.customer_id end) / count(distinct a.customer_id), 2)::double as retained_pct
        from adoptions as a join frameworks as f using (framework_id) left join ${ledgerMrr(asOf)} as m using (customer_id)
        group by 1 order by retained_pct desc, 1`,
      check: (rows) => expect(rows).toHaveLength(8),
    },
    {
      question: 'How does time-to-compliance vary across enterprise vs startup customers?',
      source: SPEC_PROBLEMS,
      reading: 'average days from start to completion over finished adoptions (active ones have no time to compliance yet)',
      marts: `select segment, count(*)::int as finished, round(avg(days_to_compliance), 2)::double as avg_days
        from ${martAdoptions} where days_to_compliance is not null and segment in ('enterprise', 'startup') group by 1 order by 1`,
      seeds: `select segment, count(*)::int as finished, round(avg(days), 2)::double as avg_days
        from ${seedAdoptions} where completion_date is not null and segment in ('enterprise', 'startup') group by 1 order by 1`,
      check: (rows) => expect(rows).toHaveLength(2),
    },
    {
      question: "What's the average ROI our customers achieve by framework type?",
      source: SPEC_PROBLEMS,
      decline:
        'ROI needs the money a framework returns; the data has implementation cost and hours saved, but no value for an hour saved, no revenue or loss avoided, so any ROI would be an invented rate',
      evidence: async ({ marts }) => {
        const columns = await marts(PLATINUM_COLUMNS);
        expect(columns.filter((c) => /roi|return|hourly|rate_usd|value_usd|benefit/i.test(String(c['column_name'])))).toEqual([]);
        expect(columns.some((c) => c['column_name'] === 'implementation_cost')).toBe(true);
      },
    },
    {
      question: 'Which integrations correlate with fastest compliance achievement?',
      source: SPEC_PROBLEMS,
      decline: 'the data has no integrations: no table or column records which tools a customer connected',
      evidence: async ({ marts, seeds }) => {
        expect((await marts(PLATINUM_COLUMNS)).filter((c) => /integration|connector/i.test(`${c['table_name']} ${c['column_name']}`))).toEqual([]);
        const seedColumns = await seeds(`select column_name from (describe customers) union all select column_name from (describe adoptions)`);
        expect(seedColumns.filter((c) => /integration|connector/i.test(String(c['column_name'])))).toEqual([]);
      },
    },
    {
      question: 'How many security questionnaires were automated this month?',
      source: SPEC_PROBLEMS,
      reading: 'questionnaire activities with the automated flag, in the calendar month of the as-of date',
      marts: `select activity_month::varchar as month, count(*) filter (where is_automated)::int as automated, count(*)::int as questionnaires
        from "PLATINUM".fct_compliance_activities where activity_type = 'questionnaire' and activity_month = ${month} group by 1`,
      seeds: `select ${month}::varchar as month, count(*) filter (where automated_flag)::int as automated, count(*)::int as questionnaires
        from activities where activity_type = 'questionnaire' and date_trunc('month', activity_date) = ${month}`,
      check: (rows) => expect(Number(rows[0]?.['automated'])).toBeGreaterThan(0),
    },
    {
      question: 'Which customer segments have the highest compliance framework adoption rates?',
      source: SPEC_PROBLEMS,
      reading: 'frameworks adopted per customer, over every customer of the segment',
      marts: `select segment, count(*)::int as customers, round(avg(coalesce(frameworks_adopted_count, 0)), 3)::double as frameworks_per_customer
        from "PLATINUM".dim_customer_360 group by 1 order by frameworks_per_customer desc`,
      seeds: `select c.segment, count(*)::int as customers, round(avg(coalesce(n, 0)), 3)::double as frameworks_per_customer
        from customers as c left join (select customer_id, count(distinct framework_id) as n from adoptions group by 1) using (customer_id)
        group by 1 order by frameworks_per_customer desc`,
    },
    {
      question: "What's the relationship between number of frameworks and customer expansion?",
      source: SPEC_PROBLEMS,
      reading: "Pearson correlation, over customers, between frameworks adopted and upsells (the ledger's expansion events)",
      marts: `select round(corr(coalesce(frameworks_adopted_count, 0), coalesce(upsell_count, 0)), 3)::double as r,
          count(*)::int as customers from "PLATINUM".dim_customer_360`,
      seeds: `select round(corr(coalesce(f.n, 0), coalesce(u.n, 0)), 3)::double as r, count(*)::int as customers
        from customers as c
        left join (select customer_id, count(distinct framework_id) as n from adoptions group by 1) as f using (customer_id)
        left join (select customer_id, count(*) as n from events where event_type = 'expansion' and event_date <= date '${asOf}' group by 1) as u using (customer_id)`,
    },
    {
      question: 'How do audit completion rates vary by industry vertical?',
      source: SPEC_PROBLEMS,
      reading: 'the share of framework adoptions that reached completion (completed or certified) by the as-of date, per industry',
      marts: `select industry, count(*)::int as adoptions, round(100.0 * count(*) filter (where is_completed) / count(*), 2)::double as completed_pct
        from ${martAdoptions} group by 1 order by 1`,
      seeds: `select industry, count(*)::int as adoptions, round(100.0 * count(*) filter (where status in ('completed', 'certified')) / count(*), 2)::double as completed_pct
        from ${seedAdoptions} group by 1 order by 1`,
    },
    // ---- the specification's sample demo queries -----------------------------------------------------------
    {
      question: 'What was our total ARR in Q4 2024?',
      source: SPEC_DEMO,
      reading: 'ARR is a point-in-time figure: ARR at the end of Q4 2024 (12 x the MRR in force on 2024-12-31), never a sum of events',
      marts: `select sum(arr)::decimal(18, 2)::varchar as arr from "PLATINUM".fct_arr_quarterly where calendar_quarter = '2024-Q4'`,
      seeds: `select (12 * sum(mrr))::decimal(18, 2)::varchar as arr from ${ledgerMrr(asOf)}`,
    },
    {
      question: 'Which industry vertical has the highest average compliance automation rate?',
      source: SPEC_DEMO,
      reading: 'the average automation level (%) of framework adoptions, per industry, highest first',
      marts: `select industry, round(avg(automation_level), 2)::double as automation_pct from ${martAdoptions} group by 1 order by 2 desc, 1`,
      seeds: `select industry, round(avg(automation_level), 2)::double as automation_pct from ${seedAdoptions} group by 1 order by 2 desc, 1`,
    },
    {
      question: 'How much time did enterprise customers save on SOC 2 compliance implementations in 2024?',
      source: SPEC_DEMO,
      reading: 'hours saved by enterprise adoptions of SOC 2 (Type I and Type II) finished in 2024; projections for unfinished adoptions excluded',
      marts: `select count(*)::int as adoptions, sum(hours_saved)::bigint as hours_saved from ${martAdoptions}
        where segment = 'enterprise' and framework_name like 'SOC2%' and is_completed and year(completion_date) = 2024`,
      seeds: `select count(*)::int as adoptions, sum(hours_saved)::bigint as hours_saved from ${seedAdoptions}
        where segment = 'enterprise' and framework_name like 'SOC2%' and status in ('completed', 'certified') and year(cast(completion_date as date)) = 2024`,
      check: (rows) => expect(Number(rows[0]?.['hours_saved'])).toBeGreaterThan(0),
    },
    {
      question: "What's the correlation between number of frameworks adopted and customer ARR?",
      source: SPEC_DEMO,
      reading: 'Pearson correlation between frameworks adopted and ARR at the as-of date, over active customers',
      marts: `select round(corr(frameworks_adopted_count, current_arr), 3)::double as r, count(*)::int as customers
        from "PLATINUM".dim_customer_360 where is_active`,
      seeds: `select round(corr(coalesce(f.n, 0), 12 * m.mrr), 3)::double as r, count(*)::int as customers
        from ${ledgerMrr(asOf)} as m left join (select customer_id, count(distinct framework_id) as n from adoptions group by 1) as f using (customer_id)
        where m.mrr > 0`,
    },
    {
      question: 'Which customer segment shows the fastest time-to-compliance for HIPAA?',
      source: SPEC_DEMO,
      reading: 'average days to compliance of finished HIPAA adoptions, per segment, fastest first',
      marts: `select segment, count(*)::int as finished, round(avg(days_to_compliance), 2)::double as avg_days
        from ${martAdoptions} where framework_name = 'HIPAA' and days_to_compliance is not null group by 1 order by avg_days, 1`,
      seeds: `select segment, count(*)::int as finished, round(avg(days), 2)::double as avg_days
        from ${seedAdoptions} where framework_name = 'HIPAA' and completion_date is not null group by 1 order by avg_days, 1`,
    },
    {
      question: 'What percentage of control checks are automated for fintech customers?',
      source: SPEC_DEMO,
      marts: `select count(*)::int as control_checks, round(100.0 * count(*) filter (where is_automated) / count(*), 2)::double as automated_pct
        from ${martActivities} where industry = 'fintech' and activity_type = 'control_check'`,
      seeds: `select count(*)::int as control_checks, round(100.0 * count(*) filter (where automated_flag) / count(*), 2)::double as automated_pct
        from ${seedActivities} where industry = 'fintech' and activity_type = 'control_check'`,
    },
    {
      question: 'How does audit success rate vary by customer compliance maturity level?',
      source: SPEC_DEMO,
      reading: 'the share of audit activities that succeeded, per compliance maturity',
      marts: `select compliance_maturity, count(*)::int as audits, round(100.0 * count(*) filter (where is_successful) / count(*), 2)::double as success_pct
        from ${martActivities} where activity_type = 'audit' group by 1 order by 1`,
      seeds: `select compliance_maturity, count(*)::int as audits, round(100.0 * count(*) filter (where success_flag) / count(*), 2)::double as success_pct
        from ${seedActivities} where activity_type = 'audit' group by 1 order by 1`,
      check: (rows) => expect(rows).toHaveLength(3),
    },
    {
      question: 'Which frameworks require the most remediation activities?',
      source: SPEC_DEMO,
      reading: 'remediation activities per framework, in total and per adoption, most first',
      marts: `select x.framework_name, count(*)::int as remediations, round(count(*) / count(distinct x.adoption_id), 2)::double as per_adoption
        from "PLATINUM".fct_compliance_activities as x where is_remediation group by 1 order by remediations desc, 1`,
      seeds: `select framework_name, count(*)::int as remediations, round(count(*) / count(distinct adoption_id), 2)::double as per_adoption
        from ${seedActivities} where activity_type = 'remediation' group by 1 order by remediations desc, 1`,
    },
    {
      question: "What's the average implementation cost for SOC 2 Type II by customer segment?",
      source: SPEC_DEMO,
      marts: `select segment, count(*)::int as adoptions, avg(implementation_cost)::decimal(18, 2)::varchar as avg_cost
        from ${martAdoptions} where framework_name = 'SOC2_Type_II' group by 1 order by 1`,
      seeds: `select segment, count(*)::int as adoptions, avg(implementation_cost)::decimal(18, 2)::varchar as avg_cost
        from ${seedAdoptions} where framework_name = 'SOC2_Type_II' group by 1 order by 1`,
      check: (rows) => expect(rows).toHaveLength(3),
    },
    {
      question: 'How many high-risk compliance activities occurred in the last quarter?',
      source: SPEC_DEMO,
      reading: 'activities of risk level high or critical, in the last calendar quarter ended on or before the as-of date (2024-Q4)',
      marts: `select count(*)::int as high_risk from "PLATINUM".fct_compliance_activities
        where is_high_risk and activity_date between ${lastQuarter.start} and ${lastQuarter.end}`,
      seeds: `select count(*)::int as high_risk from activities
        where risk_level in ('high', 'critical') and activity_date between ${lastQuarter.start} and ${lastQuarter.end}`,
      check: (rows) => expect(Number(rows[0]?.['high_risk'])).toBeGreaterThan(0),
    },
    // ---- the POC log's test questions ----------------------------------------------------------------------
    {
      question: 'What is our total ARR for 2024?',
      source: POC,
      reading: 'ARR at the end of 2024 (a point-in-time figure; the POC summed the year\'s events instead, which is wrong)',
      marts: `select sum(arr)::decimal(18, 2)::varchar as arr from "PLATINUM".fct_mrr_monthly where month_end = date '${asOf}'`,
      seeds: `select (12 * sum(mrr))::decimal(18, 2)::varchar as arr from ${ledgerMrr(asOf)}`,
    },
    {
      question: "How many customers do we have and what's our total MRR?",
      source: POC,
      reading: 'customers with MRR above zero at the as-of date, and their MRR',
      marts: `select count(*) filter (where is_active)::int as customers, sum(current_mrr)::decimal(18, 2)::varchar as mrr from "PLATINUM".dim_customer_360`,
      seeds: `select count(*) filter (where mrr > 0)::int as customers, sum(mrr)::decimal(18, 2)::varchar as mrr from ${ledgerMrr(asOf)}`,
    },
    {
      question: "What's the total hours saved across all our customers?",
      source: POC,
      reading: 'hours saved by finished adoptions, with the projection for adoptions still under way given apart',
      marts: `select sum(hours_saved) filter (where is_completed)::bigint as realised, sum(hours_saved) filter (where not is_completed)::bigint as projected
        from "PLATINUM".fct_framework_adoptions`,
      seeds: `select sum(hours_saved) filter (where status in ('completed', 'certified'))::bigint as realised,
          sum(hours_saved) filter (where status = 'active')::bigint as projected from adoptions`,
    },
    {
      question: "How many framework adoptions do we have and what's the average automation level?",
      source: POC,
      marts: `select count(*)::int as adoptions, round(avg(automation_level), 2)::double as avg_automation_pct from "PLATINUM".fct_framework_adoptions`,
      seeds: `select count(*)::int as adoptions, round(avg(automation_level), 2)::double as avg_automation_pct from adoptions`,
    },
    {
      question: "What's our average MRR per customer and total compliance activities performed?",
      source: POC,
      reading: 'MRR at the as-of date over active customers; activities on or before the as-of date',
      marts: `select (select avg(current_mrr) from "PLATINUM".dim_customer_360 where is_active)::decimal(18, 2)::varchar as avg_mrr,
          (select count(*) from "PLATINUM".fct_compliance_activities)::int as activities`,
      seeds: `select (select avg(mrr) from ${ledgerMrr(asOf)} where mrr > 0)::decimal(18, 2)::varchar as avg_mrr,
          (select count(*) from activities where activity_date <= date '${asOf}')::int as activities`,
    },
    // ---- the key requirement -------------------------------------------------------------------------------
    {
      question: 'What was the ARR in Jan 2025?',
      source: KEY,
      decline:
        'the data ends on the as-of date, 2024-12-31: January 2025 has not happened in it, and contracts ending in January have no renewal or churn yet, so their ARR could go either way',
      evidence: async ({ marts, seeds }) => {
        const [last] = await marts(`select max(month_start)::varchar as last_month from "PLATINUM".fct_mrr_monthly`);
        expect(last).toEqual({ last_month: '2024-12-01' });
        const [events] = await seeds(`select max(event_date)::varchar as last_event from events`);
        expect(String(events?.['last_event']) <= asOf).toBe(true);
        // The contracts whose outcome January decides: the same count and ARR from the marts and from the ledger.
        const [fromMarts] = await marts(`select count(*)::int as contracts, sum(current_arr)::decimal(18, 2)::varchar as arr
          from "PLATINUM".dim_customer_360 where is_active and current_contract_end_date between date '2025-01-01' and date '2025-01-31'`);
        const [fromSeeds] = await seeds(`select count(*)::int as contracts, (12 * sum(mrr_amount))::decimal(18, 2)::varchar as arr
          from (select customer_id, arg_max(mrr_amount, event_date) as mrr_amount,
                       arg_max(event_date + to_months(contract_length_months), event_date) as contract_end
                from events where event_date <= date '${asOf}' group by 1)
          where mrr_amount > 0 and contract_end between date '2025-01-01' and date '2025-01-31'`);
        expect(fromMarts).toEqual(fromSeeds);
        expect(Number(fromMarts?.['contracts'])).toBeGreaterThan(0);
      },
    },
  ];
}

/** Registers the questions' tests; `connect` is called once they run (after the build), and closed after them. */
export function describeSeedQuestions(asOf: string, connect: () => Promise<QuestionContext & { close(): void }>): void {
  describe('the 25 questions of the seed documents: answered two ways, or declined with the reason checked', () => {
    const questions = seedQuestions(asOf);
    let connected: (QuestionContext & { close(): void }) | undefined;
    const context = (): QuestionContext => connected as QuestionContext;
    beforeAll(async () => {
      connected = await connect();
    });
    afterAll(() => connected?.close());

    it('are all here: 9 mock problem statements, 10 sample demo queries, 5 POC questions and the key requirement', () => {
      const count = (source: string) => questions.filter((q) => q.source === source).length;
      expect([count(SPEC_PROBLEMS), count(SPEC_DEMO), count(POC), count(KEY)]).toEqual([9, 10, 5, 1]);
      expect(new Set(questions.map((q) => q.question)).size).toBe(25);
    });

    for (const q of questions) {
      if ('decline' in q) {
        it(`declines: ${q.question}`, async () => {
          expect(q.decline.length).toBeGreaterThan(40);
          await q.evidence(context());
        });
      } else {
        it(`answers: ${q.question}`, async () => {
          const { marts, seeds } = context();
          const fromMarts = await marts(q.marts);
          expect(fromMarts.length, 'the marts give an answer').toBeGreaterThan(0);
          expect(fromMarts).toEqual(await seeds(q.seeds));
          q.check?.(fromMarts);
        });
      }
    }
  });
}

/**
 * The seed files, loaded once into tables of an in-memory database (customers, frameworks, events, adoptions,
 * activities): the independent computations query them dozens of times.
 */
export async function openReference(): Promise<DuckDBInstance> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const seed = (file: string) => `read_csv('${path.join(repoRoot, 'seeds', file).replace(/'/g, "''")}', header = true)`;
  for (const sql of [
    `create table customers as select * from ${seed('dim_customers.csv.gz')}`,
    `create table frameworks as select * from ${seed('dim_compliance_frameworks.csv')}`,
    `create table events as select customer_id, event_id, cast(event_date as date) as event_date, event_type,
       cast(mrr_amount as decimal(18, 2)) as mrr_amount, contract_length_months from ${seed('fact_subscription_events.csv.gz')}`,
    `create table adoptions as select * from ${seed('fact_framework_adoptions.csv.gz')}`,
    `create table activities as select * from ${seed('fact_compliance_activities.csv.gz')}`,
  ]) {
    await connection.run(sql);
  }
  connection.closeSync();
  return instance;
}

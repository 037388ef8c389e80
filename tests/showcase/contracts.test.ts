// The showcase's data contracts (contracts/**/*.yml) catch what they are written to catch: violations of the
// specification's rules are planted in the seed files of a copy of the Phantom Sec warehouse, and exactly the tests
// that encode those rules fail. (That every test and SLO passes on the generated data is checked in
// tests/showcase/warehouse.test.ts, on its one build of the showcase.)

import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResults } from '../../src/pipeline/finish-run.js';
import type { TestResult } from '../../src/execute/run-data-test.js';
import { MODELS, describeTest, modelOf, notPassing, removeShowcaseCopies, showcaseCopy } from '../helpers/showcase.js';
import { buildWithContracts } from '../helpers/warehouse.js';

afterAll(removeShowcaseCopies);

// ---- planted violations ---------------------------------------------------------------------------------------

/** A seed file's rows as text fields by column name (RFC 4180; the seeds have no line breaks inside fields). */
interface SeedTable {
  readonly header: string[];
  readonly rows: Record<string, string>[];
}

function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      fields.push(field);
      field = '';
    } else field += ch;
  }
  fields.push(field);
  return fields;
}

const csvField = (text: string): string => (/[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);

function readSeed(dir: string, name: string): SeedTable {
  const text = gunzipSync(readFileSync(path.join(dir, 'seeds', `${name}.csv.gz`))).toString('utf8');
  const [head = '', ...lines] = text.split('\n').filter((l) => l !== '');
  const header = splitCsvLine(head);
  const rows = lines.map((line) => Object.fromEntries(splitCsvLine(line).map((v, i) => [header[i] as string, v])));
  return { header, rows };
}

function writeSeed(dir: string, name: string, table: SeedTable): void {
  const lines = [table.header.map(csvField).join(','), ...table.rows.map((r) => table.header.map((c) => csvField(r[c] ?? '')).join(','))];
  writeFileSync(path.join(dir, 'seeds', `${name}.csv.gz`), gzipSync(`${lines.join('\n')}\n`));
}

function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function pick<T>(rows: readonly T[], what: string, predicate: (row: T) => boolean): T {
  const row = rows.find(predicate);
  if (!row) throw new Error(`no seed row to plant a violation in: ${what}`);
  return row;
}

describe('planted violations of the specification', () => {
  let outcome: RunResults;
  /** What was planted, for the assertion messages. */
  const planted: string[] = [];
  /** Activities outside their adoption's window: the planted one, plus those the backwards adoption now excludes. */
  let outsideWindow = 0;

  beforeAll(async () => {
    const dir = showcaseCopy({ contracts: true });

    const customers = readSeed(dir, 'dim_customers');
    const startup = pick(customers.rows, 'a startup customer', (c) => c.segment === 'startup');
    startup.segment = 'smb';
    const enterprise = pick(customers.rows, 'an enterprise customer', (c) => c.segment === 'enterprise');
    enterprise.employee_count = '20';
    // Signed up 60 days earlier than recorded: the `new` event is then 60-90 days after signup.
    const late = pick(customers.rows, 'a 2022 mid-market signup', (c) => c.segment === 'mid_market' && c.signup_date?.startsWith('2022-') === true);
    late.signup_date = addDays(late.signup_date as string, -60);
    writeSeed(dir, 'dim_customers', customers);
    planted.push(`segment smb on ${startup.customer_id}`, `20 employees at enterprise ${enterprise.customer_id}`, `signup 60 days before the first event of ${late.customer_id}`);

    const events = readSeed(dir, 'fact_subscription_events');
    const discounted = pick(events.rows, 'an annual new event', (e) => e.event_type === 'new' && e.billing_period === 'annual');
    discounted.discount_percentage = '7.00';
    // An annual contract's amount recorded as a yearly figure instead of monthly recurring revenue.
    const annualised = pick(events.rows, 'an annual starter renewal', (e) => e.event_type === 'renewal' && e.billing_period === 'annual' && e.product_tier === 'starter');
    annualised.mrr_amount = (Number(annualised.mrr_amount) * 12).toFixed(2);
    writeSeed(dir, 'fact_subscription_events', events);
    planted.push(`7 % discount on ${discounted.event_id}`, `12 x MRR on ${annualised.event_id}`);

    const adoptions = readSeed(dir, 'fact_framework_adoptions');
    const backwards = pick(adoptions.rows, 'a completed adoption', (a) => a.status === 'completed');
    backwards.completion_date = addDays(backwards.start_date as string, -30);
    writeSeed(dir, 'fact_framework_adoptions', adoptions);
    planted.push(`completion before start on ${backwards.adoption_id}`);

    // An activity 120 days after its (untouched) adoption's completion: past the 90 days of monitoring.
    const finished = new Map(
      adoptions.rows
        .filter((a) => a !== backwards && a.completion_date && addDays(a.completion_date, 120) <= '2024-12-31')
        .map((a) => [a.adoption_id, a.completion_date as string]),
    );
    const activities = readSeed(dir, 'fact_compliance_activities');
    const stray = pick(activities.rows, 'an activity of a finished adoption', (a) => finished.has(a.adoption_id as string));
    stray.activity_date = addDays(finished.get(stray.adoption_id as string) as string, 120);
    writeSeed(dir, 'fact_compliance_activities', activities);
    const backwardsWindowEnd = addDays(backwards.completion_date as string, 90);
    outsideWindow = 1 + activities.rows.filter((a) => a.adoption_id === backwards.adoption_id && (a.activity_date as string) > backwardsWindowEnd).length;
    planted.push(`activity ${stray.activity_id} 120 days after adoption ${stray.adoption_id} completed`);

    outcome = await buildWithContracts(dir, { threads: 4 });
  });

  /** The test of `model` that checks `column` with `kind`, or the named one. */
  const find = (model: string, by: { name?: string; column?: string; kind?: string }): TestResult => {
    const found = outcome.tests.filter(
      (t) =>
        modelOf(t.modelId) === model &&
        (by.name === undefined || t.uniqueId === `test.phantom_sec.${model}.${by.name}`) &&
        (by.column === undefined || t.column === by.column) &&
        (by.kind === undefined || t.kind === by.kind),
    );
    expect(found, `one test on ${model} matching ${JSON.stringify(by)}`).toHaveLength(1);
    return found[0] as TestResult;
  };

  const expectedFailures = (): ReadonlyArray<{ model: string; by: { name?: string; column?: string; kind?: string }; rows: number }> => [
    { model: 'stg_customers', by: { column: 'segment', kind: 'accepted_values' }, rows: 1 },
    { model: 'stg_customers', by: { name: 'employee_count_matches_segment' }, rows: 1 },
    { model: 'stg_subscription_events', by: { column: 'discount_percentage', kind: 'range' }, rows: 1 },
    { model: 'stg_subscription_events', by: { name: 'discount_matches_billing_period' }, rows: 1 },
    { model: 'stg_subscription_events', by: { name: 'mrr_in_tier_band' }, rows: 1 },
    { model: 'stg_subscription_events', by: { name: 'new_event_within_30_days_of_signup' }, rows: 1 },
    { model: 'stg_framework_adoptions', by: { name: 'completion_after_start' }, rows: 1 },
    // The planted stray activity, plus those of the adoption whose completion now precedes its start.
    { model: 'stg_compliance_activities', by: { name: 'activity_inside_adoption_window' }, rows: outsideWindow },
  ];

  it('fail exactly the tests that encode the broken rules', () => {
    expect(outsideWindow).toBeGreaterThan(1);
    for (const expected of expectedFailures()) {
      const test = find(expected.model, expected.by);
      expect(test.status, `${describeTest(test)}\nplanted: ${planted.join('; ')}`).toBe('fail');
      expect(test.failures, describeTest(test)).toBe(expected.rows);
    }
    const expectedIds = new Set(expectedFailures().map((e) => find(e.model, e.by).uniqueId));
    const unexpected = notPassing(outcome.tests).filter((t) => !expectedIds.has(t.uniqueId));
    expect(unexpected.length, `other tests not passing:\n${unexpected.map(describeTest).join('\n')}`).toBe(0);
  });

  it('still build every silver model, and skip the marts downstream of a failing test', () => {
    const status = Object.fromEntries(outcome.nodes.map((n) => [n.name, n.status]));
    for (const model of [...MODELS.bronze, ...MODELS.silver]) expect(status[model], model).toBe('success');
    for (const model of [...MODELS.platinum, ...MODELS.ops]) expect(status[model], model).toBe('skipped');
    const skipped = outcome.nodes.filter((n) => n.status === 'skipped');
    const failedIds = new Set(notPassing(outcome.tests).map((t) => t.uniqueId));
    for (const n of skipped) expect(failedIds.has(n.skippedBecause ?? ''), `${n.name} skipped because ${n.skippedBecause}`).toBe(true);
  });

  it('keep the bronze landing contracts green: the rows are well-formed, only the business rules break', () => {
    const bronze = outcome.tests.filter((t) => (MODELS.bronze as readonly string[]).includes(modelOf(t.modelId)));
    expect(bronze.length).toBeGreaterThan(0);
    expect(notPassing(bronze).map(describeTest)).toEqual([]);
  });
});

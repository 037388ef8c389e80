// The governance coverage gate (`charter check governance`, and `charter build` before it builds): each rule fires
// on a gap planted in the tiny fixture, at the file, line and column a « marks, and only a valid, unexpired exemption
// clears it; the showcase passes with its coverage pinned; a build with a gap builds nothing.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Dialect, parse } from '@polyglot-sql/sdk';
import { describe, expect, it } from 'vitest';
import { UserError, type Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { build } from '../../src/pipeline/build.js';
import { checkGovernance, type GovernanceReport } from '../../src/pipeline/check-governance.js';
import type { Reporter } from '../../src/pipeline/reporter.js';
import { expressionFacts } from '../../src/graph/lineage-expression.js';
import { MARK, marked } from '../helpers/marker.js';
import { charter, fixtureCopy, repoRoot } from '../helpers/project.js';

const TODAY = '2025-06-01';

/** customer_totals exposes orders.customer_id (pii): classified and masked here, so the tiny project passes. */
const CUSTOMER_TOTALS = (customerId = '    classification: pii\n    masking_policy: MASK_PII\n') => `name: tiny_customer_totals
version: 1.0.0
model: customer_totals
owners: [data@example.com]
columns:
  - name: customer_id
    data_type: VARCHAR
${customerId}  - name: total_usd
    data_type: NUMBER(38,2)
`;

/** tiny's orders contract, with product-level lines (`extra`) and more keys for customer_id (pii). */
const ORDERS = (extra = '', customerId = '    masking_policy: MASK_PII\n') => `name: tiny_orders
version: 1.0.0
model: orders
owners: [data@example.com]
${extra}columns:
  - name: order_id
    data_type: NUMBER(18,0)
  - name: customer_id
    data_type: VARCHAR
    classification: pii
${customerId}  - name: amount_usd
    data_type: NUMBER(18,2)
`;

const EXEMPT = (expires: string) => `    masking_exemption: {reason: ids are opaque tokens, approver: dpo@example.com, ticket: RISK-12, expires: ${expires}}\n`;

/**
 * A copy of the tiny fixture that passes the gate, with the gate on for build (the fixture turns it off), and
 * `files` written over it (null removes one). A « in one of them marks where the expected diagnostic points; `at`
 * says where that is.
 */
function gatedTiny(files: Record<string, string | null> = {}): { dir: string; at?: string } {
  let at: string | undefined;
  const plain: Record<string, string> = {};
  for (const [file, text] of Object.entries(files)) {
    if (text === null) continue;
    if (!text.includes(MARK)) plain[file] = text;
    else {
      const m = marked(text);
      plain[file] = m.text;
      at = `${file}:${m.line}:${m.column}`;
    }
  }
  const dir = fixtureCopy('tiny', { 'contracts/orders.yml': ORDERS(), 'contracts/customer_totals.yml': CUSTOMER_TOTALS(), ...plain });
  const yml = path.join(dir, 'project.yml');
  writeFileSync(yml, readFileSync(yml, 'utf8').replace('coverage_gate: off', 'coverage_gate: error'));
  for (const [file, text] of Object.entries(files)) if (text === null) rmSync(path.join(dir, file));
  return at ? { dir, at } : { dir };
}

const check = (dir: string, today = TODAY): Promise<GovernanceReport> => checkGovernance({ projectDir: dir, today });

const where = (d: Diagnostic): string => `${d.location?.file}:${d.location?.line}:${d.location?.column}`;
const found = (report: GovernanceReport): string[] => report.diagnostics.map((d) => `${d.severity} ${d.code} ${where(d)}`);

describe('a project that passes', () => {
  it('has no findings, and its coverage summed up', async () => {
    const report = await check(gatedTiny().dir);
    expect(found(report)).toEqual([]);
    // orders: 1 of 3 columns classified, customer_totals 1 of 2; both customer_id columns pii and masked; neither
    // contract has row access (not required: no PHI).
    expect(report.summary).toEqual({
      classified: { count: 2, of: 5, percent: 40 },
      masked: { count: 2, of: 2, percent: 100, exempt: 0 },
      rowAccess: { count: 0, of: 2, percent: 0 },
      lineageUnknown: [],
    });
  });
});

describe('governance.unmasked', () => {
  it('fires on a pii column with no masking policy, at its classification', async () => {
    const { dir, at } = gatedTiny({ 'contracts/orders.yml': ORDERS('', '').replace('classification: pii', 'classification: «pii') });
    const report = await check(dir);
    expect(found(report)).toEqual([`error governance.unmasked ${at}`]);
    expect(report.diagnostics[0]?.message).toBe('column `customer_id` of orders is classified pii and has no masking policy');
    expect(report.diagnostics[0]?.hint).toContain('masking_exemption');
    expect(report.summary.masked).toEqual({ count: 1, of: 2, percent: 50, exempt: 0 });
  });

  it('is cleared by a masking_exemption that has not expired (it holds on its expiry day), and counted as exempt', async () => {
    for (const expires of ['2026-12-31', TODAY]) {
      const report = await check(gatedTiny({ 'contracts/orders.yml': ORDERS('', EXEMPT(expires)) }).dir);
      expect(found(report)).toEqual([]);
      expect(report.summary.masked).toEqual({ count: 1, of: 2, percent: 50, exempt: 1 });
    }
  });

  it('is not cleared by an expired exemption, which it points at and names', async () => {
    const { dir, at } = gatedTiny({ 'contracts/orders.yml': ORDERS('', EXEMPT('«2025-05-31')) });
    const report = await check(dir);
    expect(found(report)).toEqual([`error governance.unmasked ${at}`]);
    expect(report.diagnostics[0]?.message).toContain('its masking_exemption (approved by dpo@example.com, RISK-12) expired on 2025-05-31');
    expect(report.summary.masked.exempt).toBe(0);
  });

  it('refuses an exemption without an approver when the contract loads', async () => {
    const { dir } = gatedTiny({ 'contracts/orders.yml': ORDERS('', '    masking_exemption: {reason: trust me}\n') });
    const failure = await check(dir).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(UserError);
    expect((failure as UserError).diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['schema.invalid', '/columns/1/masking_exemption: missing required key `approver`'],
    ]);
  });

  it('warns of an exemption on a column that is masked anyway (stale)', async () => {
    const { dir, at } = gatedTiny({ 'contracts/orders.yml': ORDERS('', `    masking_policy: MASK_PII\n${EXEMPT('2026-12-31').replace('masking_exemption', '«masking_exemption')}`) });
    const report = await check(dir);
    expect(found(report)).toEqual([`warning governance.stale_exemption ${at}`]);
    expect(report.summary.masked).toEqual({ count: 2, of: 2, percent: 100, exempt: 0 });
  });

  it("does not count the product's default policy when its type cannot mask the column", async () => {
    const { dir, at } = gatedTiny({
      'contracts/customer_totals.yml': CUSTOMER_TOTALS().replace('total_usd\n    data_type: NUMBER(38,2)\n', 'total_usd\n    data_type: NUMBER(38,2)\n    classification: «pii\n')
        .replace('columns:', 'security_controls: {masking_policy: MASK_PII}\ncolumns:'),
    });
    const report = await check(dir);
    expect(found(report)).toEqual([`error governance.unmasked ${at}`]);
    expect(report.diagnostics[0]?.message).toBe(
      "column `total_usd` of customer_totals is classified pii and cannot be masked: the product's masking policy MASK_PII masks VARCHAR, and the column is NUMBER(38,2)",
    );
  });
});

describe('governance.no_row_access', () => {
  const ROWS_POLICY = 'row_access_policies:\n  ANALYSTS_ONLY:\n    signature: {id: NUMBER}\n    body: "IS_ROLE_IN_SESSION(\'ANALYST\')"\n';

  it('fires on a contract whose product classification is PHI, at that classification', async () => {
    const { dir, at } = gatedTiny({ 'contracts/orders.yml': ORDERS('classification: «PHI-pseudonymous\n') });
    const report = await check(dir);
    expect(found(report)).toEqual([`error governance.no_row_access ${at}`]);
    expect(report.diagnostics[0]?.message).toBe('contract tiny_orders holds PHI (classification PHI-pseudonymous) and has no row access policy');
  });

  it('fires on a contract with a column classified phi, at that column', async () => {
    const { dir, at } = gatedTiny({ 'contracts/orders.yml': ORDERS().replace('classification: pii', 'classification: «phi') });
    expect(found(await check(dir))).toEqual([`error governance.no_row_access ${at}`]);
  });

  it('is cleared by a row access policy, or by an unexpired row_access_exemption; an expired one fails at its date', async () => {
    const withPolicy = gatedTiny({
      'policies/rows.yml': ROWS_POLICY,
      'contracts/orders.yml': ORDERS('classification: PHI-pseudonymous\nsecurity_controls: {row_access_policy: ANALYSTS_ONLY, row_access_on: [order_id]}\n'),
    });
    const passed = await check(withPolicy.dir);
    expect(found(passed)).toEqual([]);
    expect(passed.summary.rowAccess).toEqual({ count: 1, of: 2, percent: 50 });

    const exemption = (expires: string) => `classification: PHI-pseudonymous\nsecurity_controls:\n  row_access_exemption:\n    reason: one covered entity reads every row\n    approver: privacy@example.com\n    expires: ${expires}\n`;
    expect(found(await check(gatedTiny({ 'contracts/orders.yml': ORDERS(exemption('2026-01-01')) }).dir))).toEqual([]);
    const expired = gatedTiny({ 'contracts/orders.yml': ORDERS(exemption('«2025-01-01')) });
    const report = await check(expired.dir);
    expect(found(report)).toEqual([`error governance.no_row_access ${expired.at}`]);
    expect(report.diagnostics[0]?.message).toContain('its row_access_exemption (approved by privacy@example.com) expired on 2025-01-01');
  });

  it('warns of a row_access_exemption beside a row access policy (stale)', async () => {
    const { dir, at } = gatedTiny({
      'policies/rows.yml': ROWS_POLICY,
      'contracts/orders.yml': ORDERS('classification: PHI-pseudonymous\nsecurity_controls:\n  row_access_policy: ANALYSTS_ONLY\n  row_access_on: [order_id]\n  «row_access_exemption: {reason: legacy, approver: privacy@example.com}\n'),
    });
    expect(found(await check(dir))).toEqual([`warning governance.stale_exemption ${at}`]);
  });
});

describe('governance.unclassified_derived', () => {
  it('fires on a PLATINUM column derived from a pii column when no contract governs the model, at the column in its SQL', async () => {
    const report = await check(gatedTiny({ 'contracts/customer_totals.yml': null }).dir);
    expect(found(report)).toEqual(['error governance.unclassified_derived models/platinum/customer_totals.sql:1:8']);
    expect(report.diagnostics[0]?.message).toBe('PLATINUM column `customer_id` of customer_totals is derived from orders.customer_id (pii), but no contract governs the model');
  });

  it('fires at the contract column that does not classify it pii or phi', async () => {
    const internal = gatedTiny({ 'contracts/customer_totals.yml': CUSTOMER_TOTALS('    classification: «internal\n') });
    const report = await check(internal.dir);
    expect(found(report)).toEqual([`error governance.unclassified_derived ${internal.at}`]);
    expect(report.diagnostics[0]?.message).toBe('PLATINUM column `customer_id` of customer_totals is derived from orders.customer_id (pii), but its contract classifies it internal');
    expect(report.diagnostics[0]?.hint).toContain('classification: pii');
    const unclassified = gatedTiny({ 'contracts/customer_totals.yml': CUSTOMER_TOTALS('').replace('- name: customer_id', '- «name: customer_id') });
    expect(found(await check(unclassified.dir))).toEqual([`error governance.unclassified_derived ${unclassified.at}`]);
  });

  it('follows any number of models and expressions; a COUNT carries no value, MIN/MAX/LISTAGG do', async () => {
    const { dir, at } = gatedTiny({
      // silver -> platinum -> platinum: an expression of the pii column, then aggregates of that.
      'models/platinum/customer_keys.sql': 'select order_id, upper(customer_id) as «customer_key from {{ ref(\'orders\') }}',
      'models/platinum/key_stats.sql': `select
    count(distinct customer_key)       as customers,
    count_if(customer_key like 'C%')   as c_customers,
    max(customer_key)                  as last_key,
    listagg(customer_key, ',')         as all_keys
from {{ ref('customer_keys') }}`,
    });
    const report = await check(dir);
    expect(report.diagnostics.map((d) => d.message)).toEqual([
      'PLATINUM column `customer_key` of customer_keys is derived from orders.customer_id (pii), but no contract governs the model',
      'PLATINUM column `last_key` of key_stats is derived from orders.customer_id (pii), but no contract governs the model',
      'PLATINUM column `all_keys` of key_stats is derived from orders.customer_id (pii), but no contract governs the model',
    ]);
    expect(where(report.diagnostics[0]!)).toBe(at);
    // Where no contract declares the column, its `AS` in the SQL is pointed at.
    expect(report.diagnostics.slice(1).map(where)).toEqual(['models/platinum/key_stats.sql:4:43', 'models/platinum/key_stats.sql:5:43']);
  });

  it('lists what lineage cannot follow as unknown, never as clean or as derived', async () => {
    const { dir, at } = gatedTiny({
      'models/sources.yml': 'sources:\n  - name: legacy\n    schema: BRONZE\n    tables:\n      - name: events\n',
      'models/platinum/events.sql': "select * from {{ source('legacy', 'events') }}",
      'models/platinum/order_hashes.sql': "select order_id, hash(*) as row_hash, o.customer_id as «buyer from {{ ref('orders') }} o",
    });
    const report = await check(dir);
    expect(found(report)).toEqual([`error governance.unclassified_derived ${at}`]);
    expect([...report.summary.lineageUnknown].sort((a, b) => a.model.localeCompare(b.model))).toEqual([
      { model: 'events', column: '*', reasons: ['SELECT * over source.tiny.legacy.events, whose columns are not known'] },
      { model: 'order_hashes', column: 'row_hash', reasons: [expect.stringContaining('uses * inside an expression')] },
    ]);
  });
});

describe('policy references are gate failures too', () => {
  it('reports an undefined policy and a policy of the wrong type (check-policies.ts) among its findings', async () => {
    const { dir, at } = gatedTiny({ 'contracts/orders.yml': ORDERS('', '    masking_policy: «MASK_PI\n') });
    const report = await check(dir);
    expect(found(report)).toEqual([`error policy.undefined ${at}`]);
    expect(report.diagnostics[0]?.hint).toBe('did you mean `MASK_PII`?');
    const typed = gatedTiny({
      'policies/amounts.yml': "masking_policies:\n  MASK_AMOUNT:\n    signature: {val: 'NUMBER(18,2)'}\n    body: \"CASE WHEN IS_ROLE_IN_SESSION('PII_READER') THEN val ELSE 0 END\"\n",
      'contracts/orders.yml': ORDERS('', '    masking_policy: «MASK_AMOUNT\n'),
    });
    expect(found(await check(typed.dir))).toEqual([`error policy.invalid ${typed.at}`]);
  });
});

describe('the showcase', () => {
  it('passes, with its coverage as counted by hand from contracts/', async () => {
    // Read only: the gate renders from the last compile's cache and writes nothing, so the repository itself will do.
    const report = await check(repoRoot);
    expect(found(report)).toEqual([]);
    expect(report.summary).toEqual({
      // Columns per contract entry, every one classified: landing 14+11+10+10+12, ops_revenue_reconciliation 5,
      // dim_customer_360 49, fct_arr_quarterly 22, fct_compliance_activities 19, fct_framework_adoptions 36,
      // fct_mrr_monthly 25, phi_incidents_core 26, phi_incidents_staging 15+15, stg_compliance_activities 12,
      // stg_customers 14, stg_framework_adoptions 10, stg_frameworks 11, stg_subscription_events 13.
      classified: { count: 329, of: 329, percent: 100 },
      // pii/phi, each with its own masking_policy: the 3 contact columns in brz_customers, stg_customers and
      // dim_customer_360 (9), patient_pseudonym and reporter_email in brz_, stg_ and fct_phi_incidents (6).
      masked: { count: 15, of: 15, percent: 100, exempt: 0 },
      // Of those 6 tables, row access on dim_customer_360 (CUSTOMER_SEGMENT_ACCESS) and the three PHI incident
      // tables (INCIDENT_REGION); brz_customers and stg_customers hold PII, not PHI, and need none.
      rowAccess: { count: 4, of: 6, percent: 66.7 },
      lineageUnknown: [],
    });
  });
});

describe('charter build with a gap', () => {
  it('stops before it opens the warehouse: nothing is built, the summary and the gap are printed', async () => {
    const { dir } = gatedTiny({ 'contracts/customer_totals.yml': CUSTOMER_TOTALS('    classification: internal\n') });
    const said: string[] = [];
    const reporter: Reporter = { event: () => undefined, info: (m) => said.push(m), diagnostics: () => undefined, summary: () => undefined };
    const failure = await build({ projectDir: dir, reporter }).catch((e: unknown) => e);
    expect((failure as UserError).diagnostics.map((d) => d.code)).toEqual(['governance.unclassified_derived']);
    expect(said.some((m) => m.startsWith('governance coverage: 2/5 contract columns classified (40%); 1/1 pii/phi columns masked (100%)'))).toBe(true);
    expect(said.at(-2)).toContain('nothing was built');
    // The stopped build is on record all the same.
    expect(said.at(-1)).toMatch(/^evidence: target\/evidence\/[0-9a-f-]{36} \(aborted run\)$/);
    // The engine was never opened: no database file, so no relation in it.
    expect(existsSync(path.join(dir, 'target/tiny.duckdb'))).toBe(false);
  });
});

describe("project.yml's governance.coverage_gate: warn", () => {
  it('prints the gaps as warnings, with the summary, and builds', async () => {
    const { dir } = gatedTiny({ 'contracts/customer_totals.yml': CUSTOMER_TOTALS('    classification: internal\n') });
    writeFileSync(path.join(dir, 'project.yml'), readFileSync(path.join(dir, 'project.yml'), 'utf8').replace('coverage_gate: error', 'coverage_gate: warn'));
    const shown: Diagnostic[] = [];
    const said: string[] = [];
    const reporter: Reporter = { event: () => undefined, info: (m) => said.push(m), diagnostics: (ds) => shown.push(...ds), summary: () => undefined };
    const results = await build({ projectDir: dir, reporter });
    expect(results.passed).toBe(true);
    expect(shown.filter((d) => d.code.startsWith('governance.')).map((d) => `${d.severity} ${d.code}`)).toEqual(['warning governance.unclassified_derived']);
    expect(said.filter((m) => m.startsWith('governance coverage:'))).toHaveLength(1);
  });
});

describe('charter check governance, as a user runs it', () => {
  it('exits 1 on a gap and 0 without, printing each problem and the summary; --log-format json for machines', async () => {
    const { dir } = gatedTiny({ 'contracts/orders.yml': ORDERS('', '') });
    const failed = await charter(['check', 'governance'], dir);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain('contracts/orders.yml:10:21 error[governance.unmasked]: column `customer_id` of orders is classified pii and has no masking policy');
    expect(failed.stdout).toContain('governance coverage: 2/5 contract columns classified (40%); 1/2 pii/phi columns masked (50%), 0 exempt;');
    expect(failed.stdout).toContain('governance gate: FAILED, 1 error');

    const json = await charter(['check', 'governance', '--log-format', 'json'], dir);
    expect(json.code).toBe(1);
    const objects = json.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(objects.filter((o) => o['type'] === 'diagnostic').map((o) => [o['code'], o['location']])).toEqual([
      ['governance.unmasked', { file: 'contracts/orders.yml', line: 10, column: 21 }],
    ]);
    expect(objects.find((o) => o['governance'])?.['governance']).toMatchObject({ masked: { count: 1, of: 2, percent: 50, exempt: 0 }, lineage_unknown: [] });

    const passed = await charter(['check', 'governance'], gatedTiny().dir);
    expect(passed.code, passed.stdout + passed.stderr).toBe(0);
    expect(passed.stdout).toContain('governance gate: passed');

    const blocked = await charter(['build'], dir);
    expect(blocked.code).toBe(1);
    expect(blocked.stderr).toContain('error[governance.unmasked]');
  });
});

describe('lineage tells a count from an aggregate that keeps values', () => {
  it.each([
    ['count(distinct x)', 'x count'],
    ['count_if(x > 0)', 'x count'],
    ['approx_count_distinct(x)', 'x count'],
    ['count(x) over (partition by y)', 'x count,y count'],
    ['max(x)', 'x aggregate'],
    ['any_value(x)', 'x aggregate'],
    ['count(x) + max(y)', 'x count,y aggregate'],
  ])('%s: %s', (item, expected) => {
    const select = (parse(`select ${item} as c from t`, Dialect.Snowflake).ast?.[0] as { select: { expressions: unknown[] } }).select;
    expect(expressionFacts(select.expressions[0]).mentions.map((m) => `${m.column} ${m.how}`)).toEqual(expected.split(','));
  });
});

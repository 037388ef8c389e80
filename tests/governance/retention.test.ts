// Retention from contracts: how long a layer keeps a row. The plain form ("30d") declares it; the object form names the
// column that ages a row, so the local check counts rows older than that, `purge: true` deletes them after each
// build (on DuckDB through the same Snowflake SQL, translated), and `time_travel` sets Snowflake's
// DATA_RETENTION_TIME_IN_DAYS on the staged table before it takes the target's name.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { snowflakeCapabilities, snowflakeDdl } from '../../src/adapters/snowflake/ddl.js';
import { snowflakeDialect } from '../../src/adapters/snowflake/dialect.js';
import { snowflakeGovernanceDdl } from '../../src/adapters/snowflake/governance-ddl.js';
import { parseContract } from '../../src/load/load-contracts.js';
import { planModel } from '../../src/execute/materialization-plan.js';
import { purgeOf } from '../../src/execute/retention-purge.js';
import { compile } from '../../src/pipeline/compile.js';
import type { ModelNode } from '../../src/project/nodes.js';
import { marked } from '../helpers/marker.js';
import { writeFiles } from '../helpers/project.js';
import { buildWithContracts, queryWarehouse } from '../helpers/warehouse.js';

const DB = 'target/ret.duckdb';
const CONTRACT = 'contracts/events.yml';

/** Six events; as of 2024-12-31 a 30-day retention keeps 2024-12-01 on: events 4 and 5 are older, 6 has no date. */
const EVENTS_CSV = 'event_id,event_date\n1,2024-12-31\n2,2024-12-15\n3,2024-12-01\n4,2024-11-30\n5,2023-06-01\n6,\n';

const contractText = (silver: string): string => `name: events
version: 1.0.0
owners: [data@example.com]
retention_policy:
  bronze: 30d
  ${silver}
models:
  - name: landed_events
    columns:
      - {name: event_id, data_type: "NUMBER(38,0)"}
      - {name: event_date, data_type: DATE}
  - name: events
    columns:
      - {name: event_id, data_type: "NUMBER(38,0)"}
      - {name: event_date, data_type: DATE}
  - name: recent_events
    columns:
      - {name: event_id, data_type: "NUMBER(38,0)"}
      - {name: event_date, data_type: DATE}
`;
const SILVER = `silver: {keep: 30d, column: event_date, as_of: "{{ var('as_of_date') }}"}`;

function project(silver = SILVER): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'charter-retention-'));
  writeFiles(dir, {
    'project.yml': `name: ret
version: 1.0.0
default_target: dev
targets:
  dev: {engine: duckdb, path: ${DB}, threads: 1}
  prod: {engine: snowflake, account: xy12345.eu-west-1, database: RET, warehouse: WH, role: TRANSFORMER}
layers: {bronze: BRONZE, silver: SILVER, platinum: PLATINUM, ops: OPS}
vars:
  as_of_date: '2024-12-31'
models:
  bronze: {materialized: view}
  silver: {materialized: table}
`,
    'seeds/raw_events.csv': EVENTS_CSV,
    'seeds/raw_events.yml': 'columns:\n  event_id: NUMBER(38,0)\n  event_date: DATE\n',
    'models/bronze/landed_events.sql': "select event_id, event_date from {{ ref('raw_events') }}\n",
    'models/silver/events.sql': "select event_id, event_date from {{ ref('landed_events') }}\n",
    // Only what a 30-day retention keeps: this table is clean.
    'models/silver/recent_events.sql': "select event_id, event_date from {{ ref('landed_events') }} where event_date >= '2024-12-01'::date\n",
    [CONTRACT]: contractText(silver),
  });
  return dir;
}

describe('the two forms', () => {
  it('reads "30d" and {keep, column, purge, time_travel, as_of}, a product model\'s own entry over its product\'s', () => {
    const text = `${contractText(`silver: {keep: 400d, column: event_date, purge: true, time_travel: 7d, as_of: "{{ var('as_of_date') }}"}`)}    retention_policy: {silver: {column: event_id}}\n`;
    const { contract, diagnostics } = parseContract(CONTRACT, text);
    expect(diagnostics).toEqual([]);
    const [landed, events, recent] = contract!.models;
    expect(landed!.retention.map((r) => [r.layer, r.keep.text, r.keepDays, r.column, r.purge, r.timeTravelDays])).toEqual([
      ['bronze', '30d', 30, undefined, false, undefined],
      ['silver', '400d', 400, 'event_date', true, 7],
    ]);
    expect(landed!.retention[1]).toMatchObject({ asOf: "{{ var('as_of_date') }}", severity: 'error', path: ['retention_policy'] });
    expect(events!.retention).toEqual(landed!.retention);
    // recent_events names its own column; the rest is the product's, and the entry that governs it is its own.
    expect(recent!.retention[1]).toMatchObject({ keep: { text: '400d' }, column: 'event_id', purge: true, timeTravelDays: 7, path: ['models', 2, 'retention_policy'] });
  });

  it('a time travel beyond 90 days, or not in days, is an error at its value', () => {
    for (const bad of ['120d', '36h']) {
      const { text, line, column } = marked(contractText(`silver: {keep: 400d, column: event_date, time_travel: «${bad}}`));
      const { diagnostics } = parseContract(CONTRACT, text);
      expect(diagnostics.map((d) => [d.code, d.message, d.location])).toEqual([[
        'contract.invalid',
        `/retention_policy/silver/time_travel: expected time travel of 0 to 90 whole days (Snowflake's DATA_RETENTION_TIME_IN_DAYS), found ${bad}`,
        { file: CONTRACT, line, column },
      ]]);
    }
  });
});

describe('Snowflake', () => {
  let session: Awaited<ReturnType<typeof compile>>;
  beforeAll(async () => {
    session = await compile({ projectDir: project(`silver: {keep: 30d, column: event_date, purge: true, time_travel: 7d, as_of: "{{ var('as_of_date') }}"}`), target: 'prod', format: false });
  });

  it('sets time travel on the staged table and purges it before the swap', () => {
    const model = [...session.compiled.nodes.values()].find((n): n is ModelNode => n.kind === 'model' && n.name === 'events')!;
    const bound = session.contracts.byModel.get(model.uniqueId);
    const governance = session.governance.relations.get(model.uniqueId)!;
    const at = { database: 'RET', schema: session.governance.schema };
    const plan = planModel(model, model.compiledSql, {
      ddl: snowflakeDdl,
      capabilities: snowflakeCapabilities,
      existing: 'table',
      fullRefresh: false,
      enforced: true,
      governance: (relation, kind) => snowflakeGovernanceDdl.attach(governance, relation, kind, at),
      purge: purgeOf({ dialect: snowflakeDialect, engine: 'snowflake' }, bound),
    });
    expect(plan.steps.flatMap((s) => (s.kind === 'statement' ? [s.sql] : [`-- ${s.kind}`]))).toEqual([
      '-- ensure_schema',
      '-- ensure_governance',
      `CREATE OR REPLACE TABLE "RET"."SILVER"."EVENTS__CHARTER_STAGED" AS\n${model.compiledSql}`,
      '-- check_contract',
      `DELETE FROM "RET"."SILVER"."EVENTS__CHARTER_STAGED" WHERE "EVENT_DATE" < DATEADD(day, -30, CAST('2024-12-31' AS DATE))`,
      '-- count_rows',
      'ALTER TABLE "RET"."SILVER"."EVENTS__CHARTER_STAGED" SET DATA_RETENTION_TIME_IN_DAYS = 7',
      'ALTER TABLE "RET"."SILVER"."EVENTS__CHARTER_STAGED" SWAP WITH "RET"."SILVER"."EVENTS"',
      'DROP TABLE IF EXISTS "RET"."SILVER"."EVENTS__CHARTER_STAGED"',
    ]);
  });

  it('says, at the entry, that a retention naming no column is not checked', () => {
    const warning = session.warnings.find((w) => w.code === 'contract.retention_unchecked');
    expect(warning).toMatchObject({
      severity: 'warning',
      message: 'retention for bronze (30d) is not checked: it names no column that ages a row of `landed_events`',
      location: { file: CONTRACT, line: 5, column: 3 },
      hint: 'name it, e.g. `bronze: {keep: 30d, column: event_date}`',
    });
  });

  it('refuses a purge of a view, at its `purge`', async () => {
    const dir = project();
    const { text, line, column } = marked(readFileSync(path.join(dir, CONTRACT), 'utf8').replace('bronze: 30d', 'bronze: {keep: 30d, column: event_date, purge: «true}'));
    writeFileSync(path.join(dir, CONTRACT), text);
    const problem = await compile({ projectDir: dir, target: 'prod', format: false }).then(() => undefined, (e: { diagnostics?: unknown[] }) => e.diagnostics);
    expect(problem).toEqual([expect.objectContaining({
      code: 'contract.invalid',
      message: 'purge deletes rows from a table, but `landed_events` is a view',
      location: { file: CONTRACT, line, column },
    })]);
  });
});

describe('on DuckDB', () => {
  it('the retention test fails with the count of rows older than the layer keeps, at the entry; a clean table passes', async () => {
    const dir = project();
    const run = await buildWithContracts(dir);
    const retention = run.tests.filter((t) => t.kind === 'retention').sort((a, b) => a.name.localeCompare(b.name));
    expect(retention.map((t) => [t.name, t.status, t.failures])).toEqual([
      ['retention_events_event_date', 'fail', 2],
      ['retention_recent_events_event_date', 'pass', 0],
    ]);
    // The line of `silver:` under retention_policy.
    expect(retention[0]!.location).toEqual({ file: CONTRACT, line: 6, column: 3 });
    expect(retention[0]!.error?.message).toBe('retention_events_event_date: 2 failing rows (error if !=0)');
    expect(run.passed).toBe(false);
  });

  it('purge: true deletes exactly those rows after the build, and the check then passes', async () => {
    const dir = project(`silver: {keep: 30d, column: event_date, purge: true, as_of: "{{ var('as_of_date') }}"}`);
    const run = await buildWithContracts(dir);
    expect(run.tests.filter((t) => t.kind === 'retention').map((t) => t.status)).toEqual(['pass', 'pass']);
    expect(await queryWarehouse(dir, 'select event_id from "ret"."SILVER".events order by 1', DB)).toEqual([{ event_id: '1' }, { event_id: '2' }, { event_id: '3' }, { event_id: '6' }]);
    // The landing view over the seed keeps all six: a purge deletes from its own table only.
    expect(await queryWarehouse(dir, 'select count(*) as n from "ret"."BRONZE".landed_events', DB)).toEqual([{ n: '6' }]);
    expect(run.passed).toBe(true);
  });
});

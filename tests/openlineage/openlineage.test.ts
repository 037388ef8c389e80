// `--openlineage FILE`: a build's OpenLineage RunEvents, each valid against the vendored spec (2-0-2) and the schema
// of every facet it carries, in order, with the models' relations, column lineage and tests, and a FAIL for a model
// that fails.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeRunId, type RunEvent } from '../../src/artifacts/openlineage.js';
import { FACET_SCHEMAS } from '../../src/artifacts/openlineage-facets.js';
import type { RunResults } from '../../src/pipeline/finish-run.js';
import { fixtureCopy } from '../helpers/project.js';

const schemaDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'schemas');
const CORE = 'https://openlineage.io/spec/2-0-2/OpenLineage.json';

/** The vendored schemas in one validator; formats checked by hand, as ajv-formats is not a dependency. */
function validators(): { event: ValidateFunction; document: ValidateFunction; facet: (name: string) => ValidateFunction | undefined; runFacet: ValidateFunction } {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  ajv.addFormat('uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
  ajv.addFormat('date-time', (s: string) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(s) && !Number.isNaN(Date.parse(s)));
  ajv.addFormat('uri', (s: string) => /^[a-z][a-z0-9+.-]*:/i.test(s) && URL.canParse(s));
  const schemas = readdirSync(schemaDir).map((f) => JSON.parse(readFileSync(path.join(schemaDir, f), 'utf8')) as { $id: string });
  const core = schemas.find((s) => s.$id === CORE)!;
  for (const s of schemas) ajv.addSchema(s);
  // The facet files stored upstream refer to the core by older ids; the base facets they use are the same there.
  for (const older of ['1-0-1', '1-0-2']) ajv.addSchema({ ...core, $id: `https://openlineage.io/spec/${older}/OpenLineage.json` });
  const byName = new Map(schemas.map((s) => [path.basename(new URL(s.$id).pathname, '.json'), s.$id]));
  return {
    event: ajv.compile({ $ref: `${CORE}#/$defs/RunEvent` }),
    document: ajv.getSchema(CORE)!,
    runFacet: ajv.compile({ $ref: `${CORE}#/$defs/RunFacet` }),
    facet: (name) => (byName.has(name) ? ajv.getSchema(`${byName.get(name)}#/$defs/${name}`) : undefined),
  };
}

/** A facet read back as the shape a test expects of it. */
const as = <T>(facet: unknown): T => facet as T;

const readEvents = (file: string): RunEvent[] =>
  readFileSync(file, 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line) as RunEvent);

/** Every facet of an event with where it sits: run, job, dataset, input dataset. */
function facetsOf(e: RunEvent): Array<{ key: string; value: { _schemaURL: string } & Record<string, unknown> }> {
  const groups = [e.run.facets, e.job.facets, ...[...e.inputs, ...e.outputs].flatMap((d) => [d.facets, d.inputFacets, d.outputFacets])];
  return groups.flatMap((g) => Object.entries(g ?? {}).map(([key, value]) => ({ key, value: value as never })));
}

const CONTRACT = `name: tiny_orders
version: 1.0.0
model: orders
owners: [data@example.com]
columns:
  - name: order_id
    data_type: NUMBER(18,0)
    constraints: {not_null: true, unique: true}
  - name: customer_id
    data_type: VARCHAR
    classification: pii
    masking_policy: GOVERNANCE.MASK_PII
  - name: amount_usd
    data_type: NUMBER(18,2)
    constraints: {range: {min: 0}}
`;

async function buildWithLineage(files: Record<string, string>): Promise<{ dir: string; results: RunResults; events: RunEvent[] }> {
  const dir = fixtureCopy('tiny', files);
  const file = path.join(dir, 'target', 'openlineage.jsonl');
  const { build } = await import('../../src/pipeline/build.js');
  const results = await build({ projectDir: dir, threads: 1, openlineage: file });
  return { dir, results, events: readEvents(file) };
}

let ok: Awaited<ReturnType<typeof buildWithLineage>>;
let failing: Awaited<ReturnType<typeof buildWithLineage>>;
let validate: ReturnType<typeof validators>;

beforeAll(async () => {
  validate = validators();
  [ok, failing] = await Promise.all([
    buildWithLineage({ 'contracts/orders.yml': CONTRACT }),
    buildWithLineage({ 'contracts/orders.yml': CONTRACT, 'models/platinum/big_orders.sql': 'select no_such_column from {{ ref(\'orders\') }}' }),
  ]);
}, 60_000);

const modelEvents = (events: readonly RunEvent[], type: string): RunEvent[] => events.filter((e) => e.eventType === type && e.job.name.startsWith('model.'));

describe('every event is valid OpenLineage', () => {
  it('against the RunEvent schema of spec 2-0-2, and each facet against its own schema', () => {
    for (const e of [...ok.events, ...failing.events]) {
      expect(validate.event(e), JSON.stringify(validate.event.errors)).toBe(true);
      expect(validate.document(e), JSON.stringify(validate.document.errors)).toBe(true);
      for (const { key, value } of facetsOf(e)) {
        const name = new URL(value._schemaURL).pathname.split('/').at(-1)!.replace('.json', '');
        expect(Object.values(FACET_SCHEMAS)).toContain(value._schemaURL);
        // TestRunFacet is not in the stored index: it is held to the base run facet and its documented shape.
        const check = validate.facet(name) ?? (name === 'TestRunFacet' ? validate.runFacet : undefined);
        expect(check, `no schema for ${key} (${name})`).toBeDefined();
        expect(check!(value), `${key}: ${JSON.stringify(check!.errors)}`).toBe(true);
      }
    }
  });

  it('with a validator that rejects a bad run id, a facet without its producer and a job type without integration', () => {
    const good = modelEvents(ok.events, 'COMPLETE')[0]!;
    const bad = (change: (e: Record<string, any>) => void): Record<string, any> => {
      const e = structuredClone(good) as Record<string, any>;
      change(e);
      return e;
    };
    expect(validate.event(bad((e) => (e['run'].runId = 'not-a-uuid')))).toBe(false);
    expect(validate.event(bad((e) => delete e['outputs'][0].facets.schema._producer))).toBe(false);
    expect(validate.facet('JobTypeJobFacet')!(bad((e) => delete e['job'].facets.jobType.integration)['job'].facets.jobType)).toBe(false);
    expect(validate.facet('ColumnLineageDatasetFacet')!(bad((e) => (e['outputs'][0].facets.columnLineage.fields.order_id.inputFields[0].field = 1))['outputs'][0].facets.columnLineage)).toBe(false);
  });

  it('names every test of a TestRunFacet and gives its status', () => {
    const tests = ok.events.flatMap((e) => ((e.run.facets?.['test'] as { tests?: Array<Record<string, unknown>> } | undefined)?.tests ?? []));
    expect(tests.length).toBeGreaterThan(0);
    for (const t of tests) {
      expect(typeof t['name']).toBe('string');
      expect(['pass', 'fail', 'skip']).toContain(t['status']);
    }
  });
});

describe('run ids', () => {
  it('are UUIDs, one per node of a run, the same each time they are derived', () => {
    const a = nodeRunId(ok.results.runId, 'model.tiny.orders');
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(nodeRunId(ok.results.runId, 'model.tiny.orders')).toBe(a);
    expect(nodeRunId(ok.results.runId, 'model.tiny.big_orders')).not.toBe(a);
    expect(nodeRunId(failing.results.runId, 'model.tiny.orders')).not.toBe(a);
  });
});

describe('the run as START and end events', () => {
  it('gives each model built one START before one COMPLETE, under the charter run as parent', () => {
    const built = ok.results.nodes.filter((n) => n.kind === 'model' && n.status === 'success');
    const completes = modelEvents(ok.events, 'COMPLETE');
    expect(completes).toHaveLength(built.length);
    for (const end of completes) {
      const starts = ok.events.filter((e) => e.run.runId === end.run.runId && e.eventType === 'START');
      expect(starts).toHaveLength(1);
      expect(ok.events.indexOf(starts[0]!)).toBeLessThan(ok.events.indexOf(end));
      expect(Date.parse(starts[0]!.eventTime)).toBeLessThanOrEqual(Date.parse(end.eventTime));
      expect(end.run.facets?.['parent']).toMatchObject({ run: { runId: ok.results.runId }, job: { name: 'build' } });
    }
    expect(new Set(completes.map((e) => e.run.runId)).size).toBe(completes.length);
    expect(ok.events[0]).toMatchObject({ eventType: 'START', run: { runId: ok.results.runId } });
    expect(ok.events.at(-1)).toMatchObject({ eventType: 'COMPLETE', run: { runId: ok.results.runId } });
  });

  it('ends a failing model with FAIL and its error, and the charter run with FAIL', () => {
    const fail = modelEvents(failing.events, 'FAIL');
    expect(fail.map((e) => e.job.name)).toEqual(['model.big_orders']);
    expect(fail[0]!.run.facets?.['errorMessage']).toMatchObject({ programmingLanguage: 'SQL' });
    expect(failing.events.at(-1)).toMatchObject({ eventType: 'FAIL', run: { runId: failing.results.runId } });
  });

  it('writes the same events again for the same run (the evidence bundle carries the same file)', async () => {
    const { openLineageJsonl } = await import('../../src/pipeline/openlineage-run.js');
    const { compile } = await import('../../src/pipeline/compile.js');
    const session = { ...(await compile({ projectDir: ok.dir })), runId: ok.results.runId };
    const run = { command: 'build', startedAt: ok.events[0]!.eventTime, seconds: ok.results.seconds, passed: ok.results.passed, nodes: ok.results.nodes, tests: ok.results.tests };
    const twice = [await openLineageJsonl(session, run), await openLineageJsonl(session, run)];
    expect(twice[0]).toBe(twice[1]);
    expect(readEvents(path.join(ok.dir, 'target', 'openlineage.jsonl')).filter((e) => e.job.name.startsWith('model.')).map((e) => e.run.runId))
      .toEqual(twice[0]!.trimEnd().split('\n').map((l) => JSON.parse(l) as RunEvent).filter((e) => e.job.name.startsWith('model.')).map((e) => e.run.runId));
  });
});

describe('datasets, schemas and column lineage', () => {
  const complete = (name: string): RunEvent => modelEvents(ok.events, 'COMPLETE').find((e) => e.job.name === `model.${name}`)!;

  it('names relations in the target\'s namespace, with the contract\'s column types', () => {
    const orders = complete('orders');
    const out = orders.outputs[0]!;
    expect(out.namespace).toBe(`duckdb://${path.join(ok.dir, 'target', 'tiny.duckdb').split(path.sep).join('/')}`);
    expect(out.name).toBe('tiny.SILVER.orders');
    expect((out.facets?.['schema'] as unknown as { fields: unknown[] }).fields).toEqual([
      { name: 'order_id', type: 'NUMBER(18,0)', ordinal_position: 1 },
      { name: 'customer_id', type: 'VARCHAR', ordinal_position: 2 },
      { name: 'amount_usd', type: 'NUMBER(18,2)', ordinal_position: 3 },
    ]);
    expect(orders.inputs.map((i) => i.name.split('.').at(-1)!.toLowerCase())).toEqual(['orders_landed']);
    expect(orders.job.facets?.['sql']).toMatchObject({ query: expect.stringMatching(/select/i) });
    expect(orders.job.facets?.['jobType']).toMatchObject({ processingType: 'BATCH', integration: 'CHARTER', jobType: 'MODEL' });
  });

  it('traces every output column to columns its inputs really have, and marks masked ones', () => {
    const schemas = new Map<string, Set<string>>();
    for (const e of ok.events) {
      for (const d of [...e.inputs, ...e.outputs]) {
        const fields = (d.facets?.['schema'] as { fields?: Array<{ name: string }> } | undefined)?.fields;
        if (fields) schemas.set(d.name, new Set(fields.map((f) => f.name.toLowerCase())));
      }
    }
    let traced = 0;
    for (const e of modelEvents(ok.events, 'COMPLETE')) {
      const lineage = (e.outputs[0]!.facets?.['columnLineage'] as { fields?: Record<string, { inputFields: Array<{ name: string; field: string }> }> } | undefined)?.fields ?? {};
      for (const { inputFields } of Object.values(lineage)) {
        for (const f of inputFields) {
          expect(e.inputs.map((i) => i.name)).toContain(f.name);
          expect(schemas.get(f.name), f.name).toContain(f.field);
          traced++;
        }
      }
    }
    expect(traced).toBeGreaterThan(0);
    const customer = as<{ fields: Record<string, { inputFields: Array<{ transformations: unknown[] }> }> }>(complete('orders').outputs[0]!.facets?.['columnLineage']).fields['customer_id']!;
    expect(customer.inputFields[0]!.transformations).toEqual([{ type: 'DIRECT', subtype: 'IDENTITY', masking: true }]);
    const total = as<{ fields: Record<string, { inputFields: Array<{ field: string; transformations: unknown[] }> }> }>(complete('customer_totals').outputs[0]!.facets?.['columnLineage']).fields['total_usd']!;
    expect(total.inputFields).toEqual([expect.objectContaining({ field: 'amount_usd', transformations: [{ type: 'DIRECT', subtype: 'AGGREGATION' }] })]);
  });

  it('gives a model\'s own tests to its run, and a tested input\'s results as the assertions of that input', () => {
    const tests = as<{ tests: Array<{ type: string; status: string }> }>(complete('orders').run.facets?.['test']).tests;
    expect(tests.map((t) => t.type)).toEqual(expect.arrayContaining(['not_null', 'unique', 'range']));
    const read = complete('big_orders').inputs.find((i) => i.name.toLowerCase().endsWith('.orders'))!;
    const assertions = as<{ assertions: Array<{ assertion: string; success: boolean; column?: string }> }>(read.inputFacets?.['dataQualityAssertions']).assertions;
    expect(assertions).toContainEqual(expect.objectContaining({ assertion: 'not_null', success: true, column: 'order_id' }));
  });

  it('holds no secrets and no data values', () => {
    const text = readFileSync(path.join(ok.dir, 'target', 'openlineage.jsonl'), 'utf8');
    expect(text).not.toMatch(/password|private_key|token|secret/i);
    // Rows of the seed (customer ids c1, c2 ...) never appear: only names, types and SQL.
    expect(text).not.toMatch(/"c1"|'c1'/);
  });
});

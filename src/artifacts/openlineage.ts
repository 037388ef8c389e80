// A run as OpenLineage RunEvents (spec 2-0-2), one JSON object a line: the charter command as the parent run, and
// under it a START and a COMPLETE or FAIL for every seed and model it built, with the relations read and written,
// their schemas and column lineage, the compiled SQL and the tests. Built from the run's results after the fact, so
// the file and the evidence bundle's copy are the same events. Pure: times, ids and names all come from the input.
import type { ProjectLineage } from '../graph/column-lineage.js';
import type { NodeResult } from '../execute/node-result.js';
import type { TestResult } from '../execute/run-data-test.js';
import type { RelationGovernance } from '../project/governance.js';
import { sha256 } from '../project/hash.js';
import type { CompiledProject, ProjectNode } from '../project/nodes.js';
import type { Relation } from '../project/relation.js';
import { assertionsFacet, columnLineageFacet, facet, fieldsOf, schemaFacet, testRunFacet, type DatasetId, type Facet, type LineageScope } from './openlineage-facets.js';

export const OPENLINEAGE_SCHEMA_URL = 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent';

export interface OpenLineageRun {
  /** The charter run's id (a UUID): the parent run of every node's run. */
  readonly runId: string;
  /** build, run, seed. */
  readonly command: string;
  readonly startedAt: string;
  readonly endedAt: string;
  readonly passed: boolean;
  readonly nodes: readonly NodeResult[];
  readonly tests: readonly TestResult[];
}

export interface OpenLineageContext {
  readonly project: CompiledProject;
  /** Column lineage of (at least) the models built. */
  readonly lineage: ProjectLineage;
  /** Governed relations by model id: column types, and which columns are masked. */
  readonly governance: ReadonlyMap<string, RelationGovernance>;
  /** Where the target's relations live: `duckdb://<file>` or `snowflake://<account>`. */
  readonly datasetNamespace: string;
  /** The jobs' namespace; `charter://<project>` when absent. */
  readonly jobNamespace?: string;
  /** URI naming the producer of the events; charter's own when absent. */
  readonly producer?: string;
}

interface Dataset extends DatasetId {
  readonly facets?: Record<string, Facet>;
  readonly inputFacets?: Record<string, Facet>;
  readonly outputFacets?: Record<string, Facet>;
}

export interface RunEvent {
  readonly eventType: 'START' | 'COMPLETE' | 'FAIL';
  readonly eventTime: string;
  readonly producer: string;
  readonly schemaURL: string;
  readonly run: { readonly runId: string; readonly facets?: Record<string, Facet> };
  readonly job: { readonly namespace: string; readonly name: string; readonly facets?: Record<string, Facet> };
  readonly inputs: readonly Dataset[];
  readonly outputs: readonly Dataset[];
}

export const charterProducer = (version: string): string => `https://github.com/charter/charter/tree/v${version}`;

/**
 * A node run's id, derived from the charter run's id and the node: the same run always gives the same events (the
 * evidence bundle and --openlineage agree), and no two node runs share one. Formatted as a UUIDv8 (RFC 9562).
 */
export function nodeRunId(parentRunId: string, nodeId: string): string {
  const h = sha256(`${parentRunId}\u0000${nodeId}`);
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const relationName = (r: Relation): string => `${r.database}.${r.schema}.${r.identifier}`;
const endOf = (startedAt: string, seconds: number): string => new Date(Date.parse(startedAt) + Math.round(seconds * 1000)).toISOString();
const compact = (facets: Record<string, Facet | undefined>): Record<string, Facet> | undefined => {
  const kept = Object.entries(facets).filter((e): e is [string, Facet] => e[1] !== undefined);
  return kept.length ? Object.fromEntries(kept) : undefined;
};

/** Every event of a run, in time order: the parent's START, each node's START and end, the parent's end. */
export function openLineageEvents(context: OpenLineageContext, run: OpenLineageRun, charterVersion: string): RunEvent[] {
  const { project, lineage, governance, datasetNamespace } = context;
  const producer = context.producer ?? charterProducer(charterVersion);
  const jobNamespace = context.jobNamespace ?? `charter://${project.projectName}`;
  const isRelation = (n: ProjectNode | undefined): n is ProjectNode => n !== undefined && !(n.kind === 'model' && n.config.materialized === 'ephemeral');
  const datasetOf = (id: string): DatasetId | undefined => {
    const node = project.nodes.get(id);
    return isRelation(node) ? { namespace: datasetNamespace, name: relationName(node.relation) } : undefined;
  };
  const scope: LineageScope = { lineage, datasetOf };
  const testsOf = new Map<string, TestResult[]>();
  for (const t of run.tests) testsOf.set(t.modelId, [...(testsOf.get(t.modelId) ?? []), t]);

  /** The relations a node reads: its parents, an ephemeral parent replaced by what it reads. */
  const inputIds = (node: ProjectNode, seen = new Set<string>()): string[] =>
    node.dependsOn.flatMap((id) => {
      if (seen.has(id)) return [];
      seen.add(id);
      const parent = project.nodes.get(id);
      if (!parent) return [];
      return isRelation(parent) ? [id] : inputIds(parent, seen);
    });
  const dataset = (id: string, extra: Partial<Dataset> = {}): Dataset => {
    const node = project.nodes.get(id)!;
    const fields = fieldsOf(node, lineage, governance.get(id));
    const facets = compact({ schema: fields.length ? schemaFacet(producer, fields) : undefined, ...extra.facets });
    return { ...datasetOf(id)!, ...(facets ? { facets } : {}), ...(extra.inputFacets ? { inputFacets: extra.inputFacets } : {}) };
  };

  const parentJob = { namespace: jobNamespace, name: run.command };
  const jobType = (kind: string): Facet => facet(producer, 'jobType', { processingType: 'BATCH', integration: 'CHARTER', jobType: kind });
  const base = { producer, schemaURL: OPENLINEAGE_SCHEMA_URL };
  const events: RunEvent[] = [];
  const ran = run.nodes.filter((r) => r.status !== 'skipped' && isRelation(project.nodes.get(r.uniqueId)));

  events.push({ ...base, eventType: 'START', eventTime: run.startedAt, run: { runId: run.runId }, job: { ...parentJob, facets: { jobType: jobType('COMMAND') } }, inputs: [], outputs: [] });
  for (const result of ran) {
    const node = project.nodes.get(result.uniqueId)!;
    const startedAt = result.startedAt ?? run.startedAt;
    const governed = governance.get(node.uniqueId);
    // A source declared over a seed's relation is the same dataset: named once, by the node whose columns are known.
    const byName = new Map<string, string>();
    for (const id of inputIds(node).sort((a, b) => Number(project.nodes.get(a)?.kind === 'source') - Number(project.nodes.get(b)?.kind === 'source'))) {
      const name = datasetOf(id)!.name;
      if (!byName.has(name)) byName.set(name, id);
    }
    const inputs = [...byName.values()].map((id) => {
      const assertions = assertionsFacet(producer, testsOf.get(id) ?? []);
      return dataset(id, assertions ? { inputFacets: { dataQualityAssertions: assertions } } : {});
    });
    const fields = fieldsOf(node, lineage, governed);
    const names = new Map(fields.map((f) => [f.name.toLowerCase(), f.name]));
    const masked = new Set((governed?.columns ?? []).filter((c) => c.masking).map((c) => c.column.toLowerCase()));
    const columnLineage = node.kind === 'model' ? columnLineageFacet(producer, scope, lineage.models[node.uniqueId], names, masked) : undefined;
    const output = dataset(node.uniqueId, { facets: compact({ columnLineage }) });
    const job = {
      namespace: jobNamespace,
      name: `${node.kind}.${node.name}`,
      facets: compact({
        jobType: jobType(node.kind === 'model' ? 'MODEL' : 'SEED'),
        sql: node.kind === 'model' ? facet(producer, 'sql', { query: node.compiledSql, dialect: 'snowflake' }) : undefined,
      }),
    };
    const runId = nodeRunId(run.runId, node.uniqueId);
    const parent = facet(producer, 'parent', { run: { runId: run.runId }, job: parentJob });
    events.push({ ...base, eventType: 'START', eventTime: startedAt, run: { runId, facets: { parent } }, job, inputs, outputs: [output] });
    const failed = result.status === 'error';
    const endFacets = compact({
      parent,
      test: testRunFacet(producer, testsOf.get(node.uniqueId) ?? []),
      errorMessage: failed && result.error ? facet(producer, 'errorMessage', { message: result.error.message, programmingLanguage: 'SQL' }) : undefined,
    });
    events.push({ ...base, eventType: failed ? 'FAIL' : 'COMPLETE', eventTime: endOf(startedAt, result.seconds), run: { runId, ...(endFacets ? { facets: endFacets } : {}) }, job, inputs, outputs: [output] });
  }
  events.push({ ...base, eventType: run.passed ? 'COMPLETE' : 'FAIL', eventTime: run.endedAt, run: { runId: run.runId }, job: { ...parentJob, facets: { jobType: jobType('COMMAND') } }, inputs: [], outputs: [] });
  // Stable order by time; a node's START and end keep their order when the clock gives them the same instant.
  return events.map((e, i) => ({ e, i })).sort((a, b) => Date.parse(a.e.eventTime) - Date.parse(b.e.eventTime) || a.i - b.i).map(({ e }) => e);
}

/** JSON lines: one event a line, the file `--openlineage` writes and the evidence bundle carries. */
export const toJsonLines = (events: readonly RunEvent[]): string => events.map((e) => JSON.stringify(e)).join('\n') + (events.length ? '\n' : '');

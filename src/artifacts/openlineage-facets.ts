// The OpenLineage facets charter fills in, each from data the run already holds: a dataset's schema (contract types
// first, else the traced columns), its column lineage (charter's own trace, with masking marked), and test results
// as the run's TestRunFacet or, for a dataset read, as DataQualityAssertions. Pure: no I/O.
import type { ColumnLineage, ModelLineage, ProjectLineage, UpstreamColumn } from '../graph/column-lineage.js';
import { combineHow, type LineageHow } from '../graph/lineage-expression.js';
import type { TestResult } from '../execute/run-data-test.js';
import type { RelationGovernance } from '../project/governance.js';
import type { ProjectNode } from '../project/nodes.js';

/** Where each facet's schema lives; a facet names the version whose fields it uses. */
export const FACET_SCHEMAS = {
  parent: 'https://openlineage.io/spec/facets/1-1-0/ParentRunFacet.json#/$defs/ParentRunFacet',
  test: 'https://openlineage.io/spec/facets/1-0-0/TestRunFacet.json#/$defs/TestRunFacet',
  errorMessage: 'https://openlineage.io/spec/facets/1-0-1/ErrorMessageRunFacet.json#/$defs/ErrorMessageRunFacet',
  sql: 'https://openlineage.io/spec/facets/1-1-0/SQLJobFacet.json#/$defs/SQLJobFacet',
  jobType: 'https://openlineage.io/spec/facets/2-0-4/JobTypeJobFacet.json#/$defs/JobTypeJobFacet',
  schema: 'https://openlineage.io/spec/facets/1-2-0/SchemaDatasetFacet.json#/$defs/SchemaDatasetFacet',
  columnLineage: 'https://openlineage.io/spec/facets/1-2-0/ColumnLineageDatasetFacet.json#/$defs/ColumnLineageDatasetFacet',
  dataQualityAssertions: 'https://openlineage.io/spec/facets/1-1-0/DataQualityAssertionsDatasetFacet.json#/$defs/DataQualityAssertionsDatasetFacet',
} as const;

export type FacetName = keyof typeof FACET_SCHEMAS;

export interface Facet {
  readonly _producer: string;
  readonly _schemaURL: string;
  readonly [field: string]: unknown;
}

export const facet = (producer: string, name: FacetName, fields: Record<string, unknown>): Facet => ({
  _producer: producer,
  _schemaURL: FACET_SCHEMAS[name],
  ...fields,
});

/** A dataset as OpenLineage names it: the warehouse it lives in, and its relation there. */
export interface DatasetId {
  readonly namespace: string;
  readonly name: string;
}

export interface FieldShape {
  readonly name: string;
  readonly type?: string;
}

/**
 * A node's columns: a contract's columns with their types, then the columns a trace adds (a model) or a seed's
 * declared columns. Empty when none is known (a source, a SELECT * over one).
 */
export function fieldsOf(node: ProjectNode, lineage: ProjectLineage, governed: RelationGovernance | undefined): FieldShape[] {
  const fields: FieldShape[] = (governed?.columns ?? []).map((c) => ({ name: c.column, ...(c.dataType ? { type: c.dataType } : {}) }));
  const known = new Set(fields.map((f) => f.name.toLowerCase()));
  const more: FieldShape[] =
    node.kind === 'seed' && Object.keys(node.columns).length
      ? Object.entries(node.columns).map(([name, type]) => ({ name, type }))
      : (lineage.models[node.uniqueId]?.columns.map((c) => ({ name: c.column })) ?? lineage.shapes[node.uniqueId]?.map((name) => ({ name })) ?? []);
  for (const f of more) if (!known.has(f.name.toLowerCase())) fields.push(f);
  return fields;
}

export const schemaFacet = (producer: string, fields: readonly FieldShape[]): Facet =>
  facet(producer, 'schema', { fields: fields.map((f, i) => ({ name: f.name, ...(f.type ? { type: f.type } : {}), ordinal_position: i + 1 })) });

/** How a value derives from an input column, in OpenLineage's terms (DIRECT: the value flows from it). */
const TRANSFORMATIONS: Readonly<Record<LineageHow, { type: string; subtype: string; description?: string }>> = {
  direct: { type: 'DIRECT', subtype: 'IDENTITY' },
  expression: { type: 'DIRECT', subtype: 'TRANSFORMATION' },
  aggregate: { type: 'DIRECT', subtype: 'AGGREGATION' },
  count: { type: 'DIRECT', subtype: 'AGGREGATION', description: 'count' },
};

export interface LineageScope {
  readonly lineage: ProjectLineage;
  /** The dataset a node is, for nodes that are relations; ephemeral models are not, and are looked through. */
  datasetOf(node: string): DatasetId | undefined;
}

/**
 * Upstream columns that are relations: a column read from an ephemeral model (inlined as a CTE) is followed into
 * that model's own lineage, the weaker link kept, as the column really comes from there.
 */
function relationUpstream(scope: LineageScope, upstream: readonly UpstreamColumn[], depth = 0): Array<UpstreamColumn & { dataset: DatasetId }> {
  const out: Array<UpstreamColumn & { dataset: DatasetId }> = [];
  for (const u of upstream) {
    const dataset = scope.datasetOf(u.node);
    if (dataset) {
      out.push({ ...u, dataset });
      continue;
    }
    const inner = scope.lineage.models[u.node]?.columns.find((c) => c.column === u.column);
    if (!inner || depth > 20) continue;
    const further = inner.upstream.map((v) => ({ ...v, how: combineHow(u.how, v.how) }));
    out.push(...relationUpstream(scope, further, depth + 1));
  }
  return out;
}

/**
 * Column lineage of one model's output: per column, the input columns it is computed from. Columns charter could not
 * trace keep what was traced; a column with nothing traced (a constant, or unknown) is left out. `masked`: output
 * columns a masking policy protects, so a consumer learns the values it reads are masked.
 */
export function columnLineageFacet(producer: string, scope: LineageScope, own: ModelLineage | undefined, names: ReadonlyMap<string, string>, masked: ReadonlySet<string>): Facet | undefined {
  if (!own) return undefined;
  const fields: Record<string, unknown> = {};
  for (const column of own.columns as readonly ColumnLineage[]) {
    const seen = new Set<string>();
    const inputFields = relationUpstream(scope, column.upstream).flatMap((u) => {
      const key = `${u.dataset.namespace}\u0000${u.dataset.name}\u0000${u.column}\u0000${u.how}`;
      if (seen.has(key)) return [];
      seen.add(key);
      const t = TRANSFORMATIONS[u.how];
      return [{ namespace: u.dataset.namespace, name: u.dataset.name, field: u.column, transformations: [{ ...t, ...(masked.has(column.column) ? { masking: true } : {}) }] }];
    });
    if (inputFields.length) fields[names.get(column.column) ?? column.column] = { inputFields };
  }
  return Object.keys(fields).length ? facet(producer, 'columnLineage', { fields }) : undefined;
}

/** TestRunFacet statuses: pass, fail, skip; a warning is a failure whose severity is warn. */
const testStatus = (t: TestResult): string => (t.status === 'pass' ? 'pass' : t.status === 'skipped' ? 'skip' : 'fail');

/** A model's own tests, run after it was built: results about the run, not about a dataset read. */
export function testRunFacet(producer: string, tests: readonly TestResult[]): Facet | undefined {
  if (!tests.length) return undefined;
  return facet(producer, 'test', {
    tests: tests.map((t) => ({
      name: t.name,
      status: testStatus(t),
      severity: t.severity,
      type: t.kind,
      ...(t.failures !== undefined ? { actual: String(t.failures) } : {}),
      ...(t.column ? { params: { column: t.column } } : {}),
    })),
  });
}

/** Tests of a dataset this run read, as it was read: the input facet the spec gives to data-quality assertions. */
export function assertionsFacet(producer: string, tests: readonly TestResult[]): Facet | undefined {
  const ran = tests.filter((t) => t.status !== 'skipped');
  if (!ran.length) return undefined;
  return facet(producer, 'dataQualityAssertions', {
    assertions: ran.map((t) => ({
      assertion: t.kind,
      success: t.status === 'pass',
      name: t.name,
      severity: t.severity,
      ...(t.column ? { column: t.column } : {}),
      ...(t.failures !== undefined ? { actual: String(t.failures) } : {}),
    })),
  });
}

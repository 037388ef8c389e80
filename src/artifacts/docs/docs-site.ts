// The docs site as data: every node with its SQL, contract, columns (type, classification, masking, tests and their
// last results), SLOs, and column lineage both ways; the semantic views. The page renderers take it from here. Pure.
import type { ProjectLineage } from '../../graph/column-lineage.js';
import { downstreamResolver } from '../../graph/downstream-lineage.js';
import type { LoadedSemanticView } from '../../load/load-semantic-views.js';
import type { Slo } from '../../load/parse-slo.js';
import type { BoundContract, ContractBindings } from '../../render/bind-contracts.js';
import type { GovernanceSpec } from '../../render/governance-spec.js';
import type { DataTest } from '../../render/render-contract-tests.js';
import { nameOfId, sloId } from '../../project/node-id.js';
import type { CompiledProject, ProjectNode } from '../../project/nodes.js';
import type { LastResults } from './last-results.js';

export interface DocsTest {
  readonly id: string;
  readonly name: string;
  readonly kind: string;
  readonly severity: string;
  readonly last?: { readonly status: string; readonly failures: number | null };
}

export interface DocsSlo {
  readonly id: string;
  readonly kind: string;
  readonly column?: string;
  /** In words: "null rate of email <= 0.1%". */
  readonly text: string;
  readonly last?: { readonly status: string; readonly measured: number | null; readonly threshold: string; readonly unit: string };
}

export interface DocsColumn {
  readonly name: string;
  readonly dataType?: string;
  readonly description?: string;
  readonly classification?: string;
  /** The masking policy that applies, and how it came to (column, tag, product default). */
  readonly masking?: string;
  readonly tests: readonly DocsTest[];
  /** Lineage could not be traced all the way: why. */
  readonly lineageUnknown?: readonly string[];
}

export interface DocsContract {
  readonly name: string;
  readonly file: string;
  readonly version?: string;
  readonly status?: string;
  readonly owners: readonly string[];
  readonly description?: string;
  readonly classification?: string;
}

export interface DocsNode {
  readonly id: string;
  readonly name: string;
  readonly kind: 'model' | 'seed' | 'source';
  /** bronze, silver, platinum, ops; `seed` or `source` for those; absent for a model outside the layers. */
  readonly layer?: string;
  readonly relation: string;
  readonly path?: string;
  readonly materialized?: string;
  readonly description?: string;
  readonly rawSql?: string;
  readonly compiledSql?: string;
  readonly parents: readonly string[];
  readonly children: readonly string[];
  readonly contract?: DocsContract;
  readonly columns: readonly DocsColumn[];
  /** Tests of the model as a whole (row counts, expressions, singular and policy tests). */
  readonly tests: readonly DocsTest[];
  readonly slos: readonly DocsSlo[];
  /** Why the node's columns are not all known. */
  readonly shapeUnknown?: string;
}

/** A column of the project, `node|column` (node id, lower-cased column). */
export type ColumnKey = string;

export interface ColumnEdges {
  /** Every column it is computed from, at any distance. */
  readonly up: readonly ColumnKey[];
  /** Every column computed from it, at any distance. */
  readonly down: readonly ColumnKey[];
  /** Where the trace stopped short, either way: the lists are then incomplete. */
  readonly unknown: readonly string[];
}

export interface DocsSemanticMember {
  readonly name: string;
  readonly expr: string;
  readonly description?: string;
}

export interface DocsSemanticView {
  readonly name: string;
  readonly file: string;
  readonly description?: string;
  readonly tables: ReadonlyArray<{
    readonly name: string;
    readonly model: string;
    readonly description?: string;
    readonly dimensions: readonly DocsSemanticMember[];
    readonly facts: readonly DocsSemanticMember[];
    readonly metrics: readonly DocsSemanticMember[];
  }>;
  /** Derived metrics, over the tables' metrics. */
  readonly metrics: readonly DocsSemanticMember[];
}

export interface DocsSite {
  readonly project: { readonly name: string; readonly version: string; readonly target: string };
  readonly generatedAt: string;
  readonly lastRun?: LastResults['run'];
  readonly nodes: readonly DocsNode[];
  /** Direct column edges, `from` feeding `to`, each with how. */
  readonly columnEdges: ReadonlyArray<{ readonly from: ColumnKey; readonly to: ColumnKey; readonly how: string }>;
  /** Per column with lineage: everything up and down. */
  readonly lineage: Readonly<Record<ColumnKey, ColumnEdges>>;
  readonly semanticViews: readonly DocsSemanticView[];
}

export interface DocsInput {
  readonly compiled: CompiledProject;
  readonly bindings: ContractBindings;
  readonly governance: GovernanceSpec;
  readonly dataTests: readonly DataTest[];
  readonly lineage: ProjectLineage;
  readonly semanticViews: readonly LoadedSemanticView[];
  readonly lastResults?: LastResults;
  readonly generatedAt: string;
}

export const columnKey = (node: string, column: string): ColumnKey => `${node}|${column.toLowerCase()}`;

export function docsSite(input: DocsInput): DocsSite {
  const { compiled, lineage } = input;
  const nodes = [...compiled.nodes.values()].sort((a, b) => a.name.localeCompare(b.name)).map((node) => docsNode(node, input));
  const columnEdges = Object.values(lineage.models).flatMap((m) =>
    m.columns.flatMap((c) => c.upstream.map((u) => ({ from: columnKey(u.node, u.column), to: columnKey(m.node, c.column), how: u.how }))),
  );
  return {
    project: { name: compiled.projectName, version: compiled.projectVersion, target: compiled.target.name },
    generatedAt: input.generatedAt,
    ...(input.lastResults ? { lastRun: input.lastResults.run } : {}),
    nodes,
    columnEdges,
    lineage: lineageByColumn(nodes, lineage, compiled.children),
    semanticViews: input.semanticViews.map(semanticView),
  };
}

function docsNode(node: ProjectNode, input: DocsInput): DocsNode {
  const base = {
    id: node.uniqueId,
    name: node.name,
    relation: node.relationName,
    parents: input.compiled.parents.get(node.uniqueId) ?? [],
    children: input.compiled.children.get(node.uniqueId) ?? [],
    tests: [],
    slos: [],
  };
  // Seeds and sources: their declared columns, else those lineage knows of.
  const known = (input.lineage.shapes[node.uniqueId] ?? []).map((name): DocsColumn => ({ name, tests: [] }));
  if (node.kind === 'seed') {
    const declared = Object.entries(node.columns).map(([name, dataType]): DocsColumn => ({ name, dataType, tests: [] }));
    return { ...base, kind: 'seed', layer: 'seed', path: node.path, columns: declared.length ? declared : known };
  }
  if (node.kind === 'source') return { ...base, kind: 'source', layer: 'source', columns: known };
  const bound = input.bindings.byModel.get(node.uniqueId);
  const tests = input.dataTests.filter((t) => t.modelId === node.uniqueId);
  const columns = modelColumns(node.uniqueId, input).map((c) => ({
    ...c,
    tests: tests.filter((t) => t.column?.toLowerCase() === c.name.toLowerCase()).map((t) => docsTest(t, input.lastResults)),
  }));
  const columnTests = new Set(columns.flatMap((c) => c.tests.map((t) => t.id)));
  const description = bound?.governed.description ?? bound?.contract.contract.description;
  const shapeUnknown = input.lineage.models[node.uniqueId]?.shapeUnknown;
  const contract = bound ? docsContract(bound) : undefined;
  return {
    ...base,
    kind: 'model',
    ...(node.layer ? { layer: node.layer } : {}),
    path: node.path,
    materialized: node.config.materialized,
    ...(description ? { description } : {}),
    rawSql: node.rawSql,
    compiledSql: node.compiledSql,
    ...(contract ? { contract } : {}),
    columns,
    tests: tests.filter((t) => !columnTests.has(t.id)).map((t) => docsTest(t, input.lastResults)),
    slos: (bound?.slos ?? []).map((s) => docsSlo(node.uniqueId, s.slo, input.lastResults)),
    ...(shapeUnknown ? { shapeUnknown } : {}),
  };
}

/** The contract's columns with their governance, then the columns the SQL gives that the contract does not declare. */
function modelColumns(id: string, input: DocsInput): DocsColumn[] {
  const governed = input.governance.relations.get(id);
  const traced = input.lineage.models[id]?.columns ?? [];
  const unknown = (column: string): { lineageUnknown?: readonly string[] } => {
    const trace = traced.find((c) => c.column === column.toLowerCase());
    return trace?.status === 'unknown' ? { lineageUnknown: trace.reasons } : {};
  };
  const declared = (input.bindings.byModel.get(id)?.governed.columns ?? []).map((c): DocsColumn => {
    const masking = governed?.columns.find((g) => g.column.toLowerCase() === c.name.toLowerCase())?.masking;
    return {
      name: c.name,
      ...(c.data_type ? { dataType: c.data_type } : {}),
      ...(c.description ? { description: c.description } : {}),
      ...(c.classification ? { classification: c.classification } : {}),
      ...(masking ? { masking: `${masking.policy} (${typeof masking.via === 'string' ? masking.via : `tag ${masking.via.tag}`})` } : {}),
      tests: [],
      ...unknown(c.name),
    };
  });
  const names = new Set(declared.map((c) => c.name.toLowerCase()));
  return [...declared, ...traced.filter((c) => !names.has(c.column)).map((c): DocsColumn => ({ name: c.column, tests: [], ...unknown(c.column) }))];
}

function docsContract(bound: BoundContract): DocsContract {
  const contract = bound.contract.contract;
  return {
    name: contract.name,
    file: bound.contract.file,
    owners: contract.owners ?? [],
    ...(contract.version ? { version: contract.version } : {}),
    ...(contract.status ? { status: contract.status } : {}),
    ...(contract.description ? { description: contract.description } : {}),
    ...(contract.classification ? { classification: contract.classification } : {}),
  };
}

function docsTest(test: DataTest, last: LastResults | undefined): DocsTest {
  const result = last?.tests.get(test.id);
  return { id: test.id, name: test.name, kind: test.kind, severity: test.severity, ...(result ? { last: result } : {}) };
}

function docsSlo(model: string, slo: Slo, last: LastResults | undefined): DocsSlo {
  const column = 'column' in slo ? slo.column : undefined;
  const id = sloId(model, slo.kind, column);
  const result = last?.slos.get(id);
  return { id, kind: slo.kind, ...(column ? { column } : {}), text: sloText(slo), ...(result ? { last: result } : {}) };
}

export function sloText(slo: Slo): string {
  switch (slo.kind) {
    case 'freshness':
      return `latest ${slo.column ?? '(no column)'} at most ${slo.maxAge.text} old${slo.percentile ? ` (p${slo.percentile})` : ''}`;
    case 'completeness':
      return `null rate of ${slo.column} ${slo.inclusive ? '<=' : '<'} ${+(slo.maxNullRate * 100).toFixed(6)}%`;
    case 'volume':
      return [slo.min !== undefined ? `at least ${slo.min} rows` : '', slo.max !== undefined ? `at most ${slo.max} rows` : '', slo.maxChangePct !== undefined ? `row count changes at most ${slo.maxChangePct}%` : '']
        .filter(Boolean)
        .join(', ') || 'row count recorded';
    case 'drift':
      return `drift (PSI) of ${slo.column} at most ${slo.fail}${slo.warn !== undefined ? `, warn above ${slo.warn}` : ''}`;
  }
}

/** Every column's lineage both ways, all the way, over the traced models. */
function lineageByColumn(nodes: readonly DocsNode[], lineage: ProjectLineage, children: ReadonlyMap<string, readonly string[]>): Record<ColumnKey, ColumnEdges> {
  const down = downstreamResolver(lineage, children);
  const upMemo = new Map<ColumnKey, { keys: Set<ColumnKey>; unknown: Set<string> }>();
  const up = (node: string, column: string): { keys: Set<ColumnKey>; unknown: Set<string> } => {
    const key = columnKey(node, column);
    const known = upMemo.get(key);
    if (known) return known;
    const result = { keys: new Set<ColumnKey>(), unknown: new Set<string>() };
    upMemo.set(key, result);
    const traced = lineage.models[node]?.columns.find((c) => c.column === column.toLowerCase());
    if (traced?.status === 'unknown') for (const r of traced.reasons) result.unknown.add(`${nameOfId(node)}.${column}: ${r}`);
    for (const u of traced?.upstream ?? []) {
      result.keys.add(columnKey(u.node, u.column));
      const above = up(u.node, u.column);
      above.keys.forEach((k) => result.keys.add(k));
      above.unknown.forEach((r) => result.unknown.add(r));
    }
    return result;
  };
  const byColumn: Record<ColumnKey, ColumnEdges> = {};
  for (const node of nodes) {
    for (const column of node.columns) {
      const upward = up(node.id, column.name);
      const downward = down(node.id, column.name);
      byColumn[columnKey(node.id, column.name)] = {
        up: [...upward.keys],
        down: [...new Set(downward.all.map((d) => columnKey(d.node, d.column)))],
        unknown: [...upward.unknown, ...downward.unknown.map((u) => `downstream at ${nameOfId(u.node)}${u.column ? `.${u.column}` : ''}: ${u.reason}`)],
      };
    }
  }
  return byColumn;
}

function semanticView(view: LoadedSemanticView): DocsSemanticView {
  const member = (m: { name: string; expr: string; description?: string }): DocsSemanticMember => ({ name: m.name, expr: m.expr, ...(m.description ? { description: m.description } : {}) });
  const d = view.definition;
  return {
    name: d.name,
    file: view.file,
    ...(d.description ? { description: d.description } : {}),
    tables: d.tables.map((t) => ({
      name: t.name,
      model: t.model,
      ...(t.description ? { description: t.description } : {}),
      dimensions: [...(t.dimensions ?? []), ...(t.time_dimensions ?? [])].map(member),
      facts: (t.facts ?? []).map(member),
      metrics: (t.metrics ?? []).map(member),
    })),
    metrics: (d.metrics ?? []).map(member),
  };
}

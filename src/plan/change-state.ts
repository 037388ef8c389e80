// What two versions of a project are compared on by `charter diff` and `state:modified`, in terms that hold across
// targets and checkouts: per node its environment-independent checksums and parents, per governed model its contract
// as consumers see it, per semantic view its metrics. The manifest carries it, so a base can be a manifest. Pure.
import type { SourceLocation } from '../diagnostics/diagnostic.js';
import type { ContractColumn } from '../load/contract-schema.js';
import { locate, type LoadedContract } from '../load/load-contracts.js';
import { locateInView, type LoadedSemanticView } from '../load/load-semantic-views.js';
import type { CompiledProject } from '../project/nodes.js';
import type { ContractBindings } from '../render/bind-contracts.js';
import type { ContractColumnShape } from './contract-breaks.js';

export interface NodeState {
  readonly name: string;
  readonly kind: 'model' | 'seed' | 'source';
  /** Absent for sources, which have no definition of their own to change. */
  readonly dataHash?: string;
  readonly metadataHash?: string;
  readonly dependsOn: readonly string[];
  readonly location?: SourceLocation;
}

export interface ColumnState extends ContractColumnShape {
  readonly location?: SourceLocation;
}

export interface ApprovedChange {
  readonly change: string;
  readonly approver: string;
  readonly ticket: string;
  readonly date: string;
  readonly location?: SourceLocation;
}

/** One governed model's contract, as its consumers rely on it. */
export interface ContractState {
  readonly name: string;
  readonly version: string | null;
  readonly owners: readonly string[];
  readonly file: string;
  /** Where the contract names the model. */
  readonly location?: SourceLocation;
  readonly columns: readonly ColumnState[];
  /** interfaces.tables and interfaces.views: what the contract publishes by name. */
  readonly interfaces: readonly string[];
  readonly deprecation?: { readonly sunset?: string; readonly replacedBy?: string; readonly replaces?: string };
  readonly approvedChanges: readonly ApprovedChange[];
}

export interface MetricState {
  readonly expr: string;
  /** The model the metric's logical table reads; absent for a view-level (derived) metric. */
  readonly model?: string;
  readonly location?: SourceLocation;
}

export interface SemanticViewState {
  readonly file: string;
  /** By `table.metric` (or `metric` for a derived one), lower case. */
  readonly metrics: Readonly<Record<string, MetricState>>;
}

export interface ChangeState {
  readonly nodes: Readonly<Record<string, NodeState>>;
  /** By governed model's unique id. */
  readonly contracts: Readonly<Record<string, ContractState>>;
  /** By view name, lower case. */
  readonly semanticViews: Readonly<Record<string, SemanticViewState>>;
}

export function changeState(project: CompiledProject, contracts: ContractBindings, views: readonly LoadedSemanticView[]): ChangeState {
  const nodes: Record<string, NodeState> = {};
  for (const id of project.order) {
    const node = project.nodes.get(id);
    if (!node) continue;
    nodes[id] = {
      name: node.name,
      kind: node.kind,
      ...(node.kind !== 'source' ? { dataHash: node.dataHash, metadataHash: node.metadataHash } : {}),
      dependsOn: node.dependsOn,
      location: node.location,
    };
  }
  return { nodes, contracts: contractStates(contracts), semanticViews: semanticViewStates(views) };
}

export function contractStates(contracts: ContractBindings): Record<string, ContractState> {
  const governed: Record<string, ContractState> = {};
  // A dbt property file that does not enforce its columns promises consumers nothing about them.
  for (const [id, bound] of contracts.byModel) if (bound.governed.enforced !== false) governed[id] = contractState(bound.contract, bound.governed.base, bound.governed.namePath, bound.governed.columns);
  return governed;
}

export const semanticViewStates = (views: readonly LoadedSemanticView[]): Record<string, SemanticViewState> =>
  Object.fromEntries(views.map((v) => [v.definition.name.toLowerCase(), semanticViewState(v)]));

function contractState(
  loaded: LoadedContract, base: ReadonlyArray<string | number>, namePath: ReadonlyArray<string | number>, columns: readonly ContractColumn[],
): ContractState {
  const c = loaded.contract;
  const deprecation = c.deprecation && (c.deprecation.sunset || c.deprecation.replaced_by || c.deprecation.replaces)
    ? { ...(c.deprecation.sunset ? { sunset: c.deprecation.sunset } : {}), ...(c.deprecation.replaced_by ? { replacedBy: c.deprecation.replaced_by } : {}), ...(c.deprecation.replaces ? { replaces: c.deprecation.replaces } : {}) }
    : undefined;
  return {
    name: c.name,
    version: c.version ?? null,
    owners: c.owners ?? [],
    file: loaded.file,
    location: locate(loaded, namePath),
    columns: columns.map((col, i) => ({ ...columnShape(col), location: locate(loaded, [...base, 'columns', i]) })),
    interfaces: [...(c.interfaces?.tables ?? []), ...(c.interfaces?.views ?? [])],
    ...(deprecation ? { deprecation } : {}),
    approvedChanges: (c.approved_changes ?? []).map((a, i) => ({ ...a, location: locate(loaded, ['approved_changes', i]) })),
  };
}

/** A contract column as the break rules read it: its type, governance, and the guarantees its constraints and tests give. */
export function columnShape(c: ContractColumn): ContractColumnShape {
  const tests = c.tests ?? [];
  const constraints = c.constraints ?? {};
  const accepted = constraints.accepted_values?.values ?? tests.find((t) => t.accepted_values)?.accepted_values?.values;
  const range = constraints.range ?? tests.find((t) => t.range)?.range;
  const notNull = Boolean(constraints.not_null || constraints.primary_key || tests.some((t) => t.not_null || t.primary_key));
  const unique = Boolean(constraints.unique || constraints.primary_key || tests.some((t) => t.unique || t.primary_key));
  return {
    name: c.name,
    ...(c.data_type ? { dataType: c.data_type } : {}),
    ...(c.classification ? { classification: c.classification } : {}),
    ...(c.masking_policy ? { maskingPolicy: c.masking_policy } : {}),
    ...(c.projection_policy ? { projectionPolicy: c.projection_policy } : {}),
    ...(notNull ? { notNull: true as const } : {}),
    ...(unique ? { unique: true as const } : {}),
    ...(accepted ? { acceptedValues: accepted } : {}),
    ...(range && (range.min !== undefined || range.max !== undefined)
      ? { range: { ...(range.min !== undefined ? { min: range.min } : {}), ...(range.max !== undefined ? { max: range.max } : {}) } }
      : {}),
  };
}

function semanticViewState(view: LoadedSemanticView): SemanticViewState {
  const metrics: Record<string, MetricState> = {};
  view.definition.tables.forEach((table, t) => {
    (table.metrics ?? []).forEach((m, i) => {
      metrics[`${table.name}.${m.name}`.toLowerCase()] = { expr: m.expr, model: table.model, location: locateInView(view, ['tables', t, 'metrics', i]) };
    });
  });
  (view.definition.metrics ?? []).forEach((m, i) => {
    metrics[m.name.toLowerCase()] = { expr: m.expr, location: locateInView(view, ['metrics', i]) };
  });
  return { file: view.file, metrics };
}

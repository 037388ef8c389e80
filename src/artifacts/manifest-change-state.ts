// The manifest's share of a ChangeState (plan/change-state.ts): written into manifest.json by every compile, and read
// back when `charter diff --base` or `--state` names a manifest. Snake case, as the rest of the manifest. Pure.
import type { SourceLocation } from '../diagnostics/diagnostic.js';
import type { ChangeState, ColumnState, ContractState, MetricState, NodeState, SemanticViewState } from '../plan/change-state.js';

/** The fields a manifest's contract entry gains, next to name, version, file and its column count. */
export function contractEntryFields(state: ContractState): object {
  return {
    owners: state.owners,
    location: state.location ?? null,
    interfaces: state.interfaces,
    deprecation: state.deprecation
      ? { sunset: state.deprecation.sunset ?? null, replaced_by: state.deprecation.replacedBy ?? null, replaces: state.deprecation.replaces ?? null }
      : null,
    approved_changes: state.approvedChanges.map((a) => ({ change: a.change, approver: a.approver, ticket: a.ticket, date: a.date, location: a.location ?? null })),
    governed_columns: state.columns.map((c) => ({
      name: c.name,
      data_type: c.dataType ?? null,
      classification: c.classification ?? null,
      masking_policy: c.maskingPolicy ?? null,
      projection_policy: c.projectionPolicy ?? null,
      not_null: c.notNull ?? false,
      unique: c.unique ?? false,
      accepted_values: c.acceptedValues ?? null,
      range: c.range ?? null,
      location: c.location ?? null,
    })),
  };
}

export function semanticViewEntries(views: Readonly<Record<string, SemanticViewState>>): object {
  return Object.fromEntries(
    Object.entries(views).map(([name, v]) => [
      name,
      { file: v.file, metrics: Object.fromEntries(Object.entries(v.metrics).map(([m, s]) => [m, { expr: s.expr, model: s.model ?? null, location: s.location ?? null }])) },
    ]),
  );
}

export interface ManifestChangeState {
  readonly state: ChangeState;
  /** Written before contracts carried their columns (or semantic views their metrics): those compare as unknown. */
  readonly partial: boolean;
  readonly charterVersion: string | null;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const loc = (v: unknown): SourceLocation | undefined =>
  isObject(v) && typeof v['file'] === 'string' && typeof v['line'] === 'number' ? { file: v['file'], line: v['line'], column: typeof v['column'] === 'number' ? v['column'] : 1 } : undefined;
const opt = <K extends string, V>(key: K, value: V | undefined | null): { [P in K]?: V } => (value === undefined || value === null ? {} : ({ [key]: value } as { [P in K]?: V }));

/** A manifest.json's parsed JSON as a ChangeState; undefined when it is not a charter manifest. */
export function changeStateFromManifest(manifest: unknown): ManifestChangeState | undefined {
  if (!isObject(manifest) || !isObject(manifest['nodes']) || !isObject(manifest['metadata'])) return undefined;
  let partial = !isObject(manifest['semantic_views']);
  const nodes: Record<string, NodeState> = {};
  for (const [id, n] of Object.entries(manifest['nodes'])) {
    if (!isObject(n)) continue;
    const kind = n['kind'] === 'model' || n['kind'] === 'seed' ? n['kind'] : 'source';
    const path = str(n['path']);
    nodes[id] = {
      name: str(n['name']) ?? id,
      kind,
      ...opt('dataHash', str(n['data_sha256'])),
      ...opt('metadataHash', str(n['metadata_sha256'])),
      dependsOn: strings(n['depends_on']),
      ...(path ? { location: { file: path, line: 1, column: 1 } } : {}),
    };
  }
  const contracts: Record<string, ContractState> = {};
  for (const [id, c] of Object.entries(isObject(manifest['contracts']) ? manifest['contracts'] : {})) {
    if (!isObject(c)) continue;
    if (!Array.isArray(c['governed_columns'])) partial = true;
    contracts[id] = contractFromEntry(c);
  }
  const semanticViews: Record<string, SemanticViewState> = {};
  for (const [name, v] of Object.entries(isObject(manifest['semantic_views']) ? manifest['semantic_views'] : {})) {
    if (!isObject(v)) continue;
    const metrics: Record<string, MetricState> = {};
    for (const [m, s] of Object.entries(isObject(v['metrics']) ? v['metrics'] : {})) {
      if (isObject(s) && typeof s['expr'] === 'string') metrics[m] = { expr: s['expr'], ...opt('model', str(s['model'])), ...opt('location', loc(s['location'])) };
    }
    semanticViews[name] = { file: str(v['file']) ?? '', metrics };
  }
  return { state: { nodes, contracts, semanticViews }, partial, charterVersion: str(manifest['metadata']['charter_version']) ?? null };
}

function contractFromEntry(c: Json): ContractState {
  const deprecation = isObject(c['deprecation']) ? c['deprecation'] : undefined;
  return {
    name: str(c['name']) ?? '',
    version: str(c['version']) ?? null,
    owners: strings(c['owners']),
    file: str(c['file']) ?? '',
    ...opt('location', loc(c['location'])),
    columns: (Array.isArray(c['governed_columns']) ? c['governed_columns'] : []).filter(isObject).map(columnFromEntry),
    interfaces: strings(c['interfaces']),
    ...(deprecation
      ? { deprecation: { ...opt('sunset', str(deprecation['sunset'])), ...opt('replacedBy', str(deprecation['replaced_by'])), ...opt('replaces', str(deprecation['replaces'])) } }
      : {}),
    approvedChanges: (Array.isArray(c['approved_changes']) ? c['approved_changes'] : []).filter(isObject).map((a) => ({
      change: str(a['change']) ?? '', approver: str(a['approver']) ?? '', ticket: str(a['ticket']) ?? '', date: str(a['date']) ?? '', ...opt('location', loc(a['location'])),
    })),
  };
}

function columnFromEntry(c: Json): ColumnState {
  const range = isObject(c['range']) ? c['range'] : undefined;
  const accepted = Array.isArray(c['accepted_values']) ? c['accepted_values'].filter((v): v is string | number | boolean => ['string', 'number', 'boolean'].includes(typeof v)) : undefined;
  return {
    name: str(c['name']) ?? '',
    ...opt('dataType', str(c['data_type'])),
    ...opt('classification', str(c['classification'])),
    ...opt('maskingPolicy', str(c['masking_policy'])),
    ...opt('projectionPolicy', str(c['projection_policy'])),
    ...(c['not_null'] === true ? { notNull: true as const } : {}),
    ...(c['unique'] === true ? { unique: true as const } : {}),
    ...opt('acceptedValues', accepted),
    ...(range ? { range: { ...opt('min', typeof range['min'] === 'number' ? range['min'] : undefined), ...opt('max', typeof range['max'] === 'number' ? range['max'] : undefined) } } : {}),
    ...opt('location', loc(c['location'])),
  };
}

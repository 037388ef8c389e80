// The breaking changes between a base and the current project (`charter diff`): contract breaks by the rules the
// plan uses (contract-breaks.ts), removed models others rely on, semantic-view metrics removed or redefined; which of
// them the contracts' approved_changes clear; and which nodes changed at all (state:modified). Pure: the caller
// resolves both states and owns the clock.
import { error, type Diagnostic, type SourceLocation } from '../diagnostics/diagnostic.js';
import { contractBreakList } from './contract-breaks.js';
import type { ApprovedChange, ChangeState, ContractState } from './change-state.js';

/** One change that breaks a consumer of the model or weakens its protection. */
export interface BreakingChange {
  /** A stable kind: column_removed, column_retyped, type_narrowed, constraint_relaxed, classification_weakened, ... */
  readonly kind: string;
  /** The model's name (for a metric of a derived metric's view: the view's). */
  readonly model: string;
  /** The contract that governs it (in the base, for a removed one); null when none does. */
  readonly contract: string | null;
  readonly owners: readonly string[];
  /** One line saying what changed, e.g. "column email removed or renamed". */
  readonly detail: string;
  /** Where the change is: in the current project, or in the base for a thing removed. */
  readonly location?: SourceLocation;
  /** What an approved_changes entry may name to clear it: `<kind>:<model>[.<column or metric>]`. */
  readonly id: string;
}

/** A breaking change a contract's approved_changes clears, with who approved it: carried into the evidence. */
export interface ClearedChange extends BreakingChange {
  readonly approval: { readonly change: string; readonly approver: string; readonly ticket: string; readonly date: string };
}

export interface StateComparison {
  readonly breaking: readonly BreakingChange[];
  readonly cleared: readonly ClearedChange[];
  /** Models and seeds whose checksums differ from the base's, new ones included, in the current project's order. */
  readonly modified: readonly string[];
  readonly diagnostics: readonly Diagnostic[];
}

const warning = (...args: Parameters<typeof error>): Diagnostic => ({ ...error(...args), severity: 'warning' });

/** Node ids whose data or metadata checksum differs from the base's; nodes new since the base included. */
export function modifiedNodes(base: ChangeState, current: ChangeState): string[] {
  return Object.entries(current.nodes).flatMap(([id, node]) => {
    if (node.kind === 'source') return [];
    const was = base.nodes[id];
    return !was || was.dataHash !== node.dataHash || was.metadataHash !== node.metadataHash ? [id] : [];
  });
}

export function compareStates(base: ChangeState, current: ChangeState, today: string): StateComparison {
  const found = [...contractChanges(base, current), ...removedModels(base, current), ...metricChanges(base, current)];
  const approvals = approve(found, base, current);
  return {
    breaking: approvals.breaking,
    cleared: approvals.cleared,
    modified: modifiedNodes(base, current),
    diagnostics: [...approvals.diagnostics, ...deprecatedDependencies(base, current, today)],
  };
}

function contractChanges(base: ChangeState, current: ChangeState): BreakingChange[] {
  return Object.entries(base.contracts).flatMap(([id, was]) => {
    const node = current.nodes[id];
    // A model that is gone is removedModels' to report, once.
    if (!node) return [];
    const now = current.contracts[id] ?? null;
    const columns = new Map((now ?? was).columns.map((c) => [c.name.toLowerCase(), c.location]));
    const wasColumns = new Map(was.columns.map((c) => [c.name.toLowerCase(), c.location]));
    return contractBreakList(was, now, { types: 'narrowing' }).map((b): BreakingChange => {
      const removed = b.kind === 'column_removed' || b.kind === 'contract_removed';
      const key = b.column?.toLowerCase();
      // Where the change is: the column as it is now, or as the base had it when it is gone.
      const location = (key && !removed ? columns.get(key) : undefined) ?? (key ? wasColumns.get(key) : undefined) ?? (removed ? was.location : now?.location);
      return {
        kind: b.kind,
        model: node.name,
        contract: now?.name ?? was.name,
        owners: now?.owners.length ? now.owners : was.owners,
        detail: b.kind === 'column_removed' ? `${b.detail} or renamed` : b.detail,
        ...(location ? { location } : {}),
        id: `${b.kind}:${node.name}${b.column ? `.${b.column}` : ''}`.toLowerCase(),
      };
    });
  });
}

/** A model gone since the base that other models read, that a contract governed, or that a contract's interfaces publish. */
function removedModels(base: ChangeState, current: ChangeState): BreakingChange[] {
  const published = Object.values(base.contracts).flatMap((c) => c.interfaces.map((name) => ({ contract: c, table: (name.split('.').at(-1) ?? name).toLowerCase() })));
  return Object.entries(base.nodes).flatMap(([id, node]): BreakingChange[] => {
    if (node.kind !== 'model' || current.nodes[id]) return [];
    const readers = Object.values(base.nodes).filter((n) => n.dependsOn.includes(id)).map((n) => n.name);
    const governedBy = base.contracts[id];
    const listedBy = published.find((p) => p.table === node.name.toLowerCase())?.contract;
    const contract = governedBy ?? listedBy;
    if (!readers.length && !contract) return [];
    const why = [
      ...(readers.length ? [`read by ${readers.join(', ')}`] : []),
      ...(governedBy ? [`governed by contract ${governedBy.name}`] : []),
      ...(listedBy && listedBy !== governedBy ? [`published in ${listedBy.name}'s interfaces`] : []),
    ];
    const location = node.location ?? contract?.location;
    return [{
      kind: 'model_removed',
      model: node.name,
      contract: contract?.name ?? null,
      owners: contract?.owners ?? [],
      detail: `model ${node.name} removed (${why.join('; ')})`,
      ...(location ? { location } : {}),
      id: `model_removed:${node.name}`.toLowerCase(),
    }];
  });
}

/** Metrics readers query by name: one gone, or computing something else under its name, breaks them. */
function metricChanges(base: ChangeState, current: ChangeState): BreakingChange[] {
  const contractOfModel = (state: ChangeState, model: string | undefined): ContractState | undefined => {
    if (!model) return undefined;
    const id = Object.keys(state.nodes).find((k) => state.nodes[k]?.kind === 'model' && state.nodes[k]?.name.toLowerCase() === model.toLowerCase());
    return id ? state.contracts[id] : undefined;
  };
  const sameExpr = (a: string, b: string): boolean => a.replace(/\s+/g, ' ').trim().toLowerCase() === b.replace(/\s+/g, ' ').trim().toLowerCase();
  return Object.entries(base.semanticViews).flatMap(([view, was]) =>
    Object.entries(was.metrics).flatMap(([name, metric]): BreakingChange[] => {
      const now = current.semanticViews[view]?.metrics[name];
      if (now && sameExpr(now.expr, metric.expr)) return [];
      const contract = contractOfModel(current, metric.model) ?? contractOfModel(base, metric.model);
      const model = metric.model ?? view;
      const location = now?.location ?? metric.location;
      return [{
        kind: now ? 'metric_redefined' : 'metric_removed',
        model,
        contract: contract?.name ?? null,
        owners: contract?.owners ?? [],
        detail: now
          ? `semantic view ${view} metric ${name} redefined: ${metric.expr} -> ${now.expr}`
          : `semantic view ${view} metric ${name} removed${current.semanticViews[view] ? '' : ' (the view is gone)'}`,
        ...(location ? { location } : {}),
        id: `${now ? 'metric_redefined' : 'metric_removed'}:${view}.${name}`.toLowerCase(),
      }];
    }),
  );
}

const major = (version: string | null | undefined): number | undefined => {
  const m = version ? /^(\d+)\./.exec(version) : null;
  return m ? Number(m[1]) : undefined;
};

const normal = (text: string): string => text.trim().replace(/\s+/g, ' ').toLowerCase();

/**
 * Clears each break an approved_changes entry of its (current) contract names, when that contract's major version is
 * above the base's: a break without a bump is a contract broken in place, so its approval is refused, and said so.
 */
function approve(found: readonly BreakingChange[], base: ChangeState, current: ChangeState): { breaking: BreakingChange[]; cleared: ClearedChange[]; diagnostics: Diagnostic[] } {
  const byName = (state: ChangeState, name: string): ContractState | undefined => Object.values(state.contracts).find((c) => c.name === name);
  const breaking: BreakingChange[] = [];
  const cleared: ClearedChange[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const change of found) {
    const now = change.contract ? byName(current, change.contract) : undefined;
    const approval = now?.approvedChanges.find((a) => matches(a, change));
    if (!now || !approval) {
      breaking.push(change);
      continue;
    }
    const was = byName(base, now.name);
    const [from, to] = [major(was?.version ?? null), major(now.version)];
    if (to === undefined || (from !== undefined && to <= from)) {
      breaking.push(change);
      diagnostics.push(error('diff.approval_refused', `contract ${now.name} approves \`${approval.change}\`, but its version ${now.version ?? '(none)'} is not a major bump over the base's ${was?.version ?? '(none)'}`, {
        ...(approval.location ? { location: approval.location } : {}),
        hint: `a breaking change needs a new major version: set version: ${(from ?? 0) + 1}.0.0`,
      }));
      continue;
    }
    cleared.push({ ...change, approval: { change: approval.change, approver: approval.approver, ticket: approval.ticket, date: approval.date } });
  }
  return { breaking, cleared, diagnostics };
}

function matches(approval: ApprovedChange, change: BreakingChange): boolean {
  const wanted = normal(approval.change);
  return wanted === change.id || wanted === normal(change.detail) || wanted === normal(change.detail.replace(/ or renamed$/, ''));
}

/**
 * Reading a model past its contract's sunset: a dependency the base already had warns (compile warns of the sunset
 * too), a new one is an error, since it adds a consumer to what is being retired.
 */
function deprecatedDependencies(base: ChangeState, current: ChangeState, today: string): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const [id, contract] of Object.entries(current.contracts)) {
    const sunset = contract.deprecation?.sunset;
    if (!sunset || sunset >= today) continue;
    const target = current.nodes[id];
    if (!target) continue;
    for (const [readerId, reader] of Object.entries(current.nodes)) {
      if (!reader.dependsOn.includes(id)) continue;
      const existed = base.nodes[readerId]?.dependsOn.includes(id) ?? false;
      const replacement = contract.deprecation?.replacedBy;
      const make = existed ? warning : error;
      diagnostics.push(make('diff.deprecated_dependency', `${reader.name} ${existed ? 'reads' : 'newly reads'} ${target.name}, whose contract ${contract.name} passed its sunset ${sunset}`, {
        ...(reader.location ? { location: reader.location } : {}),
        hint: replacement ? `read ${replacement} instead` : existed ? 'move off it before it is retired' : 'do not add consumers to a retired model',
      }));
    }
  }
  return diagnostics;
}

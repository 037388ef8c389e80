// What a deploy must change, from what the project would deploy and what the target's state says it has. Pure.
//
// Per node, by checksum: not deployed yet is a create; a different data checksum (SQL, materialization, a seed's
// file), a new relation, or a relation gone from the warehouse is a replace; a different metadata checksum alone
// (contract, tags) re-applies governance to the relation as it is, without rebuilding it. Deployed nodes no longer
// in the project are dropped, only when asked (--allow-drop); otherwise the plan lists them as withheld.
//
// An incremental model whose new contract only adds nullable columns to the contract it was deployed with
// (added-columns.ts) is altered instead of replaced, whatever else its SQL changed: its table gets the new columns,
// keeps its rows (NULL in them), and takes the model's incremental run. Only for the models the caller names as
// alterable, since what decides the rest is outside the state: the warehouse, --full-refresh, a late-arrival window.
//
// Downstream of a rebuilt or altered node: tables, incremental models and dynamic tables are rebuilt, since their
// rows were computed from the old data (a dynamic table refreshes itself on Snowflake, but only within its lag, and
// locally it is a plain table). Views are not: a view is a stored query that names its inputs, so it reads the rebuilt relation as
// soon as it is swapped in (DuckDB and Snowflake both bind a view's names when it is queried). The staleness passes
// through views and ephemerals, so a table that reads a rebuilt table through a view is rebuilt as well.
import { nameOfId } from '../project/node-id.js';
import { addedColumns } from './added-columns.js';
import { contractBreaks } from './contract-breaks.js';
import type { Deployed, DeployedKind, DeployedRelation, GovernedColumn, NodeContract, NodeDeployment, StateRow } from './deployed-state.js';

export type ChangeKind = 'create' | 'alter' | 'replace' | 'governance' | 'drop';

export interface NodeChange {
  readonly kind: ChangeKind;
  readonly node: string;
  readonly name: string;
  readonly nodeKind: DeployedKind;
  readonly materialized: Deployed;
  readonly relationName: string;
  /** Why, in a few words each: "SQL changed", "upstream orders rebuilt". */
  readonly reasons: readonly string[];
  /** Changes that break the node's consumers or weaken its protection (see contract-breaks.ts). */
  readonly breaking: readonly string[];
  /** What the node's state row says once the change is applied; absent for a drop. */
  readonly deployment?: NodeDeployment;
  /** The relation the state has for the node, when the change drops it or moves the node away from it. */
  readonly previous?: { readonly relation: DeployedRelation; readonly relationName: string; readonly materialized: Deployed };
  /** A moved node's old relation is dropped with the change (--allow-drop), or left where it is. */
  readonly dropPrevious?: boolean;
  /** A governance change's contract as deployed: what its re-applied governance replaces. */
  readonly from?: NodeContract | null;
  /** An alter's new columns, with their contract's (Snowflake) types. */
  readonly added?: readonly GovernedColumn[];
}

export interface DeployDiff {
  /** In dependency order, parents first; drops last. */
  readonly changes: readonly NodeChange[];
  /** Drops left out for want of --allow-drop. */
  readonly withheld: readonly NodeChange[];
  readonly unchanged: number;
}

export interface DiffInput {
  /** What the project deploys, in dependency order. */
  readonly desired: readonly NodeDeployment[];
  /** The target's current state (deployed-state.ts: currentState). */
  readonly deployed: readonly StateRow[];
  /** Every compiled node's children, ephemerals and views included: the paths staleness travels. */
  readonly children: ReadonlyMap<string, readonly string[]>;
  /** Nodes whose relation the warehouse no longer has, though the state says they are deployed. */
  readonly missing?: ReadonlySet<string>;
  /** Whether deployed nodes absent from `desired` are to be dropped: not under a selection, which cannot name them. */
  readonly considerDrops: boolean;
  readonly allowDrop: boolean;
  /**
   * Incremental models whose table may be altered in place: the warehouse has it as a table, and nothing but the
   * contract decides (not --full-refresh, nor a late-arrival window, which decides at run time). None when absent.
   */
  readonly alterable?: ReadonlySet<string>;
}

/** Changes after which a node's rows are new: the tables downstream are stale. */
const NEW_ROWS: ReadonlySet<ChangeKind> = new Set(['create', 'alter', 'replace']);

export function diffDeployment(input: DiffInput): DeployDiff {
  const state = new Map(input.deployed.map((r) => [r.node, r]));
  const changes = new Map<string, NodeChange>();
  for (const next of input.desired) {
    const change = nodeChange(next, state.get(next.node), input);
    if (change) changes.set(next.node, change);
  }

  // Rebuilt and altered nodes make the tables downstream of them stale, through views and ephemerals.
  const desired = new Map(input.desired.map((d) => [d.node, d]));
  const queue = [...changes.values()].filter((c) => NEW_ROWS.has(c.kind)).map((c) => ({ id: c.node, via: `${c.name} ${c.kind === 'alter' ? 'altered' : 'rebuilt'}` }));
  const reached = new Set(queue.map((q) => q.id));
  for (let item = queue.shift(); item; item = queue.shift()) {
    for (const child of input.children.get(item.id) ?? []) {
      if (reached.has(child)) continue;
      reached.add(child);
      queue.push({ id: child, via: item.via });
      const next = desired.get(child);
      const held = changes.get(child);
      if (!next || next.materialized === 'view' || (held && NEW_ROWS.has(held.kind))) continue;
      changes.set(child, {
        ...(held ?? base(next)),
        kind: 'replace',
        reasons: [...(held?.reasons ?? []), `upstream ${item.via}`],
      });
    }
  }

  const ordered = input.desired.flatMap((d) => changes.get(d.node) ?? []);
  const drops = input.considerDrops ? dropsOf(input) : [];
  return {
    changes: [...ordered, ...(input.allowDrop ? drops : [])],
    withheld: input.allowDrop ? [] : drops,
    unchanged: input.desired.length - ordered.length,
  };
}

function base(next: NodeDeployment): Omit<NodeChange, 'kind' | 'reasons'> {
  return {
    node: next.node,
    name: nameOfId(next.node),
    nodeKind: next.kind,
    materialized: next.materialized,
    relationName: next.relationName,
    breaking: [],
    deployment: next,
  };
}

function nodeChange(next: NodeDeployment, deployed: StateRow | undefined, input: DiffInput): NodeChange | undefined {
  if (!deployed) return { ...base(next), kind: 'create', reasons: ['not deployed yet'] };
  const moved = deployed.relation.schema !== next.relation.schema || deployed.relation.identifier !== next.relation.identifier;
  const dataChanged = deployed.dataChecksum !== next.dataChecksum;
  const governanceChanged = deployed.metadataChecksum !== next.metadataChecksum;
  const missing = input.missing?.has(next.node) ?? false;
  if (!moved && !dataChanged && !governanceChanged && !missing) return undefined;

  const breaking = [...(moved ? [`relation moved from ${deployed.relationName}`] : []), ...contractBreaks(deployed.contract, next.contract)];
  if (!moved && !dataChanged && !missing) {
    const reasons = ['re-apply governance: contract or tags changed, data unchanged', ...removals(deployed.contract, next.contract)];
    return { ...base(next), kind: 'governance', reasons, breaking, from: deployed.contract };
  }
  const alterable = !moved && !missing && deployed.materialized === 'incremental' && next.materialized === 'incremental' && (input.alterable?.has(next.node) ?? false);
  const added = alterable ? addedColumns(deployed.contract, next.contract) : [];
  if (added.length) {
    const names = `column${added.length === 1 ? '' : 's'} ${added.map((c) => c.name).join(', ')}`;
    const reason = `adds nullable ${names}: existing rows keep NULL; pass --full-refresh to rebuild instead`;
    return { ...base(next), kind: 'alter', reasons: [reason], breaking, added };
  }
  const what =
    deployed.materialized !== next.materialized ? `${deployed.materialized} -> ${next.materialized}` : next.kind === 'seed' ? 'file changed' : 'SQL changed';
  const reasons = [
    ...(dataChanged ? [what] : []),
    ...(governanceChanged ? ['contract or tags changed'] : []),
    ...(missing ? ['relation missing from the warehouse'] : []),
    ...(moved ? [`moved from ${deployed.relationName}${input.allowDrop ? ', which is dropped' : '; the old relation is left in place (pass --allow-drop to drop it)'}`] : []),
  ];
  const previous = { relation: deployed.relation, relationName: deployed.relationName, materialized: deployed.materialized };
  return { ...base(next), kind: 'replace', reasons, breaking, ...(moved ? { previous, dropPrevious: input.allowDrop } : {}) };
}

/**
 * What re-applying governance takes off the live relation, as the state recorded it given: tags and projection
 * policies its columns no longer carry, roles no longer granted SELECT (a row written before they were recorded: none).
 */
function removals(deployed: NodeContract | null, next: NodeContract | null): string[] {
  if (!deployed) return [];
  const byName = new Map((next?.columns ?? []).map((c) => [c.name.toLowerCase(), c]));
  const granted = new Set(next?.grants ?? []);
  const revoked = (deployed.grants ?? []).filter((role) => !granted.has(role));
  return [
    ...deployed.columns.flatMap((c) => {
      const now = byName.get(c.name.toLowerCase());
      const tags = (c.tags ?? []).filter((t) => !now?.tags?.includes(t));
      return [
        ...(tags.length ? [`unsets tag${tags.length === 1 ? '' : 's'} ${tags.join(', ')} on ${c.name}`] : []),
        ...(c.projectionPolicy && !now?.projectionPolicy ? [`unsets projection policy ${c.projectionPolicy} on ${c.name}`] : []),
      ];
    }),
    ...(revoked.length ? [`revokes SELECT from ${revoked.join(', ')}`] : []),
  ];
}

/** Deployed nodes the project no longer has: views first (they may read the tables dropped with them). */
function dropsOf(input: DiffInput): NodeChange[] {
  const wanted = new Set(input.desired.map((d) => d.node));
  return input.deployed
    .filter((r) => !wanted.has(r.node))
    .sort((a, b) => Number(a.materialized !== 'view') - Number(b.materialized !== 'view') || (a.node < b.node ? -1 : 1))
    .map((r) => ({
      kind: 'drop',
      node: r.node,
      name: nameOfId(r.node),
      nodeKind: r.kind,
      materialized: r.materialized,
      relationName: r.relationName,
      reasons: ['no longer in the project'],
      breaking: r.contract ? [`contract ${r.contract.name} governed it`] : [],
      previous: { relation: r.relation, relationName: r.relationName, materialized: r.materialized },
    }));
}

// What a target has deployed, as data: the rows of OPS.charter_state and what they reduce to. Pure.
//
// The table is append-only: each apply adds one row per node it deploys or drops, so the table is also the audit
// trail of every deploy (who, when, which run, which commit). A node's state is its row with the highest seq; a
// node whose latest row is a drop is not deployed. One INSERT per node is atomic on every engine, so a killed
// apply leaves the state of each node either before or after its row, never half written.
import { stableHash } from '../project/hash.js';
import type { Materialization } from '../project/model-config.js';

export type DeployedKind = 'model' | 'seed';
/** How a node is deployed: a model's materialization (never ephemeral: those are inlined), or a seed. */
export type Deployed = Exclude<Materialization, 'ephemeral'> | 'seed';

/** A contract column as far as its consumers and its governance can tell a change apart. */
export interface GovernedColumn {
  readonly name: string;
  readonly dataType?: string;
  readonly classification?: string;
  readonly maskingPolicy?: string;
  /** Declared not_null or primary_key (as a constraint or a test): existing rows cannot take it as NULL. */
  readonly notNull?: true;
  /** Tags (upper-case names) the deploy set on the column; absent when none, or in rows written before they were. */
  readonly tags?: readonly string[];
  /** The projection policy the deploy set on the column (upper-case name). */
  readonly projectionPolicy?: string;
}

export interface NodeContract {
  readonly name: string;
  readonly version: string | null;
  readonly columns: readonly GovernedColumn[];
  /** The row access policy and the columns it reads: re-applying governance swaps it for the new one. */
  readonly rowAccess?: { readonly policy: string; readonly on: readonly string[] };
  /**
   * Roles granted SELECT (upper case): re-applying governance revokes those the contract no longer names. Absent when
   * none, or in rows written before they were recorded, which therefore revoke nothing.
   */
  readonly grants?: readonly string[];
}

/** Where a node lives in the target's database (the database is the target's own, and not recorded apart). */
export interface DeployedRelation {
  readonly schema: string;
  readonly identifier: string;
}

/** What a node deploys, in terms that compare across targets and runs. */
export interface NodeDeployment {
  readonly node: string;
  readonly kind: DeployedKind;
  readonly materialized: Deployed;
  readonly relation: DeployedRelation;
  /** The relation rendered for the target, quoted: for people reading the plan or the table. */
  readonly relationName: string;
  /** The node's dataHash: its SQL with relations named by node id, and its materialization (a seed: its file). */
  readonly dataChecksum: string;
  /** The node's metadataHash: tags and contract. */
  readonly metadataChecksum: string;
  readonly contract: NodeContract | null;
}

/** A row of OPS.charter_state. */
export interface StateRow extends NodeDeployment {
  readonly seq: number;
  readonly action: 'deploy' | 'drop';
  readonly appliedAt: string;
  readonly appliedBy: string;
  readonly runId: string;
  readonly gitCommit: string | null;
}

/** Each node's latest row, drops left out, by node id. */
export function currentState(rows: readonly StateRow[]): StateRow[] {
  const latest = new Map<string, StateRow>();
  for (const row of rows) {
    const held = latest.get(row.node);
    if (!held || row.seq > held.seq || (row.seq === held.seq && row.appliedAt > held.appliedAt)) latest.set(row.node, row);
  }
  return [...latest.values()].filter((r) => r.action === 'deploy').sort((a, b) => (a.node < b.node ? -1 : a.node > b.node ? 1 : 0));
}

/**
 * What a saved plan was made against: every current row, whole. Any apply that touches a node since (even one
 * that deploys the same checksums again) changes its seq and run, and so the fingerprint.
 */
export function stateFingerprint(current: readonly StateRow[]): string {
  return stableHash([...current].sort((a, b) => (a.node < b.node ? -1 : 1)));
}

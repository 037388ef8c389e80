// What each rule of the governance coverage gate is given, and its shape: one module per rule, each exporting
// { id, summary, check }, listed in check-governance-coverage.ts.
import type { Diagnostic, DiagnosticCode } from '../../diagnostics/diagnostic.js';
import type { GovernedModel, LoadedContract } from '../../load/load-contracts.js';
import type { ProjectPolicies } from '../../load/load-policies.js';
import type { RelationGovernance } from '../../project/governance.js';
import type { ModelNode } from '../../project/nodes.js';
import type { DerivedColumn } from './sensitive-lineage.js';

export const SENSITIVE: ReadonlySet<string> = new Set(['pii', 'phi']);

/** A model a contract governs: its node, the contract entry, and the governance resolved for it. */
export interface GovernedRelation {
  readonly model: ModelNode;
  readonly contract: LoadedContract;
  readonly governed: GovernedModel;
  /** Its columns in the order of `governed.columns`. */
  readonly governance: RelationGovernance;
}

export interface CoverageContext {
  readonly contracts: readonly LoadedContract[];
  readonly policies: ProjectPolicies;
  /** By model id. */
  readonly governed: ReadonlyMap<string, GovernedRelation>;
  /** Every output column of every PLATINUM model, with the pii and phi columns upstream whose values reach it. */
  readonly derived: readonly DerivedColumn[];
  /** YYYY-MM-DD: an exemption that expires before this day no longer holds. */
  readonly today: string;
}

export interface CoverageRule {
  readonly id: DiagnosticCode;
  readonly summary: string;
  check(context: CoverageContext): Diagnostic[];
}

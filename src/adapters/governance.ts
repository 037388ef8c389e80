// How an engine enforces a project's governance with its own DDL: once per run, the policies, tags and roles
// (`setup`), and per governed relation, what attaches to it (`attach`). Pure statement generators, like ddl.ts;
// `governanceDdlFor` (dialects.ts) says which engine has one. Snowflake does; the local DuckDB target enforces
// governance its own way, so it has none.
import type { ProjectPolicies } from '../load/load-policies.js';
import type { LiveGovernance, RelationGovernance } from '../project/governance.js';
import type { Relation } from '../project/relation.js';
import type { Adapter, RunStatement } from './adapter.js';
import type { RelationKind } from './ddl.js';

/** What a governed relation is, as the statements that attach to it must name it. */
export type GovernedKind = RelationKind | 'dynamic_table';

/** Where policies and tags live: the policies schema (policies/*.yml's `schema`) of the target's database. */
export interface PolicyLocation {
  readonly database: string;
  readonly schema: string;
  /**
   * The role charter builds and tests as (the target's `role`): every policy lets it read as stored, so contract
   * tests, SLOs and drift measure real values, as charter's own sessions do on the local target.
   */
  readonly deployRole?: string;
}

/** A project-level statement, or a line saying what is deliberately not sent (written to the compiled file only). */
export type SetupStep = { readonly sql: string } | { readonly comment: string };

export interface GovernanceDdl {
  /**
   * Everything the relations' statements name, in the order it must exist: the policies' schema, roles and their
   * hierarchy, tags, masking and row access policies, tag-based masking, and (given the governed relations) USAGE
   * on their database and schemas for the roles granted SELECT, without which SELECT alone reads nothing.
   * Idempotent: it runs again on every build. A policy in `replacements` (a deploy found its signature changed in the
   * warehouse) is replaced by the replacement's statements first, where it would be created.
   */
  setup(policies: ProjectPolicies, at: PolicyLocation, governed?: Iterable<RelationGovernance>, replacements?: readonly PolicyReplacement[]): readonly SetupStep[];
  /**
   * What attaches `governance` to `relation`, a relation just built (for a table or view, its staged relation, before
   * it goes in place): so none of it is there yet, and nothing needs detaching first. Empty when there is nothing.
   */
  attach(governance: RelationGovernance, relation: Relation, kind: GovernedKind, at: PolicyLocation): string[];
  /**
   * What brings a live relation, governed as `previous` says, to `governance`, without a window where it is less
   * protected than either: masking set with FORCE (and unset only where no policy masks the column any more), a row
   * access policy swapped in one statement, tags set again, grants added.
   */
  reattach(governance: RelationGovernance, relation: Relation, kind: GovernedKind, at: PolicyLocation, previous: PreviousGovernance): string[];
  /**
   * What replaces policy `policy` of the project, deployed with another signature, by its current definition without
   * a moment where anything it is attached to (`attachments`, as the warehouse lists them) is without a policy.
   * `governed`: the relations the project governs, whose contract says which columns a row access policy reads.
   * `unmovable`: each attachment no statement can move, saying why (nothing is to be applied then).
   */
  replacePolicy(
    policies: ProjectPolicies, at: PolicyLocation, policy: PolicyRef & { readonly from: PolicySignature }, attachments: readonly PolicyAttachment[],
    governed?: Iterable<RelationGovernance>,
  ): { readonly statements: string[]; readonly unmovable: string[] };
  /** What finishes a replacement an apply stopped in: the policy dropped, its successor under the temporary name. */
  finishReplacement(at: PolicyLocation, policy: PolicyRef): string[];
}

/** What a live relation was governed with, as far as the deployed state records it. */
export interface PreviousGovernance {
  /** Columns whose masking policy the contract set on them. */
  readonly masked: readonly string[];
  /** Its row access policy's name (upper case), if it had one. */
  readonly rowAccess?: string;
  /** Roles granted SELECT on it; empty when the state does not record them (rows written before it did). */
  readonly grants: readonly string[];
  /** Tags (upper-case names) set on its columns; empty when the state does not record them. */
  readonly tags: ReadonlyArray<{ readonly column: string; readonly tag: string }>;
  /** Columns that had a projection policy. */
  readonly projected: readonly string[];
}

// ---- policies deployed with another signature: what a deploy reads from the warehouse and replaces

export type PolicyKind = 'masking' | 'row_access' | 'projection';

/** The temporary name a replacement creates a policy's new definition under, until the old one is dropped. */
export const successorOf = (name: string): string => `${name}__CHARTER_NEXT`;

/** A policy of the project, by kind and name (upper case), in the policies schema. */
export interface PolicyRef {
  readonly kind: PolicyKind;
  readonly name: string;
}

/** What a policy takes and returns, as Snowflake's DESCRIBE ... POLICY tells it (or a definition, for comparison). */
export interface PolicySignature {
  readonly args: ReadonlyArray<{ readonly name: string; readonly type: string }>;
  readonly returns: string;
}

/** Where a policy is attached: a column (masking, projection), a relation (row access) or a tag (masking). */
export type PolicyAttachment =
  | { readonly on: 'column'; readonly relation: Relation; readonly object: GovernedKind; readonly column: string }
  | { readonly on: 'relation'; readonly relation: Relation; readonly object: GovernedKind; readonly columns: readonly string[] }
  | { readonly on: 'tag'; readonly tag: Relation };

/**
 * A policy of the project replaced in a deploy: as deployed and as defined, what it was attached to, and the
 * statements, made when the plan was. `finish`: an apply was stopped between dropping it and renaming its successor.
 */
export interface PolicyReplacement extends PolicyRef {
  readonly from: PolicySignature;
  readonly to: PolicySignature;
  readonly attachments: readonly PolicyAttachment[];
  readonly finish?: true;
  readonly sql: readonly string[];
}

/**
 * An adapter whose warehouse keeps policies as objects (Snowflake) reads how one is deployed and where it is
 * attached. Reached through `canReadPolicies`.
 */
export interface PolicyReader {
  /** The policy's signature as deployed; undefined when the warehouse has no such policy. */
  deployedPolicy(run: RunStatement, at: PolicyLocation, policy: PolicyRef): Promise<PolicySignature | undefined>;
  /** Every object the policy is attached to. */
  policyAttachments(run: RunStatement, at: PolicyLocation, policy: PolicyRef): Promise<PolicyAttachment[]>;
}

export const canReadPolicies = <A extends Adapter>(adapter: A): adapter is A & PolicyReader =>
  typeof (adapter as Partial<PolicyReader>).deployedPolicy === 'function' && typeof (adapter as Partial<PolicyReader>).policyAttachments === 'function';

/**
 * An adapter whose warehouse keeps governance as its own state (Snowflake) reads back what one relation has in force:
 * policies attached, tags set, roles granted SELECT. Reached through `canReadGovernance`.
 */
export interface GovernanceReader {
  readGovernance(run: RunStatement, relation: Relation, kind: GovernedKind, node?: string): Promise<LiveGovernance>;
}

export const canReadGovernance = <A extends Adapter>(adapter: A): adapter is A & GovernanceReader =>
  typeof (adapter as Partial<GovernanceReader>).readGovernance === 'function';

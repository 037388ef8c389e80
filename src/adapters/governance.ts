// How an engine enforces a project's governance with its own DDL: once per run, the policies, tags and roles
// (`setup`), and per governed relation, what attaches to it (`attach`). Pure statement generators, like ddl.ts;
// `governanceDdlFor` (dialects.ts) says which engine has one. Snowflake does; the local DuckDB target enforces
// governance its own way, so it has none.
import type { ProjectPolicies } from '../load/load-policies.js';
import type { RelationGovernance } from '../project/governance.js';
import type { Relation } from '../project/relation.js';
import type { RelationKind } from './ddl.js';

/** What a governed relation is, as the statements that attach to it must name it. */
export type GovernedKind = RelationKind | 'dynamic_table';

/** Where policies and tags live: the policies schema (policies/*.yml's `schema`) of the target's database. */
export interface PolicyLocation {
  readonly database: string;
  readonly schema: string;
}

/** A project-level statement, or a line saying what is deliberately not sent (written to the compiled file only). */
export type SetupStep = { readonly sql: string } | { readonly comment: string };

export interface GovernanceDdl {
  /**
   * Everything the relations' statements name, in the order it must exist: the policies' schema, roles and their
   * hierarchy, tags, masking and row access policies, tag-based masking, and (given the governed relations) USAGE
   * on their database and schemas for the roles granted SELECT, without which SELECT alone reads nothing.
   * Idempotent: it runs again on every build.
   */
  setup(policies: ProjectPolicies, at: PolicyLocation, governed?: Iterable<RelationGovernance>): readonly SetupStep[];
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
}

/** What a live relation was governed with, as far as the deployed state records it. */
export interface PreviousGovernance {
  /** Columns whose masking policy the contract set on them. */
  readonly masked: readonly string[];
  /** Its row access policy's name (upper case), if it had one. */
  readonly rowAccess?: string;
}

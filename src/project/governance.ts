// What governance one relation carries, engine neutral: each column's masking policy and tags, the row access policy
// and the columns it reads, and the roles granted SELECT. render/governance-spec.ts resolves it from a contract and
// the project's policies; each engine's renderer (or local enforcement) takes it from there.
import type { Relation } from './relation.js';

export interface ColumnGovernance {
  /** As the contract writes it. */
  readonly column: string;
  readonly dataType?: string;
  readonly classification?: string;
  /**
   * The masking policy that applies (upper-case name), and how it came to. `using`: for a conditional policy, the
   * columns its further arguments read, named as the arguments (as Snowflake binds them through a tag).
   */
  readonly masking?: { readonly policy: string; readonly via: 'column' | 'product' | { readonly tag: string }; readonly using?: readonly string[] };
  readonly tags: ReadonlyArray<{ readonly tag: string; readonly value: string }>;
  /** The projection policy on the column (upper-case name): the roles it does not allow may filter on it, not select it. */
  readonly projection?: string;
}

export interface RelationGovernance {
  readonly node: string;
  readonly relation: Relation;
  readonly columns: readonly ColumnGovernance[];
  readonly rowAccess?: { readonly policy: string; readonly on: readonly string[] };
  /** Roles granted SELECT (the contract's roles_allowed). */
  readonly grants: readonly string[];
  /** Days of time travel the contract's retention gives the table (Snowflake's DATA_RETENTION_TIME_IN_DAYS); absent: the account's default. */
  readonly timeTravelDays?: number;
}

/**
 * What governance a relation has in force, as the warehouse reports it (read back after a run, not rendered). Policy
 * and tag names are qualified (`DB.SCHEMA.NAME`), columns upper case, as Snowflake stores unquoted names.
 */
export interface LiveGovernance {
  readonly relation: Relation;
  /** Column to the masking policy on it: set on the column, or through a tag the column carries (which wins: the column's own). */
  readonly masking: Readonly<Record<string, string>>;
  /** Column to its projection policy. */
  readonly projection: Readonly<Record<string, string>>;
  readonly rowAccess: { readonly policy: string; readonly on: readonly string[] } | null;
  /** Column to tag to value. */
  readonly tags: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Roles granted SELECT, sorted. */
  readonly grants: readonly string[];
}

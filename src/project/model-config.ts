// A model's effective configuration, as every stage after render reads it.
/** dynamic_table: Snowflake keeps it refreshed within its target lag; locally it is a table rebuilt on each build. */
export const MATERIALIZATIONS = ['view', 'table', 'incremental', 'ephemeral', 'dynamic_table'] as const;
export type Materialization = (typeof MATERIALIZATIONS)[number];
/**
 * merge: replace the rows whose unique_key the new rows have, insert the rest. append: insert. insert_overwrite:
 * replace every row of each partition (partition_by's value) the new rows cover, so a row a late change removes
 * from a recomputed partition goes too.
 */
export const INCREMENTAL_STRATEGIES = ['merge', 'append', 'insert_overwrite'] as const;
export type IncrementalStrategy = (typeof INCREMENTAL_STRATEGIES)[number];
/** What an incremental run does when the model's columns no longer match its table (dbt's on_schema_change). */
export const SCHEMA_CHANGE_POLICIES = ['fail', 'ignore', 'append_new_columns', 'sync_all_columns'] as const;
export type SchemaChangePolicy = (typeof SCHEMA_CHANGE_POLICIES)[number];

/**
 * How far back rows of an incremental model's input may arrive late: rows of `input` whose `column` is more than
 * `windowDays` older than the newest are sealed once built; a later run that finds sealed days changed either
 * rebuilds the model in full (`rebuild`) or fails (`fail`).
 */
export interface LateArrival {
  readonly input: string;
  readonly column: string;
  readonly windowDays: number;
  readonly onLate: 'rebuild' | 'fail';
}

export interface ModelConfig {
  readonly materialized: Materialization;
  readonly tags: readonly string[];
  readonly schema?: string;
  readonly alias?: string;
  readonly uniqueKey?: readonly string[];
  readonly incrementalStrategy?: IncrementalStrategy;
  /** The column whose values name the partitions an insert_overwrite run replaces. */
  readonly partitionBy?: string;
  /** As written; when absent, `fail` for a model a contract governs, `ignore` otherwise (see materialization-plan). */
  readonly onSchemaChange?: SchemaChangePolicy;
  readonly lateArrival?: LateArrival;
  readonly enabled: boolean;
  /** A SECURE view on Snowflake (its definition hidden, no optimiser shortcuts past its filters). */
  readonly secure?: boolean;
  /** A TRANSIENT table on Snowflake: no fail-safe period, cheaper storage. */
  readonly transient?: boolean;
  /** For dynamic tables: how stale Snowflake may let it get ('15 minutes', '1 hour', 'DOWNSTREAM'). */
  readonly targetLag?: string;
  /** For dynamic tables: the warehouse Snowflake refreshes it with. */
  readonly snowflakeWarehouse?: string;
}

/** Snowflake's TARGET_LAG: a number of seconds, minutes, hours or days, or DOWNSTREAM. */
export const TARGET_LAG = /^(\d+\s+(seconds?|minutes?|hours?|days?)|downstream)$/i;

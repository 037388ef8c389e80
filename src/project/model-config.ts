// A model's effective configuration, as every stage after render reads it.
export const MATERIALIZATIONS = ['view', 'table', 'incremental', 'ephemeral'] as const;
export type Materialization = (typeof MATERIALIZATIONS)[number];
export const INCREMENTAL_STRATEGIES = ['merge', 'append'] as const;
export type IncrementalStrategy = (typeof INCREMENTAL_STRATEGIES)[number];

export interface ModelConfig {
  readonly materialized: Materialization;
  readonly tags: readonly string[];
  readonly schema?: string;
  readonly alias?: string;
  readonly uniqueKey?: readonly string[];
  readonly incrementalStrategy?: IncrementalStrategy;
  readonly enabled: boolean;
}

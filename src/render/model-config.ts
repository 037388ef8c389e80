// A model's effective configuration: folder defaults from project.yml, then its own config() call.
import type { ModelDefaults, ProjectConfig } from '../load/project-schema.js';
import { INCREMENTAL_STRATEGIES, MATERIALIZATIONS, SCHEMA_CHANGE_POLICIES, TARGET_LAG, type IncrementalStrategy, type Materialization, type LateArrival, type ModelConfig, type SchemaChangePolicy } from '../project/model-config.js';

/** The keys config() accepts, with a check that returns a problem or undefined. */
export const CONFIG_KEYS: Record<string, (v: unknown) => string | undefined> = {
  materialized: (v) => (MATERIALIZATIONS.includes(v as Materialization) ? undefined : `one of ${MATERIALIZATIONS.join(', ')}`),
  tags: (v) => (isStringOrList(v) ? undefined : 'a string or a list of strings'),
  schema: (v) => (typeof v === 'string' && /^[A-Za-z_][A-Za-z0-9_$]*$/.test(v) ? undefined : 'an identifier'),
  alias: (v) => (typeof v === 'string' && /^[A-Za-z_][A-Za-z0-9_$]*$/.test(v) ? undefined : 'an identifier'),
  unique_key: (v) => (isStringOrList(v) ? undefined : 'a column name or a list of column names'),
  incremental_strategy: (v) =>
    INCREMENTAL_STRATEGIES.includes(v as IncrementalStrategy) ? undefined : `one of ${INCREMENTAL_STRATEGIES.join(', ')}`,
  partition_by: (v) => (typeof v === 'string' && /^[A-Za-z_][A-Za-z0-9_$]*$/.test(v) ? undefined : 'a column name'),
  enabled: (v) => (typeof v === 'boolean' ? undefined : 'true or false'),
  late_arrival: lateArrivalProblem,
  secure: (v) => (typeof v === 'boolean' ? undefined : 'true or false'),
  transient: (v) => (typeof v === 'boolean' ? undefined : 'true or false'),
  target_lag: (v) => (typeof v === 'string' && TARGET_LAG.test(v.trim()) ? undefined : "a lag like '15 minutes', '1 hour', '1 day', or 'downstream'"),
  snowflake_warehouse: (v) => (typeof v === 'string' && /^[A-Za-z_][A-Za-z0-9_$]*$/.test(v) ? undefined : 'a warehouse name'),
  on_schema_change: (v) => (SCHEMA_CHANGE_POLICIES.includes(v as SchemaChangePolicy) ? undefined : `one of ${SCHEMA_CHANGE_POLICIES.join(', ')}`),
};

const LATE_ARRIVAL_KEYS = ['input', 'column', 'window_days', 'on_late'];

function lateArrivalProblem(v: unknown): string | undefined {
  const expected = "a mapping like {'input': 'stg_events', 'column': 'event_date', 'window_days': 31, 'on_late': 'rebuild'}";
  if (!v || typeof v !== 'object' || Array.isArray(v)) return expected;
  const o = v as Record<string, unknown>;
  const unknown = Object.keys(o).filter((k) => k !== '__keywords' && !LATE_ARRIVAL_KEYS.includes(k));
  if (unknown.length) return `${expected} (unknown key ${unknown.join(', ')})`;
  if (typeof o['input'] !== 'string' || typeof o['column'] !== 'string') return `${expected} (input and column are names)`;
  if (!Number.isInteger(o['window_days']) || (o['window_days'] as number) < 0) return `${expected} (window_days is a whole number of days)`;
  if (o['on_late'] !== undefined && o['on_late'] !== 'rebuild' && o['on_late'] !== 'fail') return `${expected} (on_late is rebuild or fail)`;
  return undefined;
}

function isStringOrList(v: unknown): boolean {
  return typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string'));
}

const asList = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

/** Defaults of every folder on the model's path, outermost first, so the deepest folder wins. */
export function folderDefaults(project: ProjectConfig, folders: readonly string[]): ModelDefaults {
  const merged: { materialized?: Materialization; tags: string[]; schema?: string; enabled?: boolean; transient?: boolean } = { tags: [] };
  for (let depth = 1; depth <= folders.length; depth++) {
    const key = folders.slice(0, depth).join('/');
    const defaults = project.models?.[key];
    if (!defaults) continue;
    if (defaults.materialized) merged.materialized = defaults.materialized;
    if (defaults.schema) merged.schema = defaults.schema;
    if (defaults.enabled !== undefined) merged.enabled = defaults.enabled;
    if (defaults.transient !== undefined) merged.transient = defaults.transient;
    merged.tags.push(...(defaults.tags ?? []));
  }
  return merged;
}

function lateArrivalOf(o: Record<string, unknown>): LateArrival {
  return { input: String(o['input']), column: String(o['column']), windowDays: Number(o['window_days']), onLate: o['on_late'] === 'fail' ? 'fail' : 'rebuild' };
}

export function resolveModelConfig(defaults: ModelDefaults, own: Readonly<Record<string, unknown>>): ModelConfig {
  const tags = [...new Set([...(defaults.tags ?? []), ...asList(own['tags'])])];
  const uniqueKey = own['unique_key'] === undefined ? undefined : asList(own['unique_key']);
  return {
    materialized: (own['materialized'] as Materialization | undefined) ?? defaults.materialized ?? 'view',
    tags,
    schema: (own['schema'] as string | undefined) ?? defaults.schema,
    alias: own['alias'] as string | undefined,
    uniqueKey,
    incrementalStrategy:
      (own['incremental_strategy'] as IncrementalStrategy | undefined) ?? (uniqueKey ? 'merge' : undefined),
    ...(own['partition_by'] !== undefined ? { partitionBy: own['partition_by'] as string } : {}),
    enabled: (own['enabled'] as boolean | undefined) ?? defaults.enabled ?? true,
    ...(own['on_schema_change'] !== undefined ? { onSchemaChange: own['on_schema_change'] as SchemaChangePolicy } : {}),
    ...(own['late_arrival'] !== undefined ? { lateArrival: lateArrivalOf(own['late_arrival'] as Record<string, unknown>) } : {}),
    ...(own['secure'] !== undefined ? { secure: own['secure'] as boolean } : {}),
    ...(own['transient'] ?? defaults.transient) !== undefined ? { transient: (own['transient'] ?? defaults.transient) as boolean } : {},
    ...(own['target_lag'] !== undefined ? { targetLag: String(own['target_lag']).trim() } : {}),
    ...(own['snowflake_warehouse'] !== undefined ? { snowflakeWarehouse: own['snowflake_warehouse'] as string } : {}),
  };
}

// The Cortex Analyst semantic model YAML of a semantic view (what SYSTEM$CREATE_SEMANTIC_VIEW_FROM_YAML takes and
// SYSTEM$READ_YAML_FROM_SEMANTIC_VIEW gives back), verified queries included. Pure.
import { stringify } from 'yaml';
import type { SemanticMetric, SemanticViewDefinition } from '../load/semantic-view-schema.js';
import type { SemanticViewPlacement } from './semantic-view-ddl.js';

const upper = (s: string): string => s.toUpperCase();
const text = (s: string | undefined): string | undefined => s?.trim().replace(/\s+/g, ' ');

/** Drops undefined and empty-list keys, so the YAML shows only what is said. */
function compact<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0))) as T;
}

export function semanticModel(view: SemanticViewDefinition, place: SemanticViewPlacement): Record<string, unknown> {
  const tableOfDimension = new Map<string, string>();
  for (const t of view.tables) for (const d of [...(t.dimensions ?? []), ...(t.time_dimensions ?? [])]) tableOfDimension.set(d.name.toLowerCase(), t.name);
  const access = (m: { private?: boolean }): string | undefined => (m.private ? 'private_access' : undefined);
  const metric = (m: SemanticMetric): Record<string, unknown> => compact({
    name: m.name, synonyms: m.synonyms, description: text(m.description), expr: m.expr.trim(), access_modifier: access(m),
    non_additive_dimensions: m.non_additive_by?.map((d) => ({ table: tableOfDimension.get(d.toLowerCase()), dimension: d, sort_direction: 'ascending', null_order: 'first' })),
  });
  return compact({
    name: view.name,
    description: text(view.description),
    tables: view.tables.map((t) => {
      const relation = place.relations.get(t.model.toLowerCase());
      return compact({
        name: t.name,
        description: text(t.description),
        synonyms: t.synonyms,
        base_table: { database: upper(relation?.database ?? place.database), schema: upper(relation?.schema ?? place.schema), table: upper(relation?.identifier ?? t.model) },
        primary_key: t.primary_key ? { columns: t.primary_key.map(upper) } : undefined,
        unique_keys: t.unique_keys?.map((k) => ({ columns: k.map(upper) })),
        dimensions: t.dimensions?.map((d) => compact({
          name: d.name, synonyms: d.synonyms, description: text(d.description), expr: d.expr.trim(), data_type: d.data_type, sample_values: d.sample_values, is_enum: d.is_enum,
        })),
        time_dimensions: t.time_dimensions?.map((d) => compact({
          name: d.name, synonyms: d.synonyms, description: text(d.description), expr: d.expr.trim(), data_type: d.data_type, sample_values: d.sample_values,
        })),
        facts: t.facts?.map((f) => compact({
          name: f.name, synonyms: f.synonyms, description: text(f.description), expr: f.expr.trim(), data_type: f.data_type, sample_values: f.sample_values, access_modifier: access(f),
        })),
        metrics: t.metrics?.map(metric),
      });
    }),
    relationships: view.relationships?.map((r) => {
      const target = view.tables.find((t) => t.name.toLowerCase() === r.to.toLowerCase());
      const right = r.to_columns ?? target?.primary_key ?? [];
      return {
        name: r.name ?? `${r.from}_to_${r.to}`,
        left_table: r.from,
        right_table: r.to,
        relationship_columns: r.columns.map((c, i) => ({ left_column: upper(c), right_column: upper(right[i] ?? c) })),
        relationship_type: 'many_to_one',
        join_type: 'left_outer',
      };
    }),
    metrics: view.metrics?.map(metric),
    verified_queries: view.verified_queries?.map((q) => compact({
      name: q.name, question: q.question, sql: q.sql.trim(), verified_at: q.verified_at, verified_by: q.verified_by, use_as_onboarding_question: q.onboarding,
    })),
    module_custom_instructions: view.ai_sql_generation ? { sql_generation: text(view.ai_sql_generation) } : undefined,
  });
}

export function semanticModelYaml(view: SemanticViewDefinition, place: SemanticViewPlacement, sourceFile: string): string {
  return `# Cortex Analyst semantic model of semantic view ${view.name}, from ${sourceFile}. Written by charter compile.\n${stringify(semanticModel(view, place), { lineWidth: 0 })}`;
}

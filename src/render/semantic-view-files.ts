// Per semantic view, the two files compile writes under target/compiled/semantic_views/: its Snowflake DDL and its
// Cortex Analyst YAML. Pure.
import type { LoadedSemanticView } from '../load/load-semantic-views.js';
import type { CompiledProject } from '../project/nodes.js';
import type { Relation } from '../project/relation.js';
import { semanticViewSql, type SemanticViewPlacement } from './semantic-view-ddl.js';
import { semanticModelYaml } from './semantic-view-yaml.js';

/** The schema a view goes to when its file names none: the platinum layer's, where the marts it reads live. */
export const DEFAULT_SEMANTIC_SCHEMA = 'PLATINUM';

/** Where a view goes: its own `schema`, else `defaultSchema`, in the database of the first model it reads. */
export function placementOf(view: LoadedSemanticView, project: CompiledProject, defaultSchema: string, defaultDatabase: string): SemanticViewPlacement {
  const relations = new Map<string, Relation>();
  for (const node of project.nodes.values()) if (node.kind === 'model' || node.kind === 'seed') relations.set(node.name.toLowerCase(), node.relation);
  const first = relations.get(view.definition.tables[0]!.model.toLowerCase());
  return { database: first?.database ?? defaultDatabase, schema: view.definition.schema ?? defaultSchema, relations };
}

export function semanticViewFiles(
  views: readonly LoadedSemanticView[], project: CompiledProject, defaultSchema: string, defaultDatabase: string,
): Array<{ path: string; text: string }> {
  return views.flatMap((view) => {
    const place = placementOf(view, project, defaultSchema, defaultDatabase);
    const name = view.definition.name.toLowerCase();
    return [
      { path: `semantic_views/${name}.sql`, text: semanticViewSql(view.definition, place, view.file) },
      { path: `semantic_views/${name}.yaml`, text: semanticModelYaml(view.definition, place, view.file) },
    ];
  });
}

// Finding nodes by the names people write: ref('x'), source('s', 't'), a contract's `model:`, a unit test's model.
// One index per compiled project. An exact name wins; otherwise names compare case-insensitively (Snowflake folds
// unquoted names), and a model wins over a seed of the same name, as ref() resolves them.
import type { CompiledProject, ModelNode, ProjectNode, SeedNode, SourceNode } from './nodes.js';

export interface NodeIndex {
  /** What ref(name) reaches: a model or a seed. */
  ref(name: string): ModelNode | SeedNode | undefined;
  model(name: string): ModelNode | undefined;
  /** A declared source table, by `source.table` or by its two parts. */
  source(sourceName: string, table?: string): SourceNode | undefined;
  /** Any node of that name, for hints such as "`x` is a seed; contracts govern models". */
  any(name: string): ProjectNode | undefined;
  /** The node whose rendered relation is this (quotes and case ignored). */
  byRelation(relationName: string): ProjectNode | undefined;
  /**
   * The model a table name like `DB.SCHEMA.TABLE`, `SCHEMA.TABLE` or `TABLE` names: schema and table compare
   * case-insensitively with the model's relation; the database part is the deployment's business and is not compared.
   */
  modelByTableName(qualified: string): ModelNode | undefined;
  /** Names of the nodes of these kinds, for did-you-mean hints. */
  names(...kinds: ReadonlyArray<ProjectNode['kind']>): string[];
}

const indexes = new WeakMap<CompiledProject, NodeIndex>();

export function nodeIndex(project: CompiledProject): NodeIndex {
  let index = indexes.get(project);
  if (!index) {
    index = buildIndex(project);
    indexes.set(project, index);
  }
  return index;
}

const unquote = (name: string): string => name.replace(/"/g, '').toLowerCase();

function buildIndex(project: CompiledProject): NodeIndex {
  const exact = new Map<string, ProjectNode>();
  const folded = new Map<string, ProjectNode>();
  const relations = new Map<string, ProjectNode>();
  for (const node of project.nodes.values()) {
    relations.set(unquote(node.relationName), node);
    const key = node.kind === 'source' ? `source:${node.name}` : node.name;
    // Models win over seeds of the same name.
    for (const [map, k] of [[exact, key], [folded, key.toLowerCase()]] as const) {
      const held = map.get(k);
      if (!held || (node.kind === 'model' && held.kind !== 'model')) map.set(k, node);
    }
  }
  const find = (key: string): ProjectNode | undefined => exact.get(key) ?? folded.get(key.toLowerCase());
  return {
    ref: (name) => {
      const node = find(name);
      return node?.kind === 'model' || node?.kind === 'seed' ? node : undefined;
    },
    model: (name) => {
      const node = find(name);
      return node?.kind === 'model' ? node : undefined;
    },
    source: (sourceName, table) => {
      const node = find(`source:${table === undefined ? sourceName : `${sourceName}.${table}`}`);
      return node?.kind === 'source' ? node : undefined;
    },
    any: (name) => find(name) ?? find(`source:${name}`),
    byRelation: (relationName) => relations.get(unquote(relationName)),
    modelByTableName: (qualified) => {
      const parts = qualified.split('.').map(unquote);
      const [identifier, schema] = [parts.at(-1), parts.length > 1 ? parts.at(-2) : undefined];
      const matches = [...project.nodes.values()].filter(
        (n): n is ModelNode => n.kind === 'model' && n.relation.identifier.toLowerCase() === identifier && (schema === undefined || n.relation.schema.toLowerCase() === schema),
      );
      return matches.length === 1 ? matches[0] : undefined;
    },
    names: (...kinds) => [...project.nodes.values()].filter((n) => kinds.includes(n.kind)).map((n) => n.name),
  };
}

// Helpers for contract tests: a position marker in fixture text, fixture contracts, and small compiled projects.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { dialectFor } from '../../src/adapters/dialects.js';
import type { Engine } from '../../src/project/relation.js';
import { parseContract, type LoadedContract } from '../../src/load/load-contracts.js';
import type { CompiledProject, ModelNode, ProjectNode, SeedNode } from '../../src/project/nodes.js';
import { repoRoot } from '../helpers/project.js';

export { MARK, marked } from '../helpers/marker.js';

export const ORDERS_CORE_FILE = 'contracts/orders_core.yml';
export const ordersCoreText = (): string => readFileSync(path.join(repoRoot, 'tests/fixtures', ORDERS_CORE_FILE), 'utf8');

/** The fixture text with `from` replaced by `to` (which may carry the « marker); fails loudly if `from` is absent. */
export function edited(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`fixture has no ${JSON.stringify(from)}`);
  return text.replace(from, to);
}

export function loaded(text: string, file = ORDERS_CORE_FILE): LoadedContract {
  const { contract, diagnostics } = parseContract(file, text);
  if (!contract || diagnostics.some((d) => d.severity === 'error')) {
    throw new Error(`expected a valid contract:\n${diagnostics.map((d) => d.message).join('\n')}`);
  }
  return contract;
}

/** A compiled project with just enough of each node for contract checks and test rendering. */
export function fakeProject(
  nodes: { models: string[]; seeds?: string[] },
  options: { engine?: Engine; database?: string; schema?: string; name?: string } = {},
): CompiledProject {
  const engine = options.engine ?? 'duckdb';
  const dialect = dialectFor(engine);
  const name = options.name ?? 'shop';
  const base = (kind: string, id: string) => {
    const relation = { database: options.database ?? 'memory', schema: options.schema ?? 'main', identifier: id };
    return {
      uniqueId: `${kind}.${name}.${id}`,
      name: id,
      relation,
      relationName: dialect.renderRelation(relation),
      dependsOn: [],
      location: { file: `${kind}s/${id}`, line: 1, column: 1 },
    };
  };
  const models: ModelNode[] = nodes.models.map((m) => ({
    ...base('model', m),
    kind: 'model',
    path: `models/${m}.sql`,
    folders: [],
    config: { materialized: 'table', tags: [], enabled: true },
    refs: [],
    sources: [],
    compiledSql: 'select 1',
    rawSql: 'select 1',
    rawHash: '',
    compiledHash: '',
    dataHash: '',
    metadataHash: '',
  }));
  const seeds: SeedNode[] = (nodes.seeds ?? []).map((s) => ({
    ...base('seed', s),
    kind: 'seed',
    path: `seeds/${s}.csv`,
    absolutePath: `/seeds/${s}.csv`,
    dataHash: '',
    metadataHash: '',
    compressed: false,
    contentHash: '',
    tags: [],
    columns: {},
  }));
  const all: ProjectNode[] = [...models, ...seeds];
  return {
    singularTests: [],
    projectName: name,
    projectVersion: '1.0.0',
    target: { name: 'dev', engine, database: options.database ?? 'memory' },
    nodes: new Map(all.map((n) => [n.uniqueId, n])),
    order: all.map((n) => n.uniqueId),
    parents: new Map(),
    children: new Map(),
    macrosHash: '',
  };
}

export function modelNode(project: CompiledProject, name: string): ModelNode {
  const node = project.nodes.get(`model.${project.projectName}.${name}`);
  if (node?.kind !== 'model') throw new Error(`no model ${name}`);
  return node;
}

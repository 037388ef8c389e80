// `lineage` as a library call: a model's column lineage, one step upstream and up to the seed and source columns, and
// the columns of other models computed from it, from the last compile's renders (nothing is written). `projectLineage` is the same tracing for any compiled project.
import path from 'node:path';
import { readCompileState } from '../artifacts/compile-state.js';
import { error, UserError } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../diagnostics/suggest.js';
import { lineageCacheFile, readLineageCache, writeLineageCache } from '../artifacts/lineage-cache.js';
import { columnLineage, type ColumnLineage, type ModelLineage, type ProjectLineage } from '../graph/column-lineage.js';
import { rootResolver, type RootLineage } from '../graph/root-lineage.js';
import { downstreamResolver, type DownstreamLineage } from '../graph/downstream-lineage.js';
import type { LoadedContract } from '../load/load-contracts.js';
import { loadProject } from '../load/load-project.js';
import { nodeIndex } from '../project/lookup.js';
import type { CompiledProject } from '../project/nodes.js';
import { compileProject } from '../render/compile-project.js';
import { ephemeralCteName } from '../render/ephemeral.js';
import { RenderCache } from '../render/render-cache.js';
import { governedNode } from '../validate/check-contracts.js';
import type { ProjectOptions } from './options.js';

/**
 * Column lineage of a compiled project: every model, or `models` and their ancestors. Contracts' columns give the
 * shape of a model whose SQL does not (a SELECT * over a source); ephemeral models are found in the CTEs they became.
 */
export function projectLineage(compiled: CompiledProject, contracts: readonly LoadedContract[], models?: Iterable<string>, cacheFile?: string): ProjectLineage {
  const index = nodeIndex(compiled);
  const declaredColumns = new Map<string, string[]>();
  for (const contract of contracts) {
    for (const governed of contract.models) {
      const model = governedNode(index, governed);
      if (model && !declaredColumns.has(model.uniqueId)) declaredColumns.set(model.uniqueId, governed.columns.map((c) => c.name));
    }
  }
  const inlinedCtes = new Map<string, string>();
  for (const node of compiled.nodes.values()) {
    if (node.kind === 'model' && node.config.materialized === 'ephemeral') inlinedCtes.set(ephemeralCteName(node.name).toLowerCase(), node.uniqueId);
  }
  // Only the traces this run used are written back: the file never grows with models long gone.
  const saved = cacheFile ? readLineageCache(cacheFile) : undefined;
  const used = new Map<string, ModelLineage>();
  const cache = saved ? { get: (key: string) => saved.get(key), set: (key: string, value: ModelLineage) => void used.set(key, value) } : undefined;
  const traced = columnLineage(compiled, { declaredColumns, inlinedCtes, ...(models ? { models } : {}), ...(cache ? { cache } : {}) });
  if (cacheFile && saved) writeLineageCache(cacheFile, used, new Set(saved.keys()));
  return traced;
}

export interface ColumnReport {
  readonly column: string;
  /** One step upstream: the columns of the models, seeds and sources the model reads. */
  readonly lineage: ColumnLineage;
  /** All the way up: seed and source columns. */
  readonly roots: RootLineage;
  /** The columns of other models computed from it, one step and all the way down. */
  readonly downstream: DownstreamLineage;
}

export interface LineageReport {
  readonly model: { readonly uniqueId: string; readonly name: string };
  readonly columns: readonly ColumnReport[];
  /** Why the model's columns are not all known. */
  readonly shapeUnknown?: string;
  /** Models traced to answer (the model, its ancestors and its descendants with theirs). */
  readonly modelsTraced: number;
  readonly seconds: number;
}

export interface LineageOptions extends ProjectOptions {
  /** `model` or `model.column`. */
  readonly of: string;
}

export async function lineage(options: LineageOptions): Promise<LineageReport> {
  const loaded = await loadProject(options);
  const state = await readCompileState(path.join(loaded.rootDir, loaded.paths.target));
  const compiled = compileProject(loaded, new RenderCache(state.renders));
  const index = nodeIndex(compiled);
  const dot = options.of.indexOf('.');
  const [name, column] = dot < 0 ? [options.of, undefined] : [options.of.slice(0, dot), options.of.slice(dot + 1).toLowerCase()];
  const model = index.model(name);
  if (!model) {
    const other = index.any(name);
    throw new UserError([
      error('cli.usage', `\`${name}\` is not a model`, {
        hint: other ? `\`${name}\` is a ${other.kind}: lineage starts there` : (didYouMean(name, index.names('model')) ?? 'name a model, or model.column'),
      }),
    ]);
  }
  const t0 = performance.now();
  // Downstream needs every descendant traced (and so their other ancestors too).
  const traced = projectLineage(compiled, loaded.contracts, [model.uniqueId, ...descendants(compiled, model.uniqueId)], lineageCacheFile(loaded.rootDir, loaded.paths.target));
  const own = traced.models[model.uniqueId];
  const columns = own?.columns ?? [];
  const shown = column === undefined ? columns : columns.filter((c) => c.column === column);
  if (column !== undefined && shown.length === 0) {
    throw new UserError([
      error('cli.usage', `\`${column}\` is not a column of ${model.name}`, { hint: own?.shapeUnknown ?? didYouMean(column, columns.map((c) => c.column)) }),
    ]);
  }
  const roots = rootResolver(traced);
  const downstream = downstreamResolver(traced, compiled.children);
  return {
    model: { uniqueId: model.uniqueId, name: model.name },
    columns: shown.map((c) => ({ column: c.column, lineage: c, roots: roots(model.uniqueId, c.column), downstream: downstream(model.uniqueId, c.column) })),
    ...(own?.shapeUnknown ? { shapeUnknown: own.shapeUnknown } : {}),
    modelsTraced: Object.keys(traced.models).length,
    seconds: (performance.now() - t0) / 1000,
  };
}

function descendants(compiled: CompiledProject, id: string): Set<string> {
  const seen = new Set<string>();
  const visit = (node: string): void => {
    for (const child of compiled.children.get(node) ?? []) {
      if (seen.has(child)) continue;
      seen.add(child);
      visit(child);
    }
  };
  visit(id);
  return seen;
}

// `ls` as a library call: the selected nodes in DAG order, from the last compile's renders (nothing is written, unless
// state:modified asks for a full compile to compare with its base).
import path from 'node:path';
import { readCompileState } from '../artifacts/compile-state.js';
import { throwIfErrors } from '../diagnostics/diagnostic.js';
import { selectNodes } from '../graph/select.js';
import { lastRunResults, mentionsResult } from './last-run-results.js';
import { loadProject } from '../load/load-project.js';
import type { CompiledProject, ModelNode, SeedNode } from '../project/nodes.js';
import { mentionsState } from './base-state.js';
import { compileAndSelect } from './compile.js';
import { compileProject } from '../render/compile-project.js';
import { RenderCache } from '../render/render-cache.js';
import type { SelectOptions } from './options.js';

export async function list(options: SelectOptions): Promise<Array<ModelNode | SeedNode>> {
  // state:modified compares checksums a full compile computes (contracts included): that path, only when asked.
  if (options.state && mentionsState(options.select, options.exclude)) {
    const { session, selected } = await compileAndSelect(options);
    return inOrder(session.compiled, selected);
  }
  const loaded = await loadProject(options);
  const state = await readCompileState(path.join(loaded.rootDir, loaded.paths.target));
  const compiled = compileProject(loaded, new RenderCache(state.renders));
  const results = mentionsResult(options.select, options.exclude) ? lastRunResults(path.join(loaded.rootDir, loaded.paths.target)) : undefined;
  const selection = selectNodes(compiled, options.select, options.exclude, results ? { results } : {});
  throwIfErrors(selection.diagnostics);
  return inOrder(compiled, selection.selected);
}

function inOrder(compiled: CompiledProject, selected: ReadonlySet<string>): Array<ModelNode | SeedNode> {
  return compiled.order.flatMap((id) => {
    const node = compiled.nodes.get(id);
    return node && node.kind !== 'source' && selected.has(id) ? [node] : [];
  });
}

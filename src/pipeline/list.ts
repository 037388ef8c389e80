// `ls` as a library call: the selected nodes in DAG order, from the last compile's renders (nothing is written).
import path from 'node:path';
import { readCompileState } from '../artifacts/compile-state.js';
import { throwIfErrors } from '../diagnostics/diagnostic.js';
import { selectNodes } from '../graph/select.js';
import { loadProject } from '../load/load-project.js';
import type { ModelNode, SeedNode } from '../project/nodes.js';
import { compileProject } from '../render/compile-project.js';
import { RenderCache } from '../render/render-cache.js';
import type { SelectOptions } from './options.js';

export async function list(options: SelectOptions): Promise<Array<ModelNode | SeedNode>> {
  const loaded = await loadProject(options);
  const state = await readCompileState(path.join(loaded.rootDir, loaded.paths.target));
  const compiled = compileProject(loaded, new RenderCache(state.renders));
  const selection = selectNodes(compiled, options.select, options.exclude);
  throwIfErrors(selection.diagnostics);
  return compiled.order.flatMap((id) => {
    const node = compiled.nodes.get(id);
    return node && node.kind !== 'source' && selection.selected.has(id) ? [node] : [];
  });
}

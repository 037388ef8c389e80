// `charter ls`: print the selected nodes, in DAG order, as text or JSON.
import path from 'node:path';
import { Command, Option } from 'commander';
import { loadProject } from '../../load/load-project.js';
import { throwIfErrors } from '../../diagnostics/diagnostic.js';
import { selectNodes } from '../../graph/select.js';
import { compileProject } from '../../render/compile-project.js';
import { readCompileState } from '../../artifacts/compile-state.js';
import { RenderCache } from '../../render/render-cache.js';
import { withGlobalOptions, type GlobalOptions } from '../global-options.js';

interface LsOptions extends GlobalOptions {
  readonly output: 'text' | 'json';
}

export function lsCommand(): Command {
  return withGlobalOptions(new Command('ls'))
    .description('list the selected nodes in DAG order')
    .addOption(new Option('-o, --output <format>', 'text: one name per line; json: one object per line').choices(['text', 'json']).default('text'))
    .action(async (options: LsOptions) => {
      const loaded = await loadProject({ projectDir: options.projectDir, target: options.target, vars: options.vars });
      // Reuse the last compile's renders (read-only: ls writes nothing under target/).
      const state = await readCompileState(path.join(loaded.rootDir, loaded.paths.target));
      const compiled = compileProject(loaded, new RenderCache(state.renders));
      const selection = selectNodes(compiled, options.select, options.exclude);
      throwIfErrors(selection.diagnostics);
      for (const id of compiled.order) {
        if (!selection.selected.has(id)) continue;
        const node = compiled.nodes.get(id);
        if (!node || node.kind === 'source') continue;
        if (options.output === 'json') {
          const common = { unique_id: id, name: node.name, kind: node.kind, relation: node.relationName, path: node.path, depends_on: node.dependsOn };
          const extra = node.kind === 'model' ? { layer: node.layer ?? null, materialized: node.config.materialized, tags: node.config.tags } : { tags: node.tags };
          process.stdout.write(`${JSON.stringify({ ...common, ...extra })}\n`);
        } else {
          process.stdout.write(`${node.kind === 'seed' ? 'seed ' : ''}${node.name}\n`);
        }
      }
    });
}

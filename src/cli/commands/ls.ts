// `charter ls`: print the selected nodes, in DAG order, as text or JSON.
import { Command, Option } from 'commander';
import { list } from '../../pipeline/list.js';
import { withGlobalOptions, type GlobalOptions } from '../global-options.js';
import { outputClosed } from '../reporter.js';

interface LsOptions extends GlobalOptions {
  readonly output: 'text' | 'json';
}

export function lsCommand(): Command {
  return withGlobalOptions(new Command('ls'))
    .description('list the selected nodes in DAG order')
    .addOption(new Option('-o, --output <format>', 'text: one name per line; json: one object per line').choices(['text', 'json']).default('text'))
    .action(async (options: LsOptions) => {
      for (const node of await list(options)) {
        if (outputClosed(process.stdout)) break;
        if (options.output === 'json') {
          const common = { unique_id: node.uniqueId, name: node.name, kind: node.kind, relation: node.relationName, path: node.path, depends_on: node.dependsOn };
          const extra = node.kind === 'model' ? { layer: node.layer ?? null, materialized: node.config.materialized, tags: node.config.tags } : { tags: node.tags };
          process.stdout.write(`${JSON.stringify({ ...common, ...extra })}\n`);
        } else {
          process.stdout.write(`${node.kind === 'seed' ? 'seed ' : ''}${node.name}\n`);
        }
      }
    });
}

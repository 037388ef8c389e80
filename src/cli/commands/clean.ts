// `charter clean`: remove what compile and run wrote under target/, keeping the warehouse unless asked.
import path from 'node:path';
import { Command } from 'commander';
import { clean } from '../../pipeline/clean.js';
import { withGlobalOptions, type GlobalOptions } from '../global-options.js';
import { createReporter } from '../reporter.js';

interface CleanOptions extends GlobalOptions {
  readonly database: boolean;
}

export function cleanCommand(): Command {
  return withGlobalOptions(new Command('clean'), { selection: false })
    .description('delete compiled files, manifest, run results and caches under target/')
    .option('--database', 'also delete the local DuckDB database file', false)
    .action(async (options: CleanOptions) => {
      const reporter = createReporter(options.logFormat, options.quiet);
      const { targetDir, removed } = await clean(options);
      if (!removed) return reporter.info(`nothing to clean: ${targetDir} does not exist`);
      reporter.info(`removed ${removed.length ? removed.join(', ') : 'nothing'} from ${path.relative(process.cwd(), targetDir) || '.'}`, { removed });
    });
}

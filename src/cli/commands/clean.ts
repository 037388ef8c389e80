// `charter clean`: remove what compile and run wrote under target/, keeping the warehouse unless asked.
import { existsSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { Command } from 'commander';
import { duckdbFile } from '../../adapters/duckdb/database-file.js';
import { loadProject } from '../../load/load-project.js';
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
      const loaded = await loadProject({ projectDir: options.projectDir, target: options.target });
      const targetDir = path.join(loaded.rootDir, loaded.paths.target);
      if (!existsSync(targetDir)) return reporter.info(`nothing to clean: ${targetDir} does not exist`);
      const database = loaded.target.engine === 'duckdb' ? duckdbFile(loaded) : undefined;
      const keep = new Set(options.database || !database ? [] : [database, `${database}.wal`]);
      const removed: string[] = [];
      for (const entry of await readdir(targetDir)) {
        const full = path.join(targetDir, entry);
        if (keep.has(full)) continue;
        await rm(full, { recursive: true, force: true });
        removed.push(entry);
      }
      reporter.info(`removed ${removed.length ? removed.join(', ') : 'nothing'} from ${path.relative(process.cwd(), targetDir) || '.'}`, { removed });
    });
}

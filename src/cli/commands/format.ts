// `charter format [--check] [paths...]`: formats model files with sql-formatter, Nunjucks tags kept as written; a file
// is rewritten only when it renders to the same SQL as before. --check writes nothing and exits 1 when a file would change.
import { Command } from 'commander';
import { sourceReader } from '../../diagnostics/source-reader.js';
import { withGlobalOptions, type GlobalOptions } from '../global-options.js';
import { createReporter } from '../reporter.js';

interface FormatCommandOptions extends GlobalOptions {
  readonly check: boolean;
}

export function formatCommand(): Command {
  return withGlobalOptions(new Command('format'), { selection: false })
    .description('format models/**/*.sql with sql-formatter (Snowflake), keeping Nunjucks tags; --check only reports')
    .argument('[paths...]', 'model files or folders to format (default: every model)')
    .option('--check', 'write nothing; list the files that would change and exit 1 if any would', false)
    .action(async (paths: string[], options: FormatCommandOptions) => {
      const reporter = createReporter(options.logFormat, options.quiet);
      const t0 = performance.now();
      const { formatProject } = await import('../../pipeline/format.js');
      const report = await formatProject({ projectDir: options.projectDir, target: options.target, check: options.check, paths });
      reporter.diagnostics(report.diagnostics, sourceReader(options.projectDir));
      const count = (status: string): number => report.files.filter((f) => f.status === status).length;
      const seconds = (performance.now() - t0) / 1000;
      const changed = options.check ? `${count('would_change')} would change` : `${count('formatted')} formatted`;
      reporter.info(
        `${report.diagnostics.length ? '\n' : ''}format${options.check ? ' --check' : ''}: ${report.files.length} files, ${changed}, ${count('unchanged')} unchanged, ${count('unsafe')} could not be formatted safely (${seconds.toFixed(2)}s)`,
        { files: report.files.length, formatted: count('formatted'), wouldChange: count('would_change'), unchanged: count('unchanged'), unsafe: count('unsafe'), seconds },
      );
      process.exitCode = options.check && count('would_change') ? 1 : 0;
    });
}

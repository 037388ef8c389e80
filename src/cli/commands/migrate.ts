// `charter migrate [--dry-run]`, `charter migrate status`, `charter migrate repair`: the versioned scripts in
// migrations/ against the history the target keeps.
import { Command } from 'commander';
import type { MigrateOptions } from '../../pipeline/migrate.js';
import { withGlobalOptions, type GlobalOptions } from '../global-options.js';
import { untilInterrupted } from '../interrupt.js';
import { createReporter } from '../reporter.js';
import { withSigningKey } from '../sign-key-option.js';

type Options = GlobalOptions & MigrateOptions;

async function execute(mode: 'migrate' | 'migrateStatus' | 'migrateRepair', options: Options): Promise<void> {
  const pipeline = await import('../../pipeline/migrate.js');
  const outcome = await untilInterrupted((signal) => pipeline[mode]({ ...options, signal, reporter: createReporter(options.logFormat, options.quiet) }));
  process.exitCode = outcome.results.passed ? 0 : 1;
}

export function migrateCommand(): Command {
  const migrate = withSigningKey(withGlobalOptions(new Command('migrate')))
    .description('run pending V scripts in version order, changed R scripts and every A script from migrations/')
    .option('--dry-run', 'print what would run, rendered, and run nothing', false)
    .action((options: Options) => execute('migrate', options));
  migrate.addCommand(
    withGlobalOptions(new Command('status'))
      .description('list applied, pending, changed, drifted and missing scripts; exit 1 on drift')
      .action((options: Options) => execute('migrateStatus', options)),
  );
  migrate.addCommand(
    withSigningKey(withGlobalOptions(new Command('repair')))
      .description('record the current checksums of changed applied V scripts, forget missing ones and failed runs')
      .action((options: Options) => execute('migrateRepair', options)),
  );
  return migrate;
}

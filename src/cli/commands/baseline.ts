// `charter baseline`: record today's distribution of every drift SLO's column as the baseline in OPS.
import { Command } from 'commander';
import { withGlobalOptions, type GlobalOptions } from '../global-options.js';
import { untilInterrupted } from '../interrupt.js';
import { createReporter } from '../reporter.js';

export function baselineCommand(): Command {
  return withGlobalOptions(new Command('baseline'))
    .description('record the current distribution of each drift SLO\'s column as its baseline (OPS.charter_baselines)')
    .action(async (options: GlobalOptions) => {
      const { baseline } = await import('../../pipeline/baseline.js');
      const results = await untilInterrupted((signal) => baseline({ ...options, signal, reporter: createReporter(options.logFormat, options.quiet) }));
      process.exitCode = results.passed ? 0 : 1;
    });
}

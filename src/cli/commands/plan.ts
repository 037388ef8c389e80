// `charter plan [--allow-drop] [--out plan.json]`: what an apply would change on the target, node by node, with the SQL.
import { Command } from 'commander';
import type { PlanOptions } from '../../pipeline/deploy.js';
import { withGlobalOptions, type GlobalOptions } from '../global-options.js';
import { untilInterrupted } from '../interrupt.js';
import { createReporter } from '../reporter.js';

type Options = GlobalOptions & PlanOptions;

export function planCommand(): Command {
  return withGlobalOptions(new Command('plan'))
    .description('compare the project with what the target has deployed: creates, alters, replaces, governance re-applied and drops, in dependency order, with their SQL')
    .option('--allow-drop', 'plan to drop deployed nodes the project no longer has (otherwise listed as withheld)', false)
    .option('--full-refresh', 'rebuild incremental models instead of altering them (adding columns, keeping their rows)', false)
    .option('--out <file>', 'save the plan, for review and `charter apply <file>`')
    .action(async (options: Options) => {
      const { plan } = await import('../../pipeline/deploy.js');
      const outcome = await untilInterrupted((signal) => plan({ ...options, signal, reporter: createReporter(options.logFormat, options.quiet) }));
      process.exitCode = outcome.results.passed ? 0 : 1;
    });
}

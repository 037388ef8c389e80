// `charter test`: run the contract tests of the selected (already built) models, or their unit tests alone.
import { Command } from 'commander';
import { withGlobalOptions, type GlobalOptions } from '../global-options.js';
import { untilInterrupted } from '../interrupt.js';
import { createReporter } from '../reporter.js';
import { withSigningKey } from '../sign-key-option.js';

interface TestCommandOptions extends GlobalOptions {
  readonly storeFailures: boolean;
  readonly junit?: string;
  readonly unit: boolean;
}

export function testCommand(): Command {
  return withSigningKey(withGlobalOptions(new Command('test')))
    .description('run the contract tests and SLO checks of the selected models against the warehouse')
    .option('--store-failures', 'keep each failing test\'s rows in an audit table in the OPS schema (pii and phi values redacted)', false)
    .option('--unredacted-failures', 'with --store-failures, keep pii and phi values as they are', false)
    .option('--junit <file>', 'also write the results as JUnit XML')
    .option('--unit', 'run only the unit tests (unit/*.yml in the tests folder): model logic on given rows, nothing built', false)
    .action(async (options: TestCommandOptions) => {
      const { test, unitTests } = await import('../../pipeline/test.js');
      const reporter = createReporter(options.logFormat, options.quiet);
      const results = await untilInterrupted((signal) => (options.unit ? unitTests({ ...options, reporter }) : test({ ...options, signal, reporter })));
      process.exitCode = results.passed ? 0 : 1;
    });
}

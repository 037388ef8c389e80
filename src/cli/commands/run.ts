// `charter run`, `charter seed`, `charter build`: execute the selected nodes in DAG order.
import { Command } from 'commander';
import type { BuildOptions } from '../../pipeline/build.js';
import { withGlobalOptions, type GlobalOptions } from '../global-options.js';
import { untilInterrupted } from '../interrupt.js';
import { createReporter } from '../reporter.js';
import { withSigningKey } from '../sign-key-option.js';

type Options = GlobalOptions & BuildOptions;

// The engine (a native module and the WASM transpiler) loads only when a command runs nodes.
async function execute(command: 'build' | 'run' | 'seed', options: Options): Promise<void> {
  const pipeline = await import('../../pipeline/build.js');
  const results = await untilInterrupted((signal) => pipeline[command]({ ...options, signal, reporter: createReporter(options.logFormat, options.quiet) }));
  process.exitCode = results.passed ? 0 : 1;
}

export function runCommand(): Command {
  return withSigningKey(withGlobalOptions(new Command('run')))
    .description('build the selected models (views, tables, incremental, ephemeral) in DAG order')
    .option('--full-refresh', 'rebuild incremental models from scratch', false)
    .option('--fail-fast', 'stop starting nodes after the first failure (a failed node, or its failed error-severity test)', false)
    .option('--openlineage <file>', 'also write the run as OpenLineage events (JSON lines) to this file')
    .action((options: Options) => execute('run', options));
}

export function seedCommand(): Command {
  return withSigningKey(withGlobalOptions(new Command('seed')))
    .description('load seeds/*.csv and *.csv.gz into the bronze schema with the engine\'s bulk reader')
    .option('--openlineage <file>', 'also write the run as OpenLineage events (JSON lines) to this file')
    .action((options: Options) => execute('seed', options));
}

export function buildCommand(): Command {
  return withSigningKey(withGlobalOptions(new Command('build')))
    .description('seed, run and test the selected nodes in DAG order; a failing test skips the model\'s children')
    .option('--full-refresh', 'rebuild incremental models from scratch', false)
    .option('--store-failures', 'keep each failing test\'s rows in an audit table in the OPS schema (pii and phi values redacted)', false)
    .option('--unredacted-failures', 'with --store-failures, keep pii and phi values as they are', false)
    .option('--junit <file>', 'also write test results as JUnit XML')
    .option('--fail-fast', 'stop starting nodes after the first failure (a failed node, or its failed error-severity test)', false)
    .option('--openlineage <file>', 'also write the run as OpenLineage events (JSON lines) to this file')
    .action((options: Options) => execute('build', options));
}

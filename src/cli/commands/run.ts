// `charter run`, `charter seed`, `charter build`: execute the selected nodes in DAG order.
import { Command } from 'commander';
import { withGlobalOptions } from '../global-options.js';
import type { RunNodesOptions } from '../../pipeline/run-nodes.js';

// The engine (a native module and the WASM transpiler) loads only when a command runs nodes.
const runNodes: typeof import('../../pipeline/run-nodes.js').runNodes = async (...args) => (await import('../../pipeline/run-nodes.js')).runNodes(...args);

export function runCommand(): Command {
  return withGlobalOptions(new Command('run'))
    .description('build the selected models (views, tables, incremental, ephemeral) in DAG order')
    .option('--full-refresh', 'rebuild incremental models from scratch', false)
    .action(async (options: RunNodesOptions) => {
      process.exitCode = await runNodes('run', options, ['model']);
    });
}

export function seedCommand(): Command {
  return withGlobalOptions(new Command('seed'))
    .description('load seeds/*.csv and *.csv.gz into the bronze schema with the engine\'s bulk reader')
    .action(async (options: RunNodesOptions) => {
      process.exitCode = await runNodes('seed', options, ['seed']);
    });
}

export function buildCommand(): Command {
  return withGlobalOptions(new Command('build'))
    .description('seed, run and test the selected nodes in DAG order; a failing test skips the model\'s children')
    .option('--full-refresh', 'rebuild incremental models from scratch', false)
    .option('--store-failures', 'keep each failing test\'s rows in an audit table in the OPS schema', false)
    .option('--junit <file>', 'also write test results as JUnit XML')
    .action(async (options: RunNodesOptions) => {
      process.exitCode = await runNodes('build', { ...options, withTests: true }, ['seed', 'model']);
    });
}

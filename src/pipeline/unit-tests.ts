// Unit tests from the CLI: a runner over the compiled project, and their results for people and machines.
import type { CompiledSession } from './compile.js';
import { compileProject } from '../render/compile-project.js';
import { UnitTestRunner, type UnitTestResult } from '../execute/run-unit-test.js';
import { formatRowDiff } from '../execute/row-diff.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { TestResult } from '../execute/run-data-test.js';
import type { StatementLog } from '../execute/statement-runner.js';
import { parseNodeId, unitTestId } from '../project/node-id.js';
import { createUnitTestSandbox } from '../adapters/create-adapter.js';

export function unitTestRunner(session: CompiledSession, log?: StatementLog): UnitTestRunner {
  return new UnitTestRunner(session.compiled, {
    sandbox: createUnitTestSandbox(),
    log,
    // A test that sets vars needs the project rendered with them.
    compileWithVars: async (vars) => compileProject({ ...session.loaded, vars: { ...session.loaded.vars, ...vars } }),
    inputColumns: (node) => contractColumns(session, node),
  });
}

/** A model's columns as its contract types them (columns without a data_type left out): what an input has in full. */
function contractColumns(session: CompiledSession, node: string): Record<string, string> {
  const columns = session.contracts.byModel.get(node)?.governed.columns ?? [];
  return Object.fromEntries(columns.flatMap((c) => (c.data_type ? [[c.name, c.data_type]] : [])));
}

export function unitTestProblem(result: UnitTestResult): Diagnostic | undefined {
  if (result.status === 'pass') return undefined;
  const diffs = [result.diff && `output:\n${formatRowDiff(result.diff)}`, result.tableDiff && `table after merge:\n${formatRowDiff(result.tableDiff)}`];
  return {
    code: 'test.failed',
    severity: 'error',
    message: `unit test ${result.name} (${result.model}) ${result.status === 'fail' ? 'failed' : 'could not run'}${result.message ? `: ${result.message}` : ''}`,
    location: result.location,
    detail: diffs.filter(Boolean).join('\n') || undefined,
  };
}

/** A unit test result in the shape of a data test result, for run_results.json and JUnit. */
export function unitAsTest(result: UnitTestResult, modelId: string): TestResult {
  return {
    uniqueId: unitTestId(parseNodeId(modelId).project, result.model, result.name),
    name: result.name,
    modelId,
    kind: 'singular',
    severity: 'error',
    status: result.status,
    seconds: result.seconds,
    location: result.location,
    error: unitTestProblem(result),
  };
}

// `charter test`: run the contract tests of the selected (already built) models.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Command } from 'commander';
import { CHARTER_VERSION } from '../../version.js';
import type { ModelNode } from '../../render/compiled-project.js';
import { compileAndSelect, sourceReader } from '../compile-pipeline.js';
import { withGlobalOptions, type GlobalOptions } from '../global-options.js';
import { createReporter } from '../reporter.js';

interface TestCommandOptions extends GlobalOptions {
  readonly storeFailures: boolean;
  readonly junit?: string;
  readonly unit: boolean;
}

export function testCommand(): Command {
  return withGlobalOptions(new Command('test'))
    .description('run the contract tests and SLO checks of the selected models against the warehouse')
    .option('--store-failures', 'keep each failing test\'s rows in an audit table in the OPS schema', false)
    .option('--junit <file>', 'also write the results as JUnit XML')
    .option('--unit', 'run only the unit tests (unit/*.yml in the tests folder): model logic on given rows, nothing built', false)
    .action(async (options: TestCommandOptions) => {
      if (options.unit) return runUnitOnly(options);
      const [{ createAdapter }, { runTests, runSlos }, { StatementLog }, { auditRelationFor, baselineTableFor }, { finishRun }] = await Promise.all([
        import('../../adapters/create-adapter.js'),
        import('../../execute/run-graph.js'),
        import('../../execute/statement-runner.js'),
        import('../run-nodes.js'),
        import('../finish-run.js'),
      ]);
      const startedAt = new Date();
      const t0 = performance.now();
      const reporter = createReporter(options.logFormat, options.quiet);
      const { session, selected } = await compileAndSelect(options);
      const { compiled, loaded } = session;
      const selection = { selected };
      const tests = session.dataTests.filter((t) => selection.selected.has(t.modelId));
      const threads = options.threads ?? loaded.target.threads ?? 4;
      reporter.info(`charter ${CHARTER_VERSION} test: ${tests.length} tests and the SLOs of ${selection.selected.size} nodes on ${loaded.targetName} (${loaded.target.engine}), ${threads} threads`, { runId: session.runId });
      reporter.diagnostics(session.warnings, sourceReader(loaded.rootDir));
      const adapter = createAdapter(loaded, threads);
      const log = new StatementLog();
      await adapter.open();
      const sloModels = [...session.contracts.byModel]
        .filter(([id, b]) => selection.selected.has(id) && b.slos.length)
        .map(([id, b]) => ({ model: compiled.nodes.get(id) as ModelNode, slos: b.slos, locate: (p: readonly (string | number)[]) => b.contract.locate(p) }));
      let results;
      let slos;
      try {
        results = await runTests(tests, adapter, {
          threads,
          storeFailures: options.storeFailures,
          auditRelation: auditRelationFor(session),
          statementLog: log,
          onEvent: (e) => reporter.event(e),
        });
        slos = await runSlos(sloModels, adapter, { threads, baselineTable: baselineTableFor(session), statementLog: log, onEvent: (e) => reporter.event(e) });
      } finally {
        await adapter.close();
      }
      process.exitCode = await finishRun(session, options, reporter, {
        command: 'test',
        startedAt,
        seconds: (performance.now() - t0) / 1000,
        nodes: [],
        tests: results,
        slos,
        log,
      });
    });
}

async function runUnitOnly(options: TestCommandOptions): Promise<void> {
  const { unitTestRunner, unitAsTest, unitTestProblem } = await import('../unit-tests.js');
  const { renderJunit } = await import('../../execute/junit.js');
  const t0 = performance.now();
  const reporter = createReporter(options.logFormat, options.quiet);
  const { session, selected } = await compileAndSelect(options);
  const selection = { selected };
  const idOf = (model: string): string => `model.${session.compiled.projectName}.${model}`;
  const tests = session.unitTests.filter((t) => selection.selected.has(idOf(t.model)));
  reporter.info(`charter ${CHARTER_VERSION} test --unit: ${tests.length} unit tests`);
  const runner = unitTestRunner(session);
  await runner.open();
  const results = [];
  try {
    for (const test of tests) {
      const result = await runner.run(test);
      results.push(result);
      reporter.event({ type: 'test_finished', result: unitAsTest(result, idOf(result.model)) });
    }
  } finally {
    await runner.close();
  }
  const asTests = results.map((r) => unitAsTest(r, idOf(r.model)));
  if (options.junit) await writeFile(path.resolve(options.junit), renderJunit(asTests, `${session.compiled.projectName} unit tests`));
  reporter.diagnostics(results.flatMap((r) => unitTestProblem(r) ?? []), sourceReader(session.loaded.rootDir));
  reporter.summary([], (performance.now() - t0) / 1000, asTests);
  process.exitCode = results.every((r) => r.status === 'pass') ? 0 : 1;
}

// `charter test`: run the contract tests of the selected (already built) models.
import { Command } from 'commander';
import { CHARTER_VERSION } from '../../version.js';
import { type ModelNode } from '../../project/nodes.js';
import { modelId } from '../../project/node-id.js';
import { compileAndSelect, sourceReader } from '../../pipeline/compile.js';
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
        import('../../pipeline/run-nodes.js'),
        import('../../pipeline/finish-run.js'),
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
  const [{ unitTestRunner, unitAsTest }, { StatementLog }, { finishRun }] = await Promise.all([
    import('../../pipeline/unit-tests.js'),
    import('../../execute/statement-runner.js'),
    import('../../pipeline/finish-run.js'),
  ]);
  const startedAt = new Date();
  const t0 = performance.now();
  const reporter = createReporter(options.logFormat, options.quiet);
  const { session, selected } = await compileAndSelect(options);
  const idOf = (model: string): string => modelId(session.compiled.projectName, model);
  const tests = session.unitTests.filter((t) => selected.has(idOf(t.model)));
  reporter.info(`charter ${CHARTER_VERSION} test --unit: ${tests.length} unit tests`);
  const log = new StatementLog();
  const runner = unitTestRunner(session, log);
  await runner.open();
  const results = [];
  try {
    for (const test of tests) {
      const result = unitAsTest(await runner.run(test), idOf(test.model));
      results.push(result);
      reporter.event({ type: 'test_finished', result });
    }
  } finally {
    await runner.close();
  }
  process.exitCode = await finishRun(session, options, reporter, {
    command: 'test --unit',
    startedAt,
    seconds: (performance.now() - t0) / 1000,
    nodes: [],
    tests: results,
    slos: [],
    log,
  });
}

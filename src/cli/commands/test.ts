// `charter test`: run the contract tests of the selected (already built) models.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Command } from 'commander';
import { throwIfErrors } from '../../diagnostics/diagnostic.js';
import { selectNodes } from '../../graph/select.js';
import { CHARTER_VERSION } from '../../version.js';
import type { ModelNode } from '../../render/compiled-project.js';
import { compileFromOptions, sourceReader } from '../compile-pipeline.js';
import { withGlobalOptions, type GlobalOptions } from '../global-options.js';
import { createReporter } from '../reporter.js';

interface TestCommandOptions extends GlobalOptions {
  readonly storeFailures: boolean;
  readonly junit?: string;
}

export function testCommand(): Command {
  return withGlobalOptions(new Command('test'))
    .description('run the contract tests and SLO checks of the selected models against the warehouse')
    .option('--store-failures', 'keep each failing test\'s rows in an audit table in the OPS schema', false)
    .option('--junit <file>', 'also write the results as JUnit XML')
    .action(async (options: TestCommandOptions) => {
      const [{ createAdapter }, { runTests, runSlos }, { writeRunResults }, { StatementLog }, { renderJunit, sloAsTest }, { auditRelationFor, baselineTableFor, testProblems }] = await Promise.all([
        import('../../adapters/create-adapter.js'),
        import('../../execute/run-graph.js'),
        import('../../execute/run-results.js'),
        import('../../execute/statement-runner.js'),
        import('../../execute/junit.js'),
        import('../run-nodes.js'),
      ]);
      const startedAt = new Date();
      const t0 = performance.now();
      const reporter = createReporter(options.logFormat, options.quiet);
      const session = await compileFromOptions(options);
      const { compiled, loaded } = session;
      const selection = selectNodes(compiled, options.select, options.exclude);
      throwIfErrors(selection.diagnostics);
      const tests = session.contracts.tests.filter((t) => selection.selected.has(t.modelId));
      const threads = options.threads ?? loaded.target.threads ?? 4;
      reporter.info(`charter ${CHARTER_VERSION} test: ${tests.length} tests and the SLOs of ${selection.selected.size} nodes on ${loaded.targetName} (${loaded.target.engine}), ${threads} threads`, { runId: session.runId });
      reporter.diagnostics(session.warnings, sourceReader(loaded.rootDir));
      const adapter = createAdapter(loaded, threads);
      const log = new StatementLog();
      await adapter.open();
      const sloModels = [...session.contracts.byModel]
        .filter(([id, b]) => selection.selected.has(id) && b.governed.slos.length)
        .map(([id, b]) => ({ model: compiled.nodes.get(id) as ModelNode, slos: b.governed.slos, locate: (p: readonly (string | number)[]) => b.contract.locate(p) }));
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
      const seconds = (performance.now() - t0) / 1000;
      const targetDir = path.join(loaded.rootDir, loaded.paths.target);
      await writeRunResults(
        targetDir,
        {
          runId: session.runId,
          charterVersion: CHARTER_VERSION,
          command: 'test',
          startedAt: startedAt.toISOString(),
          finishedAt: new Date().toISOString(),
          seconds,
          target: { name: loaded.targetName, engine: loaded.target.engine },
          selectors: { select: options.select, exclude: options.exclude },
        },
        [],
        results,
        slos,
      );
      await mkdir(path.join(targetDir, 'logs'), { recursive: true });
      await writeFile(path.join(targetDir, 'logs', `statements-${session.runId}.jsonl`), log.toJsonLines());
      if (options.junit) await writeFile(path.resolve(options.junit), renderJunit([...results, ...slos.map(sloAsTest)], `${compiled.projectName} test`));
      reporter.diagnostics(testProblems(results), sourceReader(loaded.rootDir));
      reporter.summary([], seconds, results);
      const ok = (s: string): boolean => s !== 'fail' && s !== 'error';
      process.exitCode = results.every((r) => ok(r.status)) && slos.every((r) => ok(r.status)) ? 0 : 1;
    });
}

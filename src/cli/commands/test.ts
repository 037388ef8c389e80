// `charter test`: run the contract tests of the selected (already built) models.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Command } from 'commander';
import { throwIfErrors } from '../../diagnostics/diagnostic.js';
import { selectNodes } from '../../graph/select.js';
import { CHARTER_VERSION } from '../../version.js';
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
      const [{ createAdapter }, { runTests }, { writeRunResults }, { StatementLog }, { renderJunit }, { auditRelationFor, testProblems }] = await Promise.all([
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
      reporter.info(`charter ${CHARTER_VERSION} test: ${tests.length} tests on ${loaded.targetName} (${loaded.target.engine}), ${threads} threads`, { runId: session.runId });
      reporter.diagnostics(session.warnings, sourceReader(loaded.rootDir));
      const adapter = createAdapter(loaded, threads);
      const log = new StatementLog();
      await adapter.open();
      let results;
      try {
        results = await runTests(tests, adapter, {
          threads,
          storeFailures: options.storeFailures,
          auditRelation: auditRelationFor(session),
          statementLog: log,
          onEvent: (e) => reporter.event(e),
        });
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
      );
      await mkdir(path.join(targetDir, 'logs'), { recursive: true });
      await writeFile(path.join(targetDir, 'logs', `statements-${session.runId}.jsonl`), log.toJsonLines());
      if (options.junit) await writeFile(path.resolve(options.junit), renderJunit(results, `${compiled.projectName} test`));
      reporter.diagnostics(testProblems(results), sourceReader(loaded.rootDir));
      reporter.summary([], seconds, results);
      process.exitCode = results.every((r) => r.status !== 'fail' && r.status !== 'error') ? 0 : 1;
    });
}

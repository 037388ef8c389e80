// `test` as library calls: contract, singular and SLO checks of built models; or unit tests alone.
import { runSlos, runTests } from '../execute/run-graph.js';
import type { ModelNode } from '../project/nodes.js';
import { modelId } from '../project/node-id.js';
import { CHARTER_VERSION } from '../version.js';
import type { RunResults } from './finish-run.js';
import type { RunOptions } from './options.js';
import { runSettings } from './run-settings.js';
import { onWarehouse } from './warehouse-run.js';

export interface TestOptions extends RunOptions {
  readonly storeFailures?: boolean;
  /** Store pii and phi values in failure tables as they are, instead of redacted. */
  readonly unredactedFailures?: boolean;
}

/** The data tests and SLOs of the selected models, against what the warehouse holds now. */
export function test(options: TestOptions): Promise<RunResults> {
  return onWarehouse(
    {
      name: 'test',
      banner: ({ session, selected, threads }) => {
        const tests = session.dataTests.filter((t) => selected.has(t.modelId));
        const { loaded } = session;
        return `charter ${CHARTER_VERSION} test: ${tests.length} tests and the SLOs of ${selected.size} nodes on ${loaded.targetName} (${loaded.target.engine}), ${threads} threads`;
      },
    },
    options,
    async ({ session, selected, threads, log, reporter, adapter: openAdapter }) => {
      const adapter = await openAdapter();
      const settings = runSettings(session, { storeFailures: options.storeFailures ?? false, unredactedFailures: options.unredactedFailures ?? false });
      const check = { threads, settings, statementLog: log, onEvent: reporter.event.bind(reporter) };
      const tests = await runTests(session.dataTests.filter((t) => selected.has(t.modelId)), adapter, check);
      const sloModels = [...session.contracts.byModel]
        .filter(([id, b]) => selected.has(id) && b.slos.length)
        .map(([id, b]) => ({ model: session.compiled.nodes.get(id) as ModelNode, slos: b.slos }));
      return { tests, slos: await runSlos(sloModels, adapter, check) };
    },
  );
}

/** Unit tests only: model logic on given rows, on the in-memory sandbox; nothing is built or read. */
export function unitTests(options: RunOptions): Promise<RunResults> {
  return onWarehouse(
    {
      name: 'test --unit',
      banner: ({ session, selected }) =>
        `charter ${CHARTER_VERSION} test --unit: ${session.unitTests.filter((t) => selected.has(modelId(session.compiled.projectName, t.model))).length} unit tests`,
    },
    options,
    async ({ session, selected, log, reporter }) => {
      const { unitTestRunner, unitAsTest } = await import('./unit-tests.js');
      const idOf = (model: string): string => modelId(session.compiled.projectName, model);
      const runner = unitTestRunner(session, log);
      await runner.open();
      const results = [];
      try {
        for (const test of session.unitTests.filter((t) => selected.has(idOf(t.model)))) {
          const result = unitAsTest(await runner.run(test), idOf(test.model));
          results.push(result);
          reporter.event({ type: 'test_finished', result });
        }
      } finally {
        await runner.close();
      }
      return { tests: results };
    },
  );
}


// The shared body of `seed`, `run` and `build`: compile, select, execute, record, report.
import { createAdapter } from '../adapters/create-adapter.js';
import { runGraphWithTests, type TestOptions } from '../execute/run-graph.js';
import { layerSchema } from '../render/compile-project.js';
import type { DataTest } from '../render/render-contract-tests.js';
import type { CompiledSession } from './compile.js';
import { finishRun } from './finish-run.js';
import { localParity } from '../render/local-parity.js';
import { writeManifest } from '../artifacts/write-artifacts.js';
import { type ModelNode } from '../project/nodes.js';
import { modelId } from '../project/node-id.js';
import { NodeFailure } from '../execute/node-result.js';
import { StatementLog } from '../execute/statement-runner.js';
import { checkTableReferences } from '../validate/check-table-references.js';
import { CHARTER_VERSION } from '../version.js';
import { compileAndSelect, sourceReader } from './compile.js';
import type { GlobalOptions } from '../cli/global-options.js';
import { createReporter } from '../cli/reporter.js';

export interface RunNodesOptions extends GlobalOptions {
  readonly fullRefresh?: boolean;
  /** build: run each model's contract tests right after it. */
  readonly withTests?: boolean;
  readonly storeFailures?: boolean;
  readonly junit?: string;
}

/** Drift baselines live in OPS.charter_baselines of the target database. */
export function baselineTableFor(session: CompiledSession): { database: string; schema: string; identifier: string } {
  return { database: session.compiled.target.database, schema: layerSchema(session.loaded, 'ops'), identifier: 'charter_baselines' };
}

export function slosFor(session: CompiledSession): TestOptions['slosFor'] {
  return (id) => {
    const bound = session.contracts.byModel.get(id);
    return bound ? { slos: bound.slos, locate: (p) => bound.contract.locate(p) } : undefined;
  };
}

/** With --store-failures, a test's failing rows go to OPS.failures__<model>__<test>. */
export function auditRelationFor(session: CompiledSession): (test: DataTest) => { database: string; schema: string; identifier: string } {
  const { compiled, loaded } = session;
  return (test) => ({
    database: compiled.target.database,
    schema: layerSchema(loaded, 'ops'),
    identifier: `failures__${test.id.split('.').slice(2).join('__').replace(/[^A-Za-z0-9_]/g, '_')}`.slice(0, 200),
  });
}

/** Returns the exit code: 0 only when every selected node succeeded. */
export async function runNodes(command: string, options: RunNodesOptions, kinds: ReadonlyArray<'model' | 'seed'>): Promise<number> {
  const startedAt = new Date();
  const t0 = performance.now();
  const reporter = createReporter(options.logFormat, options.quiet);
  const { session, selected: chosen } = await compileAndSelect(options);
  const { compiled, loaded } = session;
  const selected = new Set(
    [...chosen].filter((id) => kinds.includes(compiled.nodes.get(id)?.kind as 'model' | 'seed')),
  );
  const targetThreads = loaded.target.threads;
  const threads = options.threads ?? targetThreads ?? 4;
  reporter.info(
    `charter ${CHARTER_VERSION} ${command}: ${selected.size} of ${compiled.nodes.size} nodes on ${loaded.targetName} (${loaded.target.engine}), ${threads} threads`,
    { runId: session.runId },
  );

  const warnings = [...selected].flatMap((id) => {
    const node = compiled.nodes.get(id);
    return node?.kind === 'model' ? (checkTableReferences(node, compiled) ?? []) : [];
  });
  reporter.diagnostics([...session.warnings, ...warnings], sourceReader(loaded.rootDir));

  const adapter = createAdapter(loaded, threads);
  const log = new StatementLog();
  await adapter.open();
  const tests: TestOptions | undefined = options.withTests
    ? {
        testsFor: (id) => session.testsByNode.get(id) ?? [],
        storeFailures: options.storeFailures ?? false,
        auditRelation: auditRelationFor(session),
        slosFor: slosFor(session),
        baselineTable: baselineTableFor(session),
      }
    : undefined;
  // Unit tests share one in-memory engine, opened only when a selected model has any.
  const unitTests = options.withTests ? session.unitTests.filter((t) => selected.has(modelId(compiled.projectName, t.model))) : [];
  const { unitTestRunner, unitAsTest, unitTestProblem } = await import('./unit-tests.js');
  const unitRunner = unitTests.length ? unitTestRunner(session, log) : undefined;
  await unitRunner?.open();
  const unitGate = unitRunner
    ? async (model: ModelNode) => {
        const results = [];
        for (const test of unitTests.filter((t) => t.model === model.name)) results.push(await unitRunner.run(test));
        const failed = results.find((r) => r.status !== 'pass');
        const problem = failed ? unitTestProblem(failed) : undefined;
        return { results: results.map((r) => unitAsTest(r, model.uniqueId)), failure: problem ? new NodeFailure(problem) : undefined };
      }
    : undefined;
  let outcome;
  try {
    outcome = await runGraphWithTests(compiled, adapter, {
      selected,
      threads,
      fullRefresh: options.fullRefresh ?? false,
      statementLog: log,
      onEvent: (e) => reporter.event(e),
      contractFor: (id) => session.contracts.byModel.get(id),
      tests,
      unitGate,
    });
  } finally {
    // The manifest also records what each built model needed translated (cache hits: the run just did it).
    if (adapter.capabilities.needsTranslation) {
      const parity = localParity(compiled, (sql) => adapter.translate(sql), selected);
      await writeManifest(compiled, loaded.rootDir, loaded.paths.target, manifestMeta(session), parity, session.contracts, session.dataTests);
    }
    await adapter.close();
    await unitRunner?.close();
  }
  return finishRun(session, options, reporter, {
    command,
    startedAt,
    seconds: (performance.now() - t0) / 1000,
    nodes: outcome.nodes,
    tests: outcome.tests,
    slos: outcome.slos,
    log,
  });
}

function manifestMeta(session: CompiledSession): { runId: string; charterVersion: string; generatedAt: string } {
  return { runId: session.runId, charterVersion: CHARTER_VERSION, generatedAt: new Date().toISOString() };
}

// `build`, `run` and `seed` as library calls: compile, select, build in DAG order (with tests, for build), record.
import { canTranslate } from '../adapters/adapter.js';
import { writeManifest } from '../artifacts/write-artifacts.js';
import { runGraph } from '../execute/run-graph.js';
import { NodeFailure } from '../execute/node-result.js';
import type { ModelNode } from '../project/nodes.js';
import { modelId } from '../project/node-id.js';
import { localParity } from '../render/local-parity.js';
import { checkTableReferences, checkTestReferences } from '../validate/check-table-references.js';
import { CHARTER_VERSION } from '../version.js';
import type { RunResults } from './finish-run.js';
import type { RunOptions } from './options.js';
import { buildChecks, runSettings } from './run-settings.js';
import { gateBuild } from './check-governance.js';
import { onWarehouse } from './warehouse-run.js';
import { deploySemanticViews, type SemanticViewOutcome } from '../execute/deploy-semantic-views.js';
import { semanticViewDecisions, semanticViewDeploys } from '../plan/semantic-view-deploys.js';
import { DEFAULT_SEMANTIC_SCHEMA } from '../render/semantic-view-files.js';
import { sourceReader } from '../diagnostics/source-reader.js';

export interface BuildOptions extends RunOptions {
  /** Rebuild incremental models from scratch. */
  readonly fullRefresh?: boolean;
  /** Keep each failing test's rows in an OPS audit table. */
  readonly storeFailures?: boolean;
  /** ... with the values of pii and phi columns as they are, instead of redacted. */
  readonly unredactedFailures?: boolean;
}

export interface BuildResults extends RunResults {
  /** On a Snowflake target: the semantic views sent after the models they read (none on DuckDB). */
  readonly semanticViews: readonly SemanticViewOutcome[];
}

/**
 * Seeds, models, and after each model its unit tests (before), contract tests and SLOs (after); on a Snowflake target,
 * then the semantic views over what was built.
 */
export async function build(options: BuildOptions): Promise<BuildResults> {
  const semanticViews: SemanticViewOutcome[] = [];
  const results = await runNodes('build', options, { kinds: ['seed', 'model'], withTests: true, governanceGate: true, semanticViews });
  return { ...results, semanticViews, passed: results.passed && semanticViews.every((v) => v.status !== 'error') };
}
/** The selected models, without tests. */
export const run = (options: BuildOptions): Promise<RunResults> => runNodes('run', options, { kinds: ['model'], withTests: false });
/** The selected seeds. */
export const seed = (options: RunOptions): Promise<RunResults> => runNodes('seed', options, { kinds: ['seed'], withTests: false });

/**
 * The general form: which kinds of the selected nodes to build, whether each is tested as it is built, and whether
 * the governance coverage gate must pass first.
 */
export async function runNodes(
  command: string,
  options: BuildOptions,
  { kinds, withTests, governanceGate = false, semanticViews }: {
    readonly kinds: ReadonlyArray<'model' | 'seed'>; readonly withTests: boolean; readonly governanceGate?: boolean;
    /** Given: semantic views are deployed after the build (on Snowflake), their outcomes pushed here. */
    readonly semanticViews?: SemanticViewOutcome[];
  },
): Promise<RunResults> {
  let selected: ReadonlySet<string> = new Set();
  const only = (all: ReadonlySet<string>, compiledKinds: (id: string) => string | undefined): ReadonlySet<string> =>
    new Set([...all].filter((id) => kinds.includes(compiledKinds(id) as 'model' | 'seed')));
  return onWarehouse(
    {
      name: command,
      banner: ({ session, selected: chosen, threads }) => {
        selected = only(chosen, (id) => session.compiled.nodes.get(id)?.kind);
        const { compiled, loaded } = session;
        return `charter ${CHARTER_VERSION} ${command}: ${selected.size} of ${compiled.nodes.size} nodes on ${loaded.targetName} (${loaded.target.engine}), ${threads} threads`;
      },
      warnings: ({ session }) =>
        [...selected].flatMap((id) => {
          const node = session.compiled.nodes.get(id);
          return node?.kind === 'model' ? (checkTableReferences(node, session.compiled) ?? []) : [];
        }).concat(
          withTests ? session.dataTests.filter((t) => selected.has(t.modelId)).flatMap((t) => checkTestReferences(t, session.compiled) ?? []) : [],
        ),
    },
    options,
    async ({ session, threads, log, reporter, adapter: openAdapter }) => {
      const { compiled, loaded } = session;
      // Before the warehouse is opened: a governance gap stops the build with nothing built.
      if (governanceGate) await gateBuild(session, reporter);
      const adapter = await openAdapter();
      // Unit tests share one in-memory engine, opened only when a selected model has any.
      const unitTests = withTests ? session.unitTests.filter((t) => selected.has(modelId(compiled.projectName, t.model))) : [];
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
      try {
        const outcome = await runGraph(compiled, adapter, {
          selected,
          threads,
          settings: runSettings(session, { fullRefresh: options.fullRefresh ?? false, storeFailures: options.storeFailures ?? false, unredactedFailures: options.unredactedFailures ?? false }),
          statementLog: log,
          onEvent: (e) => reporter.event(e),
          checks: withTests ? buildChecks(session) : undefined,
          unitGate,
          failFast: options.failFast ?? false,
        });
        // DuckDB answers semantic queries itself (charter query --semantic-view): nothing to send there.
        if (semanticViews && loaded.target.engine === 'snowflake' && loaded.semanticViews.length) {
          const deploys = semanticViewDeploys(loaded.semanticViews, compiled, loaded.config.layers?.platinum ?? DEFAULT_SEMANTIC_SCHEMA, loaded.config.name.toUpperCase());
          const built = new Map(outcome.nodes.map((n) => [n.uniqueId, n.status] as const));
          for (const done of await deploySemanticViews(adapter, log, semanticViewDecisions(deploys, built))) {
            semanticViews.push(done);
            const grants = done.grants ? ` with ${done.grants} grant${done.grants === 1 ? '' : 's'}` : '';
            if (done.status === 'deployed') reporter.info(`semantic view ${done.name} deployed${grants}`, { semanticView: done.view });
            else if (done.status === 'skipped') reporter.info(`semantic view ${done.name} not deployed: ${done.because}`, { semanticView: done.view });
            else reporter.diagnostics([done.error!], sourceReader(loaded.rootDir));
          }
        }
        return outcome;
      } finally {
        // The manifest also records what each built model needed translated (cache hits: the run just did it).
        if (canTranslate(adapter)) {
          const parity = localParity(compiled, (sql) => adapter.translate(sql), selected);
          const meta = { runId: session.runId, charterVersion: CHARTER_VERSION, generatedAt: new Date().toISOString() };
          await writeManifest(compiled, loaded.rootDir, loaded.paths.target, meta, parity, session.contracts, session.dataTests, loaded.semanticViews);
        }
        await unitRunner?.close();
      }
    },
  );
}

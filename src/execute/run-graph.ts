// Runs selected nodes in DAG order on N threads; downstream of a failure is skipped, never run.
// In a build, each model's contract tests and SLOs run right after it, and a failing error test stops its children.
import type { Adapter } from '../adapters/adapter.js';
import type { Relation } from '../project/relation.js';
import type { CompiledProject, ModelNode, SeedNode } from '../project/nodes.js';
import type { BoundSlo } from '../render/bind-contracts.js';
import type { DataTest } from '../render/render-contract-tests.js';
import { reach } from '../graph/dag.js';
import { buildModel, loadSeed, type BuildOutcome } from './materialize.js';
import { NodeFailure, type NodeResult } from './node-result.js';
import { runDataTests, skippedTest, type TestResult } from './run-data-test.js';
import { measureSlos, type SloResult } from './measure-slos.js';
import type { RunContext, RunSettings } from './run-context.js';
import { SessionPool } from './session-pool.js';
import { StatementLog, type StatementRunner } from './statement-runner.js';

export type RunEvent =
  | { readonly type: 'node_started'; readonly node: string; readonly name: string; readonly index: number; readonly total: number }
  | { readonly type: 'node_finished'; readonly result: NodeResult; readonly index: number; readonly total: number }
  | { readonly type: 'test_finished'; readonly result: TestResult }
  | { readonly type: 'slo_finished'; readonly result: SloResult };

/** What a build checks after each model, as data: its tests and its SLOs, by node id. */
export interface BuildChecks {
  readonly tests: ReadonlyMap<string, readonly DataTest[]>;
  readonly slos: ReadonlyMap<string, readonly BoundSlo[]>;
}

export interface RunGraphOptions {
  readonly selected: ReadonlySet<string>;
  readonly threads: number;
  readonly settings: RunSettings;
  readonly onEvent?: (event: RunEvent) => void;
  readonly statementLog?: StatementLog;
  /** With checks (a build), each model's tests and SLOs run right after it. */
  readonly checks?: BuildChecks;
  /** Runs a model's unit tests before it is built; a failure fails the model unbuilt. */
  readonly unitGate?: (model: ModelNode) => Promise<{ results: TestResult[]; failure?: NodeFailure }>;
  /** --fail-fast: after the first node that fails (or whose error-severity test fails), start nothing new. */
  readonly failFast?: boolean;
}

export interface RunOutcome {
  readonly nodes: NodeResult[];
  readonly tests: TestResult[];
  readonly slos: SloResult[];
}

type Runnable = ModelNode | SeedNode;

/** Opens `threads` sessions, each with its run context; the context is built here once for every task. */
async function openPool(adapter: Adapter, threads: number, log: StatementLog, settings: RunSettings): Promise<{ pool: SessionPool; contextOf: (runner: StatementRunner) => RunContext }> {
  const pool = await SessionPool.open(adapter, threads, log);
  // Settled once, on the runner of the first governed model to ask; a failure fails every governed model after it.
  let governed: Promise<void> | undefined;
  const setUpGovernance = async (runner: StatementRunner): Promise<void> => {
    for (const sql of settings.governance?.setup ?? []) await runner.run(sql, { purpose: 'governance' });
  };
  const contextOf = (runner: StatementRunner): RunContext => ({
    ...settings,
    adapter,
    runner,
    ensureSchema: (r: Relation) => pool.ensureSchema(runner, r),
    ensureGovernance: () => (governed ??= setUpGovernance(runner)),
    now: () => new Date(),
  });
  return { pool, contextOf };
}

export async function runGraph(project: CompiledProject, adapter: Adapter, options: RunGraphOptions): Promise<RunOutcome> {
  const log = options.statementLog ?? new StatementLog();
  const emit = (event: RunEvent): void => options.onEvent?.(event);
  const queue = project.order
    .map((id) => project.nodes.get(id))
    .filter((n): n is Runnable => n !== undefined && n.kind !== 'source' && options.selected.has(n.uniqueId));
  const isEphemeral = (n: Runnable): boolean => n.kind === 'model' && n.config.materialized === 'ephemeral';
  const reported = queue.filter((n) => !isEphemeral(n));
  const total = reported.length;
  const results = new Map<string, NodeResult>();
  const testResults: TestResult[] = [];
  const sloResults: SloResult[] = [];
  // What a child waits for: the node's result, and the first of its tests that failed, if any.
  const done = new Map<string, Promise<{ result: NodeResult; blockedBy?: string }>>();
  let finished = 0;
  const { pool, contextOf } = await openPool(adapter, options.threads, log, options.settings);

  const finish = (result: NodeResult): NodeResult => {
    results.set(result.uniqueId, result);
    emit({ type: 'node_finished', result, index: ++finished, total });
    return result;
  };

  // Settled with a node's own result as soon as its build ends (built, failed or skipped), before its tests run.
  const built = new Map<string, Promise<NodeResult>>();
  const markBuilt = new Map<string, (result: NodeResult) => void>();
  for (const node of queue) built.set(node.uniqueId, new Promise<NodeResult>((resolve) => markBuilt.set(node.uniqueId, resolve)));
  const deferred: Array<Promise<void>> = [];

  // --fail-fast: the first failure, after which nothing new starts (what is running finishes).
  let firstFailure: string | undefined;
  const failed = (id: string): void => {
    if (options.failFast) firstFailure ??= id;
  };

  const record = (results: readonly TestResult[]): void => {
    for (const result of results) {
      testResults.push(result);
      emit({ type: 'test_finished', result });
    }
  };

  /**
   * The tests a model's checks can run now: each waits for the other models it reads that this run builds; one of
   * those not built (failed, skipped) skips the test rather than failing it against a missing or stale relation.
   */
  const runnableTests = async (tests: readonly DataTest[], self: string): Promise<{ run: DataTest[]; skipped: TestResult[] }> => {
    const run: DataTest[] = [];
    const skipped: TestResult[] = [];
    for (const test of tests) {
      const others = await Promise.all(test.dependsOn.filter((d) => d !== self && built.has(d)).map((d) => built.get(d) as Promise<NodeResult>));
      const missing = others.find((r) => r.status !== 'success');
      if (missing) skipped.push(skippedTest(test, missing.uniqueId));
      else run.push(test);
    }
    return { run, skipped };
  };

  const checkNode = async (node: Runnable, checks: BuildChecks): Promise<string | undefined> => {
    // A test that also reads a model downstream of this one (a relationship pointing down the DAG) waits for that
    // model and blocks nothing: blocking this model's children would stop the very model it waits for.
    const downstream = reach(project.children, [node.uniqueId]);
    const all = checks.tests.get(node.uniqueId) ?? [];
    const readsDownstream = (t: DataTest): boolean => t.dependsOn.some((d) => d !== node.uniqueId && downstream.has(d) && built.has(d));
    const later = all.filter(readsDownstream);
    if (later.length) {
      deferred.push(
        (async () => {
          const { run, skipped } = await runnableTests(later, node.uniqueId);
          record(skipped);
          if (run.length) record(await pool.with((runner) => runDataTests(contextOf(runner), run)));
        })(),
      );
    }
    const { run, skipped } = await runnableTests(all.filter((t) => !readsDownstream(t)), node.uniqueId);
    record(skipped);
    return pool.with(async (runner) => {
      const ctx = contextOf(runner);
      const results = await runDataTests(ctx, run);
      record(results);
      const slos = checks.slos.get(node.uniqueId) ?? [];
      if (node.kind === 'model' && slos.length) {
        for (const result of await measureSlos(ctx, node, slos)) {
          sloResults.push(result);
          emit({ type: 'slo_finished', result });
        }
      }
      const blocker = results.find((r) => r.status === 'fail' || r.status === 'error')?.uniqueId;
      // Before the session goes back to the pool, as for a failed build.
      if (blocker) failed(blocker);
      return blocker;
    });
  };

  const runOne = async (node: Runnable): Promise<{ result: NodeResult; blockedBy?: string }> => {
    // Parents outside the selection are assumed built; failed, skipped or test-blocked parents skip this node.
    const parents = (project.parents.get(node.uniqueId) ?? []).filter((p) => done.has(p));
    const parentOutcomes = await Promise.all(parents.map((p) => done.get(p)));
    const blocker = parentOutcomes.find((o) => o && (o.result.status !== 'success' || o.blockedBy));
    if (blocker || firstFailure) {
      const because = blocker ? (blocker.blockedBy ?? blocker.result.skippedBecause ?? blocker.result.uniqueId) : `--fail-fast after ${firstFailure}`;
      const skipped: NodeResult = { ...base(node), status: 'skipped', seconds: 0, skippedBecause: because };
      return { result: isEphemeral(node) ? skipped : finish(skipped) };
    }
    if (isEphemeral(node)) return { result: { ...base(node), status: 'success', seconds: 0 } };
    const outcome = await pool.with(async (runner): Promise<{ result: NodeResult }> => {
      // A failure may have come while this node waited for a session.
      if (firstFailure) return { result: finish({ ...base(node), status: 'skipped', seconds: 0, skippedBecause: `--fail-fast after ${firstFailure}` }) };
      const startedAt = new Date();
      emit({ type: 'node_started', node: node.uniqueId, name: node.name, index: finished + 1, total });
      const t0 = performance.now();
      try {
        if (node.kind === 'model' && options.unitGate) {
          const gate = await options.unitGate(node);
          for (const result of gate.results) {
            testResults.push(result);
            emit({ type: 'test_finished', result });
          }
          if (gate.failure) throw gate.failure;
        }
        const ctx = contextOf(runner);
        const built: BuildOutcome = node.kind === 'seed' ? await loadSeed(ctx, node) : await buildModel(ctx, node);
        return {
          result: finish({
            ...base(node),
            status: 'success',
            startedAt: startedAt.toISOString(),
            seconds: (performance.now() - t0) / 1000,
            rowsAffected: built.rowsAffected,
            mode: built.mode,
            translated: built.translated,
            ...(built.lateRebuild ? { note: 'rebuilt in full: rows of its input arrived later than its late_arrival window' } : {}),
          }),
        };
      } catch (e) {
        if (!(e instanceof NodeFailure)) throw e;
        const seconds = (performance.now() - t0) / 1000;
        // Before the session goes back to the pool: the next node to take it must already see the failure.
        failed(node.uniqueId);
        return { result: finish({ ...base(node), status: 'error', startedAt: startedAt.toISOString(), seconds, error: e.diagnostic }) };
      }
    });
    markBuilt.get(node.uniqueId)?.(outcome.result);
    const checks = options.checks;
    if (outcome.result.status !== 'success' || !checks) return outcome;
    return { ...outcome, blockedBy: await checkNode(node, checks) };
  };

  try {
    for (const node of queue) {
      const run = runOne(node);
      done.set(node.uniqueId, run);
      // A node skipped before its build releases whoever waits on it too.
      run.then((o) => markBuilt.get(node.uniqueId)?.(o.result), () => undefined);
    }
    await Promise.all(done.values());
    await Promise.all(deferred);
  } finally {
    await pool.close();
  }
  return { nodes: reported.map((n) => results.get(n.uniqueId) as NodeResult), tests: testResults, slos: sloResults };
}

export interface CheckOptions {
  readonly threads: number;
  readonly settings: RunSettings;
  readonly statementLog?: StatementLog;
  readonly onEvent?: (e: RunEvent) => void;
}

/** `charter test`: the tests of already-built models, on N threads, in the order given. */
export async function runTests(tests: readonly DataTest[], adapter: Adapter, options: CheckOptions): Promise<TestResult[]> {
  const { pool, contextOf } = await openPool(adapter, options.threads, options.statementLog ?? new StatementLog(), options.settings);
  try {
    const byModel = new Map<string, DataTest[]>();
    for (const test of tests) byModel.set(test.modelId, [...(byModel.get(test.modelId) ?? []), test]);
    const results = await Promise.all(
      [...byModel.values()].map((group) =>
        pool.with(async (runner) => {
          const done = await runDataTests(contextOf(runner), group);
          for (const result of done) options.onEvent?.({ type: 'test_finished', result });
          return done;
        }),
      ),
    );
    // Back in the order the tests were given, whatever order the groups finished in.
    const byId = new Map(results.flat().map((r) => [r.uniqueId, r]));
    return tests.map((t) => byId.get(t.id) as TestResult);
  } finally {
    await pool.close();
  }
}

/** SLOs of the given models, measured on N threads (with settings.resetBaselines, drift baselines are recorded afresh). */
export async function runSlos(models: ReadonlyArray<{ model: ModelNode; slos: readonly BoundSlo[] }>, adapter: Adapter, options: CheckOptions): Promise<SloResult[]> {
  const { pool, contextOf } = await openPool(adapter, options.threads, options.statementLog ?? new StatementLog(), options.settings);
  try {
    const all = await Promise.all(
      models.map(({ model, slos }) =>
        pool.with(async (runner) => {
          const results = await measureSlos(contextOf(runner), model, slos);
          for (const result of results) options.onEvent?.({ type: 'slo_finished', result });
          return results;
        }),
      ),
    );
    return all.flat();
  } finally {
    await pool.close();
  }
}

function base(node: Runnable): Pick<NodeResult, 'uniqueId' | 'name' | 'kind' | 'relation' | 'materialized'> {
  return {
    uniqueId: node.uniqueId,
    name: node.name,
    kind: node.kind,
    relation: node.relationName,
    materialized: node.kind === 'model' ? node.config.materialized : 'seed',
  };
}

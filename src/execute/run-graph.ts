// Runs selected nodes in DAG order on N threads; downstream of a failure is skipped, never run.
// In a build, each model's contract tests run right after it, and a failing one stops its children.
import type { Adapter } from '../adapters/adapter.js';
import type { Relation } from '../project/relation.js';
import type { CompiledProject, ModelNode, SeedNode } from '../project/nodes.js';
import type { DataTest } from '../render/render-contract-tests.js';
import type { BoundContract } from '../render/bind-contracts.js';
import { reach } from '../graph/dag.js';
import { buildModel, loadSeed, type BuildOutcome, type MaterializeContext } from './materialize.js';
import { NodeFailure, type NodeResult } from './node-result.js';
import { runDataTests, type TestResult } from './run-data-test.js';
import { measureSlos, type SloResult } from './measure-slos.js';
import type { LocatedSlo } from '../load/parse-slo.js';
import type { SourceLocation } from '../diagnostics/diagnostic.js';
import { SessionPool } from './session-pool.js';
import { StatementLog, type StatementRunner } from './statement-runner.js';

export type RunEvent =
  | { readonly type: 'node_started'; readonly node: string; readonly name: string; readonly index: number; readonly total: number }
  | { readonly type: 'node_finished'; readonly result: NodeResult; readonly index: number; readonly total: number }
  | { readonly type: 'test_finished'; readonly result: TestResult }
  | { readonly type: 'slo_finished'; readonly result: SloResult };

export interface TestOptions {
  /** Tests of a model, run right after it builds. */
  readonly testsFor: (modelId: string) => readonly DataTest[];
  readonly storeFailures: boolean;
  /** Where --store-failures keeps a test's failing rows. */
  readonly auditRelation: (test: DataTest) => Relation;
  /** A model's SLOs and where its contract writes them; measured after its tests. */
  readonly slosFor?: (modelId: string) => { slos: readonly LocatedSlo[]; locate: (path: readonly (string | number)[]) => SourceLocation } | undefined;
  /** OPS.charter_baselines. */
  readonly baselineTable?: Relation;
}

export interface RunGraphOptions {
  readonly selected: ReadonlySet<string>;
  readonly threads: number;
  readonly fullRefresh: boolean;
  readonly onEvent?: (event: RunEvent) => void;
  readonly statementLog?: StatementLog;
  readonly contractFor?: (modelId: string) => BoundContract | undefined;
  readonly tests?: TestOptions;
  /** Runs a model's unit tests before it is built; a failure fails the model unbuilt. */
  readonly unitGate?: (model: ModelNode) => Promise<{ results: TestResult[]; failure?: NodeFailure }>;
}

export interface RunOutcome {
  readonly nodes: NodeResult[];
  readonly tests: TestResult[];
  readonly slos: SloResult[];
}

type Runnable = ModelNode | SeedNode;

export async function runGraph(project: CompiledProject, adapter: Adapter, options: RunGraphOptions): Promise<NodeResult[]> {
  return (await runGraphWithTests(project, adapter, options)).nodes;
}

export async function runGraphWithTests(project: CompiledProject, adapter: Adapter, options: RunGraphOptions): Promise<RunOutcome> {
  const log = options.statementLog ?? new StatementLog();
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
  const pool = await SessionPool.open(adapter, options.threads, log);

  const finish = (result: NodeResult): NodeResult => {
    results.set(result.uniqueId, result);
    options.onEvent?.({ type: 'node_finished', result, index: ++finished, total });
    return result;
  };

  // Resolved when a node's relation is built, before its tests run.
  const built = new Map<string, Promise<void>>();

  const runTestsOf = async (node: Runnable, runner: StatementRunner): Promise<string | undefined> => {
    if (!options.tests) return undefined;
    let blockedBy: string | undefined;
    const ctx = {
      adapter,
      runner,
      storeFailures: options.tests.storeFailures,
      auditRelation: options.tests.auditRelation,
      ensureSchema: (r: Relation) => pool.ensureSchema(runner, r),
    };
    for (const result of await runDataTests(ctx, options.tests.testsFor(node.uniqueId))) {
      testResults.push(result);
      options.onEvent?.({ type: 'test_finished', result });
      if (!blockedBy && (result.status === 'fail' || result.status === 'error')) blockedBy = result.uniqueId;
    }
    const slos = options.tests.slosFor?.(node.uniqueId);
    if (node.kind === 'model' && slos?.slos.length && options.tests.baselineTable) {
      const measured = await measureSlos(
        { adapter, runner, baselineTable: options.tests.baselineTable, ensureSchema: (r) => pool.ensureSchema(runner, r), now: () => new Date() },
        node,
        slos.slos,
        slos.locate,
      );
      for (const result of measured) {
        sloResults.push(result);
        options.onEvent?.({ type: 'slo_finished', result });
      }
    }
    return blockedBy;
  };

  const runOne = async (node: Runnable): Promise<{ result: NodeResult; blockedBy?: string }> => {
    // Parents outside the selection are assumed built; failed, skipped or test-blocked parents skip this node.
    const parents = (project.parents.get(node.uniqueId) ?? []).filter((p) => done.has(p));
    const parentOutcomes = await Promise.all(parents.map((p) => done.get(p)));
    const blocker = parentOutcomes.find((o) => o && (o.result.status !== 'success' || o.blockedBy));
    if (blocker) {
      const because = blocker.blockedBy ?? blocker.result.skippedBecause ?? blocker.result.uniqueId;
      const skipped: NodeResult = { ...base(node), status: 'skipped', seconds: 0, skippedBecause: because };
      return { result: isEphemeral(node) ? skipped : finish(skipped) };
    }
    if (isEphemeral(node)) return { result: { ...base(node), status: 'success', seconds: 0 } };
    const outcome = await pool.with(async (runner): Promise<{ result: NodeResult }> => {
      const startedAt = new Date();
      options.onEvent?.({ type: 'node_started', node: node.uniqueId, name: node.name, index: finished + 1, total });
      const t0 = performance.now();
      try {
        const ctx: MaterializeContext = {
          adapter,
          runner,
          fullRefresh: options.fullRefresh,
          ensureSchema: (r) => pool.ensureSchema(runner, r),
          contractFor: options.contractFor,
        };
        if (node.kind === 'model' && options.unitGate) {
          const gate = await options.unitGate(node);
          for (const result of gate.results) {
            testResults.push(result);
            options.onEvent?.({ type: 'test_finished', result });
          }
          if (gate.failure) throw gate.failure;
        }
        const outcome: BuildOutcome = node.kind === 'seed' ? await loadSeed(ctx, node) : await buildModel(ctx, node);
        return {
          result: finish({
            ...base(node),
            status: 'success',
            startedAt: startedAt.toISOString(),
            seconds: (performance.now() - t0) / 1000,
            rowsAffected: outcome.rowsAffected,
            mode: outcome.mode,
            translated: outcome.translated,
          }),
        };
      } catch (e) {
        if (!(e instanceof NodeFailure)) throw e;
        const seconds = (performance.now() - t0) / 1000;
        return { result: finish({ ...base(node), status: 'error', startedAt: startedAt.toISOString(), seconds, error: e.diagnostic }) };
      }
    });
    markBuilt.get(node.uniqueId)?.();
    if (outcome.result.status !== 'success' || !options.tests) return outcome;
    // A relationship test also reads its parent: wait for that parent's build when this run builds it,
    // unless the parent is downstream of this node (it then waits for these tests: a deadlock).
    const downstream = reach(project.children, [node.uniqueId]);
    const waits = options.tests.testsFor(node.uniqueId).flatMap((t) => t.dependsOn.filter((d) => d !== node.uniqueId && !downstream.has(d)));
    await Promise.all(waits.map((d) => built.get(d)));
    return { ...outcome, blockedBy: await pool.with((runner) => runTestsOf(node, runner)) };
  };
  const markBuilt = new Map<string, () => void>();
  for (const node of queue) built.set(node.uniqueId, new Promise<void>((resolve) => markBuilt.set(node.uniqueId, resolve)));

  try {
    for (const node of queue) {
      const run = runOne(node);
      done.set(node.uniqueId, run);
      // A node that never builds (skipped, failed) releases whoever waits on its build.
      void run.finally(() => markBuilt.get(node.uniqueId)?.());
    }
    await Promise.all(done.values());
  } finally {
    await pool.close();
  }
  return { nodes: reported.map((n) => results.get(n.uniqueId) as NodeResult), tests: testResults, slos: sloResults };
}

/** `charter test`: the tests of already-built models, on N threads. */
export async function runTests(
  tests: readonly DataTest[],
  adapter: Adapter,
  options: { threads: number; storeFailures: boolean; auditRelation: (t: DataTest) => Relation; statementLog?: StatementLog; onEvent?: (e: RunEvent) => void },
): Promise<TestResult[]> {
  const pool = await SessionPool.open(adapter, options.threads, options.statementLog ?? new StatementLog());
  try {
    const byModel = new Map<string, DataTest[]>();
    for (const test of tests) byModel.set(test.modelId, [...(byModel.get(test.modelId) ?? []), test]);
    const results = await Promise.all(
      [...byModel.values()].map((group) =>
        pool.with(async (runner) => {
          const ctx = { adapter, runner, storeFailures: options.storeFailures, auditRelation: options.auditRelation, ensureSchema: (r: Relation) => pool.ensureSchema(runner, r) };
          const done = await runDataTests(ctx, group);
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

function base(node: Runnable): Pick<NodeResult, 'uniqueId' | 'name' | 'kind' | 'relation' | 'materialized'> {
  return {
    uniqueId: node.uniqueId,
    name: node.name,
    kind: node.kind,
    relation: node.relationName,
    materialized: node.kind === 'model' ? node.config.materialized : 'seed',
  };
}

/** SLOs of the given models, measured on N threads; with `resetBaselines`, drift baselines are recorded afresh. */
export async function runSlos(
  models: ReadonlyArray<{ model: ModelNode; slos: readonly LocatedSlo[]; locate: (path: readonly (string | number)[]) => SourceLocation }>,
  adapter: Adapter,
  options: { threads: number; baselineTable: Relation; resetBaselines?: boolean; statementLog?: StatementLog; onEvent?: (e: RunEvent) => void },
): Promise<SloResult[]> {
  const pool = await SessionPool.open(adapter, options.threads, options.statementLog ?? new StatementLog());
  try {
    const all = await Promise.all(
      models.map(({ model, slos, locate }) =>
        pool.with(async (runner) => {
          const ctx = {
            adapter,
            runner,
            baselineTable: options.baselineTable,
            resetBaselines: options.resetBaselines,
            ensureSchema: (r: Relation) => pool.ensureSchema(runner, r),
            now: () => new Date(),
          };
          const results = await measureSlos(ctx, model, slos, locate);
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

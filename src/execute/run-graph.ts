// Runs selected nodes in DAG order on N threads; downstream of a failure is skipped, never run.
import type { Adapter } from '../adapters/adapter.js';
import type { Relation } from '../adapters/dialect.js';
import type { CompiledProject, ModelNode, SeedNode } from '../render/compiled-project.js';
import { buildModel, loadSeed, type BuildOutcome, type MaterializeContext } from './materialize.js';
import { NodeFailure, type NodeResult } from './node-result.js';
import { StatementLog, StatementRunner } from './statement-runner.js';

export type RunEvent =
  | { readonly type: 'node_started'; readonly node: string; readonly name: string; readonly index: number; readonly total: number }
  | { readonly type: 'node_finished'; readonly result: NodeResult; readonly index: number; readonly total: number };

export interface RunGraphOptions {
  readonly selected: ReadonlySet<string>;
  readonly threads: number;
  readonly fullRefresh: boolean;
  readonly onEvent?: (event: RunEvent) => void;
  readonly statementLog?: StatementLog;
  /** Extra work after a node is built (tests arrive here); a NodeFailure fails the node. */
  readonly afterNode?: (node: ModelNode | SeedNode, runner: StatementRunner) => Promise<void>;
}

type Runnable = ModelNode | SeedNode;

export async function runGraph(project: CompiledProject, adapter: Adapter, options: RunGraphOptions): Promise<NodeResult[]> {
  const log = options.statementLog ?? new StatementLog();
  const queue = project.order
    .map((id) => project.nodes.get(id))
    .filter((n): n is Runnable => n !== undefined && n.kind !== 'source' && options.selected.has(n.uniqueId));
  const reported = queue.filter((n) => !(n.kind === 'model' && n.config.materialized === 'ephemeral'));
  const total = reported.length;
  const results = new Map<string, NodeResult>();
  const done = new Map<string, Promise<NodeResult | undefined>>();
  let finished = 0;

  const schemas = new Map<string, Promise<void>>();
  const sessions = await Promise.all(Array.from({ length: Math.max(1, options.threads) }, () => adapter.openSession()));
  const idle = sessions.map((s) => new StatementRunner(s, log));
  const waiters: Array<(r: StatementRunner) => void> = [];
  const borrow = (): Promise<StatementRunner> =>
    idle.length ? Promise.resolve(idle.pop() as StatementRunner) : new Promise((resolve) => waiters.push(resolve));
  const giveBack = (r: StatementRunner): void => {
    const next = waiters.shift();
    if (next) next(r);
    else idle.push(r);
  };

  const ensureSchemaWith = (runner: StatementRunner) => (relation: Relation): Promise<void> => {
    const key = `${relation.database}.${relation.schema}`;
    let created = schemas.get(key);
    if (!created) {
      created = runner.run(adapter.ddl.createSchema(relation.database, relation.schema), { purpose: 'schema' }).then(() => undefined);
      schemas.set(key, created);
    }
    return created;
  };

  const finish = (result: NodeResult): NodeResult => {
    results.set(result.uniqueId, result);
    options.onEvent?.({ type: 'node_finished', result, index: ++finished, total });
    return result;
  };

  const runOne = async (node: Runnable): Promise<NodeResult | undefined> => {
    // Parents outside the selection are assumed built; failed or skipped parents skip this node.
    const parents = (project.parents.get(node.uniqueId) ?? []).filter((p) => done.has(p));
    const parentResults = await Promise.all(parents.map((p) => done.get(p)));
    const blocker = parentResults.find((r) => r && r.status !== 'success');
    const ephemeral = node.kind === 'model' && node.config.materialized === 'ephemeral';
    if (blocker) {
      const skipped = { ...base(node), status: 'skipped' as const, seconds: 0, skippedBecause: blocker.skippedBecause ?? blocker.uniqueId };
      return ephemeral ? skipped : finish(skipped);
    }
    if (ephemeral) return { ...base(node), status: 'success', seconds: 0 };
    const runner = await borrow();
    const startedAt = new Date();
    options.onEvent?.({ type: 'node_started', node: node.uniqueId, name: node.name, index: finished + 1, total });
    const t0 = performance.now();
    try {
      const ctx: MaterializeContext = { adapter, runner, fullRefresh: options.fullRefresh, ensureSchema: ensureSchemaWith(runner) };
      const outcome: BuildOutcome = node.kind === 'seed' ? await loadSeed(ctx, node) : await buildModel(ctx, node);
      await options.afterNode?.(node, runner);
      return finish({
        ...base(node),
        status: 'success',
        startedAt: startedAt.toISOString(),
        seconds: (performance.now() - t0) / 1000,
        rowsAffected: outcome.rowsAffected,
        mode: outcome.mode,
        translated: outcome.translated,
      });
    } catch (e) {
      if (!(e instanceof NodeFailure)) throw e;
      return finish({ ...base(node), status: 'error', startedAt: startedAt.toISOString(), seconds: (performance.now() - t0) / 1000, error: e.diagnostic });
    } finally {
      giveBack(runner);
    }
  };

  try {
    for (const node of queue) done.set(node.uniqueId, runOne(node));
    await Promise.all(done.values());
  } finally {
    await Promise.all(sessions.map((s) => s.close()));
  }
  return reported.map((n) => results.get(n.uniqueId) as NodeResult);
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

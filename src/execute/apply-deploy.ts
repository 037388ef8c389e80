// Applies a deploy plan's changes in their order (dependency order, drops last), one at a time, under the lock.
// Each change's state row is written as soon as the change is done, so a killed apply has recorded exactly what
// finished: the next plan finds those nodes unchanged and runs the rest. A relation swapped in just before a kill,
// its row not yet written, is rebuilt by the next apply, which is harmless.
//
// A failed change skips the changes downstream of it (they would build on what it failed to build); the others go
// on, as in a build. The next apply, once the failure is fixed, goes on from there.
import { reach } from '../graph/dag.js';
import type { ModelNode, SeedNode } from '../project/nodes.js';
import type { DeployLock } from './deploy-lock.js';
import type { DeployState } from './deploy-state.js';
import type { PlannedChange } from './deploy-steps.js';
import { runPlannedBuild, type MaterializeContext } from './materialize.js';
import { NodeFailure, type NodeResult } from './node-result.js';
import type { RunEvent } from './run-graph.js';

export interface ApplyContext extends MaterializeContext {
  readonly state: DeployState;
  readonly lock: DeployLock;
}

export interface ApplyHooks {
  readonly onEvent?: (event: RunEvent) => void;
  /** After a change is applied and recorded; the apply waits for it (a library caller may pace the apply here). */
  readonly onApplied?: (change: PlannedChange) => void | Promise<void>;
}

const DONE: Readonly<Record<PlannedChange['kind'], string>> = { create: 'created', alter: 'altered', replace: 'replaced', governance: 'governance re-applied', drop: 'dropped' };

/** `children`: the compiled project's, through which a failure skips what is downstream of it. */
export async function applyChanges(
  ctx: ApplyContext,
  changes: readonly PlannedChange[],
  project: { readonly nodeOf: (id: string) => ModelNode | SeedNode | undefined; readonly children: ReadonlyMap<string, readonly string[]> },
  hooks: ApplyHooks = {},
): Promise<NodeResult[]> {
  const results: NodeResult[] = [];
  const total = changes.length;
  const finish = (result: NodeResult): void => {
    results.push(result);
    hooks.onEvent?.({ type: 'node_finished', result, index: results.length, total });
  };
  /** Each node downstream of a failure, with the failed node. */
  const blocked = new Map<string, string>();
  for (const change of changes) {
    const base = { uniqueId: change.node, name: change.name, kind: change.nodeKind, relation: change.relationName, materialized: change.materialized };
    const because = blocked.get(change.node);
    if (because) {
      finish({ ...base, status: 'skipped', seconds: 0, skippedBecause: because });
      continue;
    }
    hooks.onEvent?.({ type: 'node_started', node: change.node, name: change.name, index: results.length + 1, total });
    const startedAt = new Date().toISOString();
    const t0 = performance.now();
    try {
      const built = await runPlannedBuild(ctx, change.build, change.kind === 'drop' ? undefined : project.nodeOf(change.node));
      if (change.deployment) await ctx.state.record(change.deployment);
      else await ctx.state.recordDrop(change);
      await ctx.lock.renew();
      const note = change.kind === 'replace' || change.kind === 'alter' ? `${DONE[change.kind]}: ${change.reasons.join('; ')}` : DONE[change.kind];
      finish({ ...base, status: 'success', startedAt, seconds: (performance.now() - t0) / 1000, rowsAffected: built.rowsAffected, note });
    } catch (e) {
      if (!(e instanceof NodeFailure)) throw e;
      for (const id of reach(project.children, [change.node])) if (!blocked.has(id)) blocked.set(id, change.node);
      finish({ ...base, status: 'error', startedAt, seconds: (performance.now() - t0) / 1000, error: e.diagnostic });
      continue;
    }
    await hooks.onApplied?.(change);
  }
  return results;
}

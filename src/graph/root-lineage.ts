// Transitive column lineage: the seed and source columns a model column derives from, following each model's own
// lineage upstream. A path is direct only if every step is; any unknown step on the way is reported with where it is.
import { parseNodeId } from '../project/node-id.js';
import type { ProjectLineage } from './column-lineage.js';
import { combineHow } from './lineage-expression.js';
import type { UpstreamColumn } from './lineage-tree.js';

export interface UnknownStep {
  readonly node: string;
  readonly column: string;
  readonly reason: string;
}

export interface RootLineage {
  /** Seed and source columns, with how the column derives from each (one entry per distinct how). */
  readonly roots: readonly UpstreamColumn[];
  /** Where tracing stopped short: the roots are then incomplete. */
  readonly unknown: readonly UnknownStep[];
}

/** A resolver of root lineage over one project's lineage, remembering what it has resolved. */
export function rootResolver(lineage: ProjectLineage): (node: string, column: string) => RootLineage {
  const memo = new Map<string, RootLineage>();
  const resolve = (node: string, column: string): RootLineage => {
    const key = `${node}\u0000${column.toLowerCase()}`;
    const known = memo.get(key);
    if (known) return known;
    const result = resolveUncached(node, column.toLowerCase());
    memo.set(key, result);
    return result;
  };
  const resolveUncached = (node: string, column: string): RootLineage => {
    if (parseNodeId(node).kind !== 'model') return { roots: [{ node, column, how: 'direct' }], unknown: [] };
    const model = lineage.models[node];
    const traced = model?.columns.find((c) => c.column === column);
    if (!model || !traced) {
      const reason = !model ? 'the model was not traced' : (model.shapeUnknown ?? `${column} is not an output column of the model`);
      return { roots: [], unknown: [{ node, column, reason }] };
    }
    const roots = new Map<string, UpstreamColumn>();
    const unknown = new Map<string, UnknownStep>();
    if (traced.status === 'unknown') for (const reason of traced.reasons) unknown.set(`${node}\u0000${column}\u0000${reason}`, { node, column, reason });
    for (const step of traced.upstream) {
      const above = resolve(step.node, step.column);
      for (const root of above.roots) {
        const how = combineHow(step.how, root.how);
        roots.set(`${root.node}\u0000${root.column}\u0000${how}`, { node: root.node, column: root.column, how });
      }
      for (const u of above.unknown) unknown.set(`${u.node}\u0000${u.column}\u0000${u.reason}`, u);
    }
    return { roots: [...roots.values()], unknown: [...unknown.values()] };
  };
  return resolve;
}

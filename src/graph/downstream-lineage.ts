// Column lineage read the other way: the columns of other models computed from a column, found by inverting every
// model's own trace. A model downstream whose trace is incomplete may read the column without saying so: it is
// reported as unknown, with its reason, never counted in or out. Pure.
import { parseNodeId } from '../project/node-id.js';
import type { ProjectLineage } from './column-lineage.js';
import { combineHow } from './lineage-expression.js';
import type { UpstreamColumn } from './lineage-tree.js';

/** A place downstream where it cannot be told whether the column is read: a model, or one of its columns. */
export interface DownstreamUnknown {
  readonly node: string;
  /** Absent when the model's columns themselves are not all known. */
  readonly column?: string;
  readonly reason: string;
}

export interface DownstreamLineage {
  /** One step down: columns of the models that read the column, with how each is computed from it. */
  readonly downstream: readonly UpstreamColumn[];
  /** All the way down: every model column computed from it at any distance (one entry per distinct how). */
  readonly all: readonly UpstreamColumn[];
  /** Where tracing could not tell: the lists above are then incomplete. */
  readonly unknown: readonly DownstreamUnknown[];
}

const key = (...parts: readonly string[]): string => parts.join('\u0000');

/**
 * A resolver of downstream lineage over one project's lineage. `children`: each node's children in the DAG (the
 * compiled project's), so a model that reads the node but whose trace does not say how is still found.
 */
export function downstreamResolver(lineage: ProjectLineage, children: ReadonlyMap<string, readonly string[]>): (node: string, column: string) => DownstreamLineage {
  // Inverted once: (node, column) -> the model columns whose upstream names it.
  const readers = new Map<string, UpstreamColumn[]>();
  for (const model of Object.values(lineage.models)) {
    for (const c of model.columns) {
      for (const u of c.upstream) {
        const k = key(u.node, u.column);
        readers.set(k, [...(readers.get(k) ?? []), { node: model.node, column: c.column, how: u.how }]);
      }
    }
  }
  const memo = new Map<string, DownstreamLineage>();
  const resolve = (node: string, column: string): DownstreamLineage => {
    const k = key(node, column.toLowerCase());
    const known = memo.get(k);
    if (known) return known;
    const result = resolveUncached(node, column.toLowerCase());
    memo.set(k, result);
    return result;
  };
  const resolveUncached = (node: string, column: string): DownstreamLineage => {
    const downstream = readers.get(key(node, column)) ?? [];
    const all = new Map<string, UpstreamColumn>();
    const unknown = new Map<string, DownstreamUnknown>();
    const addUnknown = (u: DownstreamUnknown): void => void unknown.set(key(u.node, u.column ?? '', u.reason), u);
    for (const step of downstream) {
      all.set(key(step.node, step.column, step.how), step);
      const below = resolve(step.node, step.column);
      for (const d of below.all) {
        const how = combineHow(step.how, d.how);
        all.set(key(d.node, d.column, how), { node: d.node, column: d.column, how });
      }
      below.unknown.forEach(addUnknown);
    }
    for (const u of unknownReaders(lineage, children.get(node) ?? [], downstream)) addUnknown(u);
    return { downstream, all: [...all.values()], unknown: [...unknown.values()] };
  };
  return resolve;
}

/** The models among `children` that may read a column without their trace saying so; `known`: its known readers. */
function unknownReaders(lineage: ProjectLineage, children: readonly string[], known: readonly UpstreamColumn[]): DownstreamUnknown[] {
  const found: DownstreamUnknown[] = [];
  for (const child of children) {
    if (parseNodeId(child).kind !== 'model') continue;
    const model = lineage.models[child];
    if (!model) {
      found.push({ node: child, reason: 'the model was not traced' });
      continue;
    }
    // Columns the model's SQL does not list (a SELECT * that cannot expand) may carry the column on.
    if (model.shapeUnknown) found.push({ node: child, reason: model.shapeUnknown });
    for (const c of model.columns) {
      // A column whose trace stopped short may read this one through the part not traced (unless it is known to).
      if (c.status !== 'unknown' || known.some((k) => k.node === child && k.column === c.column)) continue;
      found.push({ node: child, column: c.column, reason: c.reasons.join('; ') });
    }
  }
  return found;
}

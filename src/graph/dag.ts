// The dependency graph: topological order and cycle detection, on unique ids only.
import { error, type Diagnostic, type SourceLocation } from '../diagnostics/diagnostic.js';

export interface GraphNode {
  readonly uniqueId: string;
  readonly dependsOn: readonly string[];
}

export interface Dag {
  readonly parents: ReadonlyMap<string, readonly string[]>;
  readonly children: ReadonlyMap<string, readonly string[]>;
  /** Every node, parents before children; ties broken by id so the order is stable. */
  readonly order: readonly string[];
}

export function buildDag(nodes: readonly GraphNode[]): Dag {
  const parents = new Map<string, string[]>();
  const children = new Map<string, string[]>();
  for (const node of nodes) {
    parents.set(node.uniqueId, [...new Set(node.dependsOn)]);
    children.set(node.uniqueId, []);
  }
  for (const node of nodes) {
    for (const parent of parents.get(node.uniqueId) ?? []) children.get(parent)?.push(node.uniqueId);
  }
  return { parents, children, order: topologicalOrder(parents, children) };
}

function topologicalOrder(parents: Map<string, string[]>, children: Map<string, string[]>): string[] {
  const waiting = new Map<string, number>();
  for (const [id, ps] of parents) waiting.set(id, ps.filter((p) => parents.has(p)).length);
  // Kahn's algorithm in waves, each wave sorted: deterministic and O(n log n).
  let wave = [...waiting].filter(([, n]) => n === 0).map(([id]) => id).sort();
  const order: string[] = [];
  while (wave.length) {
    const next: string[] = [];
    for (const id of wave) {
      order.push(id);
      for (const child of children.get(id) ?? []) {
        const left = (waiting.get(child) ?? 0) - 1;
        waiting.set(child, left);
        if (left === 0) next.push(child);
      }
    }
    wave = next.sort();
  }
  return order;
}

/** Every cycle as the path of ids that closes it (a -> b -> a), found by DFS. */
export function findCycles(dag: Dag): string[][] {
  const state = new Map<string, 'visiting' | 'done'>();
  const cycles: string[][] = [];
  const stack: string[] = [];
  const visit = (root: string): void => {
    // Iterative DFS: a 100k-node chain would overflow the call stack.
    const frames: Array<{ id: string; next: number }> = [{ id: root, next: 0 }];
    state.set(root, 'visiting');
    stack.push(root);
    while (frames.length) {
      const frame = frames[frames.length - 1] as { id: string; next: number };
      const ps = dag.parents.get(frame.id) ?? [];
      if (frame.next < ps.length) {
        const p = ps[frame.next++] as string;
        if (!dag.parents.has(p)) continue;
        const s = state.get(p);
        if (s === 'visiting') cycles.push([...stack.slice(stack.indexOf(p)), p].reverse());
        else if (s === undefined) {
          state.set(p, 'visiting');
          stack.push(p);
          frames.push({ id: p, next: 0 });
        }
      } else {
        state.set(frame.id, 'done');
        stack.pop();
        frames.pop();
      }
    }
  };
  for (const id of [...dag.parents.keys()].sort()) if (!state.has(id)) visit(id);
  return cycles;
}

export function cycleDiagnostics(
  cycles: readonly string[][],
  describe: (id: string) => { name: string; location?: SourceLocation },
): Diagnostic[] {
  return cycles.map((cycle) => {
    const names = cycle.map((id) => describe(id).name);
    const first = cycle[0] as string;
    return error('graph.cycle', `dependency cycle: ${names.join(' -> ')}`, {
      location: describe(first).location,
      hint: 'a model cannot ref() itself or anything downstream of it; break the cycle or use is_incremental() with {{ this }}',
    });
  });
}

/** Ancestors (or descendants) of `start`, up to `depth` steps (Infinity for all). */
export function reach(
  edges: ReadonlyMap<string, readonly string[]>,
  start: Iterable<string>,
  depth = Infinity,
): Set<string> {
  const seen = new Set<string>();
  let frontier = [...start];
  for (let d = 0; d < depth && frontier.length; d++) {
    const next: string[] = [];
    for (const id of frontier) {
      for (const n of edges.get(id) ?? []) {
        if (!seen.has(n)) {
          seen.add(n);
          next.push(n);
        }
      }
    }
    frontier = next;
  }
  return seen;
}

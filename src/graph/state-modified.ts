// `state:modified+` for `charter ci`: the nodes a change touched and everything downstream of them, and what a fresh
// database needs built to run those: their parents, built from their own definitions, unless a clone of the base
// database holds them (deferred). Pure.
import type { CompiledProject } from '../project/nodes.js';
import { reach } from './dag.js';

export interface ModifiedSelection {
  /** The modified nodes present in the project (a node the change removed has nothing to build). */
  readonly modified: ReadonlySet<string>;
  /** modified+: those and every node downstream of them. */
  readonly modifiedPlus: ReadonlySet<string>;
  /**
   * What to build, seeds and models only, in the project's order: modified+ and every ancestor of it, or modified+
   * alone when the parents are deferred to a clone of the base.
   */
  readonly toBuild: readonly string[];
}

export function modifiedSelection(
  project: Pick<CompiledProject, 'nodes' | 'order' | 'parents' | 'children'>, modified: Iterable<string>, { deferParents = false }: { readonly deferParents?: boolean } = {},
): ModifiedSelection {
  const runnable = (id: string): boolean => {
    const kind = project.nodes.get(id)?.kind;
    return kind === 'model' || kind === 'seed';
  };
  const present = new Set([...modified].filter((id) => project.nodes.has(id)));
  const plus = new Set([...present, ...reach(project.children, present)].filter(runnable));
  // A child of a modified node may read other, unmodified parents: on a fresh database they must be built too.
  const needed = deferParents ? plus : new Set([...plus, ...reach(project.parents, plus)]);
  return { modified: present, modifiedPlus: plus, toBuild: project.order.filter((id) => needed.has(id) && runnable(id)) };
}

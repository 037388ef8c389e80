// Which semantic views a build sends to a Snowflake target, and what it sends for each: the view's CREATE OR REPLACE
// SEMANTIC VIEW and its GRANTs, once the models it reads are built, so a view never points at a relation this run
// failed to make. Pure.
import type { LoadedSemanticView } from '../load/load-semantic-views.js';
import type { CompiledProject } from '../project/nodes.js';
import { semanticViewName, semanticViewStatements } from '../render/semantic-view-ddl.js';
import { placementOf } from '../render/semantic-view-files.js';

export interface SemanticViewDeploy {
  /** The view's name as its file says it. */
  readonly view: string;
  readonly file: string;
  /** Fully qualified, as the DDL names it. */
  readonly name: string;
  /** Node ids of the models and seeds its tables read. */
  readonly reads: readonly string[];
  /** CREATE OR REPLACE SEMANTIC VIEW first, then one GRANT per role. */
  readonly statements: readonly string[];
}

export type SemanticViewDecision =
  | { readonly deploy: SemanticViewDeploy; readonly send: true }
  | { readonly deploy: SemanticViewDeploy; readonly send: false; readonly because: string };

export function semanticViewDeploys(
  views: readonly LoadedSemanticView[], project: CompiledProject, defaultSchema: string, defaultDatabase: string,
): SemanticViewDeploy[] {
  const idOf = new Map<string, string>();
  for (const node of project.nodes.values()) if (node.kind === 'model' || node.kind === 'seed') idOf.set(node.name.toLowerCase(), node.uniqueId);
  return views.map((loaded) => {
    const view = loaded.definition;
    const place = placementOf(loaded, project, defaultSchema, defaultDatabase);
    const reads = [...new Set(view.tables.flatMap((t) => idOf.get(t.model.toLowerCase()) ?? []))];
    return { view: view.name, file: loaded.file, name: semanticViewName(view, place), reads, statements: semanticViewStatements(view, place) };
  });
}

/**
 * A view is sent when this run built at least one model it reads and every one of them that the run selected
 * succeeded; a view none of whose models were built is left as deployed (a `--select` elsewhere does not resend it).
 */
export function semanticViewDecisions(
  deploys: readonly SemanticViewDeploy[], built: ReadonlyMap<string, 'success' | 'error' | 'skipped'>,
): SemanticViewDecision[] {
  return deploys.flatMap((deploy): SemanticViewDecision[] => {
    const mine = deploy.reads.filter((id) => built.has(id));
    if (mine.length === 0) return [];
    const failed = mine.find((id) => built.get(id) !== 'success');
    return failed ? [{ deploy, send: false, because: `${failed} was not built (${built.get(failed)})` }] : [{ deploy, send: true }];
  });
}

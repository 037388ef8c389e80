// `charter query --semantic-view V --metrics ... --dimensions ...`: a semantic view queried locally as Snowflake's
// SEMANTIC_VIEW() clause would answer it (render/semantic-query.ts plans the SQL), then run like any `charter query`:
// as a role, through the policies. Returns the result and the SQL it ran.
import { dialectFor } from '../adapters/dialects.js';
import { error, UserError } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../diagnostics/suggest.js';
import { loadProject } from '../load/load-project.js';
import { nodeIndex } from '../project/lookup.js';
import { compileProject } from '../render/compile-project.js';
import { planSemanticQuery, type SemanticRequest } from '../render/semantic-query.js';
import { query, type QueryOptions, type QueryResultSet } from './query.js';

export interface SemanticQueryOptions extends Omit<QueryOptions, 'sql'>, SemanticRequest {
  /** The semantic view's name, as its file under semantic_views/ names it. */
  readonly view: string;
}

export async function semanticQuery(options: SemanticQueryOptions): Promise<QueryResultSet & { readonly sql: string }> {
  const loaded = await loadProject(options);
  const view = loaded.semanticViews.find((v) => v.definition.name.toLowerCase() === options.view.toLowerCase());
  if (!view) {
    const known = loaded.semanticViews.map((v) => v.definition.name);
    throw new UserError([error('cli.usage', `\`${options.view}\` is not a semantic view of this project`, {
      hint: didYouMean(options.view, known) ?? (known.length ? `semantic views: ${known.join(', ')}` : 'define one in semantic_views/*.yml'),
    })]);
  }
  const index = nodeIndex(compileProject(loaded));
  const plan = planSemanticQuery(view.definition, (model) => index.model(model)?.relationName, options, dialectFor(loaded.target.engine));
  if ('problems' in plan) throw new UserError(plan.problems.map((p) => error('cli.usage', p)));
  return { ...(await query({ ...options, sql: plan.sql })), sql: plan.sql };
}

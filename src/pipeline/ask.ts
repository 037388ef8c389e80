// `charter ask "<question>"` on the local target: the question mapped to a semantic query (render/semantic-ask.ts),
// run as `query --semantic-view` runs it, and answered in one sentence with the SQL that computed it. A question it
// cannot map is declined with what it understood and the closest names: never a number it did not compute.
import { error, UserError } from '../diagnostics/diagnostic.js';
import { loadProject } from '../load/load-project.js';
import { mapQuestion, type AskMapping } from '../render/semantic-ask.js';
import type { ProjectOptions } from './options.js';
import { semanticQuery } from './semantic-query.js';

export interface AskOptions extends ProjectOptions {
  readonly question: string;
  /** The role to answer as; none: every policy applies in full. */
  readonly role?: string;
}

export type AskAnswer =
  | { readonly answered: true; readonly sentence: string; readonly mapping: AskMapping; readonly sql: string; readonly columns: readonly string[]; readonly rows: ReadonlyArray<ReadonlyArray<unknown>> }
  | { readonly answered: false; readonly sentence: string; readonly understood: readonly string[]; readonly closest: readonly string[] };

export async function ask(options: AskOptions): Promise<AskAnswer> {
  const loaded = await loadProject(options);
  if (loaded.target.engine !== 'duckdb') {
    throw new UserError([error('cli.usage', `charter ask answers on the local target; ${loaded.targetName} is ${loaded.target.engine}`, {
      hint: 'on Snowflake, Cortex Analyst answers from the deployed semantic view; pick a duckdb target here',
    })]);
  }
  const views = loaded.semanticViews.map((v) => v.definition);
  if (!views.length) throw new UserError([error('cli.usage', 'this project has no semantic views to answer from', { hint: 'define one in semantic_views/*.yml' })]);
  const result = mapQuestion(options.question, views);
  if ('declined' in result) {
    const { understood, closest } = result.declined;
    return {
      answered: false,
      sentence: `I cannot answer that from the semantic views${understood.length ? ` (I understood ${understood.join(', ')})` : ''}: no metric matches it.`,
      understood,
      closest,
    };
  }
  const { mapped } = result;
  const answer = await semanticQuery({ projectDir: options.projectDir, ...(options.target ? { target: options.target } : {}), ...(options.role ? { role: options.role } : {}), view: mapped.view, ...mapped.request });
  const columns = answer.columns.map((c) => c.name);
  const metricAt = columns.findIndex((c) => c.toLowerCase() === mapped.metric.name.toLowerCase());
  const what = `${mapped.metric.label}${mapped.filters.length ? ` for ${mapped.filters.join(', ')}` : ''}${mapped.period ? ` in ${mapped.period}` : ''}`;
  let sentence: string;
  if (answer.rows.length === 0) sentence = `No rows: ${what} has no value in the data.`;
  else if (answer.rows.length === 1) sentence = `${capitalise(what)}: ${format(answer.rows[0]![metricAt], mapped.metric.name)}.`;
  else sentence = `${capitalise(what)}, ${answer.rows.length} rows:`;
  return { answered: true, sentence, mapping: mapped, sql: answer.sql, columns, rows: answer.rows };
}

const capitalise = (text: string): string => `${text.charAt(0).toUpperCase()}${text.slice(1)}`;

/** A figure as people read it: thousands separated, cents kept; money where the metric's name says so. */
export function format(value: unknown, metric: string): string {
  if (value === null || value === undefined) return 'no value';
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n)) return String(value);
  const money = /(^|_)(arr|mrr|revenue|amount|usd|cost|acv|price)(_|$)/i.test(metric);
  const text = n.toLocaleString('en-US', { minimumFractionDigits: money || !Number.isInteger(n) ? 2 : 0, maximumFractionDigits: money ? 2 : 4 });
  return money ? `$${text}` : text;
}

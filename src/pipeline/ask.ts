// `charter ask "<question>"` on the local target: the question mapped to a semantic query (render/semantic-ask.ts),
// run as `query --semantic-view` runs it, and answered in one sentence with the SQL that computed it. A question it
// cannot map is declined with what it understood and the closest names: never a number it did not compute.
import { error, UserError } from '../diagnostics/diagnostic.js';
import { loadProject } from '../load/load-project.js';
import { mapQuestion, type AskedMetric, type AskMapping } from '../render/semantic-ask.js';
import type { ProjectOptions } from './options.js';
import { semanticQuery } from './semantic-query.js';
import { askCortex, type CortexAnswer } from './ask-cortex.js';

export interface AskOptions extends ProjectOptions {
  readonly question: string;
  /** The role to answer as; none: every policy applies in full. */
  readonly role?: string;
  /** On Snowflake: run the SQL Cortex Analyst writes (default yes). */
  readonly runSql?: boolean;
}

export type AskAnswer =
  | { readonly answered: true; readonly sentence: string; readonly mapping: AskMapping; readonly sql: string; readonly columns: readonly string[]; readonly rows: ReadonlyArray<ReadonlyArray<unknown>> }
  | { readonly answered: false; readonly sentence: string; readonly understood: readonly string[]; readonly closest: readonly string[]; readonly reason?: string }
  /** On a Snowflake target: Cortex Analyst's answer (pipeline/ask-cortex.ts). */
  | CortexAnswer;

export async function ask(options: AskOptions): Promise<AskAnswer> {
  const loaded = await loadProject(options);
  // On Snowflake, Cortex Analyst answers from the deployed semantic views.
  if (loaded.target.engine === 'snowflake' && loaded.semanticViews.length) return askCortex(loaded, options);
  const views = loaded.semanticViews.map((v) => v.definition);
  if (!views.length) throw new UserError([error('cli.usage', 'this project has no semantic views to answer from', { hint: 'define one in semantic_views/*.yml' })]);
  // Relative periods count from the project's as-of date, never from today: the data ends on it.
  const asOf = loaded.vars['as_of_date'];
  const result = mapQuestion(options.question, views, typeof asOf === 'string' ? { asOf } : {});
  if ('declined' in result) {
    const { understood, closest, reason } = result.declined;
    return {
      answered: false,
      sentence: `I cannot answer that from the semantic views${understood.length ? ` (I understood ${understood.join(', ')})` : ''}: ${reason ?? 'no metric matches it'}.`,
      understood,
      closest,
      ...(reason ? { reason } : {}),
    };
  }
  const { mapped } = result;
  const answer = await semanticQuery({ projectDir: options.projectDir, ...(options.target ? { target: options.target } : {}), ...(options.role ? { role: options.role } : {}), view: mapped.view, ...mapped.request });
  const columns = answer.columns.map((c) => c.name);
  return { answered: true, sentence: sentenceOf(mapped, columns, answer.rows), mapping: mapped, sql: answer.sql, columns, rows: answer.rows };
}

/** One sentence: the figure(s) of one row, or each group's figure (up to ten) of several. */
function sentenceOf(mapped: AskMapping, columns: readonly string[], rows: ReadonlyArray<ReadonlyArray<unknown>>): string {
  const at = (name: string): number => columns.findIndex((c) => c.toLowerCase() === name.toLowerCase());
  const figure = (row: ReadonlyArray<unknown>, m: AskedMetric): string => format(row[at(m.name)], m.name, m.percent);
  const metrics = mapped.metrics.length ? mapped.metrics : [mapped.metric];
  const what = `${metrics.map((m) => m.label).join(' and ')}${mapped.filters.length ? ` for ${mapped.filters.join(', ')}` : ''}${mapped.period ? ` in ${mapped.period}` : ''}`;
  if (rows.length === 0) return `No rows: ${what} has no value in the data.`;
  if (rows.length === 1) return `${capitalise(what)}: ${metrics.map((m) => figure(rows[0]!, m)).join(' and ')}.`;
  // The groups: the requested dimensions that vary between rows.
  const dims = mapped.request.dimensions.map(at).filter((i) => i >= 0 && new Set(rows.map((r) => String(r[i]))).size > 1);
  const shown = rows.slice(0, 10).map((r) => `${dims.map((i) => String(r[i])).join(' ')} ${metrics.map((m) => figure(r, m)).join(' and ')}`);
  const order = mapped.order ? `, ${mapped.order} first` : '';
  return `${capitalise(what)} by ${dims.map((i) => columns[i]).join(', ')}${order}: ${shown.join('; ')}${rows.length > 10 ? `; and ${rows.length - 10} more` : ''}.`;
}

const capitalise = (text: string): string => `${text.charAt(0).toUpperCase()}${text.slice(1)}`;

/** A figure as people read it: thousands separated, cents kept; money where the metric's name says so; a fraction as a percentage. */
export function format(value: unknown, metric: string, percent = false): string {
  if (value === null || value === undefined) return 'no value';
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n)) return String(value);
  if (percent) return `${(100 * n).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}%`;
  if (/correlation/i.test(metric)) return n.toFixed(3);
  const money = /(^|_)(arr|mrr|revenue|amount|usd|cost|acv|price|contract_value)(_|$)/i.test(metric);
  const text = n.toLocaleString('en-US', { minimumFractionDigits: money || !Number.isInteger(n) ? 2 : 0, maximumFractionDigits: money ? 2 : 4 });
  return money ? `$${text}` : text;
}

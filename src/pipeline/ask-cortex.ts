// `charter ask` on a Snowflake target: the question goes to Cortex Analyst's REST API (POST
// /api/v2/cortex/analyst/message) with the project's deployed semantic view (several: `semantic_models`, and Analyst
// picks one), authorised as the target's connection is; its text and SQL are printed, and the SQL is run through the
// adapter, as the target's role (or --role), so the figure comes from the warehouse. Analyst's suggestions, when it
// writes no SQL, are passed on; it is never asked to invent a number.
import { error, UserError } from '../diagnostics/diagnostic.js';
import { processEnvironment, resolveConnectionSettings } from '../adapters/snowflake/connection-settings.js';
import { restAuthorization, restBaseUrl } from '../adapters/snowflake/rest-auth.js';
import type { LoadedProject } from '../load/project-files.js';
import { compileProject } from '../render/compile-project.js';
import { semanticViewName } from '../render/semantic-view-ddl.js';
import { DEFAULT_SEMANTIC_SCHEMA, placementOf } from '../render/semantic-view-files.js';
import type { ProjectOptions } from './options.js';
import { query } from './query.js';

export const CORTEX_ANALYST_PATH = '/api/v2/cortex/analyst/message';

export interface CortexAskOptions extends ProjectOptions {
  readonly question: string;
  readonly role?: string;
  /** Run the SQL Analyst writes (default: yes). */
  readonly runSql?: boolean;
}

export interface CortexAnswer {
  readonly via: 'cortex';
  /** Analyst wrote SQL for it. */
  readonly answered: boolean;
  /** Analyst's text: its reading of the question, or why it could not answer. */
  readonly sentence: string;
  readonly sql?: string;
  readonly suggestions: readonly string[];
  readonly warnings: readonly string[];
  readonly requestId?: string;
  /** The verified query Analyst used, by name. */
  readonly verifiedQuery?: string;
  /** The semantic views the question was asked of, fully qualified. */
  readonly semanticViews: readonly string[];
  /** Whether the SQL was run; its result is `columns` and `rows` (empty when not). */
  readonly ran: boolean;
  readonly columns: readonly string[];
  readonly rows: ReadonlyArray<ReadonlyArray<unknown>>;
}

/** The request body: one user turn, and the view (or views) it is about. */
export function cortexRequestBody(question: string, views: readonly string[]): Record<string, unknown> {
  const messages = [{ role: 'user', content: [{ type: 'text', text: question }] }];
  return views.length === 1 ? { messages, semantic_view: views[0], stream: false } : { messages, semantic_models: views.map((v) => ({ semantic_view: v })), stream: false };
}

type Content = { type?: string; text?: string; statement?: string; suggestions?: unknown; confidence?: { verified_query_used?: { name?: string } | null } };

/** A 200 response read into what charter prints; content types it does not know are passed over. */
export function readCortexResponse(body: unknown): Omit<CortexAnswer, 'via' | 'semanticViews' | 'ran' | 'columns' | 'rows'> {
  const b = (body ?? {}) as { request_id?: string; message?: { content?: Content[] }; warnings?: Array<{ message?: string }> };
  const content = b.message?.content ?? [];
  const texts = content.filter((c) => c.type === 'text' && c.text).map((c) => c.text!.trim());
  const sql = content.find((c) => c.type === 'sql' && c.statement);
  const suggestions = content.filter((c) => c.type === 'suggestions' || c.type === 'suggestion').flatMap((c) => (Array.isArray(c.suggestions) ? c.suggestions.map(String) : []));
  const used = sql?.confidence?.verified_query_used?.name;
  return {
    answered: sql !== undefined,
    sentence: texts.join('\n') || (sql ? 'Cortex Analyst wrote this SQL:' : 'Cortex Analyst gave no answer.'),
    ...(sql ? { sql: sql.statement!.trim() } : {}),
    suggestions,
    warnings: (b.warnings ?? []).flatMap((w) => (w.message ? [w.message] : [])),
    ...(b.request_id ? { requestId: b.request_id } : {}),
    ...(used ? { verifiedQuery: used } : {}),
  };
}

export async function askCortex(loaded: LoadedProject, options: CortexAskOptions, fetchFn: typeof fetch = fetch): Promise<CortexAnswer> {
  const target = loaded.target;
  if (target.engine !== 'snowflake') throw new Error(`askCortex on a ${target.engine} target`);
  const compiled = compileProject(loaded);
  const views = loaded.semanticViews.map((v) =>
    semanticViewName(v.definition, placementOf(v, compiled, loaded.config.layers?.platinum ?? DEFAULT_SEMANTIC_SCHEMA, loaded.config.name.toUpperCase())));
  const settings = resolveConnectionSettings(loaded.targetName, target, processEnvironment(), loaded.targetLocation);
  const url = `${restBaseUrl(settings)}${CORTEX_ANALYST_PATH}`;
  const auth = await restAuthorization(settings, fetchFn);
  let response: Response;
  let body: unknown;
  try {
    response = await fetchFn(url, {
      method: 'POST',
      headers: { ...auth.headers, 'Content-Type': 'application/json', Accept: 'application/json', 'User-Agent': 'charter' },
      body: JSON.stringify(cortexRequestBody(options.question, views)),
      signal: AbortSignal.timeout(120_000),
    }).catch((e: unknown) => {
      throw new UserError([error('semantic.cortex', `cannot reach Cortex Analyst at ${url}: ${e instanceof Error ? e.message : String(e)}`)]);
    });
    body = await response.json().catch(() => undefined);
  } finally {
    await auth.close();
  }
  if (!response.ok) {
    const problem = (body ?? {}) as { message?: string; error_code?: string; request_id?: string };
    throw new UserError([error('semantic.cortex', `Cortex Analyst refused the question (HTTP ${response.status}${problem.error_code ? `, ${problem.error_code}` : ''}): ${problem.message ?? 'no message'}`, {
      hint: response.status === 401 || response.status === 403
        ? "the target's role needs USAGE on the Cortex Analyst database role (SNOWFLAKE.CORTEX_USER) and SELECT and REFERENCES on the semantic view"
        : `the semantic views asked of: ${views.join(', ')}; \`charter build\` deploys them`,
      ...(problem.request_id ? { detail: `request id ${problem.request_id}` } : {}),
    })]);
  }
  const read = readCortexResponse(body);
  const answer: CortexAnswer = { via: 'cortex', ...read, semanticViews: views, ran: false, columns: [], rows: [] };
  if (!read.sql || options.runSql === false) return answer;
  const sql = read.sql.replace(/;\s*$/, '');
  const result = await query({ projectDir: options.projectDir, ...(options.target ? { target: options.target } : {}), ...(options.vars ? { vars: options.vars } : {}), ...(options.role ? { role: options.role } : {}), sql });
  return { ...answer, ran: true, columns: result.columns.map((c) => c.name), rows: result.rows };
}

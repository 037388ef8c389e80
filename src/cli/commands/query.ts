// `charter query --role R "<sql>"`: see the warehouse as a role sees it (masked columns, filtered rows).
import { Command, Option } from 'commander';
import { withGlobalOptions, type GlobalOptions } from '../global-options.js';
import { outputClosed } from '../reporter.js';
import { error, UserError } from '../../diagnostics/diagnostic.js';
import type { QueryResultSet } from '../../pipeline/query.js';

const usage = (message: string): UserError => new UserError([error('cli.usage', message)]);

interface QueryCommandOptions extends GlobalOptions {
  readonly role?: string;
  readonly output: 'text' | 'json';
  readonly semanticView?: string;
  readonly metrics?: string[];
  readonly dimensions?: string[];
  readonly where?: string;
  readonly orderBy?: string[];
  readonly limit?: string;
}

const list = (value: string, previous: string[] = []): string[] => [...previous, ...value.split(',').map((s) => s.trim()).filter(Boolean)];

const cell = (v: unknown): string => (v === null || v === undefined ? 'NULL' : typeof v === 'object' ? JSON.stringify(v) : String(v));

/** Rows as an aligned table (or JSON lines), then who saw them; returns the cells printed, none for JSON. */
export function printRows(result: QueryResultSet, output: 'text' | 'json'): string[][] | undefined {
  const names = result.columns.map((c) => c.name);
  if (output === 'json') {
    for (const row of result.rows) {
      if (outputClosed(process.stdout)) break;
      process.stdout.write(`${JSON.stringify(Object.fromEntries(names.map((n, i) => [n, row[i] ?? null])))}\n`);
    }
    return undefined;
  }
  const text = result.rows.map((row) => row.map(cell));
  const widths = names.map((n, i) => Math.max(n.length, ...text.map((r) => r[i]!.length)));
  const line = (values: readonly string[]) => values.map((v, i) => v.padEnd(widths[i]!)).join('  ').trimEnd();
  process.stdout.write(`${line(names)}\n${line(widths.map((w) => '-'.repeat(w)))}\n`);
  for (const row of text) {
    if (outputClosed(process.stdout)) break;
    process.stdout.write(`${line(row)}\n`);
  }
  process.stdout.write(`(${result.rows.length} row${result.rows.length === 1 ? '' : 's'}, as ${result.role ? `${result.role}, holding ${result.roles.join(', ')}` : 'no role'})\n`);
  return text;
}

export function queryCommand(): Command {
  return withGlobalOptions(new Command('query'), { selection: false })
    .description('run a Snowflake SQL query against the target as a role sees it: masked columns, only the rows it may see')
    .argument('[sql]', 'a Snowflake SQL query (or --semantic-view with its metrics and dimensions)')
    .option('--role <role>', 'the role to query as (with every role it inherits); without one, every policy applies in full')
    .option('--semantic-view <name>', "query a semantic view as Snowflake's SEMANTIC_VIEW() would: metrics at the dimensions' grain, without fan-out")
    .option('--metrics <names>', 'with --semantic-view: metrics, comma separated', list)
    .option('--dimensions <names>', 'with --semantic-view: dimensions, comma separated', list)
    .option('--where <condition>', 'with --semantic-view: a condition over requested dimensions')
    .option('--order-by <items>', "with --semantic-view: output columns, each optionally 'name DESC', comma separated", list)
    .option('--limit <n>', 'with --semantic-view: at most this many rows')
    .addOption(new Option('-o, --output <format>', 'text: an aligned table; json: one object per row').choices(['text', 'json']).default('text'))
    .action(async (sql: string | undefined, options: QueryCommandOptions) => {
      let ran: string | undefined;
      let result: Awaited<ReturnType<typeof import('../../pipeline/query.js')['query']>>;
      if (options.semanticView) {
        const { semanticQuery } = await import('../../pipeline/semantic-query.js');
        const limit = options.limit === undefined ? undefined : Number(options.limit);
        if (limit !== undefined && !(Number.isInteger(limit) && limit >= 0)) throw usage(`--limit takes a whole number, not ${options.limit}`);
        const { limit: _text, ...rest } = options;
        result = await semanticQuery({
          ...rest, view: options.semanticView, metrics: options.metrics ?? [], dimensions: options.dimensions ?? [],
          ...(limit !== undefined ? { limit } : {}),
        });
        ran = (result as typeof result & { sql: string }).sql;
      } else {
        if (!sql) throw usage('give a SQL query, or --semantic-view with --metrics and --dimensions');
        const { query } = await import('../../pipeline/query.js');
        result = await query({ ...options, sql });
      }
      const text = printRows(result, options.output);
      if (!text) return;
      if (ran && !options.role && text.some((r) => r.slice(0, options.dimensions?.length ?? 0).includes('NULL'))) {
        process.stdout.write('(some dimension values are NULL: without --role, governed relations show no rows and masked values)\n');
      }
      if (ran) process.stdout.write(`\n-- the SQL it ran (Snowflake SQL; the local target runs it translated):\n${ran}\n`);
    });
}

// `charter query --role R "<sql>"`: see the warehouse as a role sees it (masked columns, filtered rows).
import { Command, Option } from 'commander';
import { withGlobalOptions, type GlobalOptions } from '../global-options.js';
import { outputClosed } from '../reporter.js';

interface QueryCommandOptions extends GlobalOptions {
  readonly role?: string;
  readonly output: 'text' | 'json';
}

const cell = (v: unknown): string => (v === null || v === undefined ? 'NULL' : typeof v === 'object' ? JSON.stringify(v) : String(v));

export function queryCommand(): Command {
  return withGlobalOptions(new Command('query'), { selection: false })
    .description('run a Snowflake SQL query against the target as a role sees it: masked columns, only the rows it may see')
    .argument('<sql>', 'a Snowflake SQL query')
    .option('--role <role>', 'the role to query as (with every role it inherits); without one, every policy applies in full')
    .addOption(new Option('-o, --output <format>', 'text: an aligned table; json: one object per row').choices(['text', 'json']).default('text'))
    .action(async (sql: string, options: QueryCommandOptions) => {
      const { query } = await import('../../pipeline/query.js');
      const result = await query({ ...options, sql });
      const names = result.columns.map((c) => c.name);
      if (options.output === 'json') {
        for (const row of result.rows) {
          if (outputClosed(process.stdout)) break;
          process.stdout.write(`${JSON.stringify(Object.fromEntries(names.map((n, i) => [n, row[i] ?? null])))}\n`);
        }
        return;
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
    });
}

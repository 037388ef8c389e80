// `charter show --select <model> [--limit n]` and `charter show --inline "<sql>"`: dbt's names for a look at a
// model's rows, over `charter query` (the same role handling: --role shows what that role may see).
import { Command, Option } from 'commander';
import { error, UserError } from '../../diagnostics/diagnostic.js';
import { withGlobalOptions, type GlobalOptions } from '../global-options.js';
import { printRows } from './query.js';

interface ShowOptions extends GlobalOptions {
  readonly inline?: string;
  readonly limit: string;
  readonly role?: string;
  readonly output: 'text' | 'json';
}

const usage = (message: string): UserError => new UserError([error('cli.usage', message)]);

export function showCommand(): Command {
  return withGlobalOptions(new Command('show'))
    .description("show a model's first rows (--select, one model or seed) or an inline query's (--inline), as charter query runs them")
    .option('--inline <sql>', 'a Snowflake SQL query instead of a model')
    .option('--limit <n>', 'at most this many rows', '5')
    .option('--role <role>', 'the role to read as (with every role it inherits)')
    .addOption(new Option('-o, --output <format>', 'text: an aligned table; json: one object per row').choices(['text', 'json']).default('text'))
    .action(async (options: ShowOptions) => {
      const limit = Number(options.limit);
      if (!Number.isInteger(limit) || limit < 0) throw usage(`--limit takes a whole number, not ${options.limit}`);
      let from: string;
      if (options.inline !== undefined) {
        if (options.select?.length) throw usage('give --select or --inline, not both');
        from = `(${options.inline.trim().replace(/;\s*$/, '')})`;
      } else {
        if (!options.select?.length) throw usage('give --select <model> (one model or seed), or --inline "<sql>"');
        const { list } = await import('../../pipeline/list.js');
        const nodes = await list(options);
        if (nodes.length !== 1) {
          throw usage(`--select ${options.select.join(' ')} chose ${nodes.length} nodes${nodes.length ? ` (${nodes.slice(0, 5).map((n) => n.name).join(', ')}${nodes.length > 5 ? ', ...' : ''})` : ''}; show takes one`);
        }
        from = nodes[0]!.relationName;
      }
      const { query } = await import('../../pipeline/query.js');
      const result = await query({ ...options, sql: `select * from ${from} limit ${limit}` });
      printRows(result, options.output);
    });
}

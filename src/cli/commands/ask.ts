// `charter ask "<question>"`: an answer in one sentence from the project's semantic views, with the SQL behind it.
import { Command } from 'commander';
import { withGlobalOptions, type GlobalOptions } from '../global-options.js';

interface AskCommandOptions extends GlobalOptions {
  readonly role?: string;
  readonly run: boolean;
}

const cell = (v: unknown): string => (v === null || v === undefined ? 'NULL' : String(v));

export function askCommand(): Command {
  return withGlobalOptions(new Command('ask'), { selection: false })
    .description("answer a question from the project's semantic views on the local target, with the SQL it ran")
    .argument('<question>', 'e.g. "What was our total ARR in Q4 2024?"')
    .option('--role <role>', 'answer as this role (with every role it inherits), through its policies')
    .option('--no-run', 'on a Snowflake target: print the SQL Cortex Analyst writes without running it')
    .action(async (question: string, options: AskCommandOptions) => {
      const { ask } = await import('../../pipeline/ask.js');
      const answer = await ask({ ...options, question, runSql: options.run });
      if ('via' in answer) {
        const { describeCortexAnswer } = await import('./ask-cortex-output.js');
        process.stdout.write(describeCortexAnswer(answer));
        if (!answer.answered) process.exitCode = 1;
        return;
      }
      process.stdout.write(`${answer.sentence}\n`);
      if (!answer.answered) {
        if (answer.closest.length) process.stdout.write(`closest: ${answer.closest.join(', ')}\n`);
        process.exitCode = 1;
        return;
      }
      const dims = answer.mapping.request.dimensions.length;
      if (!options.role && answer.rows.some((r) => r.slice(0, dims).some((v) => v === null || v === undefined))) {
        process.stdout.write('(some dimension values are NULL: without --role, governed relations show no rows and masked values; --role <R> answers as R)\n');
      }
      if (answer.rows.length > 1) {
        const text = answer.rows.map((r) => r.map(cell));
        const widths = answer.columns.map((n, i) => Math.max(n.length, ...text.map((r) => r[i]!.length)));
        const line = (values: readonly string[]) => values.map((v, i) => v.padEnd(widths[i]!)).join('  ').trimEnd();
        process.stdout.write(`${line(answer.columns)}\n${line(widths.map((w) => '-'.repeat(w)))}\n${text.map(line).join('\n')}\n`);
      }
      process.stdout.write(`\n-- semantic view ${answer.mapping.view}: metrics ${answer.mapping.request.metrics.join(', ')}` +
        `${answer.mapping.request.dimensions.length ? `; dimensions ${answer.mapping.request.dimensions.join(', ')}` : ''}` +
        `${answer.mapping.request.where ? `; where ${answer.mapping.request.where}` : ''}\n${answer.sql}\n`);
    });
}

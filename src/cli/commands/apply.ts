// `charter apply [plan.json]`: apply a saved plan exactly, or plan and apply; under the target's deploy lock.
import { Command, InvalidArgumentError } from 'commander';
import type { ApplyOptions } from '../../pipeline/deploy.js';
import { withGlobalOptions, type GlobalOptions } from '../global-options.js';
import { untilInterrupted } from '../interrupt.js';
import { createReporter } from '../reporter.js';
import { withSigningKey } from '../sign-key-option.js';

type Options = GlobalOptions & Omit<ApplyOptions, 'planFile'>;

function parseMinutes(text: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0 || n > 7 * 24 * 60) throw new InvalidArgumentError('expected minutes, more than 0 (e.g. 10 or 0.5)');
  return n * 60_000;
}

export function applyCommand(): Command {
  return withSigningKey(withGlobalOptions(new Command('apply')))
    .description('apply a plan saved by `charter plan --out`, or plan and apply; each node\'s state is recorded as it completes, and a re-run resumes')
    .argument('[plan]', 'a plan file from `charter plan --out`: applied exactly, or refused if the state changed since')
    .option('--allow-drop', 'also drop deployed nodes the project no longer has', false)
    .option('--full-refresh', 'rebuild incremental models instead of altering them (adding columns, keeping their rows)', false)
    .option('--lock-timeout <minutes>', 'how long the deploy lock lasts unless renewed (after every node); default 10', parseMinutes)
    .option('--break-lock', 'remove the lock of another apply first: only when you know that apply is gone', false)
    .action(async (planFile: string | undefined, options: Options & { lockTimeout?: number }) => {
      const { apply } = await import('../../pipeline/deploy.js');
      const outcome = await untilInterrupted((signal) =>
        apply({
          ...options,
          allowDrop: options.allowDrop || undefined,
          fullRefresh: options.fullRefresh || undefined,
          planFile,
          lockTimeoutMs: options.lockTimeout,
          signal,
          reporter: createReporter(options.logFormat, options.quiet),
        }),
      );
      process.exitCode = outcome.results.passed ? 0 : 1;
    });
}

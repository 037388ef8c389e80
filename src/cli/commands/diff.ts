// `charter diff --base <git ref | manifest.json>`: the breaking changes against the base, each with its contract,
// owners and file:line, the ones approved_changes clear, and the modified nodes; as text or one JSON object (--json).
// Exit 1 on an uncleared breaking change, a refused approval, or a new dependency on a model past its sunset.
import { Command } from 'commander';
import { sourceReader } from '../../diagnostics/source-reader.js';
import type { SourceLocation } from '../../diagnostics/diagnostic.js';
import { diffAgainstBase, diffFails, type BaseDiff, type BreakingChange } from '../../pipeline/diff.js';
import { parseNodeId } from '../../project/node-id.js';
import { withGlobalOptions, type GlobalOptions } from '../global-options.js';
import { createReporter, outputClosed } from '../reporter.js';

interface DiffCommandOptions extends GlobalOptions {
  readonly base: string;
  readonly json: boolean;
}

export function diffCommand(): Command {
  return withGlobalOptions(new Command('diff'), { selection: false })
    .description('breaking changes against a base (git ref or manifest.json): removed or narrowed columns, relaxed constraints, weaker governance, removed models and metrics')
    .requiredOption('--base <ref|manifest>', 'a git ref (HEAD~1, origin/main) or a manifest.json written by charter compile')
    .option('--json', 'one JSON object instead of text', false)
    .action(async (options: DiffCommandOptions) => {
      const t0 = performance.now();
      const diff = await diffAgainstBase({ projectDir: options.projectDir, target: options.target, vars: options.vars, base: options.base });
      const seconds = (performance.now() - t0) / 1000;
      if (options.json) {
        if (!outputClosed(process.stdout)) process.stdout.write(`${JSON.stringify({ ...diff, failed: diffFails(diff), seconds: Math.round(seconds * 1000) / 1000 })}\n`);
      } else {
        createReporter(options.logFormat, options.quiet, process.stderr).diagnostics(diff.diagnostics, sourceReader(options.projectDir));
        if (!outputClosed(process.stdout)) process.stdout.write(asText(diff, seconds));
      }
      process.exitCode = diffFails(diff) ? 1 : 0;
    });
}

const where = (l: SourceLocation | undefined): string => (l ? `${l.file}:${l.line}: ` : '');
const owned = (b: BreakingChange): string =>
  b.contract ? ` [contract ${b.contract}; owners ${b.owners.length ? b.owners.join(', ') : '(none)'}]` : ' [no contract]';

function asText(diff: BaseDiff, seconds: number): string {
  const lines = [
    ...diff.breaking.map((b) => `BREAKING  ${where(b.location)}${b.model}: ${b.detail}${owned(b)}`),
    ...diff.cleared.map((b) => `CLEARED   ${where(b.location)}${b.model}: ${b.detail}${owned(b)} approved by ${b.approval.approver} (${b.approval.ticket}, ${b.approval.date})`),
  ];
  const modified = diff.modified.map((id) => parseNodeId(id).name);
  const errors = diff.diagnostics.filter((d) => d.severity === 'error').length;
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  lines.push(
    `against ${diff.resolved}: ${plural(diff.breaking.length, 'breaking change')}, ${diff.cleared.length} cleared, ${plural(diff.modified.length, 'modified node')}` +
      `${modified.length ? ` (${modified.slice(0, 10).join(', ')}${modified.length > 10 ? ', ...' : ''})` : ''}` +
      `${errors ? `, ${plural(errors, 'error')}` : ''} (${seconds.toFixed(2)}s)`,
    diffFails(diff) ? 'diff: FAILED' : 'diff: passed',
  );
  return `${lines.join('\n')}\n`;
}

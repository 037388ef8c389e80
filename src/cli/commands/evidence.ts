// `charter evidence verify [dir]` and `charter evidence ls [dir]`: check the evidence bundles' hashes and chain, or
// list the runs they record. verify exits 1 on any problem, naming the file or link that is wrong.
import { Command } from 'commander';
import { withGlobalOptions, type GlobalOptions } from '../global-options.js';
import { createReporter } from '../reporter.js';

export function evidenceCommand(): Command {
  const evidence = new Command('evidence').description('the evidence bundles runs leave: verify their hashes and chain, list their runs');
  evidence.addCommand(
    withGlobalOptions(new Command('verify'), { selection: false })
      .description('re-hash every bundle and walk the chain to HEAD.json; exit 1 if anything changed, went missing or was added')
      .argument('[dir]', 'the folder holding HEAD.json (default: the project\'s evidence folder)')
      .action(async (dir: string | undefined, options: GlobalOptions) => {
        const { evidenceDiagnostics, verifyEvidence } = await import('../../pipeline/evidence.js');
        const reporter = createReporter(options.logFormat, options.quiet);
        const report = await verifyEvidence({ ...options, ...(dir !== undefined ? { dir } : {}) });
        const problems = evidenceDiagnostics(report);
        reporter.diagnostics(problems);
        const files = report.bundles.reduce((n, b) => n + Object.keys(b.files).length + 1, 0);
        const partial = report.partial.length ? `; ${report.partial.length} unfinished bundle${report.partial.length === 1 ? '' : 's'} ignored (${report.partial.join(', ')})` : '';
        reporter.info(
          problems.length
            ? `evidence: FAILED, ${problems.length} problem${problems.length === 1 ? '' : 's'} in ${report.bundles.length} bundles`
            : `evidence: verified ${report.bundles.length} bundle${report.bundles.length === 1 ? '' : 's'} (${files} files), chain intact to ${report.head?.runId}${partial}`,
          { bundles: report.bundles.length, files, problems: problems.length, head: report.head?.runId ?? null },
        );
        process.exitCode = problems.length ? 1 : 0;
      })
      .exitOverride()
      .showSuggestionAfterError(true),
  );
  evidence.addCommand(
    withGlobalOptions(new Command('ls'), { selection: false })
      .description('list the runs with evidence: id, command, start, status')
      .argument('[dir]', 'the folder holding HEAD.json (default: the project\'s evidence folder)')
      .action(async (dir: string | undefined, options: GlobalOptions) => {
        const { listEvidence } = await import('../../pipeline/evidence.js');
        const runs = await listEvidence({ ...options, ...(dir !== undefined ? { dir } : {}) });
        if (options.logFormat === 'json') {
          for (const r of runs) process.stdout.write(`${JSON.stringify({ type: 'evidence_run', ...r })}\n`);
          return;
        }
        if (!runs.length) process.stdout.write('no evidence bundles\n');
        for (const r of runs) {
          const note = r.inChain ? '' : '  (not in the chain)';
          process.stdout.write(`${r.runId}  ${(r.command ?? '?').padEnd(8)} ${r.startedAt ?? '?'}  ${r.status}${note}\n`);
        }
      })
      .exitOverride()
      .showSuggestionAfterError(true),
  );
  return evidence;
}

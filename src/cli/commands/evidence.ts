// `charter evidence verify [dir]` and `charter evidence ls [dir]`: check the evidence bundles' hashes, attestations,
// chain and (given a public key) signatures, or list the runs they record. verify exits 1 on any problem, naming
// the run and the file or link that is wrong.
import { Command } from 'commander';
import type { EvidenceReport } from '../../pipeline/evidence.js';
import { withGlobalOptions, type GlobalOptions } from '../global-options.js';
import { createReporter } from '../reporter.js';

interface VerifyOptions extends GlobalOptions {
  readonly publicKey?: string;
  readonly requireSignature: boolean;
  readonly againstWarehouse: boolean;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The summary's words on signatures: silent when nothing is signed and no key was given, as before signing existed. */
function signatureNote(report: EvidenceReport): string {
  const count = (status: string): number => report.signatures.filter((s) => s.status === status).length;
  const unsigned = count('unsigned');
  if (report.publicKey) {
    return `; ${plural(count('verified'), 'signature')} verified against key ${report.publicKey.keyid.slice(0, 12)}…`;
  }
  const signed = count('signed-unchecked');
  if (!signed) return '';
  return `; ${signed} signed, signature not checked (no public key given)${unsigned ? `, ${unsigned} unsigned` : ''}`;
}

export function evidenceCommand(): Command {
  const evidence = new Command('evidence').description('the evidence bundles runs leave: verify their hashes and chain, list their runs');
  evidence.addCommand(
    withGlobalOptions(new Command('verify'), { selection: false })
      .description('re-hash every bundle, check its attestation (and signature, given a public key) and walk the chain to HEAD.json; exit 1 if anything changed, went missing or was added, or a signature fails')
      .argument('[dir]', 'the folder holding HEAD.json (default: the project\'s evidence folder)')
      .option('--public-key <file>', 'an Ed25519 public key (PEM) every bundle must be signed by (default: evidence.public_key in project.yml)')
      .option('--require-signature', 'fail when no public key is given, rather than leave the signatures unchecked', false)
      .option('--against-warehouse', 'also compare HEAD.json with the chain head the target records in OPS.charter_evidence_head (opens the warehouse)', false)
      .action(async (dir: string | undefined, options: VerifyOptions) => {
        const { evidenceDiagnostics, verifyEvidence } = await import('../../pipeline/evidence.js');
        const reporter = createReporter(options.logFormat, options.quiet);
        const report = await verifyEvidence({ ...options, ...(dir !== undefined ? { dir } : {}) });
        const problems = evidenceDiagnostics(report);
        if (options.againstWarehouse) problems.push(...(await (await import('../../pipeline/evidence-head-mirror.js')).warehouseHeadDiagnostics(options, report.head)));
        reporter.diagnostics(problems);
        const files = report.bundles.reduce((n, b) => n + Object.keys(b.files).length + 1 + Object.values(b.attestation ?? {}).filter((t) => t !== undefined).length, 0);
        const partial = report.partial.length ? `; ${report.partial.length} unfinished bundle${report.partial.length === 1 ? '' : 's'} ignored (${report.partial.join(', ')})` : '';
        reporter.info(
          problems.length
            ? `evidence: FAILED, ${problems.length} problem${problems.length === 1 ? '' : 's'} in ${report.bundles.length} bundles`
            : `evidence: verified ${report.bundles.length} bundle${report.bundles.length === 1 ? '' : 's'} (${files} files), chain intact to ${report.head?.runId}${signatureNote(report)}${partial}`,
          { bundles: report.bundles.length, files, problems: problems.length, head: report.head?.runId ?? null, signatures: report.signatures, publicKey: report.publicKey?.keyid ?? null },
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

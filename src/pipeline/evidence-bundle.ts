// Writing a run's evidence bundle: run.json (who, where, from which commit), copies of the run's manifest, results,
// statement log and compiled SQL, and hashes.json chained to the previous bundle; then the head file beside them.
// Written into <run-id>.partial/ and renamed when whole, so a killed run leaves nothing that verifies.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { ATTESTATION_FILE, attestationFiles, PUBLIC_KEY_FILE } from '../artifacts/evidence-attestation.js';
import { canonicalText, bundleDigest, hashesOf, headOf, HASHES_FILE, HEAD_FILE, PARTIAL_SUFFIX, type ChainLink, type EvidenceHead } from '../artifacts/evidence-chain.js';
import { errorAt, writeFileAtomic } from '../load/atomic-file.js';
import { evidenceRoot } from '../load/project-paths.js';
import type { TargetConfig } from '../load/project-schema.js';
import { sha256 } from '../project/hash.js';
import { CHARTER_VERSION } from '../version.js';
import type { CompiledSession } from './compile.js';
import type { RunOptions } from './options.js';
import { CONTRACTS_FILE, gatherEvidenceFacts, osUser, type RunOutcome } from './evidence-facts.js';
import type { EvidenceCoverage } from '../artifacts/evidence-facts.js';
import { describeDifference, type InForceReport } from '../plan/governance-in-force.js';
import { controlsDocument, evaluateControls } from '../artifacts/evidence-controls.js';
import { renderReportMarkdown } from '../artifacts/evidence-report-md.js';
import { renderReportHtml } from '../artifacts/evidence-report-html.js';
import { redactCommandLine } from '../artifacts/redact-command-line.js';

/** The commands that leave a bundle: those that change the warehouse or check it. */
export const EVIDENCE_COMMANDS: ReadonlySet<string> = new Set(['build', 'run', 'seed', 'test', 'apply', 'migrate', 'migrate repair']);

export interface EvidenceRun {
  readonly command: string;
  readonly startedAt: string;
  readonly endedAt: string;
  readonly passed: boolean;
  /** The nodes the run built (or tried to), by unique id. */
  readonly nodes: readonly string[];
  /** The statement log and run_results.json the run record wrote. */
  readonly logFile: string;
  readonly resultsFile: string;
  /** Each node's, test's and SLO's outcome, for controls.json and the report. */
  readonly results: Pick<RunOutcome, 'nodes' | 'tests' | 'slos'>;
  /** Why the run stopped before its end (an error, a gate, a Ctrl-C); absent when it ran to the end. */
  readonly aborted?: string;
  /** The OpenLineage events the run wrote with --openlineage, carried into the bundle as lineage/openlineage.jsonl. */
  readonly openLineageFile?: string;
  /** The project's governance coverage at the run, or why it could not be measured. */
  readonly coverage: EvidenceCoverage | { readonly unavailable: string };
  /** What governance the warehouse has in force on the governed relations the run built (pipeline/governance-in-force.ts); absent: none built, or not read. */
  readonly inForce?: InForceReport;
}

export interface GitState {
  readonly commit: string | null;
  readonly branch: string | null;
  readonly dirty: boolean;
}

/** The commit, branch and dirty flag of the git work tree holding the project; null outside one (or without git). */
export function gitState(rootDir: string): GitState | null {
  const git = (...args: string[]): string =>
    execFileSync('git', args, { cwd: rootDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000 }).trim();
  try {
    if (git('rev-parse', '--is-inside-work-tree') !== 'true') return null;
  } catch {
    return null;
  }
  const attempt = (f: () => string): string | null => {
    try {
      return f() || null;
    } catch {
      return null;
    }
  };
  const branch = attempt(() => git('rev-parse', '--abbrev-ref', 'HEAD'));
  return {
    commit: attempt(() => git('rev-parse', '--verify', '--quiet', 'HEAD')),
    branch: branch === 'HEAD' ? null : branch,
    dirty: (attempt(() => git('status', '--porcelain')) ?? '') !== '',
  };
}

/** Who and where the target says the warehouse is reached as: never a secret, nor the name of where one is kept. */
function targetIdentity(name: string, target: TargetConfig): Record<string, string | null> {
  if (target.engine === 'duckdb') return { name, engine: target.engine, path: target.path ?? null };
  return {
    name,
    engine: target.engine,
    account: target.account ?? null,
    database: target.database,
    warehouse: target.warehouse ?? null,
    user: target.user ?? null,
    role: target.role ?? null,
    authenticator: target.authenticator ?? null,
  };
}

/** The environment variables any target of the project reads its secrets from (password_env, token_env, ...). */
function secretEnvNames(targets: Readonly<Record<string, TargetConfig>>): string[] {
  return Object.values(targets).flatMap((target) => Object.entries(target).flatMap(([key, value]) => (key.endsWith('_env') && typeof value === 'string' ? [value] : [])));
}

/** The run's own description, as run.json holds it. */
export function runDescription(session: CompiledSession, options: RunOptions, run: EvidenceRun, git: GitState | null): object {
  const { loaded } = session;
  return {
    format: 'charter-evidence-run',
    version: 1,
    run_id: session.runId,
    command: run.command,
    command_line: redactCommandLine(options.commandLine ?? ['charter', ...process.argv.slice(2)], process.env, secretEnvNames(loaded.config.targets)),
    started_at: run.startedAt,
    ended_at: run.endedAt,
    passed: run.passed,
    status: run.aborted === undefined ? 'finished' : 'aborted',
    ...(run.aborted === undefined ? {} : { aborted_because: run.aborted }),
    charter_version: CHARTER_VERSION,
    project: session.compiled.projectName,
    os_user: osUser(),
    host: hostname(),
    target: targetIdentity(loaded.targetName, loaded.target),
    selection: { select: options.select ?? [], exclude: options.exclude ?? [], nodes: [...run.nodes].sort() },
    git,
  };
}

/** The evidence folder's HEAD.json, when it is there and reads as one. */
export function readHead(dir: string): EvidenceHead | undefined {
  const file = path.join(dir, HEAD_FILE);
  if (!existsSync(file)) return undefined;
  try {
    const head = JSON.parse(readFileSync(file, 'utf8')) as EvidenceHead;
    return head.format === 'charter-evidence-head' && Array.isArray(head.chain) ? head : undefined;
  } catch {
    return undefined;
  }
}

/** Writes target/evidence/<run-id>/ (or evidence.dir's) and moves the head to it; returns the bundle's folder. */
export function writeEvidenceBundle(session: CompiledSession, options: RunOptions, run: EvidenceRun): string {
  const { loaded, compiled } = session;
  const root = path.join(loaded.rootDir, evidenceRoot(loaded.config, loaded.paths, loaded.rootDir));
  const targetDir = path.join(loaded.rootDir, loaded.paths.target);
  const partial = path.join(root, `${session.runId}${PARTIAL_SUFFIX}`);
  const final = path.join(root, session.runId);
  rmSync(partial, { recursive: true, force: true });
  const files: Record<string, string> = {};
  const put = (relative: string, bytes: Uint8Array | string): void => {
    const file = path.join(partial, relative);
    mkdirSync(path.dirname(file), { recursive: true });
    try {
      writeFileSync(file, bytes);
    } catch (e) {
      throw errorAt(e, file);
    }
    files[relative] = sha256(bytes);
  };
  const copy = (from: string, relative: string): void => {
    if (existsSync(from)) put(relative, readFileSync(from));
  };
  const git = gitState(loaded.rootDir);
  put('run.json', `${JSON.stringify(runDescription(session, options, run, git), null, 2)}\n`);
  copy(path.join(targetDir, 'manifest.json'), 'manifest.json');
  copy(run.resultsFile, 'run_results.json');
  copy(run.logFile, 'statements.jsonl');
  if (run.openLineageFile) copy(run.openLineageFile, 'lineage/openlineage.jsonl');
  for (const [relative, text] of Object.entries(options.evidenceFiles ?? {})) {
    // Written by charter's own callers; still, a name that leaves the bundle is a bug, not a file.
    if (path.isAbsolute(relative) || relative.split(/[\\/]/).includes('..') || relative in files) throw new Error(`evidence file ${relative} is not a new path inside the bundle`);
    put(relative, text);
  }
  for (const id of run.nodes) {
    const node = compiled.nodes.get(id);
    if (node?.kind !== 'model') continue;
    for (const variant of [node.path, node.path.replace(/\.sql$/, '.incremental.sql')]) {
      copy(path.join(targetDir, 'compiled', variant), path.posix.join('compiled', variant.split(path.sep).join('/')));
    }
  }
  // What the run evidences, per control, and the pages an auditor reads: written last, so they list every file.
  // The chain so far: what the contracts are compared with, and what this bundle links to.
  const head = readHead(root);
  const { facts, contracts } = gatherEvidenceFacts({
    session,
    outcome: { command: run.command, startedAt: run.startedAt, endedAt: run.endedAt, passed: run.passed, ...run.results, ...(run.aborted === undefined ? {} : { aborted: run.aborted }) },
    git,
    logFile: run.logFile,
    coverage: run.coverage,
    previous: head ? { runId: head.runId, dir: path.join(root, head.runId) } : undefined,
    ...(run.inForce ? { inForce: { source: run.inForce.source, objects: run.inForce.objects.length, differences: run.inForce.differences.map(describeDifference) } } : {}),
    ...(options.signingKey ? { signedBy: options.signingKey.keyid } : {}),
  });
  put(CONTRACTS_FILE, `${JSON.stringify(contracts, null, 2)}\n`);
  put('governance/relations.json', `${JSON.stringify(facts.governance.relations, null, 2)}\n`);
  put('governance/coverage.json', `${JSON.stringify(facts.governance.coverage, null, 2)}\n`);
  if (run.inForce) put('governance/in-force.json', `${JSON.stringify(run.inForce, null, 2)}\n`);
  const controls = evaluateControls(facts);
  put('controls.json', `${JSON.stringify(controlsDocument(facts, controls), null, 2)}\n`);
  // The attestation comes after hashes.json, which lists everything before it; the report names all of them.
  const attestation = [ATTESTATION_FILE, ...(options.signingKey ? [PUBLIC_KEY_FILE] : [])];
  const listed = [...Object.keys(files), 'report.md', 'report.html', HASHES_FILE, ...attestation].sort();
  put('report.md', renderReportMarkdown(facts, controls, listed));
  put('report.html', renderReportHtml(facts, controls, listed));
  const headFile = path.join(root, HEAD_FILE);
  const previous: ChainLink | null = head ? { runId: head.runId, digest: head.digest } : null;
  const hashes = hashesOf(session.runId, files, previous);
  const hashesText = `${canonicalText(hashes)}\n`;
  // Last, hashes.json and then the attestation naming it: a bundle without either never verifies.
  writeFileSync(path.join(partial, HASHES_FILE), hashesText);
  for (const [name, text] of Object.entries(attestationFiles(hashes, sha256(hashesText), CHARTER_VERSION, options.signingKey))) {
    writeFileSync(path.join(partial, name), text);
  }
  // Run ids are fresh UUIDs: a bundle already there is never replaced.
  if (existsSync(final)) throw new Error(`an evidence bundle for run ${session.runId} already exists at ${final}`);
  renameSync(partial, final);
  writeFileAtomic(headFile, `${JSON.stringify(headOf(head?.chain ?? [], { runId: session.runId, digest: bundleDigest(hashes) }), null, 2)}\n`);
  return final;
}

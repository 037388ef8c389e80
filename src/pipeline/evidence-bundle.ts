// Writing a run's evidence bundle: run.json (who, where, from which commit), copies of the run's manifest, results,
// statement log and compiled SQL, and hashes.json chained to the previous bundle; then the head file beside them.
// Written into <run-id>.partial/ and renamed when whole, so a killed run leaves nothing that verifies.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import path from 'node:path';
import { canonicalText, bundleDigest, hashesOf, headOf, HASHES_FILE, HEAD_FILE, PARTIAL_SUFFIX, type ChainLink, type EvidenceHead } from '../artifacts/evidence-chain.js';
import { errorAt, writeFileAtomic } from '../load/atomic-file.js';
import { evidenceRoot } from '../load/project-paths.js';
import type { TargetConfig } from '../load/project-schema.js';
import { sha256 } from '../project/hash.js';
import { CHARTER_VERSION } from '../version.js';
import type { CompiledSession } from './compile.js';
import type { RunOptions } from './options.js';

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

/** The login running charter; null where the system has no name for it (a container's bare uid). */
function osUser(): string | null {
  try {
    return userInfo().username;
  } catch {
    return process.env['USER'] ?? null;
  }
}

/** The run's own description, as run.json holds it. */
export function runDescription(session: CompiledSession, options: RunOptions, run: EvidenceRun, git: GitState | null): object {
  const { loaded } = session;
  return {
    format: 'charter-evidence-run',
    version: 1,
    run_id: session.runId,
    command: run.command,
    command_line: options.commandLine ?? ['charter', ...process.argv.slice(2)],
    started_at: run.startedAt,
    ended_at: run.endedAt,
    passed: run.passed,
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
  put('run.json', `${JSON.stringify(runDescription(session, options, run, gitState(loaded.rootDir)), null, 2)}\n`);
  copy(path.join(targetDir, 'manifest.json'), 'manifest.json');
  copy(run.resultsFile, 'run_results.json');
  copy(run.logFile, 'statements.jsonl');
  for (const id of run.nodes) {
    const node = compiled.nodes.get(id);
    if (node?.kind !== 'model') continue;
    for (const variant of [node.path, node.path.replace(/\.sql$/, '.incremental.sql')]) {
      copy(path.join(targetDir, 'compiled', variant), path.posix.join('compiled', variant.split(path.sep).join('/')));
    }
  }
  const headFile = path.join(root, HEAD_FILE);
  const head = readHead(root);
  const previous: ChainLink | null = head ? { runId: head.runId, digest: head.digest } : null;
  const hashes = hashesOf(session.runId, files, previous);
  // Last: a bundle without hashes.json never verifies.
  writeFileSync(path.join(partial, HASHES_FILE), `${canonicalText(hashes)}\n`);
  // Run ids are fresh UUIDs: a bundle already there is never replaced.
  if (existsSync(final)) throw new Error(`an evidence bundle for run ${session.runId} already exists at ${final}`);
  renameSync(partial, final);
  writeFileAtomic(headFile, `${JSON.stringify(headOf(head?.chain ?? [], { runId: session.runId, digest: bundleDigest(hashes) }), null, 2)}\n`);
  return final;
}

// The base a diff or a state:modified selector compares against, as a ChangeState: a manifest.json that
// `charter compile` wrote, or a git ref whose checkout is compiled in-process. The I/O edge of `charter diff`: files,
// git and a temporary folder; the comparing itself is plan/breaking-changes.ts.
import { execFile } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { changeStateFromManifest } from '../artifacts/manifest-change-state.js';
import { error, UserError, type Diagnostic } from '../diagnostics/diagnostic.js';
import { changeState, type ChangeState } from '../plan/change-state.js';
import { modifiedNodes } from '../plan/breaking-changes.js';
import type { CompiledSession } from './compile.js';

const run = promisify(execFile);

export interface BaseState {
  readonly state: ChangeState;
  /** What the base was: `manifest <path>` or `git <ref> (<commit>)`. */
  readonly description: string;
  readonly diagnostics: readonly Diagnostic[];
}

/** Compiles a checkout of the project: the caller's compile, so this file need not import the pipeline's. */
export type CompileAt = (projectDir: string) => Promise<CompiledSession>;

const baseProblem = (message: string, extra: { hint?: string; detail?: string } = {}): UserError => new UserError([error('diff.base_invalid', message, extra)]);

export const sessionState = (session: CompiledSession): ChangeState => changeState(session.compiled, session.contracts, session.loaded.semanticViews);

/** A path to an existing file is a manifest; anything else is a git ref of the repository holding the project. */
export async function resolveBase(base: string, projectDir: string, compileAt: CompileAt): Promise<BaseState> {
  const file = [path.resolve(base), path.resolve(projectDir, base)].find((p) => existsSync(p) && statSync(p).isFile());
  return file ? manifestBase(file) : gitBase(base, projectDir, compileAt);
}

async function manifestBase(file: string): Promise<BaseState> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw baseProblem(`base ${file} is not JSON: ${e instanceof Error ? e.message : String(e)}`, { hint: 'name a manifest.json written by `charter compile` (target/manifest.json), or a git ref' });
  }
  const read = changeStateFromManifest(json);
  if (!read) throw baseProblem(`base ${file} is not a charter manifest (no metadata and nodes)`, { hint: 'name target/manifest.json as `charter compile` writes it, or a git ref' });
  const diagnostics = read.partial
    ? [{
      ...error('diff.base_invalid', `base manifest ${file} was written by charter ${read.charterVersion ?? '(unknown)'}, before manifests recorded contract columns and semantic-view metrics: changes to those are not compared`, {
        hint: 'compile the base again with this charter, or give a git ref as the base',
      }),
      severity: 'warning' as const,
    }]
    : [];
  return { state: read.state, description: `manifest ${file}`, diagnostics };
}

async function git(args: readonly string[], cwd: string): Promise<string> {
  const { stdout } = await run('git', [...args], { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 120_000 });
  return stdout.trim();
}

/**
 * `git archive <ref> | tar -x` into a temporary folder, so the repository (its HEAD, index and worktrees) is left as
 * it is; then the project's folder within that checkout is compiled like the current one.
 */
async function gitBase(ref: string, projectDir: string, compileAt: CompileAt): Promise<BaseState> {
  const dir = path.resolve(projectDir);
  let top: string;
  let prefix: string;
  let commit: string;
  try {
    top = await git(['rev-parse', '--show-toplevel'], dir);
    prefix = await git(['rev-parse', '--show-prefix'], dir);
  } catch {
    throw baseProblem(`base \`${ref}\` is no file, and ${dir} is not in a git repository to read it as a ref from`, { hint: 'give a manifest.json path, or run in a git checkout' });
  }
  try {
    commit = await git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], dir);
  } catch {
    throw baseProblem(`base \`${ref}\` is neither a file nor a commit of the repository at ${top}`, { hint: 'e.g. --base HEAD~1, --base origin/main, or --base target/manifest.json' });
  }
  const tmp = await mkdtemp(path.join(tmpdir(), 'charter-base-'));
  try {
    const tar = path.join(tmp, 'base.tar');
    await git(['archive', '--format=tar', '-o', tar, commit, ...(prefix ? ['--', prefix] : [])], top);
    const checkout = path.join(tmp, 'checkout');
    await mkdir(checkout);
    await run('tar', ['-xf', tar, '-C', checkout]);
    const baseDir = path.join(checkout, prefix);
    if (!existsSync(path.join(baseDir, 'project.yml'))) {
      throw baseProblem(`base \`${ref}\` has no project.yml at ${prefix || 'the repository root'}`, { hint: 'the base must hold the project: name a later commit, or a manifest.json' });
    }
    let session: CompiledSession;
    try {
      session = await compileAt(baseDir);
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      const first = e.diagnostics.filter((d) => d.severity === 'error').slice(0, 5);
      throw baseProblem(`the project at base \`${ref}\` (${commit.slice(0, 12)}) does not compile`, {
        detail: first.map((d) => `${d.location ? `${d.location.file}:${d.location.line}: ` : ''}${d.message}`).join('\n'),
        hint: 'compare against a commit that compiles, or against its manifest.json',
      });
    }
    return { state: sessionState(session), description: `git ${ref} (${commit.slice(0, 12)})`, diagnostics: [] };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/** Whether a --select or --exclude expression uses the state: method, which needs a base. */
export const mentionsState = (...expressions: ReadonlyArray<readonly string[] | undefined>): boolean =>
  expressions.some((list) => (list ?? []).some((e) => /(^|[\s,+])state:/.test(e)));

/** The nodes of a compiled session modified against a base (state:modified). */
export async function modifiedAgainst(session: CompiledSession, base: string, compileAt: CompileAt): Promise<ReadonlySet<string>> {
  const resolved = await resolveBase(base, session.loaded.rootDir, compileAt);
  return new Set(modifiedNodes(resolved.state, sessionState(session)));
}

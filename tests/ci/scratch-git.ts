// A scratch git repository around a test project, for `charter ci --base HEAD~1`: commit, change, commit again.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const IDENTITY = { GIT_AUTHOR_NAME: 'ci test', GIT_AUTHOR_EMAIL: 'ci@example.com', GIT_COMMITTER_NAME: 'ci test', GIT_COMMITTER_EMAIL: 'ci@example.com' };

export function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, ...IDENTITY }, stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** `git init` the folder, ignore target/, and commit everything in it. */
export function initRepo(dir: string): void {
  writeFileSync(path.join(dir, '.gitignore'), 'target/\n');
  git(dir, 'init', '-q', '-b', 'main');
  commitAll(dir, 'base');
}

export function commitAll(dir: string, message: string): void {
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', message);
}

/** Rewrites a file of the project: `edit` gets its text and returns the new one (which must differ). */
export function editFile(dir: string, file: string, edit: (text: string) => string): void {
  const before = readFileSync(path.join(dir, file), 'utf8');
  const after = edit(before);
  if (after === before) throw new Error(`editing ${file} changed nothing`);
  writeFileSync(path.join(dir, file), after);
}

/** A fresh folder for a gate's JUnit, SARIF and summary, and the flags that write them there. */
export function ciOutputs(): { dir: string; args: string[] } {
  const dir = mkdtempSync(path.join(tmpdir(), 'charter-ci-out-'));
  return { dir, args: ['--junit', path.join(dir, 'junit.xml'), '--sarif', path.join(dir, 'charter.sarif'), '--summary', path.join(dir, 'summary.md')] };
}

export const readOutput = (dir: string, file: string): string => readFileSync(path.join(dir, file), 'utf8');

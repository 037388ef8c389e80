// A test project in a scratch git repository, for `charter diff --base` and `charter ci --base`: commit the base,
// change it, commit again.
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fixtureCopy, writeFiles } from './project.js';

const IDENTITY = { GIT_AUTHOR_NAME: 'charter test', GIT_AUTHOR_EMAIL: 'test@example.com', GIT_COMMITTER_NAME: 'charter test', GIT_COMMITTER_EMAIL: 'test@example.com' };

export function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, ...IDENTITY }, stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

export function commitAll(dir: string, message: string): void {
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '--no-verify', '-m', message);
}

/** `git init` the folder, ignore target/, and commit everything in it. */
export function initRepo(dir: string): void {
  writeFileSync(path.join(dir, '.gitignore'), 'target/\n');
  git(dir, 'init', '-q', '-b', 'main');
  commitAll(dir, 'base');
}

/** tests/fixtures/<fixture> with `files` over it, committed as the first commit of a new repository. */
export function scratchRepo(fixture: string, files: Record<string, string> = {}): string {
  const dir = fixtureCopy(fixture, files);
  initRepo(dir);
  return dir;
}

/** Writes `files` over the working tree and deletes `removed` (project-relative paths). */
export function change(dir: string, files: Record<string, string>, removed: readonly string[] = []): void {
  writeFiles(dir, files);
  for (const file of removed) rmSync(path.join(dir, file));
}

/** Rewrites a file of the project: `edit` gets its text and returns the new one (which must differ). */
export function editFile(dir: string, file: string, edit: (text: string) => string): void {
  const before = readFileSync(path.join(dir, file), 'utf8');
  const after = edit(before);
  if (after === before) throw new Error(`editing ${file} changed nothing`);
  writeFileSync(path.join(dir, file), after);
}

/** A contract's text with its major version bumped to 2.0.0 (from 1.x) and a breaking change approved, as a gate clears it. */
export function approveWithMajorBump(contract: string, approval: { change: string; approver: string; ticket: string; date: string }): string {
  const bumped = contract.replace(/^version: 1\.\d+\.\d+$/m, 'version: 2.0.0');
  if (bumped === contract) throw new Error('the contract has no 1.x version to bump');
  const { change, approver, ticket, date } = approval;
  return `${bumped.trimEnd()}\napproved_changes:\n  - {change: "${change}", approver: ${approver}, ticket: ${ticket}, date: ${date}}\n`;
}

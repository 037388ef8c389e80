// A fixture project in a scratch git repository: committed as the base, then changed in the working tree.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fixtureCopy, writeFiles } from '../helpers/project.js';

const GIT_ENV = { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' };

export function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, ...GIT_ENV }, stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

export function commitAll(dir: string, message: string): void {
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '--no-verify', '-m', message);
}

/** tests/fixtures/<fixture> with `files` over it, committed as the first commit of a new repository. */
export function scratchRepo(fixture: string, files: Record<string, string> = {}): string {
  const dir = fixtureCopy(fixture, { '.gitignore': 'target/\n', ...files });
  git(dir, 'init', '-q', '-b', 'main');
  commitAll(dir, 'base');
  return dir;
}

/** Writes `files` over the working tree and deletes `removed` (project-relative paths). */
export function change(dir: string, files: Record<string, string>, removed: readonly string[] = []): void {
  writeFiles(dir, files);
  for (const file of removed) rmSync(path.join(dir, file));
}

// Test helpers: fixture projects in temporary directories, compiled or driven through the real CLI.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError, type Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { loadProject } from '../../src/load/load-project.js';
import { compileProject } from '../../src/render/compile-project.js';
import type { CompiledProject } from '../../src/project/nodes.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** A private copy of tests/fixtures/<name>, with `files` written over it. */
export function fixtureCopy(name: string, files: Record<string, string> = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), `charter-${name}-`));
  cpSync(path.join(repoRoot, 'tests', 'fixtures', name), dir, { recursive: true });
  writeFiles(dir, files);
  return dir;
}

export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
}

export async function compileDir(dir: string, options: { target?: string; vars?: Record<string, unknown> } = {}): Promise<CompiledProject> {
  return compileProject(await loadProject({ projectDir: dir, ...options }));
}

/** The diagnostics a failing load or compile reports; fails the test if it succeeds. */
export async function compileErrors(dir: string, options: { target?: string } = {}): Promise<readonly Diagnostic[]> {
  try {
    await compileDir(dir, options);
  } catch (e) {
    if (e instanceof UserError) return e.diagnostics;
    throw e;
  }
  throw new Error('expected compile to fail');
}

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built CLI (bin/charter.js) as a child process, as a user would. */
export function charter(args: string[], cwd: string): CliResult {
  const r = spawnSync(process.execPath, [path.join(repoRoot, 'bin', 'charter.js'), ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    timeout: 180_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

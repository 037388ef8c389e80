// Test helpers: fixture projects in temporary directories, compiled or driven through the real CLI.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError, type Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { loadProject } from '../../src/load/load-project.js';
import { compileProject } from '../../src/render/compile-project.js';
import type { CompiledProject } from '../../src/project/nodes.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Each fixture's files, read once per worker: hundreds of tests copy the same few files. */
const fixtureFiles = new Map<string, Record<string, Buffer>>();

function filesOf(name: string): Record<string, Buffer> {
  let files = fixtureFiles.get(name);
  if (!files) {
    const root = path.join(repoRoot, 'tests', 'fixtures', name);
    files = {};
    for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) files[path.relative(root, path.join(entry.parentPath, entry.name))] = readFileSync(path.join(entry.parentPath, entry.name));
    }
    fixtureFiles.set(name, files);
  }
  return files;
}

/** A private copy of tests/fixtures/<name>, with `files` written over it. */
export function fixtureCopy(name: string, files: Record<string, string> = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), `charter-${name}-`));
  writeFiles(dir, filesOf(name));
  writeFiles(dir, files);
  return dir;
}

export function writeFiles(dir: string, files: Record<string, string | Buffer>): void {
  const made = new Set<string>();
  for (const [file, text] of Object.entries(files)) {
    const folder = path.dirname(path.join(dir, file));
    if (!made.has(folder)) mkdirSync(folder, { recursive: true });
    made.add(folder);
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

/**
 * Runs the CLI in this process, through the same main() as bin/charter.js, with its output captured: the fast way
 * to test a command end to end. `charterProcess` is the real child process, for the few tests that need one.
 */
export async function charter(args: string[], cwd: string): Promise<CliResult> {
  const { main } = await import('../../src/cli/main.js');
  const out: string[] = [];
  const err: string[] = [];
  const writes = { stdout: process.stdout.write, stderr: process.stderr.write };
  const capture = (into: string[]) => ((chunk: string | Uint8Array) => (into.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8')), true)) as typeof process.stdout.write;
  const home = process.cwd();
  const noColor = process.env['NO_COLOR'];
  process.env['NO_COLOR'] = '1';
  process.chdir(cwd);
  process.stdout.write = capture(out);
  process.stderr.write = capture(err);
  try {
    const code = await main(args);
    return { code, stdout: out.join(''), stderr: err.join('') };
  } finally {
    process.stdout.write = writes.stdout;
    process.stderr.write = writes.stderr;
    process.chdir(home);
    if (noColor === undefined) delete process.env['NO_COLOR'];
    else process.env['NO_COLOR'] = noColor;
  }
}

/** Runs the built CLI (bin/charter.js) as a child process, as a user would. */
export function charterProcess(args: string[], cwd: string): CliResult {
  const r = spawnSync(process.execPath, [path.join(repoRoot, 'bin', 'charter.js'), ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    timeout: 180_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** A running CLI child process (bin/charter.js), for tests that stop, interrupt or kill it part way. */
export interface RunningCharter {
  readonly child: ChildProcess;
  /** Its stdout and stderr so far, interleaved. */
  output(): string;
  /** Resolves when it exits; `exited()` says whether it has. */
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  exited(): boolean;
}

export function startCharter(args: string[], cwd: string): RunningCharter {
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'charter.js'), ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString('utf8')));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString('utf8')));
  let done = false;
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      done = true;
      resolve({ code, signal });
    }),
  );
  return { child, output: () => output, exit, exited: () => done };
}

// What a compile leaves for the next one: render cache entries and the hash of every file it wrote.
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { CHARTER_VERSION } from '../version.js';
import type { CachedRender } from '../render/render-cache.js';
import { writeFileAtomic } from '../load/atomic-file.js';
import { claimTargetDir } from './target-folder.js';

export interface CompileState {
  readonly renders: Map<string, CachedRender>;
  /** Project-relative path of a written file to the hash of what was written. */
  readonly written: Map<string, string>;
}

const stateFile = (targetDir: string): string => path.join(targetDir, '.charter', 'compile-state.json');

export async function readCompileState(targetDir: string): Promise<CompileState> {
  const file = stateFile(targetDir);
  if (!existsSync(file)) return { renders: new Map(), written: new Map() };
  try {
    const data = JSON.parse(await readFile(file, 'utf8')) as {
      version?: string;
      renders?: Record<string, CachedRender>;
      written?: Record<string, string>;
    };
    // A different charter may render differently: start afresh.
    if (data.version !== CHARTER_VERSION) return { renders: new Map(), written: new Map() };
    return { renders: new Map(Object.entries(data.renders ?? {})), written: new Map(Object.entries(data.written ?? {})) };
  } catch {
    return { renders: new Map(), written: new Map() };
  }
}

export async function writeCompileState(targetDir: string, state: CompileState): Promise<void> {
  claimTargetDir(targetDir);
  await mkdir(path.dirname(stateFile(targetDir)), { recursive: true });
  writeFileAtomic(
    stateFile(targetDir),
    JSON.stringify({ version: CHARTER_VERSION, renders: Object.fromEntries(state.renders), written: Object.fromEntries(state.written) }),
    // A cache: one a power cut empties is unreadable JSON, and the next compile starts afresh.
    { durable: false },
  );
}

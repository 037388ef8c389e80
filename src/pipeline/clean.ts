// `clean` as a library call: remove what compile and run wrote under target/, keeping the warehouse unless asked.
import { existsSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { localDatabaseFiles } from '../adapters/targets.js';
import { loadProject } from '../load/load-project.js';
import type { ProjectOptions } from './options.js';

export async function clean(options: ProjectOptions & { readonly database?: boolean }): Promise<{ targetDir: string; removed: string[] | undefined }> {
  const loaded = await loadProject(options);
  const targetDir = path.join(loaded.rootDir, loaded.paths.target);
  if (!existsSync(targetDir)) return { targetDir, removed: undefined };
  const keep = new Set(options.database ? [] : localDatabaseFiles(loaded));
  const removed: string[] = [];
  for (const entry of await readdir(targetDir)) {
    const full = path.join(targetDir, entry);
    if (keep.has(full)) continue;
    await rm(full, { recursive: true, force: true });
    removed.push(entry);
  }
  return { targetDir, removed };
}

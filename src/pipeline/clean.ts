// `clean` as a library call: remove what compile and run wrote under target/, keeping the warehouse unless asked.
// Only charter's own entries go, and only from a folder charter has marked as its own: a misconfigured target
// (the project itself, a folder of someone else's files) loses nothing.
import { existsSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { localDatabaseFiles } from '../adapters/targets.js';
import { TARGET_ARTIFACTS, TARGET_MARKER, isCharterTarget } from '../artifacts/target-folder.js';
import { error, UserError } from '../diagnostics/diagnostic.js';
import { TEMP_SUFFIX } from '../load/atomic-file.js';
import { loadProject } from '../load/load-project.js';
import type { ProjectOptions } from './options.js';

export async function clean(options: ProjectOptions & { readonly database?: boolean }): Promise<{ targetDir: string; removed: string[] | undefined }> {
  const loaded = await loadProject(options);
  const targetDir = path.join(loaded.rootDir, loaded.paths.target);
  if (!existsSync(targetDir)) return { targetDir, removed: undefined };
  if (!isCharterTarget(targetDir)) {
    throw new UserError([
      error('clean.refused', `${targetDir} is not marked as charter's target folder, so clean deleted nothing`, {
        detail: `charter marks each target folder it writes to with a ${TARGET_MARKER} file; this folder has none`,
        hint: `check paths.target in project.yml; if the folder holds only charter's output, delete it yourself (or let \`charter compile\` mark it)`,
      }),
    ]);
  }
  const inTarget = (file: string): boolean => file.startsWith(`${targetDir}${path.sep}`);
  const leftovers = (await readdir(targetDir)).filter((entry) => entry.endsWith(TEMP_SUFFIX));
  const candidates = [
    ...[...TARGET_ARTIFACTS, ...leftovers].map((entry) => path.join(targetDir, entry)),
    ...(options.database ? localDatabaseFiles(loaded).filter(inTarget) : []),
  ];
  const removed: string[] = [];
  for (const file of candidates) {
    if (!existsSync(file)) continue;
    await rm(file, { recursive: true, force: true });
    removed.push(path.relative(targetDir, file).split(path.sep).join('/'));
  }
  return { targetDir, removed };
}

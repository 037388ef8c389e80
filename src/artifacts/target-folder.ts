// The target folder as charter's own: a marker file written whenever charter writes into it, which `clean` requires
// before it deletes anything, and the names of what charter puts there (all `clean` may ever remove).
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../load/atomic-file.js';
import { CHARTER_VERSION } from '../version.js';

export const TARGET_MARKER = '.charter-target';

/** charter's own entries of a target folder, besides the database files and leftover temporary files. */
export const TARGET_ARTIFACTS = ['compiled', 'manifest.json', 'run_results.json', 'logs', '.charter'] as const;

/** Creates the target folder if need be and marks it as charter's; every writer into target/ calls it first. */
export function claimTargetDir(targetDir: string): void {
  const marker = path.join(targetDir, TARGET_MARKER);
  if (existsSync(marker)) return;
  mkdirSync(targetDir, { recursive: true });
  const note = { charter: CHARTER_VERSION, purpose: 'charter writes its compiled files, results and caches here; `charter clean` may empty this folder of them' };
  // No fsync: a marker a power cut loses only makes `clean` refuse until charter writes here again.
  writeFileAtomic(marker, `${JSON.stringify(note, null, 2)}\n`, { durable: false });
}

export function isCharterTarget(targetDir: string): boolean {
  return existsSync(path.join(targetDir, TARGET_MARKER));
}

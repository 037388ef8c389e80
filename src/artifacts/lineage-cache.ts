// Column lineage traces kept between runs (target/.charter/lineage.json), so the governance gate and `charter
// lineage` trace only the models that changed. Like the translation cache, each entry carries a checksum of its key
// and its trace, and the file names the charter version that wrote it: an entry edited by hand, half written or
// written by another version is dropped and traced afresh.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ModelLineage } from '../graph/column-lineage.js';
import { writeFileAtomic } from '../load/atomic-file.js';
import { sha256 } from '../project/hash.js';
import { CHARTER_VERSION } from '../version.js';

const FORMAT = 1;

interface SavedEntry {
  readonly lineage: ModelLineage;
  readonly checksum: string;
}

const checksumOf = (key: string, lineage: ModelLineage): string => sha256(`${key}\n${JSON.stringify(lineage)}`);

export const lineageCacheFile = (rootDir: string, targetDir: string): string => path.join(rootDir, targetDir, '.charter', 'lineage.json');

export function readLineageCache(file: string): Map<string, ModelLineage> {
  const entries = new Map<string, ModelLineage>();
  if (!existsSync(file)) return entries;
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as { format?: number; charter?: string; entries?: Record<string, SavedEntry> };
    if (data.format !== FORMAT || data.charter !== CHARTER_VERSION) return entries;
    for (const [key, entry] of Object.entries(data.entries ?? {})) {
      if (entry && typeof entry === 'object' && entry.checksum === checksumOf(key, entry.lineage)) entries.set(key, entry.lineage);
    }
  } catch {
    // Unreadable: traced afresh.
  }
  return entries;
}

/** Writes the traces (whole or not at all) when `entries` holds any the file does not; only those in use are kept. */
export function writeLineageCache(file: string, entries: ReadonlyMap<string, ModelLineage>, before: ReadonlySet<string>): void {
  if ([...entries.keys()].every((key) => before.has(key))) return;
  const saved: Record<string, SavedEntry> = {};
  for (const [key, lineage] of entries) saved[key] = { lineage, checksum: checksumOf(key, lineage) };
  mkdirSync(path.dirname(file), { recursive: true });
  // A cache, checked entry by entry when read: no fsync.
  writeFileAtomic(file, JSON.stringify({ format: FORMAT, charter: CHARTER_VERSION, entries: saved }), { durable: false });
}

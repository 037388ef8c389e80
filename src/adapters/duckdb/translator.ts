// Snowflake SQL to DuckDB SQL for an adapter: translations cached by content hash and persisted between runs, so
// an unchanged model never meets the transpiler again. Each persisted entry carries a checksum of its key (the SQL's
// hash) and its translation: an entry edited by hand (or half written) is dropped and translated afresh.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { TranslatedSql, Translator } from '../adapter.js';
import { writeFileAtomic } from '../../load/atomic-file.js';
import { sha256 } from '../../project/hash.js';
import { CHARTER_VERSION } from '../../version.js';
import { SHIM_VERSION } from './shims.js';
import { TranslationCache, type Translation } from './translate-snowflake.js';

/** The layout of translations.json; a file of another layout is ignored. */
const FORMAT = 2;

interface SavedEntry {
  readonly translation: Translation;
  readonly checksum: string;
}

const checksumOf = (key: string, translation: Translation): string => sha256(`${key}\n${JSON.stringify(translation)}`);

export function readTranslationCache(file: string | undefined): Record<string, Translation> {
  if (!file || !existsSync(file)) return {};
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as { format?: number; shims?: number; charter?: string; entries?: Record<string, SavedEntry> };
    // A new charter or shim set may translate differently.
    if (data.format !== FORMAT || data.shims !== SHIM_VERSION || data.charter !== CHARTER_VERSION) return {};
    const entries: Record<string, Translation> = {};
    for (const [key, entry] of Object.entries(data.entries ?? {})) {
      if (entry && typeof entry === 'object' && entry.checksum === checksumOf(key, entry.translation)) entries[key] = entry.translation;
    }
    return entries;
  } catch {
    return {};
  }
}

export class DuckDBTranslator implements Translator {
  private readonly cache: TranslationCache;

  /** `cacheFile`: where translations persist between runs; none for a throwaway translator. */
  constructor(private readonly cacheFile?: string) {
    this.cache = new TranslationCache(20_000, readTranslationCache(cacheFile));
  }

  translate(snowflakeSql: string): TranslatedSql {
    const t = this.cache.translate(snowflakeSql);
    return {
      sql: t.sql,
      notes: t.notes,
      unsupported: t.unsupported.map((u) => ({ construct: u.construct, reason: u.reason, line: u.position?.line, column: u.position?.column })),
    };
  }

  /** Writes the cache (whole or not at all) when this run translated anything new. */
  save(): void {
    const saved = this.cache.saved();
    if (!saved || !this.cacheFile) return;
    const entries = Object.fromEntries(Object.entries(saved).map(([key, translation]) => [key, { translation, checksum: checksumOf(key, translation) }]));
    mkdirSync(path.dirname(this.cacheFile), { recursive: true });
    // A cache, checked entry by entry when read: no fsync.
    writeFileAtomic(this.cacheFile, JSON.stringify({ format: FORMAT, shims: SHIM_VERSION, charter: CHARTER_VERSION, entries }), { durable: false });
  }
}

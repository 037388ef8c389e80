// Snowflake SQL to DuckDB SQL for an adapter: translations cached by content hash and persisted between runs, so
// an unchanged model never meets the transpiler again.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { TranslatedSql, Translator } from '../adapter.js';
import { CHARTER_VERSION } from '../../version.js';
import { SHIM_VERSION } from './shims.js';
import { TranslationCache, type Translation } from './translate-snowflake.js';

function readTranslationCache(file: string | undefined): Record<string, Translation> {
  if (!file || !existsSync(file)) return {};
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as { shims?: number; charter?: string; entries?: Record<string, Translation> };
    // A new charter or shim set may translate differently.
    return data.shims === SHIM_VERSION && data.charter === CHARTER_VERSION ? (data.entries ?? {}) : {};
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

  /** Writes the cache when this run translated anything new. */
  save(): void {
    const saved = this.cache.saved();
    if (!saved || !this.cacheFile) return;
    mkdirSync(path.dirname(this.cacheFile), { recursive: true });
    writeFileSync(this.cacheFile, JSON.stringify({ shims: SHIM_VERSION, charter: CHARTER_VERSION, entries: saved }));
  }
}

// The embedded DuckDB engine: one instance per database file per process, one connection per session.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { error, UserError } from '../../diagnostics/diagnostic.js';
import type { Adapter, EngineSession, QueryResult, TranslatedSql } from '../adapter.js';
import type { Row } from '../../project/rows.js';
import { duckdbDdl } from './ddl.js';
import { duckdbDialect } from './dialect.js';
import { SHIM_SQL, SHIM_VERSION } from './shims.js';
import { TranslationCache, type Translation } from './translate-snowflake.js';
import { CHARTER_VERSION } from '../../version.js';

// Two DuckDBInstance objects on one file in one process silently split state: share one per path.
const instances = new Map<string, { instance: DuckDBInstance; users: number }>();

async function acquireInstance(file: string, threads: number): Promise<DuckDBInstance> {
  const held = instances.get(file);
  if (held) {
    held.users++;
    return held.instance;
  }
  try {
    // A large checkpoint threshold keeps a multi-table build from paying for a checkpoint in the middle of a swap's
    // COMMIT; close() checkpoints once at the end instead.
    const instance = await DuckDBInstance.create(file, {
      threads: String(threads),
      storage_compatibility_version: 'v1.4.0',
      checkpoint_threshold: '1GB',
    });
    instances.set(file, { instance, users: 1 });
    return instance;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (/Could not set lock|Conflicting lock/i.test(message)) {
      throw new UserError([
        error('engine.locked', `the database file ${file} is in use by another process`, {
          detail: message.split('\n')[0],
          hint: 'wait for the other charter (or DuckDB) process to finish, then run again',
        }),
      ]);
    }
    throw e;
  }
}

async function releaseInstance(file: string): Promise<void> {
  const held = instances.get(file);
  if (!held) return;
  if (--held.users === 0) {
    instances.delete(file);
    if (file !== ':memory:') {
      const connection = await held.instance.connect();
      await connection.run('CHECKPOINT');
      connection.closeSync();
    }
    held.instance.closeSync();
  }
}

class DuckDBSession implements EngineSession {
  constructor(private readonly connection: DuckDBConnection) {}

  async execute(sql: string): Promise<QueryResult> {
    const reader = await this.connection.runAndReadAll(sql);
    const names = reader.columnNames();
    const types = reader.columnTypes();
    return {
      rows: reader.getRowObjectsJson() as Row[],
      columns: names.map((name, i) => ({ name, type: String(types[i]) })),
      rowsAffected: reader.rowsChanged,
    };
  }

  async close(): Promise<void> {
    this.connection.closeSync();
  }
}

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

export interface DuckDBAdapterOptions {
  /** Database file, or ':memory:'. */
  readonly file: string;
  readonly threads?: number;
  /** Where translations persist between runs, so an unchanged model never meets the transpiler again. */
  readonly translationCacheFile?: string;
}

export class DuckDBAdapter implements Adapter {
  readonly engine = 'duckdb' as const;
  readonly dialect = duckdbDialect;
  readonly ddl = duckdbDdl;
  readonly capabilities = { transactionalDdl: true, needsTranslation: true, readsLocalCsv: true } as const;
  private instance: DuckDBInstance | undefined;
  private readonly translations: TranslationCache;

  constructor(private readonly options: DuckDBAdapterOptions) {
    this.translations = new TranslationCache(20_000, readTranslationCache(options.translationCacheFile));
  }

  /** The catalog name DuckDB gives the file: its base name without extension. */
  get database(): string {
    return this.options.file === ':memory:' ? 'memory' : path.basename(this.options.file).replace(/\.[^.]*$/, '');
  }

  async open(): Promise<void> {
    if (this.instance) return;
    if (this.options.file !== ':memory:') mkdirSync(path.dirname(this.options.file), { recursive: true });
    this.instance = await acquireInstance(this.options.file, this.options.threads ?? 2);
    const session = await this.openSession();
    try {
      await this.installShims(session);
    } finally {
      await session.close();
    }
  }

  async openSession(): Promise<EngineSession> {
    if (!this.instance) throw new Error('DuckDBAdapter.openSession() before open()');
    return new DuckDBSession(await this.instance.connect());
  }

  translate(snowflakeSql: string): TranslatedSql {
    const t = this.translations.translate(snowflakeSql);
    return {
      sql: t.sql,
      notes: t.notes,
      unsupported: t.unsupported.map((u) => ({
        construct: u.construct,
        reason: u.reason,
        line: u.position?.line,
        column: u.position?.column,
      })),
    };
  }

  async close(): Promise<void> {
    if (!this.instance) return;
    const saved = this.translations.saved();
    if (saved && this.options.translationCacheFile) {
      mkdirSync(path.dirname(this.options.translationCacheFile), { recursive: true });
      writeFileSync(this.options.translationCacheFile, JSON.stringify({ shims: SHIM_VERSION, charter: CHARTER_VERSION, entries: saved }));
    }
    this.instance = undefined;
    await releaseInstance(this.options.file);
  }

  /** Shims are persistent macros in `main`, so views over them work from any connection; versioned. */
  private async installShims(session: EngineSession): Promise<void> {
    await session.execute('CREATE TABLE IF NOT EXISTS main.charter_meta (key VARCHAR PRIMARY KEY, value VARCHAR)');
    const { rows } = await session.execute("SELECT value FROM main.charter_meta WHERE key = 'shim_version'");
    if (rows[0]?.['value'] === String(SHIM_VERSION)) return;
    const statements = typeof SHIM_SQL === 'string' ? [SHIM_SQL] : SHIM_SQL;
    for (const sql of statements) await session.execute(sql);
    await session.execute(
      `INSERT OR REPLACE INTO main.charter_meta VALUES ('shim_version', '${SHIM_VERSION}')`,
    );
  }
}

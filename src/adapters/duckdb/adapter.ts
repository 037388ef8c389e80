// The embedded DuckDB engine: one instance per database file per process, one connection per session.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { error, UserError } from '../../diagnostics/diagnostic.js';
import type { Relation } from '../../project/relation.js';
import { AFTER_CANCEL, StatementCancelled, type Adapter, type BindRows, type CsvSeed, type EngineSession, type QueryResult, type RunStatement, type SessionRole, type StatementTag, type TranslatedSql, type Translator } from '../adapter.js';
import type { RelationKind } from '../ddl.js';
import { quoteLiteral } from '../dialect.js';
import { csvRejection } from './csv-rejection.js';
import { duckdbCatalog } from './database-file.js';
import { createTableFromCsv, duckdbDdl, duckdbIntrospection, duckdbTypesOf } from './ddl.js';
import { duckdbDialect } from './dialect.js';
import { toConventionRows } from './rows.js';
import { SHIM_SQL, SHIM_VERSION } from './shims.js';
import { DuckDBTranslator } from './translator.js';

// Two DuckDBInstance objects on one file in one process silently split state: share one per path. An in-memory
// database is shared only by the adapters that ask (the unit-test sandboxes); a target's is its own.
const instances = new Map<string | symbol, { instance: DuckDBInstance; users: number }>();

async function acquireInstance(key: string | symbol, file: string, threads: number): Promise<DuckDBInstance> {
  const held = instances.get(key);
  if (held) {
    held.users++;
    return held.instance;
  }
  try {
    // A large checkpoint threshold keeps a multi-table build from paying for a checkpoint in the middle of a swap's
    // COMMIT; finish() checkpoints once at the end instead.
    const instance = await DuckDBInstance.create(file, {
      threads: String(threads),
      storage_compatibility_version: 'v1.4.0',
      checkpoint_threshold: '1GB',
    });
    instances.set(key, { instance, users: 1 });
    return instance;
  } catch (e) {
    throw openError(file, e);
  }
}

/** Why a database file cannot be opened, for the user: held by another process, or unreadable (an I/O error). */
function openError(file: string, e: unknown): unknown {
  const message = e instanceof Error ? e.message : String(e);
  const first = message.split('\n')[0];
  if (/Could not set lock|Conflicting lock/i.test(message)) {
    return new UserError([
      error('engine.locked', `the database file ${file} is in use by another process`, {
        detail: first,
        hint: 'wait for the other charter (or DuckDB) process to finish, then run again',
      }),
    ]);
  }
  if (/^IO Error|not a valid DuckDB database|Permission denied|No space left|Read-only file system/i.test(message)) {
    return new UserError([
      error('io.error', `cannot open the database file ${file}`, {
        detail: first,
        hint: 'check that the file is a DuckDB database charter can read and write (or remove it to start afresh), and that its folder exists and has space',
      }),
    ]);
  }
  return e;
}

function releaseInstance(key: string | symbol): void {
  const held = instances.get(key);
  if (!held || --held.users > 0) return;
  instances.delete(key);
  held.instance.closeSync();
}

class DuckDBSession implements EngineSession {
  constructor(
    private readonly connection: DuckDBConnection,
    private readonly cancelled: () => boolean,
    private readonly onClose: () => void,
  ) {}

  interrupt(): void {
    this.connection.interrupt();
  }

  // DuckDB has nowhere to put a statement tag; the statement log records it.
  async execute(sql: string, tag: StatementTag, binds?: BindRows): Promise<QueryResult> {
    if (this.cancelled() && !AFTER_CANCEL.has(tag.purpose)) throw new StatementCancelled();
    if (binds) return this.executeBound(sql, binds);
    const reader = await this.connection.runAndReadAll(sql);
    const names = reader.columnNames();
    const types = reader.columnTypes().map(String);
    return {
      rows: toConventionRows(reader.getRowObjectsJson(), names, types),
      columns: names.map((name, i) => ({ name, type: types[i] ?? '' })),
      rowsAffected: reader.rowsChanged,
    };
  }

  /** One prepared statement run once per row of values. */
  private async executeBound(sql: string, binds: BindRows): Promise<QueryResult> {
    const prepared = await this.connection.prepare(sql);
    let rowsAffected = 0;
    try {
      for (const row of binds) {
        prepared.bind([...row]);
        rowsAffected += (await prepared.run()).rowsChanged;
      }
    } finally {
      prepared.destroySync();
    }
    return { rows: [], columns: [], rowsAffected };
  }

  async close(): Promise<void> {
    this.onClose();
    this.connection.closeSync();
  }
}

export interface DuckDBAdapterOptions {
  /** Database file, or ':memory:'. */
  readonly file: string;
  /** With ':memory:', share one in-memory database with the other adapters of the process that ask for it. */
  readonly shareInMemory?: boolean;
  readonly threads?: number;
  /** Where translations persist between runs, so an unchanged model never meets the transpiler again. */
  readonly translationCacheFile?: string;
}

export class DuckDBAdapter implements Adapter, Translator {
  readonly engine = 'duckdb' as const;
  readonly dialect = duckdbDialect;
  readonly ddl = duckdbDdl;
  readonly capabilities = { transactionalDdl: true } as const;
  private instance: DuckDBInstance | undefined;
  private readonly translator: DuckDBTranslator;
  private readonly sessions = new Set<DuckDBSession>();
  private cancelled = false;
  private readonly instanceKey: string | symbol;

  constructor(private readonly options: DuckDBAdapterOptions) {
    this.translator = new DuckDBTranslator(options.translationCacheFile);
    this.instanceKey = options.file === ':memory:' && !options.shareInMemory ? Symbol(options.file) : options.file;
  }

  /** The catalog name DuckDB gives the file. */
  get database(): string {
    return duckdbCatalog(this.options.file);
  }

  async open(): Promise<void> {
    if (this.instance) return;
    if (this.options.file !== ':memory:') mkdirSync(path.dirname(this.options.file), { recursive: true });
    this.instance = await acquireInstance(this.instanceKey, this.options.file, this.options.threads ?? 2);
  }

  async openSession(): Promise<EngineSession> {
    if (!this.instance) throw new Error('DuckDBAdapter.openSession() before open()');
    const connection = await this.instance.connect();
    // charter builds and tests as the deploying role: governed relations read as stored (see charter_unrestricted in
    // shims.ts); `charter query --role` turns it off for its session.
    await connection.run('SET VARIABLE charter_unrestricted = true');
    const session: DuckDBSession = new DuckDBSession(connection, () => this.cancelled, () => this.sessions.delete(session));
    this.sessions.add(session);
    return session;
  }

  async actAs(run: RunStatement, as: SessionRole | undefined): Promise<void> {
    // The shims (shims.ts) read these: charter_unrestricted bypasses every policy, the others are the session's role.
    await run(`SET VARIABLE charter_unrestricted = ${as ? 'false' : 'true'}`, { purpose: 'setup' });
    await run(`SET VARIABLE charter_role = ${as?.role ? quoteLiteral(as.role) : 'NULL::VARCHAR'}`, { purpose: 'setup' });
    await run(`SET VARIABLE charter_roles = [${(as?.roles ?? []).map(quoteLiteral).join(', ')}]::VARCHAR[]`, { purpose: 'setup' });
  }

  async cancel(): Promise<void> {
    this.cancelled = true;
    for (const session of this.sessions) session.interrupt();
  }

  /** Shims are persistent macros in `main`, so views over them work from any connection; versioned. */
  async prepare(run: RunStatement): Promise<void> {
    await run('CREATE TABLE IF NOT EXISTS main.charter_meta (key VARCHAR PRIMARY KEY, value VARCHAR)', { purpose: 'setup' });
    const { rows } = await run("SELECT value FROM main.charter_meta WHERE key = 'shim_version'", { purpose: 'setup' });
    if (Object.values(rows[0] ?? {})[0] === String(SHIM_VERSION)) return;
    for (const sql of SHIM_SQL) await run(sql, { purpose: 'setup' });
    await run(`INSERT OR REPLACE INTO main.charter_meta VALUES ('shim_version', ${quoteLiteral(String(SHIM_VERSION))})`, { purpose: 'setup' });
  }

  async finish(run: RunStatement): Promise<void> {
    if (this.options.file !== ':memory:') await run('CHECKPOINT', { purpose: 'setup' });
  }

  translate(snowflakeSql: string): TranslatedSql {
    return this.translator.translate(snowflakeSql);
  }

  async close(): Promise<void> {
    if (!this.instance) return;
    this.instance = undefined;
    try {
      this.translator.save();
    } finally {
      releaseInstance(this.instanceKey);
    }
  }

  async relationKind(run: RunStatement, relation: Relation, node?: string): Promise<RelationKind | undefined> {
    const { rows } = await run(duckdbIntrospection.relationKind(relation), { purpose: 'introspect', node });
    const kind = rows[0] ? Object.values(rows[0])[0] : undefined;
    if (kind === undefined) return undefined;
    return String(kind).toUpperCase().includes('VIEW') ? 'view' : 'table';
  }

  async describeRelation(run: RunStatement, relation: Relation, node?: string): Promise<Array<{ name: string; type: string }>> {
    const { rows } = await run(duckdbIntrospection.describe(relation), { purpose: 'introspect', node });
    return rows.map((r) => {
      const [name, type] = Object.values(r);
      return { name: String(name), type: String(type) };
    });
  }

  async countRows(run: RunStatement, relation: Relation, node?: string): Promise<number> {
    const { rows } = await run(duckdbIntrospection.countRows(relation), { purpose: 'count', node });
    return Number(Object.values(rows[0] ?? {})[0] ?? 0);
  }

  async loadCsv(run: RunStatement, relation: Relation, seed: CsvSeed, node?: string): Promise<void> {
    try {
      await run(createTableFromCsv(relation, { ...seed, duckdbTypes: duckdbTypesOf(seed.columns) }), { purpose: 'seed', node });
    } catch (e) {
      const rejected = e instanceof Error ? csvRejection(seed, e.message) : undefined;
      throw rejected ?? e;
    }
  }
}

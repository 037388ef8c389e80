// The one interface every engine implements. Engine-specific SQL lives in each adapter's pure `ddl`.
import type { SqlDialect } from './dialect.js';
import type { Engine } from '../project/relation.js';
import type { DdlRenderer } from './ddl.js';
import type { Row } from '../project/rows.js';


export interface QueryResult {
  readonly rows: Row[];
  readonly columns: readonly ColumnInfo[];
  /** Rows inserted, updated or deleted, where the engine reports it. */
  readonly rowsAffected?: number;
}

export interface ColumnInfo {
  readonly name: string;
  /** The engine's own type name, e.g. DECIMAL(18,2) or NUMBER(18,2). */
  readonly type: string;
}

/** What a statement is for; the statement log and (later) the evidence bundle group by it. */
export type StatementPurpose =
  | 'setup'
  | 'schema'
  | 'build'
  | 'swap'
  | 'merge'
  | 'seed'
  | 'introspect'
  | 'count'
  | 'cleanup'
  | 'test';

export interface StatementTag {
  readonly purpose: StatementPurpose;
  /** The node the statement works for, if any. */
  readonly node?: string;
}

/** One connection; statements on a session run in order and share its transaction. */
export interface EngineSession {
  execute(sql: string): Promise<QueryResult>;
  close(): Promise<void>;
}

export interface AdapterCapabilities {
  /** DDL inside BEGIN ... COMMIT rolls back (DuckDB yes; Snowflake commits DDL implicitly). */
  readonly transactionalDdl: boolean;
  /** Models are written in Snowflake SQL; this engine needs them translated first. */
  readonly needsTranslation: boolean;
  /** Bulk-loads a local CSV file from SQL (DuckDB's read_csv). */
  readonly readsLocalCsv: boolean;
}

export interface TranslatedSql {
  readonly sql: string;
  readonly notes: ReadonlyArray<{ construct: string; detail: string }>;
  readonly unsupported: ReadonlyArray<{ construct: string; reason: string; line?: number; column?: number }>;
}

export interface Adapter {
  readonly engine: Engine;
  readonly dialect: SqlDialect;
  readonly capabilities: AdapterCapabilities;
  readonly ddl: DdlRenderer;
  /** Opens the database and installs what charter needs there (shims, metadata). Idempotent. */
  open(): Promise<void>;
  /** A new session for one worker thread. */
  openSession(): Promise<EngineSession>;
  /** Snowflake SQL of a model body, made runnable on this engine (identity on Snowflake). */
  translate(snowflakeSql: string): TranslatedSql;
  close(): Promise<void>;
}

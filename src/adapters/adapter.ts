// The one interface every engine implements. Engine-specific SQL lives in each adapter's pure `ddl`; what a
// statement returns is read here, in typed methods, so nothing above the adapters guesses an engine's result shape.
import type { SqlDialect } from './dialect.js';
import type { DdlRenderer, RelationKind } from './ddl.js';
import type { Engine, Relation } from '../project/relation.js';
import type { Row } from '../project/rows.js';
import type { TableData } from '../load/load-unit-tests.js';

export interface QueryResult {
  /** Values follow the one row convention of project/rows.ts on every engine. */
  readonly rows: Row[];
  readonly columns: readonly ColumnInfo[];
  /** Rows inserted, updated or deleted, where the engine reports it. */
  readonly rowsAffected?: number;
  /** The warehouse's own id for the statement, where it gives one (Snowflake's query id), for the audit trail. */
  readonly queryId?: string;
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
  | 'test'
  | 'migrate'
  /** The deployed-state table and the deploy lock of plan/apply. */
  | 'deploy'
  /** Policies, tags, roles and grants: the project's, once per run, and those attached to a governed relation. */
  | 'governance'
  /** Rows deleted because the model's contract says they are older than its layer keeps them. */
  | 'retention';

export interface StatementTag {
  readonly purpose: StatementPurpose;
  /** The node the statement works for, if any. */
  readonly node?: string;
}

/** A value bound to a `?` placeholder. */
export type BindValue = string | number | boolean | null;

/** Rows of values for a statement's `?` placeholders: the statement runs once per row (an array bind). */
export type BindRows = ReadonlyArray<readonly BindValue[]>;

/** One connection; statements on a session run in order and share its transaction. */
export interface EngineSession {
  /** The tag goes to the engine where it can carry one (Snowflake's QUERY_TAG); DuckDB has no such thing. */
  execute(sql: string, tag: StatementTag, binds?: BindRows): Promise<QueryResult>;
  close(): Promise<void>;
}

/** How an adapter sends a statement: through charter's statement runner, which tags, times and records it. */
export type RunStatement = (sql: string, tag: StatementTag, binds?: BindRows) => Promise<QueryResult>;

/** What still runs after a cancel: the clean-up of staged relations, and the engine's own set-up and finish. */
export const AFTER_CANCEL: ReadonlySet<StatementPurpose> = new Set(['cleanup', 'setup']);

/** The error of a statement cancelled by `Adapter.cancel` (Ctrl-C). */
export class StatementCancelled extends Error {
  constructor(message = 'cancelled: the run was interrupted') {
    super(message);
    this.name = 'StatementCancelled';
  }
}

export interface AdapterCapabilities {
  /** DDL inside BEGIN ... COMMIT rolls back (DuckDB yes; Snowflake commits DDL implicitly). */
  readonly transactionalDdl: boolean;
}

/** A seed file to load, with its columns' Snowflake types (empty: let the engine infer them). */
export interface CsvSeed {
  readonly file: string;
  readonly compressed: boolean;
  readonly delimiter?: string;
  readonly columns: Readonly<Record<string, string>>;
}

/**
 * A seed's CSV read and typed the same way on every target (DuckDB's CSV reader: declared types applied, the rest
 * inferred): its columns with Snowflake types, and its rows by the row convention, in batches.
 */
export interface TypedCsv {
  readonly columns: ReadonlyArray<{ readonly name: string; readonly type: string }>;
  readonly rowCount: number;
  batches(rowsPerBatch: number): Iterable<BindRows>;
}

/** Reads a seed; a value that does not fit its column's type is a CsvRejected. */
export type CsvReader = (seed: CsvSeed) => Promise<TypedCsv>;

/** A CSV file the engine would not load as typed: where, and why, in the file's own terms. */
export class CsvRejected extends Error {
  constructor(
    readonly file: string,
    /** 1-based line of the file (the header is line 1). */
    readonly line: number | undefined,
    readonly column: string | undefined,
    readonly value: string | undefined,
    /** 1-based character position of the value on its line, when it can be found. */
    readonly position: number | undefined,
    readonly engineMessage: string,
  ) {
    super(engineMessage);
    this.name = 'CsvRejected';
  }
}

export interface Adapter {
  readonly engine: Engine;
  readonly dialect: SqlDialect;
  readonly capabilities: AdapterCapabilities;
  readonly ddl: DdlRenderer;
  /** Connects (opens the file, logs in). Idempotent. */
  open(): Promise<void>;
  /** A new session for one worker thread. */
  openSession(): Promise<EngineSession>;
  /** Installs what charter needs in the warehouse (shims, metadata); idempotent, through `run` like every statement. */
  prepare(run: RunStatement): Promise<void>;
  /** Makes a run's writes durable where the engine asks for it (DuckDB checkpoints its file). */
  finish(run: RunStatement): Promise<void>;
  /**
   * Ctrl-C: stops the statements running now (in the warehouse, not just here) and refuses new ones, apart from
   * the clean-up of what a failed step staged.
   */
  cancel(): Promise<void>;
  close(): Promise<void>;

  /** Whether the relation exists, and as what. */
  relationKind(run: RunStatement, relation: Relation, node?: string): Promise<RelationKind | undefined>;
  /** Columns in order, each with the engine's full type (precision and scale included). */
  describeRelation(run: RunStatement, relation: Relation, node?: string): Promise<Array<{ name: string; type: string }>>;
  countRows(run: RunStatement, relation: Relation, node?: string): Promise<number>;
  /**
   * Creates `relation` as a table holding the CSV file's rows (DuckDB: read_csv; Snowflake: PUT and COPY INTO).
   * A value that does not fit its column's type is a CsvRejected naming the line, the column and the value.
   */
  loadCsv(run: RunStatement, relation: Relation, seed: CsvSeed, node?: string): Promise<void>;
  /**
   * Where charter itself enforces the policies (the local engine): puts the session in `as` (a role and every role
   * it inherits), so governed relations read as that role sees them; undefined puts it back as the deploying role.
   * A warehouse that enforces its own policies (Snowflake) has none: a session there is its user's.
   */
  actAs?(run: RunStatement, as: SessionRole | undefined): Promise<void>;
}

export interface SessionRole {
  readonly role: string;
  /** The role and those it inherits. */
  readonly roles: readonly string[];
}

export interface TranslatedSql {
  readonly sql: string;
  readonly notes: ReadonlyArray<{ construct: string; detail: string }>;
  readonly unsupported: ReadonlyArray<{ construct: string; reason: string; line?: number; column?: number }>;
}

/** An engine that needs models, written in Snowflake SQL, translated before it can run them. */
export interface Translator {
  translate(snowflakeSql: string): TranslatedSql;
}

export const canTranslate = <A extends Adapter>(adapter: A): adapter is A & Translator =>
  typeof (adapter as Partial<Translator>).translate === 'function';

/**
 * Where unit tests run: a private in-memory engine in which each test gets fresh catalogs, its given rows loaded
 * into the relations a model reads, and the model's SQL run over them. DuckDB provides it for every target.
 */
export interface UnitTestSandbox {
  readonly adapter: Adapter & Translator;
  /** Fresh empty catalogs and schemas for these relations (undone by `clear`). */
  reset(run: RunStatement, relations: readonly Relation[]): Promise<void>;
  clear(run: RunStatement, relations: readonly Relation[]): Promise<void>;
  /** A table of given rows; columns typed by `types` (Snowflake types, by name), else inferred from the values. */
  loadRows(run: RunStatement, relation: Relation, data: TableData, types: Readonly<Record<string, string>>): Promise<void>;
  /** A table shaped like the (translated) SELECT's output, holding the given rows: an incremental model's `this`. */
  createShapedLike(run: RunStatement, relation: Relation, selectSql: string, data: TableData): Promise<{ unknownColumns: string[]; columns: string[] }>;
  /** Rows as written (a CSV is read as text; comparison matches text to values). */
  readRows(run: RunStatement, data: TableData): Promise<readonly Row[]>;
}

/**
 * A result's rows as value lists in column order. Code that wrote a query reads its values by position: engines
 * choose the case of unquoted names (Snowflake upper-cases them), never their order.
 */
export function positional(result: QueryResult): Array<Array<Row[string] | undefined>> {
  return result.rows.map((row) => result.columns.map((c) => row[c.name]));
}

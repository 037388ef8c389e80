// Snowflake through snowflake-sdk. The driver is imported when the adapter opens, so a run that never touches
// Snowflake never loads it (it pulls in the AWS SDK). One driver connection per session; a session hands its
// connection back for the next one when it closes. Every statement carries charter's query tag, so Snowflake's own
// QUERY_HISTORY ties back to the run's statement log; transient failures are retried as the target configures.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Connection, ConnectionOptions, RowStatement, SnowflakeError } from 'snowflake-sdk';
import { error, UserError } from '../../diagnostics/diagnostic.js';
import type { Relation } from '../../project/relation.js';
import type { JsonValue, Row } from '../../project/rows.js';
import {
  AFTER_CANCEL, StatementCancelled, type Adapter, type BindRows, type ColumnInfo, type CsvReader, type CsvSeed, type EngineSession,
  type QueryResult, type RunStatement, type StatementTag,
} from '../adapter.js';
import { quoteLiteral } from '../dialect.js';
import type { RelationKind } from '../ddl.js';
import type { SnowflakeConnectionSettings } from './connection-settings.js';
import { snowflakeCapabilities, snowflakeDdl } from './ddl.js';
import { snowflakeDialect } from './dialect.js';
import { classifyFailure, describeSnowflakeError, retryDelayMs } from './failures.js';
import type { GovernanceReader, PolicyReader } from '../governance.js';
import { readGovernance } from './governance-reader.js';
import { snowflakePolicyReader } from './policy-reader.js';

type Sdk = typeof import('snowflake-sdk');

/** What every statement's QUERY_TAG says, besides the statement's own node and purpose. */
export interface QueryTagContext {
  readonly charter: string;
  readonly run: string;
  readonly command: string;
  readonly target: string;
}

export interface SnowflakeAdapterOptions {
  readonly settings: SnowflakeConnectionSettings;
  readonly tag: QueryTagContext;
  /** Reads and types seed CSVs (the local engine's reader), so seeds are typed alike on every target. */
  readonly readCsv: CsvReader;
}

/**
 * Above snowflake-sdk's CLIENT_STAGE_ARRAY_BINDING_THRESHOLD (100,000 bound values) the driver uploads binds to a
 * temporary stage by PUT; seed batches stay at or under it, so each batch is one plain INSERT request.
 */
export const MAX_BOUND_VALUES = 100_000;

// Results as text where a JavaScript number or Date would lose precision; see project/rows.ts for the convention.
const SESSION_FORMATS =
  "ALTER SESSION SET TIMEZONE = 'UTC', DATE_OUTPUT_FORMAT = 'YYYY-MM-DD', TIME_OUTPUT_FORMAT = 'HH24:MI:SS.FF6', " +
  "TIMESTAMP_NTZ_OUTPUT_FORMAT = 'YYYY-MM-DD HH24:MI:SS.FF6', TIMESTAMP_LTZ_OUTPUT_FORMAT = 'YYYY-MM-DD HH24:MI:SS.FF6 TZH:TZM', " +
  "TIMESTAMP_TZ_OUTPUT_FORMAT = 'YYYY-MM-DD HH24:MI:SS.FF6 TZH:TZM'";

let sdk: Promise<Sdk> | undefined;
function loadSdk(): Promise<Sdk> {
  sdk ??= (async () => {
    // The driver's AWS SDK warns about Node 20 when it loads; the variable must be set before the import.
    process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
    const loaded = (await import('snowflake-sdk')).default as unknown as Sdk;
    // The driver's own log could carry SQL and connection details; charter keeps its own statement log.
    loaded.configure({ logLevel: 'OFF' });
    return loaded;
  })();
  return sdk;
}

export class SnowflakeAdapter implements Adapter, PolicyReader, GovernanceReader {
  readonly engine = 'snowflake' as const;
  readonly dialect = snowflakeDialect;
  readonly ddl = snowflakeDdl;
  readonly capabilities = snowflakeCapabilities;
  readonly deployedPolicy = snowflakePolicyReader.deployedPolicy;
  readonly policyAttachments = snowflakePolicyReader.policyAttachments;
  readonly readGovernance = readGovernance;
  private driver: Sdk | undefined;
  private readonly idle: Connection[] = [];
  private readonly all = new Set<Connection>();
  private readonly running = new Set<RowStatement>();
  private cancelled = false;

  constructor(private readonly options: SnowflakeAdapterOptions) {}

  get settings(): SnowflakeConnectionSettings {
    return this.options.settings;
  }

  /** Logs in once, so bad credentials fail before any work starts. */
  async open(): Promise<void> {
    if (this.driver) return;
    this.driver = await loadSdk();
    this.idle.push(await this.connect());
  }

  async openSession(): Promise<EngineSession> {
    if (!this.driver) throw new Error('SnowflakeAdapter.openSession() before open()');
    return new SnowflakeSession(this, this.idle.pop() ?? (await this.connect()));
  }

  /** A new logged-in driver connection with charter's session settings. */
  async connect(): Promise<Connection> {
    const s = this.options.settings;
    const options: ConnectionOptions = {
      account: s.account,
      ...(s.accessUrl ? { accessUrl: s.accessUrl } : {}),
      ...(s.user ? { username: s.user } : {}),
      ...(s.role ? { role: s.role } : {}),
      ...(s.warehouse ? { warehouse: s.warehouse } : {}),
      database: s.database,
      authenticator: s.authenticator,
      application: 'charter',
      // With fetchAsString the driver reads a NULL number or date as the text 'NULL' unless told otherwise.
      representNullAsStringNull: false,
      ...(s.password ? { password: s.password.reveal() } : {}),
      ...(s.privateKey ? { privateKey: s.privateKey.reveal() } : {}),
      ...(s.privateKeyPassphrase ? { privateKeyPass: s.privateKeyPassphrase.reveal() } : {}),
      ...(s.token ? { token: s.token.reveal() } : {}),
    };
    const connection = this.driver!.createConnection(options);
    // connectAsync() resolves even when the login is refused; only the callback sees the error.
    await new Promise<void>((resolve, reject) => connection.connect((err) => (err ? reject(err) : resolve()))).catch((e: unknown) => {
      throw loginError(s, e);
    });
    this.all.add(connection);
    await this.executeSetup(connection, SESSION_FORMATS);
    return connection;
  }

  /** A session's own set-up statement: tagged and cancellable like the rest, outside the run's statement log. */
  private async executeSetup(connection: Connection, sqlText: string): Promise<void> {
    if (this.cancelled) throw new StatementCancelled();
    let statement: RowStatement | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        statement = connection.execute({
          sqlText,
          parameters: { QUERY_TAG: this.queryTag({ purpose: 'setup' }) },
          complete: (err) => (err ? reject(new Error(describeSnowflakeError(err, 0))) : resolve()),
        });
        this.track(statement, true);
      });
    } finally {
      if (statement) this.track(statement, false);
    }
  }

  /** The JSON QUERY_TAG of a statement. */
  queryTag(tag: StatementTag): string {
    return JSON.stringify({ ...this.options.tag, ...(tag.node ? { node: tag.node } : {}), purpose: tag.purpose });
  }

  release(connection: Connection, healthy: boolean): void {
    if (healthy && !this.cancelled) this.idle.push(connection);
    else void this.destroy(connection);
  }

  async destroy(connection: Connection): Promise<void> {
    this.all.delete(connection);
    await new Promise<void>((resolve) => connection.destroy(() => resolve()));
  }

  isCancelled(): boolean {
    return this.cancelled;
  }

  track(statement: RowStatement, running: boolean): void {
    if (running) this.running.add(statement);
    else this.running.delete(statement);
  }

  /** Nothing to install on Snowflake; the session's context is read so a missing warehouse fails here, clearly. */
  async prepare(run: RunStatement): Promise<void> {
    const { rows, columns } = await run('SELECT CURRENT_ROLE(), CURRENT_WAREHOUSE(), CURRENT_DATABASE()', { purpose: 'setup' });
    const [role, warehouse, database] = columns.map((c) => rows[0]?.[c.name] ?? null);
    const asRole = role === null ? '' : ` (role ${String(role)})`;
    if (warehouse === null) {
      throw new UserError([error('cli.usage', `Snowflake session has no warehouse${asRole}: charter's statements would fail`, {
        hint: 'set `warehouse:` on the target, in its named connection, or in $SNOWFLAKE_WAREHOUSE, and grant USAGE on it to the role',
      })]);
    }
    if (database === null) {
      throw new UserError([error('cli.usage', `Snowflake database ${this.options.settings.database} does not exist or the session's role${asRole} cannot use it`, {
        hint: 'create the database (or fix `database:` on the target) and grant USAGE on it to the role',
      })]);
    }
  }

  async finish(_run: RunStatement): Promise<void> {}

  async cancel(): Promise<void> {
    this.cancelled = true;
    await Promise.all([...this.running].map((statement) => new Promise<void>((resolve) => statement.cancel(() => resolve()))));
  }

  async close(): Promise<void> {
    this.idle.length = 0;
    await Promise.all([...this.all].map((c) => this.destroy(c)));
    this.driver = undefined;
  }

  async relationKind(run: RunStatement, relation: Relation, node?: string): Promise<RelationKind | undefined> {
    const { rows, columns } = await run(
      `SELECT TABLE_TYPE FROM ${infoSchema(relation)}.TABLES WHERE ${whereRelation(relation)}`,
      { purpose: 'introspect', node },
    );
    const kind = rows[0]?.[columns[0]?.name ?? ''];
    if (kind === undefined || kind === null) return undefined;
    return String(kind).toUpperCase().includes('VIEW') ? 'view' : 'table';
  }

  async describeRelation(run: RunStatement, relation: Relation, node?: string): Promise<Array<{ name: string; type: string }>> {
    const result = await run(
      `SELECT COLUMN_NAME, DATA_TYPE, NUMERIC_PRECISION, NUMERIC_SCALE, CHARACTER_MAXIMUM_LENGTH FROM ${infoSchema(relation)}.COLUMNS ` +
        `WHERE ${whereRelation(relation)} ORDER BY ORDINAL_POSITION`,
      { purpose: 'introspect', node },
    );
    return result.rows.map((row) => {
      const [name, dataType, precision, scale, length] = result.columns.map((c) => row[c.name]);
      return { name: String(name), type: typeText(String(dataType), precision, scale, length) };
    });
  }

  async countRows(run: RunStatement, relation: Relation, node?: string): Promise<number> {
    const { rows, columns } = await run(`SELECT COUNT(*) FROM ${snowflakeDialect.renderRelation(relation)}`, { purpose: 'count', node });
    return Number(rows[0]?.[columns[0]?.name ?? ''] ?? 0);
  }

  /** Seeds travel as batched INSERTs with array binds (dbt's way for seeds too): no stage, no file format. */
  async loadCsv(run: RunStatement, relation: Relation, seed: CsvSeed, node?: string): Promise<void> {
    const csv = await this.options.readCsv(seed);
    const name = snowflakeDialect.renderRelation(relation);
    const columns = csv.columns.map((c) => snowflakeDialect.quoteIdentifier(c.name));
    await run(`CREATE OR REPLACE TABLE ${name} (${csv.columns.map((c, i) => `${columns[i]} ${c.type}`).join(', ')})`, { purpose: 'seed', node });
    const insert = `INSERT INTO ${name} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`;
    for (const batch of csv.batches(Math.max(1, Math.floor(MAX_BOUND_VALUES / Math.max(1, columns.length))))) {
      await run(insert, { purpose: 'seed', node }, batch);
    }
  }
}

class SnowflakeSession implements EngineSession {
  private healthy = true;

  constructor(
    private readonly adapter: SnowflakeAdapter,
    private connection: Connection,
  ) {}

  async execute(sql: string, tag: StatementTag, binds?: BindRows): Promise<QueryResult> {
    const { adapter } = this;
    // The same request id on every attempt on a session: Snowflake runs a statement at most once per id, so a
    // retried INSERT whose first attempt did reach the warehouse is not inserted twice.
    let requestId = randomUUID();
    const retries = adapter.settings.retries;
    for (let attempt = 0; ; attempt++) {
      if (adapter.isCancelled() && !AFTER_CANCEL.has(tag.purpose)) throw new StatementCancelled();
      try {
        return await this.once(sql, tag, binds, requestId);
      } catch (e) {
        const failure = adapter.isCancelled() ? undefined : classifyFailure(e);
        if (!failure || attempt >= retries.max) {
          if (adapter.isCancelled()) throw new StatementCancelled();
          throw new Error(describeSnowflakeError(e, attempt));
        }
        if (failure === 'session') {
          // An expired or dropped session: a fresh login, then the same request again.
          this.healthy = false;
          const stale = this.connection;
          this.connection = await adapter.connect();
          void adapter.destroy(stale);
          this.healthy = true;
          // A statement refused for its session never ran: on the new session it is a new request.
          requestId = randomUUID();
        }
        await sleep(retryDelayMs(retries, attempt));
      }
    }
  }

  private async once(sql: string, tag: StatementTag, binds: BindRows | undefined, requestId: string): Promise<QueryResult> {
    const { adapter } = this;
    let statement: RowStatement | undefined;
    try {
      const { statement: done, rows } = await new Promise<{ statement: RowStatement; rows: unknown[] }>((resolve, reject) => {
        statement = this.connection.execute({
          sqlText: sql,
          requestId,
          ...(binds ? { binds: binds.map((row) => [...row]) } : {}),
          parameters: { QUERY_TAG: adapter.queryTag(tag) },
          fetchAsString: ['Number', 'Date'],
          rowMode: 'array',
          complete: (err, stmt, rows) => (err ? reject(err) : resolve({ statement: stmt as RowStatement, rows: rows ?? [] })),
        });
        adapter.track(statement, true);
      });
      return toQueryResult(done, rows as unknown[][]);
    } finally {
      if (statement) adapter.track(statement, false);
    }
  }

  async close(): Promise<void> {
    this.adapter.release(this.connection, this.healthy);
  }
}


const infoSchema = (r: Relation): string => `${snowflakeDialect.quoteIdentifier(r.database)}.INFORMATION_SCHEMA`;
const whereRelation = (r: Relation): string =>
  `TABLE_SCHEMA = ${quoteLiteral(snowflakeDialect.normalizeIdentifier(r.schema))} AND TABLE_NAME = ${quoteLiteral(snowflakeDialect.normalizeIdentifier(r.identifier))}`;

/** INFORMATION_SCHEMA.COLUMNS' parts as one type: NUMBER with its precision and scale, TEXT as VARCHAR. */
function typeText(dataType: string, precision: JsonValue | undefined, scale: JsonValue | undefined, length: JsonValue | undefined): string {
  const type = dataType.toUpperCase();
  if (type === 'NUMBER') return `NUMBER(${precision ?? 38},${scale ?? 0})`;
  if (type === 'TEXT') return length === null || length === undefined || Number(length) === 16_777_216 ? 'VARCHAR' : `VARCHAR(${length})`;
  return type;
}

/** The driver's column type, as a Snowflake type name. */
function columnType(column: NonNullable<ReturnType<RowStatement['getColumns']>>[number]): string {
  const type = column.getType();
  switch (type) {
    case 'fixed': return `NUMBER(${column.getPrecision()},${column.getScale()})`;
    case 'real': return 'FLOAT';
    case 'text': return 'VARCHAR';
    default: return type.toUpperCase();
  }
}

/** The driver's rows (numbers and dates fetched as text) brought to the one row convention (project/rows.ts). */
function toQueryResult(statement: RowStatement, rows: unknown[][]): QueryResult {
  const driverColumns = statement.getColumns() ?? [];
  const columns: ColumnInfo[] = driverColumns.map((c) => ({ name: c.getName(), type: columnType(c) }));
  const convert = driverColumns.map((c) => {
    const type = c.getType();
    if (type === 'fixed') {
      const scale = c.getScale();
      return (v: unknown): JsonValue => (scale === 0 && Number.isSafeInteger(Number(v)) ? Number(v) : String(v));
    }
    // Fetched as text with the other numbers; a float is a number by the convention (NaN and infinities stay text).
    if (type === 'real') return (v: unknown): JsonValue => (Number.isFinite(Number(v)) ? Number(v) : String(v));
    if (type === 'timestamp_ntz' || type === 'timestamp_ltz' || type === 'timestamp_tz' || type === 'time') {
      // FF6 always prints six digits; the convention drops a zero fraction and trailing zeros.
      return (v: unknown): JsonValue => String(v).replace(/\.(\d*?)0+(?=$|\s)/, (_m, digits: string) => (digits ? `.${digits}` : ''));
    }
    return (v: unknown): JsonValue => v as JsonValue;
  });
  const converted: Row[] = rows.map((values) => {
    const row: Row = {};
    columns.forEach((c, i) => {
      const v = values[i];
      row[c.name] = v === null || v === undefined ? null : convert[i]!(v);
    });
    return row;
  });
  const updated = statement.getNumUpdatedRows();
  const queryId = statement.getQueryId();
  return { rows: converted, columns, ...(updated !== undefined ? { rowsAffected: updated } : {}), ...(queryId ? { queryId } : {}) };
}

/** A refused login, with what was tried (never a secret) and what to check. */
function loginError(s: SnowflakeConnectionSettings, e: unknown): UserError {
  const err = e as Partial<SnowflakeError>;
  const who = `${s.user ? `user ${s.user}` : 'token'} on account ${s.account}${s.accessUrl ? ` (${s.accessUrl})` : ''}`;
  const hints: Record<string, string> = {
    SNOWFLAKE: 'check the password ($SNOWFLAKE_PASSWORD, the target\'s password_env or the named connection)',
    SNOWFLAKE_JWT: 'check that the private key matches the public key set on the user (ALTER USER ... SET RSA_PUBLIC_KEY) and its passphrase',
    OAUTH: 'the OAuth token may have expired: fetch a new one',
    PROGRAMMATIC_ACCESS_TOKEN: 'the programmatic access token may have expired or been revoked',
    EXTERNALBROWSER: 'finish the browser sign-in, or use key-pair authentication for unattended runs',
  };
  return new UserError([
    error('engine.connect', `cannot log in to Snowflake as ${who} with ${s.authenticator.toLowerCase()} authentication: ${describeSnowflakeError(e, 0)}`, {
      detail: `settings from: ${Object.entries(s.sources).map(([k, v]) => `${k} (${v})`).join(', ')}`,
      hint: String(err.code ?? '').startsWith('4010') ? 'Snowflake could not be reached: check the account name (or host), the network and any proxy' : hints[s.authenticator],
    }),
  ]);
}

// One loopback session: a DuckDB connection that behaves like a Snowflake session. It runs the plan of each
// statement (loopback-statement.ts), with Snowflake's transaction rules (DDL commits an open transaction first and
// runs on its own; COMMIT and ROLLBACK outside a transaction are no-ops), SWAP WITH and RENAME emulated, and the
// catalog (INFORMATION_SCHEMA, SHOW, DESCRIBE) answered in Snowflake's terms.
import type { DuckDBConnection, DuckDBInstance, DuckDBResultReader } from '@duckdb/node-api';
import { SHIM_SQL } from '../../src/adapters/duckdb/shims.js';
import { fillBindsTable, isArrayBind } from './loopback-binds.js';
import { columnTypes, describeTable, materialise, materialiseInfoView, showTable, type CatalogContext, type RelationRecord } from './loopback-catalog.js';
import { nameKey, quote, renderName, sameSchema, SnowflakeError, unsupported, type ObjectName } from './loopback-names.js';
import type { Plan, RunPlan, Translate } from './loopback-plan.js';
import { bindRows, rowsetOf, type Cell, type RowType, type SnowflakeBind } from './loopback-rowset.js';
import { quotedIdentifiers, snowflakeColumnName, STATEMENT_TYPE, type SessionCommand } from './loopback-sql.js';
import { GOVERNANCE_READ_TABLE, planStatement } from './loopback-statement.js';
import type { GovernanceState } from './loopback-governance.js';
import { governanceRead, showGrants } from './loopback-governance-read.js';
import type { SemanticViewState } from './loopback-semantic.js';

/** What all sessions of one server share. */
export interface ServerState {
  readonly instance: DuckDBInstance;
  readonly translate: Translate;
  /** Relations the server saw created, by `DB.SCHEMA.NAME`. */
  readonly records: Map<string, RelationRecord>;
  /** Roles, tags, policies and their attachments (kept, not enforced). */
  readonly governance: GovernanceState;
  /** Semantic views: their definitions (as Cortex Analyst models) and grants. */
  readonly semantic: SemanticViewState;
  /** Identifiers seen double-quoted in any statement: they keep their case in result metadata. */
  readonly quoted: Set<string>;
  readonly started: Date;
}

export interface Session {
  readonly id: number;
  token: string;
  masterToken: string;
  readonly user: string;
  readonly account: string;
  warehouse: string | undefined;
  role: string | undefined;
  database: string | undefined;
  schema: string | undefined;
  readonly parameters: Map<string, string>;
  /**
   * The server's databases (shared by every session), kept as they are attached and detached: asking DuckDB
   * (duckdb_databases()) waits on its catalog lock behind every other session's running DDL, ~100 ms a time.
   */
  readonly databases: Set<string>;
  readonly connection: DuckDBConnection;
  /** A BEGIN is open (Snowflake's explicit transaction). */
  inTransaction: boolean;
}

/** A statement's result as the query response carries it. */
export interface Executed {
  readonly rowtype: RowType[];
  readonly rowset: Cell[][];
  readonly statementTypeId: number;
}

const sqlString = (s: string | undefined): string => (s === undefined ? 'NULL' : `'${s.replace(/'/g, "''")}'`);

// Snowflake's context functions, as temp macros of each session's connection (the temp catalog is searched whatever
// database the session uses); their values live in session variables. The translator turns CURRENT_VERSION() into
// VERSION(), which this shadows.
const SESSION_FUNCTIONS = [
  "CREATE TEMP MACRO version() AS '9.0.0'",
  "CREATE TEMP MACRO current_version() AS '9.0.0'",
  "CREATE TEMP MACRO current_account() AS getvariable('sf_account')",
  "CREATE TEMP MACRO current_warehouse() AS getvariable('sf_warehouse')",
  "CREATE TEMP MACRO current_session() AS getvariable('sf_session')",
  "CREATE TEMP MACRO current_user() AS getvariable('sf_user')",
];

/**
 * A new session's connection: charter's shims as temp macros (found from any attached database and USE'd schema,
 * as charter's DuckDB target finds them in `main`), the context functions, and the session's database in use.
 */
export async function openSession(instance: DuckDBInstance, session: Omit<Session, 'connection' | 'inTransaction'>): Promise<Session> {
  const connection = await instance.connect();
  const opened: Session = { ...session, connection, inTransaction: false };
  for (const sql of SHIM_SQL) await connection.run(sql.replace(/^CREATE OR REPLACE MACRO/, 'CREATE OR REPLACE TEMP MACRO'));
  for (const sql of SESSION_FUNCTIONS) await connection.run(sql);
  await setVariables(opened);
  if (opened.database) await useDatabase(opened, opened.database, opened.schema ?? 'PUBLIC');
  return opened;
}

async function setVariables(session: Session): Promise<void> {
  const values = [['sf_account', session.account], ['sf_warehouse', session.warehouse], ['sf_session', String(session.id)], ['sf_user', session.user],
    ['charter_role', session.role]] as const;
  for (const [name, value] of values) await session.connection.run(`SET VARIABLE ${name} = ${sqlString(value)}`);
  // The shims' IS_ROLE_IN_SESSION reads the session's roles: its role and PUBLIC.
  await session.connection.run(`SET VARIABLE charter_roles = [${[session.role, 'PUBLIC'].filter(Boolean).map((r) => sqlString(r!.toUpperCase())).join(', ')}]`);
}

/** A Snowflake database is an attached in-memory DuckDB catalog, so three-part names resolve. */
async function useDatabase(session: Session, database: string, schema: string): Promise<void> {
  await session.connection.run(`ATTACH IF NOT EXISTS ':memory:' AS ${quote(database)}`);
  session.databases.add(database);
  await session.connection.run(`CREATE SCHEMA IF NOT EXISTS ${quote(database)}.${quote(schema)}`);
  await session.connection.run(`USE ${quote(database)}.${quote(schema)}`);
  session.database = database;
  session.schema = schema;
}

async function applySessionCommand(session: Session, command: SessionCommand): Promise<void> {
  if (command.kind === 'set') for (const [k, v] of command.parameters) session.parameters.set(k, v);
  else if (command.kind === 'unset') for (const k of command.names) session.parameters.delete(k);
  else if (command.object === 'WAREHOUSE') session.warehouse = command.parts[0];
  else if (command.object === 'ROLE') session.role = command.parts[0];
  else if (command.object === 'DATABASE') await useDatabase(session, command.parts[0]!, 'PUBLIC');
  else await useDatabase(session, command.parts.length > 1 ? command.parts[0]! : (session.database ?? 'MEMORY'), command.parts.at(-1)!);
  if (command.kind === 'use') await setVariables(session);
}

const status = (message = 'Statement executed successfully.'): Executed => ({
  rowtype: [{ name: 'status', type: 'text', length: 16_777_216, byteLength: 16_777_216, nullable: true }],
  rowset: [[message]], statementTypeId: STATEMENT_TYPE.ddl,
});

/** Snowflake commits an open transaction before DDL, which then runs (and commits) on its own. */
async function commitBeforeDdl(session: Session): Promise<void> {
  if (!session.inTransaction) return;
  session.inTransaction = false;
  try {
    await session.connection.run('COMMIT');
  } catch {
    // A DuckDB transaction aborted by a failed statement cannot commit (Snowflake's would commit what succeeded).
    await session.connection.run('ROLLBACK').catch(() => undefined);
  }
}

/** Runs statements as one unit: inside the session's transaction if one is open, else in a transaction of their own. */
async function atomically<T>(session: Session, work: () => Promise<T>): Promise<T> {
  if (session.inTransaction) return work();
  await session.connection.run('BEGIN TRANSACTION');
  try {
    const result = await work();
    await session.connection.run('COMMIT');
    return result;
  } catch (e) {
    await session.connection.run('ROLLBACK').catch(() => undefined);
    throw e;
  }
}

export class SessionExecutor {
  private swaps = 0;
  /** Each session's last statement: statements of one session run one at a time (see execute). */
  private readonly queues = new WeakMap<Session, Promise<unknown>>();

  constructor(private readonly server: ServerState) {}

  private catalog(session: Session): CatalogContext {
    const { records, quoted, started } = this.server;
    return { records, quoted, started, role: session.role ?? 'PUBLIC', database: session.database, schema: session.schema, databases: session.databases };
  }

  /**
   * Runs one Snowflake statement and returns its result as Snowflake would; errors are SnowflakeError or DuckDB's.
   * Snowflake runs a session's concurrent statements side by side (charter introspects two relations at once); on
   * one DuckDB connection they would share transactions and temp tables, so they queue.
   */
  execute(session: Session, sqlText: string, bindings: Record<string, SnowflakeBind> | undefined): Promise<Executed> {
    const previous = this.queues.get(session) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => {
      for (const name of quotedIdentifiers(sqlText)) this.server.quoted.add(name);
      const plan = planStatement(sqlText, { database: session.database, schema: session.schema }, this.server.translate);
      return this.carryOut(session, plan, bindings);
    });
    this.queues.set(session, next);
    return next;
  }

  private async carryOut(session: Session, plan: Plan, bindings: Record<string, SnowflakeBind> | undefined): Promise<Executed> {
    const { connection } = session;
    switch (plan.kind) {
      case 'session':
        await applySessionCommand(session, plan.command);
        return status();
      case 'transaction':
        if (plan.op === 'begin' && !session.inTransaction) {
          await connection.run('BEGIN TRANSACTION');
          session.inTransaction = true;
        } else if (plan.op !== 'begin' && session.inTransaction) {
          session.inTransaction = false;
          await connection.run(plan.op === 'commit' ? 'COMMIT' : 'ROLLBACK');
        }
        return status();
      case 'show':
        return this.tableResult(session, await atomically(session, () => showTable(connection, this.catalog(session), plan.show)));
      case 'describe':
        return this.tableResult(session, await describeTable(connection, this.catalog(session), plan.relation));
      case 'describe-policy':
        return this.tableResult(session, this.server.governance.describePolicy(plan.policy, plan.name));
      case 'show-grants':
        return this.tableResult(session, showGrants(this.server.governance, plan.object, plan.relation));
      case 'ignored':
        return status();
      case 'semantic':
        if (plan.op.op === 'read-yaml') {
          const yaml = this.server.semantic.apply(plan.op)!;
          return this.tableResult(session, { columns: [['SYSTEM$READ_YAML_FROM_SEMANTIC_VIEW', 'VARCHAR']], rows: [[yaml]] });
        }
        await commitBeforeDdl(session);
        this.server.semantic.apply(plan.op);
        return status();
      case 'run':
        return this.run(session, plan, bindings);
    }
    // The rest is DDL: it commits what is open first.
    await commitBeforeDdl(session);
    switch (plan.kind) {
      case 'swap':
        await this.swap(session, plan.a, plan.b);
        return status();
      case 'rename':
        await this.rename(session, plan.object, plan.from, plan.to);
        return status();
      case 'refresh': {
        const record = this.server.records.get(nameKey(plan.relation));
        if (!record?.dynamic) throw new SnowflakeError('002003', '42S02', `SQL compilation error:\nDynamic table '${nameKey(plan.relation)}' does not exist or not authorized.`);
        await connection.run(`CREATE OR REPLACE TABLE ${renderName(plan.relation)} AS ${record.dynamic.select}`);
        return status();
      }
      case 'database':
        await this.database(session, plan.op, plan.name, plan.clone);
        return status();
      case 'governance':
        this.server.governance.apply(plan.op);
        return status();
    }
  }

  private async run(session: Session, plan: RunPlan, bindings: Record<string, SnowflakeBind> | undefined): Promise<Executed> {
    const { connection } = session;
    if (plan.ddl) await commitBeforeDdl(session);
    // Listed and counted in one snapshot: other sessions may drop a table in between.
    if (plan.catalog.length) await atomically(session, async () => {
      for (const ref of plan.catalog) await materialiseInfoView(connection, this.catalog(session), ref);
    });
    if (plan.governanceRead) {
      // A tag's masking policy applies to a column of its data type: POLICY_REFERENCES by relation needs the columns' types.
      const read = plan.governanceRead;
      const types = 'entity' in read ? await columnTypes(connection, read.entity) : undefined;
      await materialise(connection, GOVERNANCE_READ_TABLE, governanceRead(this.server.governance, read, types));
    }
    const body = async (): Promise<{ reader: DuckDBResultReader | undefined; changed: number }> => {
      const last = plan.statements.length - 1;
      for (const sql of plan.statements.slice(0, last)) await connection.run(sql);
      const sql = plan.statements[last]!;
      if (isArrayBind(bindings) && plan.bulk) {
        await fillBindsTable(connection, bindings!);
        const reader = await connection.runAndReadAll(plan.bulk);
        return { reader, changed: reader.rowsChanged };
      }
      if (isArrayBind(bindings)) {
        // No bulk form (not a one-row INSERT ... VALUES): one execution of a prepared statement per row.
        const prepared = await connection.prepare(sql);
        let changed = 0;
        for (const values of bindRows(bindings)) {
          prepared.bind(values);
          changed += (await prepared.run()).rowsChanged;
        }
        return { reader: undefined, changed };
      }
      const [values = []] = bindRows(bindings);
      const reader = await connection.runAndReadAll(sql, values.length > 0 ? values : undefined);
      return { reader, changed: reader.rowsChanged };
    };
    const { reader, changed } = plan.statements.length > 1 ? await atomically(session, body) : await body();
    if (plan.creates) {
      this.server.records.set(nameKey(plan.creates.relation), { ...plan.creates.traits, created: new Date(), owner: session.role ?? 'PUBLIC' });
      // A new object under the name (CREATE OR REPLACE): nothing attached to the old one carries over.
      this.server.governance.forget(plan.creates.relation);
    }
    if (plan.drops) {
      this.server.records.delete(nameKey(plan.drops));
      this.server.governance.forget(plan.drops);
    }
    switch (plan.result.kind) {
      case 'count':
        return { rowtype: [{ name: plan.result.column, type: 'fixed', precision: 19, scale: 0, nullable: false }], rowset: [[String(changed)]], statementTypeId: plan.result.statementTypeId };
      case 'status':
        return status();
      case 'rows': {
        if (!reader) return status();
        const { rowtype, rowset } = rowsetOf(reader, reader.columnNames().map((n) => snowflakeColumnName(n, this.server.quoted)));
        return { rowtype, rowset, statementTypeId: STATEMENT_TYPE.query };
      }
    }
  }

  /** A catalog table as a result, its column names as Snowflake spells them (SHOW's are lower-case). */
  private async tableResult(session: Session, table: Parameters<typeof materialise>[2]): Promise<Executed> {
    await materialise(session.connection, '__sf_show', table);
    const reader = await session.connection.runAndReadAll('SELECT * FROM temp.main.__sf_show');
    const { rowtype, rowset } = rowsetOf(reader, table.columns.map(([name]) => name));
    return { rowtype, rowset, statementTypeId: STATEMENT_TYPE.query };
  }

  /** ALTER TABLE a SWAP WITH b: three renames in one DuckDB transaction, so no one sees a half-swapped pair. */
  private async swap(session: Session, a: ObjectName, b: ObjectName): Promise<void> {
    if (!sameSchema(a, b)) throw unsupported('ALTER TABLE ... SWAP WITH a table in another schema');
    const parked = `__sf_swap_${++this.swaps}`;
    await atomically(session, async () => {
      await session.connection.run(`ALTER TABLE ${renderName(a)} RENAME TO ${quote(parked)}`);
      await session.connection.run(`ALTER TABLE ${renderName(b)} RENAME TO ${quote(a.name)}`);
      await session.connection.run(`ALTER TABLE ${renderName({ ...a, name: parked })} RENAME TO ${quote(b.name)}`);
    });
    const { records } = this.server;
    const [ra, rb] = [records.get(nameKey(a)), records.get(nameKey(b))];
    records.delete(nameKey(a));
    records.delete(nameKey(b));
    if (rb) records.set(nameKey(a), rb);
    if (ra) records.set(nameKey(b), ra);
    this.server.governance.swap(a, b);
  }

  /** DuckDB renames within a schema only, and takes the new name bare. */
  private async rename(session: Session, object: 'TABLE' | 'VIEW', from: ObjectName, to: ObjectName): Promise<void> {
    if (!sameSchema(from, to)) throw unsupported(`ALTER ${object} ... RENAME TO a name in another schema (${nameKey(to)})`);
    await session.connection.run(`ALTER ${object} ${renderName(from)} RENAME TO ${quote(to.name)}`);
    const record = this.server.records.get(nameKey(from));
    this.server.records.delete(nameKey(from));
    if (record) this.server.records.set(nameKey(to), record);
    else this.server.records.delete(nameKey(to));
    this.server.governance.move(from, to);
  }

  private async database(session: Session, op: Extract<Plan, { kind: 'database' }>['op'], name: string, clone?: string): Promise<void> {
    const { connection } = session;
    const exists = session.databases.has(name);
    if (op === 'drop' || op === 'drop-if-exists') {
      if (!exists && op === 'drop') throw new SnowflakeError('002003', '02000', `SQL compilation error:\nDatabase '${name}' does not exist or not authorized.`);
      await this.detach(session, name);
      return;
    }
    if (exists && op === 'ensure') return;
    if (exists && op === 'create') throw new SnowflakeError('002002', '42710', `SQL compilation error:\nObject '${name}' already exists.`);
    if (clone !== undefined && !session.databases.has(clone)) throw new SnowflakeError('002003', '02000', `SQL compilation error:\nDatabase '${clone}' does not exist or not authorized.`);
    if (exists && op === 'replace') await this.detach(session, name);
    if (clone !== undefined) {
      // A zero-copy clone: the source's schemas, tables and views as they are now, with what the server knows of
      // each relation and what is attached to it. A view keeps its text: one naming the source database by its
      // fully qualified names still reads the source, as a view in a Snowflake clone does.
      await connection.run(`ATTACH ':memory:' AS ${quote(name)}`);
      session.databases.add(name);
      await connection.run(`COPY FROM DATABASE ${quote(clone)} TO ${quote(name)}`);
      const { records } = this.server;
      for (const [key, record] of [...records]) if (key.startsWith(`${clone}.`)) records.set(`${name}.${key.slice(clone.length + 1)}`, record);
      this.server.governance.cloneDatabase(clone, name);
    }
    // CREATE DATABASE makes the new database the session's current one, with a PUBLIC schema.
    await useDatabase(session, name, 'PUBLIC');
  }

  /** The database is gone, with its relations' records and what was attached to them. */
  private async detach(session: Session, name: string): Promise<void> {
    // DuckDB will not detach the database in use.
    if (session.database === name) {
      await session.connection.run('USE memory.main');
      session.database = undefined;
      session.schema = undefined;
    }
    await session.connection.run(`DETACH DATABASE IF EXISTS ${quote(name)}`);
    session.databases.delete(name);
    for (const key of [...this.server.records.keys()]) if (key.startsWith(`${name}.`)) this.server.records.delete(key);
    this.server.governance.forgetDatabase(name);
  }
}

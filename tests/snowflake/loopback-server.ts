// A loopback Snowflake for tests: speaks the HTTP endpoints snowflake-sdk 3.3.0 uses (see
// ../shared/reference/snowflake-sdk-protocol.md), answers from an in-process DuckDB, records every login and
// statement, and injects failures, so the real driver runs without an account.
import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { DuckDBInstance, type DuckDBConnection, type DuckDBResultReader } from '@duckdb/node-api';
import { bindRows, rowsetOf, type Cell, type RowType, type SnowflakeBind } from './loopback-rowset.js';
import {
  parseSessionCommand, quotedIdentifiers, snowflakeColumnName, snowflakeErrorOf, statementKind, STATEMENT_TYPE,
  type SessionCommand, type SnowflakeErrorInfo,
} from './loopback-sql.js';

export type Endpoint = 'login' | 'query' | 'any';

/** A failure to inject. HTTP and connection failures hit the chosen endpoint (queries by default). */
export type Failure =
  | { readonly kind: 'http-status'; readonly status: number; readonly on?: Endpoint }
  | { readonly kind: 'drop-connection'; readonly on?: Endpoint }
  | { readonly kind: 'sql-error'; readonly code: string; readonly message: string; readonly sqlState?: string };

export interface LoginRecord {
  readonly authenticator: string;
  readonly account: string;
  readonly user: string | undefined;
  readonly password: string | undefined;
  readonly token: string | undefined;
  /** For SNOWFLAKE_JWT: the decoded claims, and whether the signature checked out (undefined: no key configured). */
  readonly jwt: { readonly header: Record<string, unknown>; readonly claims: Record<string, unknown>; readonly signatureValid: boolean | undefined } | undefined;
  readonly sessionParameters: Readonly<Record<string, unknown>>;
  readonly database: string | undefined;
  readonly schema: string | undefined;
  readonly warehouse: string | undefined;
  readonly role: string | undefined;
  readonly accepted: boolean;
}

export interface StatementRecord {
  readonly sessionId: number;
  readonly queryId: string;
  readonly requestId: string | undefined;
  readonly sqlText: string;
  readonly bindings: Readonly<Record<string, SnowflakeBind>> | undefined;
  /** Statement parameters sent with the request (the driver puts QUERY_TAG here). */
  readonly parameters: Readonly<Record<string, unknown>> | undefined;
  /** The statement's `parameters.QUERY_TAG`, else the session's QUERY_TAG. */
  readonly queryTag: string | undefined;
  readonly error: SnowflakeErrorInfo | undefined;
}

export interface RequestRecord {
  readonly method: string;
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  /** What the server did instead of answering normally. */
  readonly injected: Failure['kind'] | undefined;
}

export interface LoopbackOptions {
  /** Passwords by user (upper-case); a user not listed may log in with any password. */
  readonly passwords?: Readonly<Record<string, string>>;
  /** RSA public keys by user (upper-case), to verify key-pair JWTs; a JWT failing verification is refused. */
  readonly publicKeys?: Readonly<Record<string, KeyObject | string>>;
}

export interface LoopbackServer {
  /** `http://127.0.0.1:<port>`, for the driver's `accessUrl`. */
  readonly url: string;
  readonly logins: readonly LoginRecord[];
  readonly statements: readonly StatementRecord[];
  readonly requests: readonly RequestRecord[];
  /** Fail the next `times` matching requests. */
  inject(failure: Failure, times?: number): void;
  close(): Promise<void>;
}

interface Session {
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
  readonly connection: DuckDBConnection;
}

type Body = Record<string, unknown>;
/** A statement's result as the query response carries it. */
interface Executed {
  readonly rowtype: RowType[];
  readonly rowset: Cell[][];
  readonly statementTypeId: number;
}
const ok = (data: unknown): Body => ({ success: true, code: null, message: null, data });
const fail = (code: string, message: string, data: unknown = null): Body => ({ success: false, code, message, data });

/** The display formats the driver needs in every result (without them dates stringify oddly, binaries assert). */
const RESULT_PARAMETERS = [
  ['TIMEZONE', 'UTC'], ['DATE_OUTPUT_FORMAT', 'YYYY-MM-DD'], ['TIME_OUTPUT_FORMAT', 'HH24:MI:SS'],
  ['TIMESTAMP_OUTPUT_FORMAT', 'YYYY-MM-DD HH24:MI:SS.FF3 TZHTZM'], ['TIMESTAMP_NTZ_OUTPUT_FORMAT', 'YYYY-MM-DD HH24:MI:SS.FF3'],
  ['TIMESTAMP_LTZ_OUTPUT_FORMAT', ''], ['TIMESTAMP_TZ_OUTPUT_FORMAT', ''], ['BINARY_OUTPUT_FORMAT', 'HEX'],
].map(([name, value]) => ({ name, value }));

// Snowflake functions the driver or charter may call, as temporary macros of each session's connection (the temp
// catalog stays on the search path whatever database the session uses); their values live in session variables.
const SESSION_FUNCTIONS = [
  "CREATE TEMP MACRO current_version() AS '9.0.0'",
  "CREATE TEMP MACRO current_account() AS getvariable('sf_account')",
  "CREATE TEMP MACRO current_role() AS getvariable('sf_role')",
  "CREATE TEMP MACRO current_warehouse() AS getvariable('sf_warehouse')",
  "CREATE TEMP MACRO current_session() AS getvariable('sf_session')",
];

const sqlString = (s: string | undefined): string => (s === undefined ? 'NULL' : `'${s.replace(/'/g, "''")}'`);
const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** A JWT's parts, without trusting it. */
function decodeJwt(token: string): { header: Record<string, unknown>; claims: Record<string, unknown>; signed: string; signature: Buffer } | undefined {
  const [h, p, s] = token.split('.');
  if (!h || !p || s === undefined) return undefined;
  try {
    const part = (x: string): Record<string, unknown> => JSON.parse(Buffer.from(x, 'base64url').toString('utf8')) as Record<string, unknown>;
    return { header: part(h), claims: part(p), signed: `${h}.${p}`, signature: Buffer.from(s, 'base64url') };
  } catch {
    return undefined;
  }
}

/** RS256 signature and the `iss` fingerprint (SHA256 of the SPKI DER, as the driver computes it) against the key. */
function verifyJwt(jwt: NonNullable<ReturnType<typeof decodeJwt>>, key: KeyObject | string): boolean {
  const publicKey = typeof key === 'string' ? createPublicKey(key) : key;
  const fingerprint = createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('base64');
  return String(jwt.claims.iss).endsWith(`.SHA256:${fingerprint}`) && verify('RSA-SHA256', Buffer.from(jwt.signed), publicKey, jwt.signature);
}

export async function startLoopbackServer(options: LoopbackOptions = {}): Promise<LoopbackServer> {
  const instance = await DuckDBInstance.create(':memory:');

  const logins: LoginRecord[] = [];
  const statements: StatementRecord[] = [];
  const requests: RequestRecord[] = [];
  const failures: { failure: Failure; remaining: number }[] = [];
  const sessions = new Map<string, Session>();
  const quoted = new Set<string>();
  // The driver re-sends a query with the same requestId after a network failure; answer it once (Snowflake does).
  const answered = new Map<string, Body>();
  let nextId = 1;

  /** The next queued failure matching `accepts`, counted down. */
  function take(accepts: (f: Failure) => boolean): Failure | undefined {
    const i = failures.findIndex(({ failure }) => accepts(failure));
    if (i < 0) return undefined;
    const entry = failures[i]!;
    if (--entry.remaining <= 0) failures.splice(i, 1);
    return entry.failure;
  }

  async function login(body: Body, params: URLSearchParams): Promise<Body> {
    const data = (body.data ?? {}) as Record<string, unknown>;
    const authenticator = str(data.AUTHENTICATOR) ?? 'SNOWFLAKE';
    const account = str(data.ACCOUNT_NAME) ?? '';
    const token = str(data.TOKEN);
    const decoded = authenticator === 'SNOWFLAKE_JWT' && token ? decodeJwt(token) : undefined;
    // Token authenticators may leave LOGIN_NAME out; a JWT names the user in `sub` (ACCOUNT.USER).
    const user = str(data.LOGIN_NAME) ?? str(decoded?.claims.sub)?.split('.')[1];
    const key = user ? options.publicKeys?.[user.toUpperCase()] : undefined;
    const signatureValid = decoded && key ? verifyJwt(decoded, key) : undefined;
    const expected = user ? options.passwords?.[user.toUpperCase()] : undefined;
    const sessionParameters = (data.SESSION_PARAMETERS ?? {}) as Record<string, unknown>;
    let refusal: string | undefined;
    if (authenticator === 'SNOWFLAKE' && expected !== undefined && data.PASSWORD !== expected) refusal = 'Incorrect username or password was specified.';
    if (authenticator === 'SNOWFLAKE_JWT' && (!decoded || decoded.claims.sub !== `${account.toUpperCase()}.${user?.toUpperCase()}` || signatureValid === false)) refusal = 'JWT token is invalid.';
    if (['OAUTH', 'PROGRAMMATIC_ACCESS_TOKEN', 'SNOWFLAKE_JWT'].includes(authenticator) && !token) refusal = 'Missing token.';
    logins.push({
      authenticator, account, user, password: str(data.PASSWORD), token,
      jwt: decoded && { header: decoded.header, claims: decoded.claims, signatureValid },
      sessionParameters, database: params.get('databaseName') ?? undefined, schema: params.get('schemaName') ?? undefined,
      warehouse: params.get('warehouse') ?? undefined, role: params.get('roleName') ?? undefined, accepted: !refusal,
    });
    if (refusal) return fail(authenticator === 'SNOWFLAKE_JWT' ? '390144' : '390100', refusal);

    const id = nextId++;
    const session: Session = {
      id, token: `ST-${id}`, masterToken: `MT-${id}`, user: (user ?? 'USER').toUpperCase(), account: account.toUpperCase(),
      warehouse: params.get('warehouse') ?? undefined, role: params.get('roleName') ?? undefined,
      database: params.get('databaseName') ?? undefined, schema: params.get('schemaName') ?? undefined,
      parameters: new Map(Object.entries(sessionParameters).map(([k, v]) => [k.toUpperCase(), String(v)])),
      connection: await instance.connect(),
    };
    for (const [name, value] of [['sf_account', session.account], ['sf_role', session.role], ['sf_warehouse', session.warehouse], ['sf_session', String(id)]] as const) {
      await session.connection.run(`SET VARIABLE ${name} = ${sqlString(value)}`);
    }
    for (const sql of SESSION_FUNCTIONS) await session.connection.run(sql);
    if (session.database) await useDatabase(session, session.database, session.schema ?? 'PUBLIC');
    sessions.set(session.token, session);
    return ok({
      token: session.token, masterToken: session.masterToken, validityInSeconds: 3600, masterValidityInSeconds: 14400,
      sessionId: id, parameters: [{ name: 'TIMEZONE', value: 'UTC' }, { name: 'CLIENT_SESSION_KEEP_ALIVE', value: false }],
    });
  }

  /** A Snowflake database is an attached in-memory DuckDB catalog, so three-part names resolve. */
  async function useDatabase(session: Session, database: string, schema: string): Promise<void> {
    await session.connection.run(`ATTACH IF NOT EXISTS ':memory:' AS ${quote(database)}`);
    await session.connection.run(`CREATE SCHEMA IF NOT EXISTS ${quote(database)}.${quote(schema)}`);
    await session.connection.run(`USE ${quote(database)}.${quote(schema)}`);
    session.database = database;
    session.schema = schema;
  }

  async function applySessionCommand(session: Session, command: SessionCommand): Promise<void> {
    if (command.kind === 'set') for (const [k, v] of command.parameters) session.parameters.set(k, v);
    else if (command.kind === 'unset') for (const k of command.names) session.parameters.delete(k);
    else if (command.object === 'WAREHOUSE') session.warehouse = command.name;
    else if (command.object === 'ROLE') session.role = command.name;
    else if (command.object === 'DATABASE') await useDatabase(session, command.name, 'PUBLIC');
    else await useDatabase(session, session.database ?? 'MEMORY', command.name);
  }

  /** Runs one statement and returns its rowtype and rowset as Snowflake would. */
  async function execute(session: Session, sqlText: string, bindings: Record<string, SnowflakeBind> | undefined): Promise<Executed> {
    const status = (): Executed => ({
      rowtype: [{ name: 'status', type: 'text', length: 16_777_216, byteLength: 16_777_216, nullable: true }],
      rowset: [['Statement executed successfully.']], statementTypeId: STATEMENT_TYPE.ddl,
    });
    const command = parseSessionCommand(sqlText);
    if (command) {
      await applySessionCommand(session, command);
      return status();
    }
    for (const name of quotedIdentifiers(sqlText)) quoted.add(name);
    // Snowflake's :1 positional binds are DuckDB's $1.
    const sql = sqlText.replace(/(?<![:\w]):(\d+)/g, '$$$1');
    const kind = statementKind(sqlText);
    let reader: DuckDBResultReader | undefined;
    let changed = 0;
    for (const values of bindRows(bindings)) {
      reader = await session.connection.runAndReadAll(sql, values.length > 0 ? values : undefined);
      changed += reader.rowsChanged;
    }
    if (kind.kind === 'dml') {
      return { rowtype: [{ name: kind.countColumn, type: 'fixed', precision: 19, scale: 0, nullable: false }], rowset: [[String(changed)]], statementTypeId: kind.statementTypeId };
    }
    if (kind.kind === 'ddl' || !reader) return status();
    const { rowtype, rowset } = rowsetOf(reader, reader.columnNames().map((n) => snowflakeColumnName(n, quoted)));
    return { rowtype, rowset, statementTypeId: STATEMENT_TYPE.query };
  }

  async function query(session: Session, body: Body, params: URLSearchParams): Promise<Body> {
    const requestId = params.get('requestId') ?? undefined;
    const previous = requestId ? answered.get(requestId) : undefined;
    if (previous) return previous;
    const sqlText = str(body.sqlText) ?? '';
    const bindings = body.bindings as Record<string, SnowflakeBind> | undefined;
    const parameters = body.parameters as Record<string, unknown> | undefined;
    const statementTag = parameters?.QUERY_TAG;
    const queryTag = typeof statementTag === 'string' ? statementTag : session.parameters.get('QUERY_TAG');
    const queryId = `01b00000-0000-4000-8000-${String(nextId++).padStart(12, '0')}`;
    const injected = take((f) => f.kind === 'sql-error');
    let error: SnowflakeErrorInfo | undefined;
    let result: Executed | undefined;
    if (injected?.kind === 'sql-error') error = { code: injected.code, message: injected.message, sqlState: injected.sqlState ?? '42000' };
    else {
      try {
        result = await execute(session, sqlText, bindings);
      } catch (e) {
        error = snowflakeErrorOf(e instanceof Error ? e.message : String(e));
      }
    }
    const answer = result
      ? ok({
        queryId, ...result, total: result.rowset.length, returned: result.rowset.length, queryResultFormat: 'json',
        parameters: RESULT_PARAMETERS, finalDatabaseName: session.database, finalSchemaName: session.schema,
        finalRoleName: session.role, finalWarehouseName: session.warehouse,
      })
      : fail(error!.code, error!.message, { sqlState: error!.sqlState, queryId, errorCode: error!.code, age: 0, internalError: false });
    statements.push({ sessionId: session.id, queryId, requestId, sqlText, bindings, parameters, queryTag, error });
    if (requestId) answered.set(requestId, answer);
    return answer;
  }

  async function route(req: IncomingMessage, url: URL, body: Body): Promise<Body | undefined> {
    const path = url.pathname;
    if (path === '/session/v1/login-request') return login(body, url.searchParams);
    const token = /^Snowflake Token="([^"]*)"$/.exec(req.headers.authorization ?? '')?.[1];
    const session = token ? sessions.get(token) : undefined;
    if (path === '/telemetry/send') return ok(null);
    if (!session) return fail('390104', 'User must login again to access this resource.');
    if (path === '/queries/v1/query-request') return query(session, body, url.searchParams);
    if (path === '/session/heartbeat' || path === '/queries/v1/abort-request') return ok(null);
    if (path === '/session/token-request') {
      sessions.delete(session.token);
      session.token = `ST-${session.id}-${nextId++}`;
      sessions.set(session.token, session);
      return ok({ sessionToken: session.token, validityInSecondsST: 3600, masterToken: session.masterToken, validityInSecondsMT: 14400 });
    }
    if (path === '/session' && url.searchParams.get('delete') === 'true') {
      sessions.delete(session.token);
      session.connection.closeSync();
      return ok(null);
    }
    const monitored = /^\/monitoring\/queries\/(.+)$/.exec(path)?.[1];
    if (monitored) {
      const s = statements.find((st) => st.queryId === monitored);
      return ok({ queries: s ? [{ id: s.queryId, status: s.error ? 'FAILED_WITH_ERROR' : 'SUCCESS' }] : [] });
    }
    return undefined;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let raw = Buffer.concat(chunks);
    // The driver may gzip without saying so (or say so without doing it): trust the magic bytes.
    if (raw[0] === 0x1f && raw[1] === 0x8b) raw = gunzipSync(raw);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const endpoint = url.pathname === '/session/v1/login-request' ? 'login' : url.pathname === '/queries/v1/query-request' ? 'query' : undefined;
    // Transport failures hit before the request is read as Snowflake's; queued SQL errors wait for a query.
    const pending = endpoint && take((f) => f.kind !== 'sql-error' && ((f.on ?? 'query') === endpoint || f.on === 'any'));
    requests.push({ method: req.method ?? 'GET', path: url.pathname, params: Object.fromEntries(url.searchParams), injected: pending?.kind });
    if (pending?.kind === 'drop-connection') {
      req.socket.destroy();
      return;
    }
    if (pending?.kind === 'http-status') {
      res.writeHead(pending.status, { 'Content-Type': 'text/plain' }).end('injected failure');
      return;
    }
    const body = raw.length > 0 ? (JSON.parse(raw.toString('utf8')) as Body) : {};
    const answer = await route(req, url, body);
    if (!answer) {
      res.writeHead(404, { 'Content-Type': 'application/json' }).end(JSON.stringify(fail('000404', `no route ${url.pathname}`)));
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(answer));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(fail('000603', `loopback server bug: ${e instanceof Error ? e.message : String(e)}`)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    logins, statements, requests,
    inject(failure, times = 1) {
      failures.push({ failure, remaining: times });
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
      for (const s of sessions.values()) s.connection.closeSync();
      sessions.clear();
      instance.closeSync();
    },
  };
}

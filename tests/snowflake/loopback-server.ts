// A loopback Snowflake for tests: speaks the HTTP endpoints snowflake-sdk 3.3.0 uses (see
// ../shared/reference/snowflake-sdk-protocol.md), answers from an in-process DuckDB, records every login and
// statement, and injects failures (HTTP errors, dropped connections, SQL errors, hangs until cancelled), so the
// real driver runs without an account. Each statement is read as Snowflake SQL and run through charter's own
// Snowflake-to-DuckDB translation (loopback-statement.ts), with Snowflake's session rules (loopback-session.ts).
import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { DuckDBTranslator } from '../../src/adapters/duckdb/translator.js';
import { SnowflakeError } from './loopback-names.js';
import type { SnowflakeBind } from './loopback-rowset.js';
import { openSession, SessionExecutor, type Executed, type ServerState, type Session } from './loopback-session.js';
import { GovernanceState } from './loopback-governance.js';
import { SemanticViewState } from './loopback-semantic.js';
import type { RelationRecord } from './loopback-catalog.js';
import { snowflakeErrorOf, type SnowflakeErrorInfo } from './loopback-sql.js';

export type Endpoint = 'login' | 'query' | 'any';

/** A failure to inject. HTTP and connection failures hit the chosen endpoint (queries by default). */
export type Failure =
  | { readonly kind: 'http-status'; readonly status: number; readonly on?: Endpoint }
  | { readonly kind: 'drop-connection'; readonly on?: Endpoint }
  | { readonly kind: 'sql-error'; readonly code: string; readonly message: string; readonly sqlState?: string }
  /**
   * The next query (matching `sql`, when given) hangs, never reaching DuckDB, until the driver aborts it; it then
   * fails as cancelled (000604).
   */
  | { readonly kind: 'hang'; readonly sql?: RegExp };

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

/** A query the server is working on (or holding, for an injected hang). */
export interface RunningQuery {
  readonly sessionId: number;
  readonly queryId: string;
  readonly requestId: string | undefined;
  readonly sqlText: string;
  readonly hanging: boolean;
}

/** An abort request the driver sent (statement.cancel()), and whether it found a running query. */
export interface AbortRecord {
  readonly requestId: string | undefined;
  readonly queryId: string | undefined;
  readonly sqlText: string | undefined;
  readonly found: boolean;
}

export interface LoopbackOptions {
  /** Passwords by user (upper-case); a user not listed may log in with any password. */
  readonly passwords?: Readonly<Record<string, string>>;
  /** RSA public keys by user (upper-case), to verify key-pair JWTs; a JWT failing verification is refused. */
  readonly publicKeys?: Readonly<Record<string, KeyObject | string>>;
  /**
   * CLIENT_STAGE_ARRAY_BINDING_THRESHOLD sent at login: the driver uploads array binds to a stage (which this
   * server cannot take) once rows x columns exceed it. Default 10,000,000 cells; the driver's own default is 100,000.
   */
  readonly arrayBindingThreshold?: number;
}

export interface LoopbackServer {
  /** `http://127.0.0.1:<port>`, for the driver's `accessUrl`. */
  readonly url: string;
  readonly logins: readonly LoginRecord[];
  readonly statements: readonly StatementRecord[];
  readonly requests: readonly RequestRecord[];
  readonly aborts: readonly AbortRecord[];
  /** Queries in flight now. */
  readonly running: readonly RunningQuery[];
  /** Roles, tags, policies, and what is attached to each relation now (kept, not enforced). */
  readonly governance: GovernanceState;
  /** Semantic views as created, with their grants; `addVerifiedQuery` adds one as Snowsight would. */
  readonly semanticViews: SemanticViewState;
  /** Resolves when a query matching `match` (any, by default) is in flight, e.g. one held by a `hang` failure. */
  whenRunning(match?: (q: RunningQuery) => boolean): Promise<RunningQuery>;
  /** Fail the next `times` matching requests. */
  inject(failure: Failure, times?: number): void;
  /**
   * Calls `listener` after each statement, once the server has recorded it and before it answers: a test can see the
   * state (governance, say) as every statement left it. Returns what stops it.
   */
  observe(listener: (record: StatementRecord) => void): () => void;
  close(): Promise<void>;
}

type Body = Record<string, unknown>;
const ok = (data: unknown): Body => ({ success: true, code: null, message: null, data });
const fail = (code: string, message: string, data: unknown = null): Body => ({ success: false, code, message, data });

/**
 * The display formats the driver needs in every result (without them dates stringify oddly, binaries assert), as
 * Snowflake sends them: its defaults, or what the session set by ALTER SESSION.
 */
const RESULT_FORMATS: ReadonlyArray<readonly [string, string]> = [
  ['TIMEZONE', 'UTC'], ['DATE_OUTPUT_FORMAT', 'YYYY-MM-DD'], ['TIME_OUTPUT_FORMAT', 'HH24:MI:SS'],
  ['TIMESTAMP_OUTPUT_FORMAT', 'YYYY-MM-DD HH24:MI:SS.FF3 TZHTZM'], ['TIMESTAMP_NTZ_OUTPUT_FORMAT', 'YYYY-MM-DD HH24:MI:SS.FF3'],
  ['TIMESTAMP_LTZ_OUTPUT_FORMAT', ''], ['TIMESTAMP_TZ_OUTPUT_FORMAT', ''], ['BINARY_OUTPUT_FORMAT', 'HEX'],
];
const resultParameters = (session: Session): Array<{ name: string; value: string }> =>
  RESULT_FORMATS.map(([name, value]) => ({ name, value: session.parameters.get(name) ?? value }));

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

const CANCELLED: SnowflakeErrorInfo = { code: '000604', sqlState: '57014', message: 'SQL execution canceled' };

interface InFlight extends RunningQuery {
  /** Ends the query as cancelled: releases a hang, interrupts DuckDB. */
  cancel(): void;
}

export async function startLoopbackServer(options: LoopbackOptions = {}): Promise<LoopbackServer> {
  // The suite's worker processes already fill the cores (vitest.config.ts sets CHARTER_DUCKDB_THREADS=1).
  const instance = await DuckDBInstance.create(':memory:', { threads: process.env['CHARTER_DUCKDB_THREADS'] ?? '2' });
  const records = new Map<string, RelationRecord>();
  const governance = new GovernanceState(records);
  const semantic = new SemanticViewState((key) => records.has(key), (role) => governance.roles.has(role));
  const state: ServerState = {
    instance, translate: (sql) => translator.translate(sql), records, governance, semantic, quoted: new Set(), started: new Date(),
  };
  // Charter's translator, as its DuckDB target uses it (no cache file: nothing persists between test runs).
  const translator = new DuckDBTranslator();
  const executor = new SessionExecutor(state);

  const logins: LoginRecord[] = [];
  const statements: StatementRecord[] = [];
  const observers = new Set<(record: StatementRecord) => void>();
  const requests: RequestRecord[] = [];
  const aborts: AbortRecord[] = [];
  const running: InFlight[] = [];
  const waiters: { match: (q: RunningQuery) => boolean; resolve: (q: RunningQuery) => void }[] = [];
  const failures: { failure: Failure; remaining: number }[] = [];
  const sessions = new Map<string, Session>();
  const databases = new Set<string>();
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
    const session = await openSession(instance, {
      id, token: `ST-${id}`, masterToken: `MT-${id}`, user: (user ?? 'USER').toUpperCase(), account: account.toUpperCase(),
      warehouse: params.get('warehouse') ?? undefined, role: params.get('roleName') ?? undefined,
      database: params.get('databaseName') ?? undefined, schema: params.get('schemaName') ?? undefined,
      parameters: new Map(Object.entries(sessionParameters).map(([k, v]) => [k.toUpperCase(), String(v)])), databases,
    });
    sessions.set(session.token, session);
    return ok({
      token: session.token, masterToken: session.masterToken, validityInSeconds: 3600, masterValidityInSeconds: 14400,
      sessionId: id,
      parameters: [
        { name: 'TIMEZONE', value: 'UTC' }, { name: 'CLIENT_SESSION_KEEP_ALIVE', value: false },
        // The driver keeps this in a process-wide store and uploads larger array binds to a stage (PUT), which this
        // server does not take: a high threshold keeps binds inline.
        { name: 'CLIENT_STAGE_ARRAY_BINDING_THRESHOLD', value: options.arrayBindingThreshold ?? 10_000_000 },
      ],
    });
  }

  /** Tracks a query while it runs, so a test can see it and an abort request can end it. */
  function track(query: InFlight): () => void {
    running.push(query);
    for (const waiter of waiters.filter((w) => w.match(query))) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(query);
    }
    return () => running.splice(running.indexOf(query), 1);
  }

  async function runQuery(session: Session, queryId: string, requestId: string | undefined, sqlText: string, bindings: Record<string, SnowflakeBind> | undefined): Promise<Executed> {
    if (bindings && Object.keys(bindings).length === 0) bindings = undefined;
    const hang = take((f) => f.kind === 'hang' && (!f.sql || f.sql.test(sqlText)));
    let cancelled = false;
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const untrack = track({
      sessionId: session.id, queryId, requestId, sqlText, hanging: hang !== undefined,
      cancel: () => {
        cancelled = true;
        release();
        if (!hang) session.connection.interrupt();
      },
    });
    try {
      if (hang) {
        await held;
        throw new SnowflakeError(CANCELLED.code, CANCELLED.sqlState, CANCELLED.message);
      }
      return await executor.execute(session, sqlText, bindings);
    } catch (e) {
      if (cancelled) throw new SnowflakeError(CANCELLED.code, CANCELLED.sqlState, CANCELLED.message);
      throw e;
    } finally {
      untrack();
    }
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
    else if (typeof body.bindStage === 'string') {
      error = { code: '000002', sqlState: '0A000', message: `Unsupported feature: the loopback server takes no stage binds (${body.bindStage}); keep array binds under CLIENT_STAGE_ARRAY_BINDING_THRESHOLD cells.` };
    } else {
      try {
        result = await runQuery(session, queryId, requestId, sqlText, bindings);
      } catch (e) {
        error = e instanceof SnowflakeError ? { code: e.code, sqlState: e.sqlState, message: e.message } : snowflakeErrorOf(e instanceof Error ? e.message : String(e));
      }
    }
    const answer = result
      ? ok({
        queryId, ...result, total: result.rowset.length, returned: result.rowset.length, queryResultFormat: 'json',
        parameters: resultParameters(session), finalDatabaseName: session.database, finalSchemaName: session.schema,
        finalRoleName: session.role, finalWarehouseName: session.warehouse,
      })
      : fail(error!.code, error!.message, { sqlState: error!.sqlState, queryId, errorCode: error!.code, age: 0, internalError: false });
    const record = { sessionId: session.id, queryId, requestId, sqlText, bindings, parameters, queryTag, error };
    statements.push(record);
    for (const listener of observers) listener(record);
    if (requestId) answered.set(requestId, answer);
    return answer;
  }

  /** statement.cancel(): by requestId while the query request is open, by queryId once the driver knows it. */
  function abort(body: Body, queryId: string | undefined): Body {
    const requestId = str(body.requestId);
    const target = running.find((q) => (queryId ? q.queryId === queryId : q.requestId === requestId));
    aborts.push({ requestId, queryId, sqlText: str(body.sqlText), found: target !== undefined });
    if (!target) return fail('000605', 'Identified SQL statement is not currently executing.');
    target.cancel();
    return ok(null);
  }

  async function route(req: IncomingMessage, url: URL, body: Body): Promise<Body | undefined> {
    const path = url.pathname;
    if (path === '/session/v1/login-request') return login(body, url.searchParams);
    const token = /^Snowflake Token="([^"]*)"$/.exec(req.headers.authorization ?? '')?.[1];
    const session = token ? sessions.get(token) : undefined;
    if (path === '/telemetry/send') return ok(null);
    if (!session) return fail('390104', 'User must login again to access this resource.');
    if (path === '/queries/v1/query-request') return query(session, body, url.searchParams);
    if (path === '/queries/v1/abort-request') return abort(body, undefined);
    const aborted = /^\/queries\/([^/]+)\/abort-request$/.exec(path)?.[1];
    if (aborted) return abort(body, aborted);
    if (path === '/session/heartbeat') return ok(null);
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
      const live = running.find((q) => q.queryId === monitored);
      const s = statements.find((st) => st.queryId === monitored);
      const status = live ? 'RUNNING' : s?.error ? 'FAILED_WITH_ERROR' : 'SUCCESS';
      return ok({ queries: live || s ? [{ id: monitored, status }] : [] });
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
    const pending = endpoint && take((f) => (f.kind === 'http-status' || f.kind === 'drop-connection') && ((f.on ?? 'query') === endpoint || f.on === 'any'));
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
    logins, statements, requests, aborts, running, governance: state.governance, semanticViews: state.semantic,
    whenRunning(match = () => true) {
      const now = running.find(match);
      return now ? Promise.resolve(now) : new Promise((resolve) => waiters.push({ match, resolve }));
    },
    inject(failure, times = 1) {
      failures.push({ failure, remaining: times });
    },
    observe(listener) {
      observers.add(listener);
      return () => observers.delete(listener);
    },
    async close() {
      for (const q of [...running]) q.cancel();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
      for (const s of sessions.values()) s.connection.closeSync();
      sessions.clear();
      instance.closeSync();
    },
  };
}

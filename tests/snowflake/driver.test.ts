// The real snowflake-sdk against the loopback server: what each auth method sends, binds and typed results, error
// mapping, the driver's own retry of transient failures, and the query tag on every statement.
import { generateKeyPairSync } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Connection, ConnectionOptions, RowStatement, SnowflakeError } from 'snowflake-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLoopbackServer, type LoopbackServer } from './loopback-server.js';

// The driver pulls in the AWS SDK, which warns on Node 20 when it loads; the variable must be set before the import.
const quietAws = process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const snowflake = (await import('snowflake-sdk')).default;
if (quietAws === undefined) delete process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
snowflake.configure({ logLevel: 'OFF' });

// snowflake-sdk 3.3.0 sleeps 1-3 s before retrying a query, and no setting changes that: statement.js passes the
// connection's sfRetry* values as `snowflakeRetryConfig`, but services/sf.js drops it on the way to the axios retry
// interceptor, which then uses its defaults (7 retries, 1 s base, 16 s cap). So for this file only the driver's
// backoff formula runs on a millisecond scale; its retry loop is otherwise untouched. Restored in afterAll.
type NextSleepTime = (base: number, cap: number, previous: number) => number;
const sfUtil = createRequire(import.meta.url)('snowflake-sdk/dist/lib/util.js') as { nextSleepTime: NextSleepTime };
const driverNextSleepTime = sfUtil.nextSleepTime;

const { privateKey, publicKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});

let server: LoopbackServer;
const open: Connection[] = [];

beforeAll(async () => {
  sfUtil.nextSleepTime = (_base, _cap, previous) => driverNextSleepTime(0.001, 0.005, Math.min(previous, 0.005));
  server = await startLoopbackServer({ passwords: { GUARDED: 'right' }, publicKeys: { KEYUSER: publicKey } });
});

afterAll(async () => {
  await Promise.all(open.map((c) => (c.isUp() ? destroy(c) : undefined)));
  await server?.close();
  sfUtil.nextSleepTime = driverNextSleepTime;
});

async function connect(options: Partial<ConnectionOptions>): Promise<Connection> {
  const connection = snowflake.createConnection({
    accessUrl: server.url, account: 'testacct', database: 'DB', schema: 'PUBLIC', warehouse: 'WH', role: 'R',
    ...options,
  } as ConnectionOptions);
  open.push(connection);
  // connectAsync() resolves even when the login is refused; only the callback sees the error.
  return new Promise((resolve, reject) => connection.connect((err, conn) => (err ? reject(err) : resolve(conn))));
}

const destroy = (connection: Connection): Promise<void> =>
  new Promise((resolve, reject) => connection.destroy((err) => (err ? reject(err) : resolve())));

interface Executed {
  readonly statement: RowStatement;
  readonly rows: Record<string, unknown>[];
}

function execute(connection: Connection, sqlText: string, binds?: (string | number | boolean | null)[], parameters?: Record<string, string>): Promise<Executed> {
  return new Promise((resolve, reject) => {
    connection.execute({
      sqlText, binds, parameters,
      complete: (err, statement, rows) => (err ? reject(err) : resolve({ statement: statement as RowStatement, rows: (rows ?? []) as Record<string, unknown>[] })),
    });
  });
}

const lastLogin = () => server.logins.at(-1)!;

describe('login request shapes', () => {
  it('password: account, user, password and the session context reach the server; heartbeat and close work', async () => {
    const connection = await connect({ username: 'alice', password: 'pw-1' });
    expect(lastLogin()).toMatchObject({
      authenticator: 'SNOWFLAKE', account: 'testacct', user: 'alice', password: 'pw-1', token: undefined,
      database: 'DB', schema: 'PUBLIC', warehouse: 'WH', role: 'R', accepted: true,
    });
    expect(await connection.isValidAsync()).toBe(true);
    await destroy(connection);
    expect(server.requests.map((r) => r.path)).toEqual(expect.arrayContaining(['/session/heartbeat', '/session']));
    expect(server.requests.find((r) => r.path === '/session')?.params.delete).toBe('true');
  });

  it('password: a wrong password is refused with 390100', async () => {
    const err = await connect({ username: 'guarded', password: 'wrong' }).catch((e: SnowflakeError) => e);
    expect(err).toMatchObject({ code: '390100' });
    expect(lastLogin()).toMatchObject({ user: 'guarded', accepted: false });
  });

  it('key pair: an RS256 JWT naming account and user, signed by the configured key', async () => {
    await connect({ username: 'keyuser', authenticator: 'SNOWFLAKE_JWT', privateKey });
    const login = lastLogin();
    expect(login).toMatchObject({ authenticator: 'SNOWFLAKE_JWT', user: 'keyuser', password: undefined, accepted: true });
    expect(login.jwt?.header.alg).toBe('RS256');
    expect(login.jwt?.claims.sub).toBe('TESTACCT.KEYUSER');
    expect(String(login.jwt?.claims.iss)).toMatch(/^TESTACCT\.KEYUSER\.SHA256:[A-Za-z0-9+/=]+$/);
    expect(login.jwt?.signatureValid).toBe(true);
  });

  it('OAuth: the token travels as TOKEN with authenticator OAUTH', async () => {
    await connect({ authenticator: 'OAUTH', token: 'oauth-access-token' });
    expect(lastLogin()).toMatchObject({ authenticator: 'OAUTH', token: 'oauth-access-token', password: undefined, accepted: true });
  });

  it('programmatic access token: the token travels as TOKEN with authenticator PROGRAMMATIC_ACCESS_TOKEN', async () => {
    await connect({ username: 'svc', authenticator: 'PROGRAMMATIC_ACCESS_TOKEN', token: 'pat-secret' });
    expect(lastLogin()).toMatchObject({ authenticator: 'PROGRAMMATIC_ACCESS_TOKEN', token: 'pat-secret', password: undefined, accepted: true });
  });
});

describe('binds and typed results', () => {
  let connection: Connection;
  beforeAll(async () => {
    connection = await connect({ username: 'typed', password: 'p' });
    await execute(connection, 'create table orders (id integer, amount decimal(10,2), placed date, paid boolean, ratio double, note varchar, "lowerCase" varchar, placed_at timestamp)');
  });

  it('a positional-bind INSERT reports its row count and records the binds', async () => {
    const { statement } = await execute(connection, 'insert into orders values (?, ?, ?, ?, ?, ?, ?, ?)', [1, 12.5, '2024-01-31', true, 0.25, 'first', 'kept', '2024-01-31 10:20:30.123456']);
    expect(statement.getNumUpdatedRows()).toBe(1);
    expect(server.statements.at(-1)?.bindings).toMatchObject({ 1: { type: 'FIXED', value: '1' }, 2: { type: 'REAL', value: '12.5' }, 4: { type: 'BOOLEAN', value: 'true' } });
    await execute(connection, 'insert into orders (id, amount, note) values (?, ?, ?)', [2, null, null]);
  });

  it('reads Snowflake types: scaled numbers, dates, timestamps, booleans, reals; unquoted names upper-cased, quoted kept', async () => {
    const { statement, rows } = await execute(connection, 'select id, amount, placed, paid, ratio, note, "lowerCase", placed_at, amount * 2 as doubled from orders where id = ?', [1]);
    const columns = statement.getColumns()!;
    expect(columns.map((c) => c.getName())).toEqual(['ID', 'AMOUNT', 'PLACED', 'PAID', 'RATIO', 'NOTE', 'lowerCase', 'PLACED_AT', 'DOUBLED']);
    expect(columns.map((c) => c.getType())).toEqual(['fixed', 'fixed', 'date', 'boolean', 'real', 'text', 'text', 'timestamp_ntz', 'fixed']);
    expect([columns[0]!.getPrecision(), columns[0]!.getScale(), columns[1]!.getPrecision(), columns[1]!.getScale()]).toEqual([38, 0, 10, 2]);
    const row = rows[0]!;
    expect(row).toMatchObject({ ID: 1, AMOUNT: 12.5, PAID: true, RATIO: 0.25, NOTE: 'first', lowerCase: 'kept', DOUBLED: 25 });
    expect((row.PLACED as Date).toISOString()).toBe('2024-01-31T00:00:00.000Z');
    expect((row.PLACED_AT as Date).toISOString()).toBe('2024-01-31T10:20:30.123Z');
  });

  it('values before the epoch and negative decimals keep their exact encoding', async () => {
    const { rows } = await execute(connection, "select cast('1969-12-31' as date) as d, cast(-0.5 as decimal(3,1)) as n, cast('1969-12-31 23:59:59.5' as timestamp) as t");
    const row = rows[0]!;
    expect(row.N).toBe(-0.5);
    expect([(row.D as Date).toISOString(), (row.T as Date).toISOString()]).toEqual(['1969-12-31T00:00:00.000Z', '1969-12-31T23:59:59.500Z']);
  });

  it("Snowflake's context functions answer from the session", async () => {
    const { rows } = await execute(connection, 'select current_version() as v, current_account() as a, current_role() as r, current_warehouse() as w');
    expect(rows).toEqual([{ V: '9.0.0', A: 'TESTACCT', R: 'R', W: 'WH' }]);
  });

  it('NULLs come back as null in every type', async () => {
    const { rows } = await execute(connection, 'select amount, placed, paid, note from orders where id = :1', [2]);
    expect(rows).toEqual([{ AMOUNT: null, PLACED: null, PAID: null, NOTE: null }]);
  });
});

describe('errors', () => {
  let connection: Connection;
  beforeAll(async () => {
    connection = await connect({ username: 'errors', password: 'p' });
  });

  it('an injected SQL error reaches the caller with its Snowflake code, message and SQL state', async () => {
    server.inject({ kind: 'sql-error', code: '100038', message: "Numeric value 'abc' is not recognized", sqlState: '22018' });
    const err = await execute(connection, 'select 1').catch((e: SnowflakeError) => e);
    expect(err).toMatchObject({ code: '100038', sqlState: '22018', message: "Numeric value 'abc' is not recognized" });
    expect(server.statements.at(-1)).toMatchObject({ sqlText: 'select 1', error: { code: '100038' } });
  });

  it("a DuckDB error is answered as Snowflake's: a missing table is 002003 / 42S02", async () => {
    const err = await execute(connection, 'select * from no_such_table').catch((e: SnowflakeError) => e);
    expect(err).toMatchObject({ code: '002003', sqlState: '42S02' });
    expect(String((err as SnowflakeError).message)).toContain("Object 'NO_SUCH_TABLE' does not exist");
  });
});

describe('transient failures are retried by the driver', () => {
  let connection: Connection;
  beforeAll(async () => {
    connection = await connect({ username: 'retry', password: 'p' });
  });

  const attemptsOf = (requestId: string | undefined) =>
    server.requests.filter((r) => r.path === '/queries/v1/query-request' && r.params.requestId === requestId);

  it('two HTTP 503s, then the answer: three attempts with one requestId, the statement run once', async () => {
    server.inject({ kind: 'http-status', status: 503 }, 2);
    const { rows } = await execute(connection, 'select 42 as answer');
    expect(rows).toEqual([{ ANSWER: 42 }]);
    const run = server.statements.filter((s) => s.sqlText === 'select 42 as answer');
    expect(run).toHaveLength(1);
    const attempts = attemptsOf(run[0]!.requestId);
    expect(attempts.map((a) => a.injected)).toEqual(['http-status', 'http-status', undefined]);
    expect(attempts.map((a) => a.params.retryCount)).toEqual([undefined, '1', '2']);
  });

  it('a dropped connection is retried and answered', async () => {
    server.inject({ kind: 'drop-connection' });
    const { rows } = await execute(connection, 'select 7 as seven');
    expect(rows).toEqual([{ SEVEN: 7 }]);
    const run = server.statements.find((s) => s.sqlText === 'select 7 as seven');
    expect(attemptsOf(run?.requestId).map((a) => a.injected)).toEqual(['drop-connection', undefined]);
  });
});

describe('query tag', () => {
  const tagsOf = (marker: string) => {
    const session = server.statements.find((s) => s.sqlText.includes(marker))!.sessionId;
    return server.statements.filter((s) => s.sessionId === session).map((s) => s.queryTag);
  };

  it('the queryTag connection option, then ALTER SESSION SET QUERY_TAG, is recorded on every statement', async () => {
    const connection = await connect({ username: 'tagged', password: 'p', queryTag: 'charter:run-1' });
    expect(lastLogin().sessionParameters.QUERY_TAG).toBe('charter:run-1');
    await execute(connection, 'select 1 as tag_one');
    await execute(connection, `ALTER SESSION SET QUERY_TAG = '{"run":"r-2","model":"orders"}'`);
    await execute(connection, 'select 2 as two');
    await execute(connection, 'ALTER SESSION UNSET QUERY_TAG');
    await execute(connection, 'select 3 as three');
    expect(tagsOf('tag_one')).toEqual(['charter:run-1', 'charter:run-1', '{"run":"r-2","model":"orders"}', '{"run":"r-2","model":"orders"}', undefined]);
  });

  it('a statement parameter QUERY_TAG tags that statement only', async () => {
    const connection = await connect({ username: 'stmt-tags', password: 'p' });
    await execute(connection, 'select 1 as tag_two', [], { QUERY_TAG: '{"model":"a"}' });
    await execute(connection, 'select 2 as two', [], { QUERY_TAG: '{"model":"b"}' });
    await execute(connection, 'select 3 as three');
    expect(tagsOf('tag_two')).toEqual(['{"model":"a"}', '{"model":"b"}', undefined]);
  });

  it('driver quirk: with the queryTag connection option set, the driver overwrites a statement QUERY_TAG', async () => {
    const connection = await connect({ username: 'both-tags', password: 'p', queryTag: 'from-connection' });
    await execute(connection, 'select 1 as tag_three', [], { QUERY_TAG: 'from-statement' });
    expect(server.statements.at(-1)).toMatchObject({ queryTag: 'from-connection', parameters: { QUERY_TAG: 'from-connection' } });
  });
});

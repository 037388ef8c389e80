// charter's Snowflake adapter on the real snowflake-sdk against the loopback server: each auth method through the
// resolved settings, the query tag on every statement, SQL errors mapped (never retried), transient failures
// retried exactly as the target configures, seeds as batched array binds, and no secret in what charter records.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { positional } from '../../src/adapters/adapter.js';
import { readCsvTyped } from '../../src/adapters/duckdb/read-csv.js';
import { SnowflakeAdapter } from '../../src/adapters/snowflake/adapter.js';
import { resolveConnectionSettings, type RetryPolicy } from '../../src/adapters/snowflake/connection-settings.js';
import { UserError } from '../../src/diagnostics/diagnostic.js';
import { StatementLog, StatementRunner } from '../../src/execute/statement-runner.js';
import type { SnowflakeTargetConfig } from '../../src/load/project-schema.js';
import { DRIVER_ATTEMPTS, fastDriverBackoff } from './driver-backoff.js';
import { startLoopbackServer, type LoopbackServer } from './loopback-server.js';

const { privateKey, publicKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});
const dir = mkdtempSync(path.join(tmpdir(), 'charter-sf-adapter-'));
const keyFile = path.join(dir, 'deploy.p8');
writeFileSync(keyFile, privateKey);

let server: LoopbackServer;
let restoreBackoff: () => void;
const adapters: SnowflakeAdapter[] = [];

beforeAll(async () => {
  restoreBackoff = fastDriverBackoff();
  server = await startLoopbackServer({ passwords: { DEPLOY: 'right-password' }, publicKeys: { KEYUSER: publicKey } });
});
afterAll(async () => {
  await Promise.all(adapters.map((a) => a.close()));
  await server?.close();
  restoreBackoff?.();
});

const FAST: SnowflakeTargetConfig['retries'] = { max: 2, initial_delay_ms: 1, max_delay_ms: 4 };

function adapterFor(extra: Partial<SnowflakeTargetConfig>, env: Record<string, string> = {}): SnowflakeAdapter {
  const { port } = new URL(server.url);
  const target: SnowflakeTargetConfig = { engine: 'snowflake', account: 'testacct', database: 'ADAPTER_DB', warehouse: 'WH', host: '127.0.0.1', port: Number(port), protocol: 'http', retries: FAST, ...extra };
  const settings = resolveConnectionSettings('loopback', target, { env, home: dir, platform: 'linux' });
  const adapter = new SnowflakeAdapter({ settings, tag: { charter: '9.9.9', run: 'run-42', command: 'build', target: 'loopback' }, readCsv: readCsvTyped });
  adapters.push(adapter);
  return adapter;
}

async function session(adapter: SnowflakeAdapter, log = new StatementLog()): Promise<StatementRunner> {
  await adapter.open();
  return new StatementRunner(await adapter.openSession(), log);
}

describe('log in with each authenticator, from the resolved settings', () => {
  it('password (from $SNOWFLAKE_PASSWORD), key pair (from the key file), OAuth and programmatic access tokens', async () => {
    await adapterFor({ user: 'deploy' }, { SNOWFLAKE_PASSWORD: 'right-password' }).open();
    expect(server.logins.at(-1)).toMatchObject({ authenticator: 'SNOWFLAKE', user: 'deploy', password: 'right-password', database: 'ADAPTER_DB', warehouse: 'WH', accepted: true });
    await adapterFor({ user: 'keyuser', authenticator: 'snowflake_jwt', private_key_path: keyFile }).open();
    expect(server.logins.at(-1)).toMatchObject({ authenticator: 'SNOWFLAKE_JWT', user: 'keyuser', accepted: true, jwt: { signatureValid: true } });
    await adapterFor({ authenticator: 'oauth', token_env: 'MY_OAUTH' }, { MY_OAUTH: 'oauth-token-1' }).open();
    expect(server.logins.at(-1)).toMatchObject({ authenticator: 'OAUTH', token: 'oauth-token-1', accepted: true });
    await adapterFor({ user: 'svc', authenticator: 'programmatic_access_token' }, { SNOWFLAKE_TOKEN: 'pat-token-1' }).open();
    expect(server.logins.at(-1)).toMatchObject({ authenticator: 'PROGRAMMATIC_ACCESS_TOKEN', token: 'pat-token-1', accepted: true });
  });

  it('a refused login is a clear error naming the user, account and where each setting came from, and no secret', async () => {
    const adapter = adapterFor({ user: 'deploy' }, { SNOWFLAKE_PASSWORD: 'wrong-password-xyz' });
    const err = await adapter.open().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    const [d] = (err as UserError).diagnostics;
    expect(d?.code).toBe('engine.connect');
    expect(d?.message).toMatch(/^cannot log in to Snowflake as user deploy on account testacct \(http:\/\/127\.0\.0\.1:\d+\) with snowflake authentication: Incorrect username or password was specified\. \[Snowflake 390100\]$/);
    expect(d?.detail).toContain('password ($SNOWFLAKE_PASSWORD)');
    expect(JSON.stringify(d)).not.toContain('wrong-password-xyz');
  });
});

describe('the session', () => {
  it('without a warehouse, is refused before any work starts, saying where to set one', async () => {
    const { openEngine } = await import('../../src/execute/engine.js');
    const err = await openEngine(adapterFor({ user: 'deploy', warehouse: undefined }, { SNOWFLAKE_PASSWORD: 'right-password' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).diagnostics.map((d) => [d.message, d.hint])).toEqual([[
      "Snowflake session has no warehouse: charter's statements would fail",
      'set `warehouse:` on the target, in its named connection, or in $SNOWFLAKE_WAREHOUSE, and grant USAGE on it to the role',
    ]]);
  });
});

describe('statements', () => {
  let adapter: SnowflakeAdapter;
  let runner: StatementRunner;
  const log = new StatementLog();
  beforeAll(async () => {
    adapter = adapterFor({ user: 'deploy' }, { SNOWFLAKE_PASSWORD: 'right-password' });
    runner = await session(adapter, log);
  });

  it('every statement carries the JSON query tag: charter version, run, command, target, node and purpose', async () => {
    const before = server.statements.length;
    await runner.run('SELECT 1 AS one', { purpose: 'build', node: 'model.phantom_sec.dim_customer' });
    await runner.run('SELECT 2 AS two', { purpose: 'test' });
    const tags = server.statements.slice(before).map((s) => JSON.parse(s.queryTag ?? 'null') as unknown);
    expect(tags).toEqual([
      { charter: '9.9.9', run: 'run-42', command: 'build', target: 'loopback', node: 'model.phantom_sec.dim_customer', purpose: 'build' },
      { charter: '9.9.9', run: 'run-42', command: 'build', target: 'loopback', purpose: 'test' },
    ]);
    expect(server.statements.every((s) => s.queryTag)).toBe(true);
  });

  it('a SQL error carries Snowflake\'s code, SQL state and query id, and is sent once', async () => {
    const before = server.statements.length;
    const err = (await runner.run('SELECT * FROM NO_SUCH_TABLE_ANYWHERE', { purpose: 'build' }).catch((e: Error) => e)) as Error;
    expect(err.message).toMatch(/Object 'NO_SUCH_TABLE_ANYWHERE' does not exist or not authorized\. \[Snowflake 002003, SQL state 42S02, query id [\w-]+\]$/);
    expect(server.statements.length - before).toBe(1);
    expect(log.records.at(-1)).toMatchObject({ purpose: 'build', error: expect.stringContaining('002003') });
  });

  const attemptsOf = (sql: string) => {
    const requestIds = new Set(server.statements.filter((s) => s.sqlText === sql).map((s) => s.requestId));
    expect(requestIds.size).toBe(1);
    return server.requests.filter((r) => r.path === '/queries/v1/query-request' && requestIds.has(r.params.requestId));
  };

  it('a failure the driver gives up on (16 HTTP 503s in a row) is retried with the same request id, and runs once', async () => {
    server.inject({ kind: 'http-status', status: 503 }, DRIVER_ATTEMPTS);
    const result = await runner.run('SELECT 42 AS answer', { purpose: 'test' });
    expect(positional(result)).toEqual([[42]]);
    expect(server.statements.filter((s) => s.sqlText === 'SELECT 42 AS answer')).toHaveLength(1);
    expect(attemptsOf('SELECT 42 AS answer').map((a) => a.injected ?? 'answered')).toEqual([...Array(DRIVER_ATTEMPTS).fill('http-status'), 'answered']);
  });

  it('gives up after exactly the configured retries, saying so', async () => {
    // max 2 retries: 3 attempts by charter, each of which the driver makes 16 times; the 49th request would succeed.
    server.inject({ kind: 'http-status', status: 503 }, 3 * DRIVER_ATTEMPTS);
    const before = server.requests.length;
    const err = (await runner.run('SELECT 43 AS never', { purpose: 'test' }).catch((e: Error) => e)) as Error;
    expect(err.message).toMatch(/after 2 retries\]$/);
    const attempts = server.requests.slice(before).filter((r) => r.path === '/queries/v1/query-request');
    expect(attempts).toHaveLength(3 * DRIVER_ATTEMPTS);
    expect(new Set(attempts.map((a) => a.params.requestId)).size).toBe(1);
    expect(server.statements.filter((s) => s.sqlText === 'SELECT 43 AS never')).toHaveLength(0);
    // The next statement is unaffected.
    expect(positional(await runner.run('SELECT 44', { purpose: 'test' }))).toEqual([[44]]);
  });

  it('a session Snowflake has dropped (390111) is replaced by a fresh login, and the statement sent again', async () => {
    const logins = server.logins.length;
    server.inject({ kind: 'sql-error', code: '390111', message: 'Session no longer exists.  New login required to access the service.', sqlState: '08001' });
    expect(positional(await runner.run('SELECT 45 AS after_relogin', { purpose: 'test' }))).toEqual([[45]]);
    expect(server.logins.slice(logins)).toEqual([expect.objectContaining({ user: 'deploy', accepted: true })]);
  });

  it('loads a seed as batched array-bind INSERTs, typed like the local target, with no value in the statement log', async () => {
    const csv = path.join(dir, 'plans.csv');
    const rows = Array.from({ length: 70_000 }, (_, i) => `P-${i},${(i % 997) + 0.5},2024-01-${String((i % 28) + 1).padStart(2, '0')}`);
    writeFileSync(csv, `plan_id,price,starts_on\n${rows.join('\n')}\n`);
    const relation = { database: 'ADAPTER_DB', schema: 'BRONZE', identifier: 'PLANS' };
    await runner.run('CREATE SCHEMA IF NOT EXISTS "ADAPTER_DB"."BRONZE"', { purpose: 'schema' });
    const before = server.statements.length;
    await adapter.loadCsv(runner.run, relation, { file: csv, compressed: false, columns: { price: 'NUMBER(10,2)' } }, 'seed.x.plans');
    const sent = server.statements.slice(before);
    expect(sent.map((s) => s.sqlText)).toEqual([
      'CREATE OR REPLACE TABLE "ADAPTER_DB"."BRONZE"."PLANS" ("PLAN_ID" VARCHAR, "PRICE" NUMBER(10,2), "STARTS_ON" DATE)',
      ...Array(3).fill('INSERT INTO "ADAPTER_DB"."BRONZE"."PLANS" ("PLAN_ID", "PRICE", "STARTS_ON") VALUES (?, ?, ?)'),
    ]);
    // 100,000 bound values at most per request: 33,333 rows of three.
    expect(log.records.filter((r) => r.boundRows).map((r) => r.boundRows)).toEqual([33_333, 33_333, 3_334]);
    expect(await adapter.countRows(runner.run, relation)).toBe(70_000);
    expect(positional(await runner.run('SELECT PLAN_ID, PRICE, STARTS_ON FROM "ADAPTER_DB"."BRONZE"."PLANS" WHERE PLAN_ID = \'P-1000\'', { purpose: 'test' }))).toEqual([['P-1000', '3.50', '2024-01-21']]);
    expect(log.toJsonLines()).not.toContain('P-4242');
  });

  it('a seed value that does not fit its declared type is rejected at its line, before anything is sent', async () => {
    const csv = path.join(dir, 'bad.csv');
    writeFileSync(csv, 'id,amount\n1,10\n2,ten\n');
    const before = server.statements.length;
    const err = await adapter.loadCsv(runner.run, { database: 'ADAPTER_DB', schema: 'BRONZE', identifier: 'BAD' }, { file: csv, compressed: false, columns: { amount: 'NUMBER(10,2)' } }).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'CsvRejected', line: 3, column: 'amount', value: 'ten' });
    expect(server.statements.length).toBe(before);
  });

  it('retry delays double from the initial delay up to the cap', async () => {
    const { retryDelayMs } = await import('../../src/adapters/snowflake/failures.js');
    const policy: RetryPolicy = { max: 5, initialDelayMs: 500, maxDelayMs: 3000 };
    expect([0, 1, 2, 3, 4].map((a) => retryDelayMs(policy, a))).toEqual([500, 1000, 2000, 3000, 3000]);
  });
});

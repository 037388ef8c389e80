// The Snowflake adapter, on the real snowflake-sdk against the loopback server, held to the suite every adapter must
// pass (the same body as DuckDB's).
import { afterAll, beforeAll } from 'vitest';
import { readCsvTyped } from '../../src/adapters/duckdb/read-csv.js';
import { SnowflakeAdapter } from '../../src/adapters/snowflake/adapter.js';
import { resolveConnectionSettings } from '../../src/adapters/snowflake/connection-settings.js';
import { startLoopbackServer, type LoopbackServer } from '../snowflake/loopback-server.js';
import { adapterConformance } from './conformance.js';

let server: LoopbackServer;
beforeAll(async () => {
  server = await startLoopbackServer();
});
afterAll(async () => {
  await server?.close();
});

adapterConformance('snowflake (loopback)', {
  database: 'CONFORMANCE',
  create: () => {
    const { port } = new URL(server.url);
    const settings = resolveConnectionSettings(
      'loopback',
      { engine: 'snowflake', account: 'testacct', user: 'conformance', warehouse: 'WH', database: 'CONFORMANCE', host: '127.0.0.1', port: Number(port), protocol: 'http' },
      { env: { SNOWFLAKE_PASSWORD: 'any' }, home: '/nonexistent', platform: 'linux' },
    );
    return new SnowflakeAdapter({ settings, tag: { charter: 'test', run: 'conformance', command: 'test', target: 'loopback' }, readCsv: readCsvTyped });
  },
});

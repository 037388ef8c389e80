// A project pointed at the loopback server: a `loopback` Snowflake target (the default) in a database of its own,
// logging in with a password read from `passwordEnv`, retries off so a refused statement fails at once.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml, stringify } from 'yaml';
import { afterAll, beforeAll } from 'vitest';
import { startLoopbackServer, type LoopbackServer } from './loopback-server.js';

export function targetLoopback(dir: string, server: LoopbackServer, database: string, passwordEnv: string): string {
  const file = path.join(dir, 'project.yml');
  const config = parseYaml(readFileSync(file, 'utf8')) as { targets: Record<string, unknown>; default_target: string };
  const { port } = new URL(server.url);
  config.targets['loopback'] = {
    engine: 'snowflake', account: 'testacct', user: 'DEPLOYER', warehouse: 'WH', database, host: '127.0.0.1', port: Number(port),
    protocol: 'http', password_env: passwordEnv, retries: { max: 0 }, threads: 2,
  };
  config.default_target = 'loopback';
  writeFileSync(file, stringify(config));
  return dir;
}

/**
 * A loopback server for the calling file's tests: started before them, with the target's password variable set
 * (the server takes any password), and closed after. `use` receives it.
 */
export function loopbackForFile(passwordEnv: string, use: (server: LoopbackServer) => void): void {
  let server: LoopbackServer | undefined;
  beforeAll(async () => {
    server = await startLoopbackServer();
    use(server);
    process.env[passwordEnv] = 'any';
  });
  afterAll(async () => {
    delete process.env[passwordEnv];
    await server?.close();
  });
}

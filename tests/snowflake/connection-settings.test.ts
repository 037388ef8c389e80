// Where a Snowflake target's connection comes from: project.yml, a named connection of connections.toml (or
// config.toml), SNOWFLAKE_CONNECTIONS_<NAME>_* and SNOWFLAKE_* variables, in the documented order; problems all at
// once; secrets that never print.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { resolveConnectionSettings, Secret, snowflakeHome, type SettingsEnvironment } from '../../src/adapters/snowflake/connection-settings.js';
import { UserError } from '../../src/diagnostics/diagnostic.js';
import type { SnowflakeTargetConfig } from '../../src/load/project-schema.js';

function home(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'charter-sf-home-'));
  mkdirSync(path.join(dir, '.snowflake'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, '.snowflake', name), text);
  return dir;
}

const environment = (dir: string, env: Record<string, string> = {}): SettingsEnvironment => ({ env, home: dir, platform: 'linux' });
const target = (extra: Partial<SnowflakeTargetConfig> = {}): SnowflakeTargetConfig => ({ engine: 'snowflake', database: 'PHANTOM_SEC', ...extra });

function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof UserError) return e.diagnostics.map((d) => d.message);
    throw e;
  }
  return [];
}

describe('connection settings', () => {
  const toml = `
[phantom_prod]
account = "phantomsec-prod"
user = "DEPLOY_FROM_TOML"
role = "TOML_ROLE"
password = "toml-password"
database = "IGNORED_DB"
`;

  it('a named connection overrides the target, SNOWFLAKE_CONNECTIONS_<NAME>_* overrides the connection, SNOWFLAKE_* fills gaps', () => {
    const dir = home({ 'connections.toml': toml });
    const settings = resolveConnectionSettings('prod', target({ connection: 'phantom_prod', account: 'from-target', user: 'TARGET_USER', warehouse: 'TARGET_WH' }), environment(dir, {
      SNOWFLAKE_CONNECTIONS_PHANTOM_PROD_ROLE: 'ENV_CONNECTION_ROLE',
      SNOWFLAKE_USER: 'GENERIC_USER',
      SNOWFLAKE_WAREHOUSE: 'GENERIC_WH',
      SNOWFLAKE_AUTHENTICATOR: 'snowflake',
    }));
    expect(settings).toMatchObject({ account: 'phantomsec-prod', user: 'DEPLOY_FROM_TOML', role: 'ENV_CONNECTION_ROLE', warehouse: 'TARGET_WH', database: 'PHANTOM_SEC', authenticator: 'SNOWFLAKE' });
    expect(settings.password?.reveal()).toBe('toml-password');
    expect(settings.sources).toMatchObject({
      account: `${path.join(dir, '.snowflake', 'connections.toml')} [phantom_prod]`,
      role: '$SNOWFLAKE_CONNECTIONS_PHANTOM_PROD_ROLE',
      warehouse: 'project.yml target `prod`',
      authenticator: '$SNOWFLAKE_AUTHENTICATOR',
      database: 'project.yml target `prod`',
    });
  });

  it("config.toml's [connections.<name>] and its default_connection_name are read when connections.toml lacks the name", () => {
    const dir = home({ 'config.toml': 'default_connection_name = "ci"\n[connections.ci]\naccount = "acct-ci"\nuser = "CI"\nauthenticator = "programmatic_access_token"\ntoken = "pat-1"\n' });
    const settings = resolveConnectionSettings('prod', target(), environment(dir));
    expect(settings).toMatchObject({ account: 'acct-ci', user: 'CI', authenticator: 'PROGRAMMATIC_ACCESS_TOKEN' });
    expect(settings.token?.reveal()).toBe('pat-1');
    expect(snowflakeHome(environment(dir, { SNOWFLAKE_HOME: '/elsewhere' }))).toBe('/elsewhere');
    // Without ~/.snowflake, the platform's own place: ~/.config/snowflake on Linux.
    const bare = mkdtempSync(path.join(tmpdir(), 'charter-sf-bare-'));
    expect(snowflakeHome(environment(bare))).toBe(path.join(bare, '.config', 'snowflake'));
  });

  it('key pair: the private key is read from its file (~ expanded), the passphrase from the variable the target names', () => {
    const dir = home({});
    writeFileSync(path.join(dir, 'key.p8'), '-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n');
    const settings = resolveConnectionSettings('prod', target({ account: 'a', user: 'U', authenticator: 'snowflake_jwt', private_key_path: '~/key.p8', private_key_passphrase_env: 'KEY_PASS' }), environment(dir, { KEY_PASS: 'secret-pass' }));
    expect(settings.authenticator).toBe('SNOWFLAKE_JWT');
    expect(settings.privateKey?.reveal()).toContain('BEGIN PRIVATE KEY');
    expect(settings.privateKeyPassphrase?.reveal()).toBe('secret-pass');
  });

  it('host, port and protocol make the driver URL (private link, a test server)', () => {
    const settings = resolveConnectionSettings('t', target({ account: 'a', user: 'U', host: '127.0.0.1', port: 8085, protocol: 'http' }), environment(home({}), { SNOWFLAKE_PASSWORD: 'p' }));
    expect(settings.accessUrl).toBe('http://127.0.0.1:8085');
  });

  it('every problem at once, each saying where to set what is missing', () => {
    const dir = home({});
    const found = problems(() => resolveConnectionSettings('prod', target({ connection: 'nope', authenticator: 'snowflake_jwt', private_key_path: '~/missing.p8' }), environment(dir)));
    expect(found).toEqual([
      expect.stringContaining('no connection `nope`'),
      'target `prod` names no Snowflake account',
      'target `prod`: no Snowflake user to log in as',
      expect.stringMatching(/cannot read the private key file .*missing\.p8 .*ENOENT/),
    ]);
    expect(problems(() => resolveConnectionSettings('prod', target({ account: 'a', user: 'U' }), environment(dir)))).toEqual([
      'target `prod`: password authentication, but no password is set',
    ]);
    expect(problems(() => resolveConnectionSettings('prod', target({ account: 'a', authenticator: 'oauth' }), environment(dir)))).toEqual([
      'target `prod`: oauth authentication, but no token is set',
    ]);
  });

  it('a connections.toml that is not TOML is an error at its line', () => {
    const dir = home({ 'connections.toml': '[ok]\naccount = "a"\nuser = \n' });
    let located: unknown;
    try {
      resolveConnectionSettings('prod', target({ connection: 'ok' }), environment(dir));
    } catch (e) {
      located = (e as UserError).diagnostics[0]?.location;
    }
    expect(located).toMatchObject({ file: path.join(dir, '.snowflake', 'connections.toml'), line: 3 });
  });

  it('a secret never prints: not by String(), JSON or inspect', () => {
    const settings = resolveConnectionSettings('t', target({ account: 'a', user: 'U' }), environment(home({}), { SNOWFLAKE_PASSWORD: 'hunter2-secret' }));
    const shown = [String(settings.password), JSON.stringify(settings), inspect(settings, { depth: 5 }), `${settings.password}`].join('\n');
    expect(shown).not.toContain('hunter2-secret');
    expect(new Secret('x').reveal()).toBe('x');
  });
});

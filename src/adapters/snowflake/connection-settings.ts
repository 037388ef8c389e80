// Where a Snowflake connection's settings come from, most specific first (the Snowflake CLI's own order, with the
// project's target between the named connection and the generic variables):
//   1. SNOWFLAKE_CONNECTIONS_<NAME>_<KEY>, for the named connection;
//   2. the named connection in connections.toml (or config.toml's [connections.<name>]);
//   3. the project's target in project.yml;
//   4. the generic SNOWFLAKE_<KEY> variables.
// The connection is named by the target's `connection`, else SNOWFLAKE_DEFAULT_CONNECTION_NAME, else config.toml's
// default_connection_name; with no name, only 3 and 4 apply. The database is the target's alone: compiled SQL names it.
// Pure apart from reading the files it is pointed at; secrets are wrapped so that no print, log or JSON shows them.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { error, UserError, type Diagnostic, type SourceLocation } from '../../diagnostics/diagnostic.js';
import type { SnowflakeTargetConfig } from '../../load/project-schema.js';

/** A secret value: shown as *** by String(), JSON and util.inspect; only `reveal()` gives it up. */
export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return '***';
  }
  toJSON(): string {
    return '***';
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return 'Secret(***)';
  }
}

export type Authenticator = 'SNOWFLAKE' | 'SNOWFLAKE_JWT' | 'OAUTH' | 'PROGRAMMATIC_ACCESS_TOKEN' | 'EXTERNALBROWSER';

export interface RetryPolicy {
  /** Retries after the first attempt. */
  readonly max: number;
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRIES: RetryPolicy = { max: 3, initialDelayMs: 1000, maxDelayMs: 16_000 };

export interface SnowflakeConnectionSettings {
  readonly account: string;
  readonly user?: string;
  readonly role?: string;
  readonly warehouse?: string;
  readonly database: string;
  /** The driver's base URL when not <account>.snowflakecomputing.com. */
  readonly accessUrl?: string;
  readonly authenticator: Authenticator;
  readonly password?: Secret;
  /** PEM text of the private key (read from its file) for SNOWFLAKE_JWT. */
  readonly privateKey?: Secret;
  readonly privateKeyPassphrase?: Secret;
  /** OAuth access token or programmatic access token. */
  readonly token?: Secret;
  readonly retries: RetryPolicy;
  /** Where each setting came from, for `--debug` and error messages (never the value of a secret). */
  readonly sources: Readonly<Record<string, string>>;
}

export interface SettingsEnvironment {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly home: string;
  readonly platform: NodeJS.Platform;
}

export const processEnvironment = (): SettingsEnvironment => ({ env: process.env, home: homedir(), platform: process.platform });

/** The keys a connection may have, as the Snowflake connectors spell them (connections.toml and SNOWFLAKE_*). */
const KEYS = [
  'account', 'user', 'password', 'role', 'warehouse', 'database', 'schema', 'host', 'port', 'protocol', 'authenticator',
  'private_key_file', 'private_key_path', 'private_key_file_pwd', 'private_key_passphrase', 'token', 'token_file_path',
] as const;
type Key = (typeof KEYS)[number];
type Layer = { readonly source: string; readonly values: Partial<Record<Key, string>> };

/** The folder the Snowflake CLI reads its .toml files from. */
export function snowflakeHome({ env, home, platform }: SettingsEnvironment): string {
  if (env['SNOWFLAKE_HOME']) return env['SNOWFLAKE_HOME'];
  const dotted = path.join(home, '.snowflake');
  if (existsSync(dotted)) return dotted;
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'snowflake');
  if (platform === 'win32') return path.join(env['LOCALAPPDATA'] ?? path.join(home, 'AppData', 'Local'), 'snowflake');
  return path.join(env['XDG_CONFIG_HOME'] ?? path.join(home, '.config'), 'snowflake');
}

function readToml(file: string): Record<string, unknown> | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return parseToml(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    const where = e as { line?: number; column?: number; message?: string };
    throw new UserError([
      error('project.invalid', `cannot read ${file}: ${String(where.message ?? e).split('\n')[0]}`, {
        location: { file, line: where.line ?? 1, column: where.column ?? 1 },
        hint: 'connections.toml holds one [name] table per connection, e.g. [phantom_prod] with account = "...", user = "..."',
      }),
    ]);
  }
}

const asStrings = (table: unknown): Partial<Record<Key, string>> => {
  if (!table || typeof table !== 'object') return {};
  const out: Partial<Record<Key, string>> = {};
  for (const [k, v] of Object.entries(table as Record<string, unknown>)) {
    if ((KEYS as readonly string[]).includes(k) && (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')) out[k as Key] = String(v);
  }
  return out;
};

/** The named connection from connections.toml, else config.toml's [connections.<name>]; and the default name. */
function tomlConnections(home: string): { named: (name: string) => Layer | undefined; defaultName?: string } {
  const connectionsFile = path.join(home, 'connections.toml');
  const configFile = path.join(home, 'config.toml');
  const connections = readToml(connectionsFile);
  const config = readToml(configFile);
  const fromConfig = (config?.['connections'] ?? {}) as Record<string, unknown>;
  return {
    named: (name) => {
      if (connections && name in connections) return { source: `${connectionsFile} [${name}]`, values: asStrings(connections[name]) };
      if (name in fromConfig) return { source: `${configFile} [connections.${name}]`, values: asStrings(fromConfig[name]) };
      return undefined;
    },
    defaultName: typeof config?.['default_connection_name'] === 'string' ? config['default_connection_name'] : undefined,
  };
}

function envLayer(env: SettingsEnvironment['env'], prefix: string, source: (key: string) => string): Layer & { sourceOf: Partial<Record<Key, string>> } {
  const values: Partial<Record<Key, string>> = {};
  const sourceOf: Partial<Record<Key, string>> = {};
  for (const key of KEYS) {
    const name = `${prefix}${key.toUpperCase()}`;
    const value = env[name];
    if (value !== undefined && value !== '') {
      values[key] = value;
      sourceOf[key] = source(name);
    }
  }
  return { source: prefix, values, sourceOf };
}

const expandHome = (file: string, home: string): string => (file === '~' || file.startsWith('~/') ? path.join(home, file.slice(1)) : file);

/** Resolves a target's connection settings; every problem at once, each saying where it looked. */
export function resolveConnectionSettings(
  targetName: string,
  target: SnowflakeTargetConfig,
  environment: SettingsEnvironment = processEnvironment(),
  projectFile: SourceLocation = { file: 'project.yml', line: 1, column: 1 },
): SnowflakeConnectionSettings {
  const { env, home } = environment;
  const problems: Diagnostic[] = [];
  const tomlHome = snowflakeHome(environment);
  const toml = tomlConnections(tomlHome);
  const connectionName = target.connection ?? env['SNOWFLAKE_DEFAULT_CONNECTION_NAME'] ?? toml.defaultName;

  const layers: Array<Layer & { sourceOf?: Partial<Record<Key, string>> }> = [];
  if (connectionName) {
    const upper = connectionName.toUpperCase().replace(/[^A-Z0-9]/g, '_');
    layers.push(envLayer(env, `SNOWFLAKE_CONNECTIONS_${upper}_`, (n) => `$${n}`));
    const named = toml.named(connectionName);
    if (named) layers.push(named);
    else if (target.connection) {
      problems.push(error('project.invalid', `target \`${targetName}\`: no connection \`${connectionName}\` in ${path.join(tomlHome, 'connections.toml')} or config.toml`, {
        location: projectFile,
        hint: `add a [${connectionName}] table to ${path.join(tomlHome, 'connections.toml')} (\`snow connection add\` writes one), or remove \`connection:\` from the target`,
      }));
    }
  }
  layers.push({
    source: `project.yml target \`${targetName}\``,
    values: {
      account: target.account, user: target.user, role: target.role, warehouse: target.warehouse, host: target.host,
      port: target.port === undefined ? undefined : String(target.port), protocol: target.protocol, authenticator: target.authenticator,
      private_key_file: target.private_key_path, token_file_path: target.token_file_path,
      ...(target.password_env && env[target.password_env] ? { password: env[target.password_env] } : {}),
      ...(target.private_key_passphrase_env && env[target.private_key_passphrase_env] ? { private_key_file_pwd: env[target.private_key_passphrase_env] } : {}),
      ...(target.token_env && env[target.token_env] ? { token: env[target.token_env] } : {}),
    },
  });
  layers.push(envLayer(env, 'SNOWFLAKE_', (n) => `$${n}`));

  const sources: Record<string, string> = {};
  const pick = (...keys: Key[]): string | undefined => {
    for (const layer of layers) {
      for (const key of keys) {
        const value = layer.values[key];
        if (value !== undefined && value !== '') {
          sources[keys[0]!] = layer.sourceOf?.[key] ?? layer.source;
          return value;
        }
      }
    }
    return undefined;
  };

  const account = pick('account');
  if (!account) {
    problems.push(error('project.invalid', `target \`${targetName}\` names no Snowflake account`, {
      location: projectFile,
      hint: 'set `account:` on the target, in its named connection, or in $SNOWFLAKE_ACCOUNT (e.g. myorg-myaccount)',
    }));
  }
  const authenticatorText = (pick('authenticator') ?? 'snowflake').toUpperCase();
  const known: readonly Authenticator[] = ['SNOWFLAKE', 'SNOWFLAKE_JWT', 'OAUTH', 'PROGRAMMATIC_ACCESS_TOKEN', 'EXTERNALBROWSER'];
  const authenticator = known.find((a) => a === authenticatorText);
  if (!authenticator) {
    problems.push(error('project.invalid', `target \`${targetName}\`: unknown authenticator \`${authenticatorText.toLowerCase()}\` (from ${sources['authenticator']})`, {
      location: projectFile,
      hint: `one of ${known.map((a) => a.toLowerCase()).join(', ')}`,
    }));
  }
  const user = pick('user');
  const password = pick('password');
  const keyFile = pick('private_key_file', 'private_key_path');
  const passphrase = pick('private_key_file_pwd', 'private_key_passphrase');
  let token = pick('token');
  const tokenFile = pick('token_file_path');
  const needsUser = authenticator === 'SNOWFLAKE' || authenticator === 'SNOWFLAKE_JWT';
  if (needsUser && !user) {
    problems.push(error('project.invalid', `target \`${targetName}\`: no Snowflake user to log in as`, { location: projectFile, hint: 'set `user:` on the target, in its named connection, or in $SNOWFLAKE_USER' }));
  }
  if (authenticator === 'SNOWFLAKE' && !password) {
    problems.push(error('project.invalid', `target \`${targetName}\`: password authentication, but no password is set`, {
      location: projectFile,
      hint: `set $SNOWFLAKE_PASSWORD${target.password_env ? ` or $${target.password_env}` : ''}, or put the password in the named connection; never in project.yml`,
    }));
  }
  let privateKey: Secret | undefined;
  if (authenticator === 'SNOWFLAKE_JWT') {
    if (!keyFile) {
      problems.push(error('project.invalid', `target \`${targetName}\`: key-pair authentication (snowflake_jwt) needs a private key file`, {
        location: projectFile, hint: 'set `private_key_path:` on the target, private_key_file in the named connection, or $SNOWFLAKE_PRIVATE_KEY_FILE',
      }));
    } else {
      const file = expandHome(keyFile, home);
      try {
        privateKey = new Secret(readFileSync(file, 'utf8'));
      } catch (e) {
        problems.push(error('project.invalid', `target \`${targetName}\`: cannot read the private key file ${file} (from ${sources['private_key_file']}): ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, {
          location: projectFile, hint: 'the file holds a PEM private key (-----BEGIN PRIVATE KEY----- or ENCRYPTED PRIVATE KEY)',
        }));
      }
    }
  }
  if ((authenticator === 'OAUTH' || authenticator === 'PROGRAMMATIC_ACCESS_TOKEN') && !token) {
    if (tokenFile) {
      try {
        token = readFileSync(expandHome(tokenFile, home), 'utf8').trim();
      } catch (e) {
        problems.push(error('project.invalid', `target \`${targetName}\`: cannot read the token file ${tokenFile}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { location: projectFile }));
      }
    } else {
      problems.push(error('project.invalid', `target \`${targetName}\`: ${authenticator.toLowerCase()} authentication, but no token is set`, {
        location: projectFile, hint: `set $SNOWFLAKE_TOKEN${target.token_env ? ` or $${target.token_env}` : ''}, token_file_path, or the named connection's token`,
      }));
    }
  }
  const role = pick('role');
  const warehouse = pick('warehouse');
  const host = pick('host');
  const port = pick('port');
  const protocol = pick('protocol');
  if (port !== undefined && !/^\d{1,5}$/.test(port)) problems.push(error('project.invalid', `target \`${targetName}\`: port \`${port}\` (from ${sources['port']}) is not a port number`, { location: projectFile }));
  if (problems.length) throw new UserError(problems);

  const retries: RetryPolicy = {
    max: target.retries?.max ?? DEFAULT_RETRIES.max,
    initialDelayMs: target.retries?.initial_delay_ms ?? DEFAULT_RETRIES.initialDelayMs,
    maxDelayMs: target.retries?.max_delay_ms ?? DEFAULT_RETRIES.maxDelayMs,
  };
  sources['database'] = `project.yml target \`${targetName}\``;
  return {
    account: account!,
    ...(user ? { user } : {}),
    ...(role ? { role } : {}),
    ...(warehouse ? { warehouse } : {}),
    database: target.database,
    ...(host ? { accessUrl: `${protocol ?? 'https'}://${host}${port ? `:${port}` : ''}` } : {}),
    authenticator: authenticator!,
    ...(password ? { password: new Secret(password) } : {}),
    ...(privateKey ? { privateKey } : {}),
    ...(passphrase ? { privateKeyPassphrase: new Secret(passphrase) } : {}),
    ...(token ? { token: new Secret(token) } : {}),
    retries,
    sources,
  };
}

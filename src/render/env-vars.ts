// Which environment variables dbt's env_var() may read in a template: only those project.yml allows, and never a secret.
//
// charter compiles unreviewed pull requests with warehouse credentials in the environment, and what a template reads
// can land in compiled SQL, an artifact. So a variable must be listed under `env_vars: {allow: [...]}`, and a name that
// looks like a secret is refused even when listed: its value is never read, so it can reach no artifact or message.
import { error, type Diagnostic } from '../diagnostics/diagnostic.js';

/** Names of credentials: SNOWFLAKE_PASSWORD, DBT_ENV_SECRET_*, *_TOKEN, *PRIVATE_KEY*, and the like. */
const SECRET_NAME = /PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|PRIVATE_KEY|CREDENTIAL|API_KEY|ACCESS_KEY/i;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

export interface AllowedEnvironment {
  /** Allowed, not secret-looking, and set: the only values env_var() can return. */
  readonly values: ReadonlyMap<string, string>;
  /** Allowed names, secret-looking ones left out. */
  readonly allowed: ReadonlySet<string>;
  /** Names project.yml allows that look like secrets: refused outright. */
  readonly refused: readonly string[];
}

/** What env_var() may read, from project.yml's allow list and the process environment (read by the caller). */
export function allowedEnvironment(allow: readonly string[] | undefined, environ: Readonly<Record<string, string | undefined>>): AllowedEnvironment {
  const values = new Map<string, string>();
  const allowed = new Set<string>();
  const refused: string[] = [];
  for (const name of allow ?? []) {
    if (isSecretName(name)) {
      refused.push(name);
      continue;
    }
    allowed.add(name);
    const value = Object.hasOwn(environ, name) ? environ[name] : undefined;
    if (value !== undefined) values.set(name, value);
  }
  return { values, allowed, refused };
}

export const NO_ENVIRONMENT: AllowedEnvironment = { values: new Map(), allowed: new Set(), refused: [] };

/** What env_var(name, fallback) gives: a value, or the problem to report (never with a refused variable's value). */
export function readEnvVar(environment: AllowedEnvironment, name: string, fallback: unknown): { value: unknown } | { problem: Omit<Diagnostic, 'location'> } {
  const secret = isSecretName(name);
  if (secret || !environment.allowed.has(name)) {
    return {
      problem: {
        ...error('env_var.refused', `env_var('${name}') is not allowed${secret ? ': the name looks like a secret, and charter never reads secrets in templates' : ''}`),
        hint: secret
          ? 'credentials belong in the target config (password_env, token_env), which charter reads only to connect'
          : `list it in project.yml under env_vars: {allow: [${name}]}; its value then appears in compiled SQL wherever a template prints it`,
      },
    };
  }
  const value = environment.values.get(name);
  if (value !== undefined) return { value };
  if (fallback !== undefined) return { value: fallback };
  return {
    problem: {
      ...error('env_var.missing', `env_var('${name}') is not set and has no default`),
      hint: `set ${name} in the environment, or give a default: env_var('${name}', '...')`,
    },
  };
}

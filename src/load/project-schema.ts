// The JSON Schema of project.yml; the ProjectConfig type is derived from it, never written twice.
import type { FromSchema } from 'json-schema-to-ts';

const identifier = { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_$]*$' } as const;

const modelDefaults = {
  type: 'object',
  additionalProperties: false,
  properties: {
    materialized: { enum: ['view', 'table', 'incremental', 'ephemeral', 'dynamic_table'] },
    tags: { type: 'array', items: { type: 'string' } },
    schema: identifier,
    enabled: { type: 'boolean' },
    transient: { type: 'boolean', description: 'tables of this folder are TRANSIENT on Snowflake (no fail-safe)' },
  },
} as const;

const duckdbTarget = {
  type: 'object',
  additionalProperties: false,
  required: ['engine'],
  properties: {
    engine: { const: 'duckdb' },
    path: { type: 'string', minLength: 1, description: "database file inside the project directory (relative to it), or ':memory:'" },
    threads: { type: 'integer', minimum: 1, maximum: 64 },
  },
} as const;

const envName = { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$', description: 'name of an environment variable' } as const;

// Connection settings merge with a named connection of the Snowflake CLI's connections.toml and SNOWFLAKE_*
// variables (src/adapters/snowflake/connection-settings.ts has the precedence). Secrets never go in this file:
// only the names of the variables or files that hold them.
const snowflakeTarget = {
  type: 'object',
  additionalProperties: false,
  required: ['engine', 'database'],
  properties: {
    engine: { const: 'snowflake' },
    connection: { type: 'string', minLength: 1, description: 'a named connection in ~/.snowflake/connections.toml' },
    account: { type: 'string' },
    user: { type: 'string' },
    role: { type: 'string' },
    warehouse: { type: 'string' },
    database: identifier,
    host: { type: 'string', description: 'instead of <account>.snowflakecomputing.com (private link, a test server)' },
    port: { type: 'integer', minimum: 1, maximum: 65535 },
    protocol: { enum: ['https', 'http'] },
    authenticator: { enum: ['snowflake', 'snowflake_jwt', 'oauth', 'programmatic_access_token', 'externalbrowser'] },
    password_env: envName,
    private_key_path: { type: 'string', description: 'PEM private key file for snowflake_jwt (~ is the home folder)' },
    private_key_passphrase_env: envName,
    token_env: { ...envName, description: 'environment variable that holds an OAuth token or a programmatic access token' },
    token_file_path: { type: 'string', description: 'file that holds an OAuth token or a programmatic access token' },
    retries: {
      type: 'object',
      additionalProperties: false,
      description: 'retries of a statement that failed for a transient reason (network, HTTP 5xx, expired session)',
      properties: {
        max: { type: 'integer', minimum: 0, maximum: 20 },
        initial_delay_ms: { type: 'integer', minimum: 0 },
        max_delay_ms: { type: 'integer', minimum: 0 },
      },
    },
    threads: { type: 'integer', minimum: 1, maximum: 64 },
  },
} as const;

export const projectSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'charter project.yml',
  type: 'object',
  additionalProperties: false,
  required: ['name', 'version', 'targets'],
  properties: {
    name: { type: 'string', pattern: '^[a-z_][a-z0-9_]*$' },
    version: { type: 'string' },
    default_target: { type: 'string' },
    targets: {
      type: 'object',
      minProperties: 1,
      additionalProperties: {
        type: 'object',
        discriminator: { propertyName: 'engine' },
        required: ['engine'],
        properties: { engine: { enum: ['duckdb', 'snowflake'] } },
        oneOf: [duckdbTarget, snowflakeTarget],
      },
    },
    layers: {
      type: 'object',
      description: 'model folder (layer) to warehouse schema',
      additionalProperties: false,
      properties: {
        bronze: identifier,
        silver: identifier,
        platinum: identifier,
        ops: identifier,
      },
    },
    paths: {
      type: 'object',
      description: 'folders relative to the project directory, which they must stay inside; target must be a folder of its own',
      additionalProperties: false,
      properties: {
        models: { type: 'string' },
        macros: { type: 'string' },
        seeds: { type: 'string' },
        contracts: { type: 'string' },
        tests: { type: 'string' },
        target: { type: 'string' },
      },
    },
    vars: { type: 'object' },
    env_vars: {
      type: 'object',
      additionalProperties: false,
      description: "what a template's env_var() may read: only these; a name that looks like a secret (*PASSWORD*, *SECRET*, *TOKEN*, *PRIVATE_KEY*) is refused even here",
      properties: { allow: { type: 'array', uniqueItems: true, items: envName } },
    },
    evidence: {
      type: 'object',
      additionalProperties: false,
      properties: {
        dir: { type: 'string', description: 'where each run leaves its evidence bundle, relative to the project and inside it (default: <target>/evidence)' },
        public_key: { type: 'string', minLength: 1, description: 'an Ed25519 public key (PEM file, relative to the project) that `charter evidence verify` requires every bundle to be signed by' },
      },
    },
    models: {
      type: 'object',
      description: 'defaults per folder under models/ ("silver", "silver/finance"); the most specific folder wins',
      additionalProperties: modelDefaults,
    },
    seeds: {
      type: 'object',
      additionalProperties: false,
      properties: { schema: identifier, tags: { type: 'array', items: { type: 'string' } } },
    },
    lint: {
      type: 'object',
      additionalProperties: false,
      description: '`charter lint`: a severity per rule (off, info, warn, error; `charter lint --list-rules` names them) and the layer rule',
      properties: {
        rules: { type: 'object', additionalProperties: { enum: ['off', 'warn', 'error', 'info'] } },
        layers: {
          type: 'object',
          additionalProperties: false,
          properties: { no_skip: { type: 'boolean', description: 'a model may ref only its own layer or the one right below it (bronze, silver, platinum)' } },
        },
      },
    },
    format: {
      type: 'object',
      additionalProperties: false,
      description: '`charter format`: sql-formatter settings for models/**/*.sql',
      properties: {
        indent: { type: 'integer', minimum: 1, maximum: 8 },
        keyword_case: { enum: ['preserve', 'upper', 'lower'] },
        function_case: { enum: ['preserve', 'upper', 'lower'] },
        expression_width: { type: 'integer', minimum: 20, maximum: 400 },
      },
    },
    ci: {
      type: 'object',
      additionalProperties: false,
      description: '`charter ci` on a Snowflake target',
      properties: {
        clone: {
          type: 'boolean',
          description:
            'build in a zero-copy clone of the target database (CREATE DATABASE ... CLONE) and only state:modified+, the unmodified parents read ' +
            'from the clone; otherwise (the default) in an empty database, the parents built too',
        },
      },
    },
    governance: {
      type: 'object',
      additionalProperties: false,
      properties: {
        coverage_gate: {
          enum: ['error', 'warn', 'off'],
          description:
            'what `charter build` does with the governance coverage gate before it builds: stop on a gap (error, the default), ' +
            'print the gaps and build (warn), or skip it (off); `charter check governance` runs it in any case',
        },
      },
    },
  },
} as const;

export type ProjectConfig = FromSchema<typeof projectSchema>;
export type ModelDefaults = FromSchema<typeof modelDefaults>;
export type DuckDBTargetConfig = FromSchema<typeof duckdbTarget>;
export type SnowflakeTargetConfig = FromSchema<typeof snowflakeTarget>;
export type TargetConfig = DuckDBTargetConfig | SnowflakeTargetConfig;


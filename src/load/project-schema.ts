// The JSON Schema of project.yml; the ProjectConfig type is derived from it, never written twice.
import type { FromSchema } from 'json-schema-to-ts';

const identifier = { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_$]*$' } as const;

const modelDefaults = {
  type: 'object',
  additionalProperties: false,
  properties: {
    materialized: { enum: ['view', 'table', 'incremental', 'ephemeral'] },
    tags: { type: 'array', items: { type: 'string' } },
    schema: identifier,
    enabled: { type: 'boolean' },
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

const snowflakeTarget = {
  type: 'object',
  additionalProperties: false,
  required: ['engine', 'account', 'database'],
  properties: {
    engine: { const: 'snowflake' },
    account: { type: 'string' },
    user: { type: 'string' },
    role: { type: 'string' },
    warehouse: { type: 'string' },
    database: identifier,
    authenticator: { enum: ['snowflake', 'snowflake_jwt', 'externalbrowser', 'oauth'] },
    password_env: { type: 'string', description: 'environment variable that holds the password' },
    private_key_path: { type: 'string' },
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
  },
} as const;

export type ProjectConfig = FromSchema<typeof projectSchema>;
export type ModelDefaults = FromSchema<typeof modelDefaults>;
export type DuckDBTargetConfig = FromSchema<typeof duckdbTarget>;
export type SnowflakeTargetConfig = FromSchema<typeof snowflakeTarget>;
export type TargetConfig = DuckDBTargetConfig | SnowflakeTargetConfig;


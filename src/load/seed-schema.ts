// JSON Schema of a seed's config file (seeds/<name>.yml): column types and load options.
import type { FromSchema } from 'json-schema-to-ts';

export const seedConfigSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'charter seed config',
  type: 'object',
  additionalProperties: false,
  properties: {
    description: { type: 'string' },
    schema: { type: 'string' },
    delimiter: { type: 'string', minLength: 1, maxLength: 1 },
    tags: { type: 'array', items: { type: 'string' } },
    columns: {
      type: 'object',
      description: 'column name to Snowflake data type, in file order',
      additionalProperties: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_ ]*(\\(\\s*\\d+\\s*(,\\s*\\d+\\s*)?\\))?$' },
    },
  },
} as const;

export type SeedConfig = FromSchema<typeof seedConfigSchema>;

// JSON Schema of the YAML property files beside models (models/**/*.yml): source declarations.
import type { FromSchema } from 'json-schema-to-ts';

const sourceTable = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_$]*$' },
    identifier: { type: 'string', description: 'the table name in the warehouse, when it differs from name' },
    description: { type: 'string' },
  },
} as const;

const source = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'tables'],
  properties: {
    name: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
    database: { type: 'string' },
    schema: { type: 'string' },
    description: { type: 'string' },
    tables: { type: 'array', minItems: 1, items: sourceTable },
  },
} as const;

export const propertiesSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'charter model properties file',
  type: 'object',
  additionalProperties: false,
  properties: {
    sources: { type: 'array', items: source },
  },
} as const;

export type PropertiesFile = FromSchema<typeof propertiesSchema>;

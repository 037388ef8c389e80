// JSON Schema of a unit test file (tests/unit/**/*.yml); the UnitTestFile type is derived from it, never written twice.
import type { FromSchema } from 'json-schema-to-ts';

const row = { type: 'object', description: 'one row: column name to value; a column a row leaves out is NULL' } as const;

const rows = { type: 'array', items: row } as const;

const csv = { type: 'string', minLength: 1, description: 'a CSV file with a header row, relative to this YAML file' } as const;

const givenInput = {
  type: 'object',
  additionalProperties: false,
  required: ['input'],
  properties: {
    input: { type: 'string', description: "ref('model_or_seed') or source('source_name', 'table')" },
    rows,
    csv,
    columns: {
      type: 'object',
      description: 'column name to type (Snowflake or DuckDB spelling); wins over the seed config and over inference',
      additionalProperties: { type: 'string', minLength: 1 },
    },
  },
} as const;

const thisTable = {
  type: 'object',
  additionalProperties: false,
  description: "rows already in an incremental model's table; the test then runs with is_incremental() true",
  properties: { rows, csv },
} as const;

const expectation = {
  type: 'object',
  additionalProperties: false,
  properties: {
    rows,
    csv,
    ordered: { type: 'boolean', description: 'compare row order too (default false: order-insensitive)' },
  },
} as const;

const unitTest = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'model', 'expect'],
  properties: {
    name: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_-]*$' },
    model: { type: 'string', minLength: 1 },
    description: { type: 'string' },
    given: { type: 'array', items: givenInput },
    this: thisTable,
    vars: { type: 'object', description: 'var() overrides for this test; the model is re-rendered with them' },
    expect: expectation,
    expect_table: {
      ...expectation,
      description: "incremental models only: the model's table after charter merges (or appends) the output into `this`",
    },
  },
} as const;

export const unitTestFileSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'charter unit tests',
  type: 'object',
  additionalProperties: false,
  required: ['unit_tests'],
  properties: {
    unit_tests: { type: 'array', items: unitTest },
  },
} as const;

export type UnitTestFile = FromSchema<typeof unitTestFileSchema>;
export type UnitTestSpec = FromSchema<typeof unitTest>;
export type GivenInputSpec = FromSchema<typeof givenInput>;
export type ExpectationSpec = FromSchema<typeof expectation>;

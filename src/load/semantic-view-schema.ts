// JSON Schema of semantic_views/*.yml: one Snowflake semantic view per file, in the shape of the Cortex Analyst
// semantic model YAML (logical tables carrying their dimensions, facts and metrics; derived metrics at the view
// level), with each logical table over a charter model named by `model`.
import type { FromSchema } from 'json-schema-to-ts';

const NAME = '^[A-Za-z_][A-Za-z0-9_$]*$';
const name = { type: 'string', pattern: NAME } as const;
const names = { type: 'array', items: name, minItems: 1 } as const;
const text = { type: 'string' } as const;
const synonyms = { type: 'array', items: { type: 'string', minLength: 1 } } as const;
/** A Snowflake SQL expression over the logical tables' columns, facts, dimensions or metrics. */
const expr = { type: 'string', minLength: 1 } as const;

/** What facts, dimensions and time dimensions all have. */
const memberProperties = {
  name, expr, description: text, synonyms, data_type: text,
  sample_values: { type: 'array', items: { type: 'string' } },
} as const;

const fact = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'expr'],
  properties: {
    ...memberProperties,
    /** PRIVATE in the DDL: usable by other expressions, not by queries. */
    private: { type: 'boolean' },
  },
} as const;

const dimension = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'expr'],
  properties: {
    ...memberProperties,
    /** sample_values is the complete list of values. */
    is_enum: { type: 'boolean' },
  },
} as const;

const timeDimension = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'expr', 'grain'],
  properties: {
    ...memberProperties,
    /** The period one value stands for; the expression should truncate to it. */
    grain: { enum: ['day', 'week', 'month', 'quarter', 'year'] },
  },
} as const;

const metric = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'expr'],
  properties: {
    name, expr, description: text, synonyms, private: { type: 'boolean' },
    /** Semi-additive: aggregate only the last rows by these dimensions (a balance at a point in time). */
    non_additive_by: names,
  },
} as const;

const table = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'model'],
  properties: {
    /** The logical table's alias, used in every expression. */
    name,
    /** The charter model the table reads. */
    model: name,
    description: text,
    synonyms,
    primary_key: names,
    unique_keys: { type: 'array', items: names },
    facts: { type: 'array', items: fact },
    dimensions: { type: 'array', items: dimension },
    time_dimensions: { type: 'array', items: timeDimension },
    metrics: { type: 'array', items: metric },
  },
} as const;

const relationship = {
  type: 'object',
  additionalProperties: false,
  required: ['from', 'columns', 'to'],
  properties: {
    name,
    /** The many side, with its foreign key columns. */
    from: name,
    columns: names,
    /** The one side; `to_columns` defaults to its primary key and must be it or one of its unique keys. */
    to: name,
    to_columns: names,
  },
} as const;

const grant = {
  type: 'object',
  additionalProperties: false,
  required: ['roles'],
  properties: {
    privileges: { type: 'array', items: { enum: ['SELECT', 'REFERENCES'] }, minItems: 1 },
    roles: names,
  },
} as const;

const verifiedQuery = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'question', 'sql'],
  properties: {
    name: { type: 'string', minLength: 1 },
    question: { type: 'string', minLength: 1 },
    /** Snowflake SQL over the logical tables' names. */
    sql: { type: 'string', minLength: 1 },
    /** The answer on the project's data, in words or as a figure. */
    answer: { type: ['string', 'number'] },
    verified_by: text,
    /** Unix seconds. */
    verified_at: { type: 'integer', minimum: 0 },
    onboarding: { type: 'boolean' },
  },
} as const;

export const semanticViewSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'charter semantic view',
  type: 'object',
  additionalProperties: false,
  required: ['name', 'tables'],
  properties: {
    name,
    description: text,
    /** The schema the view is created in; defaults to the platinum layer's. */
    schema: name,
    tables: { type: 'array', items: table, minItems: 1 },
    relationships: { type: 'array', items: relationship },
    /** Derived metrics: scalar expressions over other metrics. */
    metrics: { type: 'array', items: metric },
    grants: { type: 'array', items: grant },
    /** Instructions for Cortex Analyst's SQL generation. */
    ai_sql_generation: text,
    verified_queries: { type: 'array', items: verifiedQuery },
  },
} as const;

export type SemanticViewDefinition = FromSchema<typeof semanticViewSchema>;
export type SemanticTable = SemanticViewDefinition['tables'][number];
export type SemanticRelationship = NonNullable<SemanticViewDefinition['relationships']>[number];
export type SemanticFact = NonNullable<SemanticTable['facts']>[number];
export type SemanticDimension = NonNullable<SemanticTable['dimensions']>[number];
export type SemanticTimeDimension = NonNullable<SemanticTable['time_dimensions']>[number];
export type SemanticMetric = NonNullable<SemanticTable['metrics']>[number];
export type VerifiedQuery = NonNullable<SemanticViewDefinition['verified_queries']>[number];

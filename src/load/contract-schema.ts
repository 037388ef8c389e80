// The JSON Schema of contracts/**/*.yml (one data contract per model or per data product); the Contract type comes from it.
import type { FromSchema } from 'json-schema-to-ts';

// Patterns are named once so the loader can say what a pattern means instead of printing the regex.
const IDENTIFIER = '^[A-Za-z_][A-Za-z0-9_$]*$';
const QUALIFIED_NAME = '^[A-Za-z_][A-Za-z0-9_$]*(\\.[A-Za-z_][A-Za-z0-9_$]*){0,2}$';
const SEMVER = '^\\d+\\.\\d+\\.\\d+(-[0-9A-Za-z.-]+)?(\\+[0-9A-Za-z.-]+)?$';
const DURATION = '^(\\d+(ms|s|m|h|d|w|y))+$';
const DATE = '^\\d{4}-\\d{2}-\\d{2}([ T]\\d{2}:\\d{2}(:\\d{2})?)?$';
const THRESHOLD = '^\\s*(==|=|!=|<>|>=|<=|>|<)\\s*\\d+\\s*$';
const PERCENT = '^\\s*\\d+(\\.\\d+)?\\s*%\\s*$';
const DATA_TYPE = '^[A-Za-z][A-Za-z0-9_ ]*(\\(\\s*\\d+\\s*(,\\s*\\d+\\s*)?\\))?$';
const TEMPLATE_VAR = "^\\{\\{\\s*var\\(\\s*['\"][A-Za-z_][A-Za-z0-9_]*['\"]\\s*\\)\\s*\\}\\}$";
const PRODUCT_CLASSIFICATION =
  '^(public|internal|confidential|restricted|pii|phi|PUBLIC|INTERNAL|CONFIDENTIAL|RESTRICTED|PII|PHI|Public|Internal|Confidential|Restricted|Pii|Phi)(-[A-Za-z0-9_-]+)?$';

/** What each pattern asks for, in words, for "expected ..., found ..." messages. */
export const CONTRACT_PATTERN_MEANINGS: Readonly<Record<string, string>> = {
  [IDENTIFIER]: 'an identifier (letters, digits, _ and $; not starting with a digit)',
  [QUALIFIED_NAME]: 'a name, optionally qualified as SCHEMA.NAME or DATABASE.SCHEMA.NAME',
  [SEMVER]: 'a semantic version like 1.2.0',
  [DURATION]: 'a duration like 10m, 36h, 7d or 5y (units ms, s, m, h, d, w, y)',
  [DATE]: 'a date like 2026-03-31 (optionally with a time, 2026-03-31T12:00)',
  [TEMPLATE_VAR]: "a variable like {{ var('as_of_date') }}",
  [THRESHOLD]: 'a failing-row threshold like ">0", ">=10" or "!=0"',
  [PERCENT]: 'a percentage like "0.1%"',
  [DATA_TYPE]: 'a Snowflake data type like NUMBER(18,2), VARCHAR or TIMESTAMP_NTZ',
  [PRODUCT_CLASSIFICATION]:
    'a classification level (public, internal, confidential, restricted, pii, phi), optionally qualified as in PHI-pseudonymous',
};

/** Snowflake data type names accepted in `data_type`, so a misspelt type is caught before anything is built. */

export const COLUMN_CLASSIFICATIONS = ['public', 'internal', 'confidential', 'pii', 'phi'] as const;

const identifier = { type: 'string', pattern: IDENTIFIER } as const;
const qualifiedName = { type: 'string', pattern: QUALIFIED_NAME } as const;
const duration = { type: 'string', pattern: DURATION } as const;
const date = { type: 'string', pattern: DATE } as const;
const threshold = { type: 'string', pattern: THRESHOLD } as const;
const text = { type: 'string' } as const;
const texts = { type: 'array', items: { type: 'string' } } as const;
const identifiers = { type: 'array', items: identifier } as const;
const severity = { enum: ['error', 'warn'] } as const;
const layerMap = <T extends object>(value: T) =>
  ({
    type: 'object',
    additionalProperties: false,
    properties: { bronze: value, silver: value, platinum: value, ops: value },
  }) as const;

// ---- tests and constraints -------------------------------------------------------------------------

/** Options every test accepts: dbt's severity and failing-row thresholds, plus a row filter. */
const testOptions = {
  name: { ...identifier, description: 'names the test; its id becomes test.<project>.<model>.<name>' },
  description: text,
  severity,
  error_if: { ...threshold, description: 'fail when the failing-row count matches; default "!=0"' },
  warn_if: { ...threshold, description: 'warn when the failing-row count matches; default "!=0"' },
  where: { type: 'string', minLength: 1, description: 'SQL filter: only rows matching it are tested' },
} as const;

const acceptedValuesArgs = {
  values: { type: 'array', minItems: 1, items: { type: ['string', 'number', 'boolean'] } },
  quote: { type: 'boolean', description: 'quote the values as strings (default true)' },
} as const;
const relationshipArgs = {
  to: { ...identifier, description: 'the model (or seed) the column refers to' },
  field: { ...identifier, description: 'the column of that model' },
} as const;
const rangeArgs = {
  min: { type: 'number' },
  max: { type: 'number' },
  inclusive: { type: 'boolean', description: 'min and max themselves are allowed (default true)' },
} as const;

const optionsOnly = { type: 'object', additionalProperties: false, properties: testOptions } as const;
const sqlTest = {
  type: 'object',
  additionalProperties: false,
  required: ['sql'],
  properties: { ...testOptions, sql: { type: 'string', minLength: 1, description: 'SQL boolean that must hold for every row' } },
} as const;

/** Hard constraints on a column: each one is a test with severity error that fails on any failing row. */
const columnConstraints = {
  type: 'object',
  additionalProperties: false,
  properties: {
    not_null: { type: 'boolean' },
    unique: { type: 'boolean' },
    primary_key: { type: 'boolean', description: 'not null and unique' },
    accepted_values: { type: 'object', additionalProperties: false, required: ['values'], properties: acceptedValuesArgs },
    relationships: { type: 'object', additionalProperties: false, required: ['to', 'field'], properties: relationshipArgs },
    range: { type: 'object', additionalProperties: false, properties: rangeArgs },
    expression: { type: 'string', minLength: 1, description: 'SQL boolean that must hold for every row' },
  },
} as const;

/** One column test: a single key naming the kind, as dbt writes them, so a misspelt kind gets a did-you-mean. */
const columnTest = {
  type: 'object',
  minProperties: 1,
  maxProperties: 1,
  additionalProperties: false,
  properties: {
    not_null: optionsOnly,
    unique: optionsOnly,
    primary_key: optionsOnly,
    accepted_values: {
      type: 'object',
      additionalProperties: false,
      required: ['values'],
      properties: { ...testOptions, ...acceptedValuesArgs },
    },
    relationships: {
      type: 'object',
      additionalProperties: false,
      required: ['to', 'field'],
      properties: { ...testOptions, ...relationshipArgs },
    },
    range: { type: 'object', additionalProperties: false, properties: { ...testOptions, ...rangeArgs } },
    expression: sqlTest,
  },
} as const;

const modelTest = {
  type: 'object',
  minProperties: 1,
  maxProperties: 1,
  additionalProperties: false,
  properties: {
    row_count: {
      type: 'object',
      additionalProperties: false,
      properties: { ...testOptions, min: { type: 'integer', minimum: 0 }, max: { type: 'integer', minimum: 0 } },
    },
    unique_combination: {
      type: 'object',
      additionalProperties: false,
      required: ['columns'],
      properties: { ...testOptions, columns: { ...identifiers, minItems: 1 } },
    },
    expression: sqlTest,
  },
} as const;

// ---- service levels --------------------------------------------------------------------------------

const freshnessFields = {
  column: { ...identifier, description: 'the timestamp or date column whose latest value must be recent' },
  max_age: duration,
  as_of: {
    anyOf: [date, { type: 'string', pattern: TEMPLATE_VAR }],
    description: "measure age from this instant instead of now, for reproducible builds; or \"{{ var('as_of_date') }}\"",
  },
  severity,
} as const;
const completenessFields = {
  column: identifier,
  max_null_rate: {
    anyOf: [{ type: 'number', minimum: 0, maximum: 1 }, { type: 'string', pattern: PERCENT }],
    description: 'a fraction (0.001) or a percentage ("0.1%")',
  },
  severity,
} as const;
const driftFields = {
  column: identifier,
  kind: { enum: ['numeric', 'categorical'] },
  bins: { type: 'integer', minimum: 2, maximum: 100, description: 'quantile bins of the baseline (default 10)' },
  warn: { type: 'number', minimum: 0, description: 'PSI above this warns (default 0.1)' },
  fail: { type: 'number', minimum: 0, description: 'PSI above this fails (default 0.25)' },
} as const;

const freshnessObject = { type: 'object', additionalProperties: false, required: ['column', 'max_age'], properties: freshnessFields } as const;
const completenessObject = {
  type: 'object',
  additionalProperties: false,
  required: ['column', 'max_null_rate'],
  properties: completenessFields,
} as const;
const driftObject = { type: 'object', additionalProperties: false, required: ['column'], properties: driftFields } as const;
const volumeObject = {
  type: 'object',
  additionalProperties: false,
  properties: {
    min: { type: 'integer', minimum: 0 },
    max: { type: 'integer', minimum: 0 },
    max_change_pct: { type: 'number', exclusiveMinimum: 0, description: 'largest change of row count against the last run' },
    severity,
  },
} as const;
const sloString = { type: 'string', minLength: 1 } as const;

/** Product- or model-level SLOs: the seed's one-line strings, or structured objects. */
const qualitySlo = {
  type: 'object',
  additionalProperties: false,
  properties: {
    freshness: { anyOf: [sloString, freshnessObject], description: '"<=36h for loaded_at", or {column, max_age, as_of?}' },
    freshness_p95: { ...sloString, description: '"<=10m" or "<=10m for loaded_at"' },
    freshness_p99: sloString,
    completeness: {
      anyOf: [sloString, completenessObject, { type: 'array', items: { anyOf: [sloString, completenessObject] } }],
      description: '"null_rate(total_usd) <= 0.1%", or {column, max_null_rate}',
    },
    volume: volumeObject,
    drift: { anyOf: [driftObject, { type: 'array', items: driftObject }] },
    drift_psi: { anyOf: [sloString, { type: 'array', items: sloString }], description: '"<=0.1 for total_usd"' },
  },
} as const;

/** The same SLOs on one column: the column is implied. */
const columnQualitySlo = {
  type: 'object',
  additionalProperties: false,
  properties: {
    freshness: {
      anyOf: [sloString, { type: 'object', additionalProperties: false, required: ['max_age'], properties: freshnessFields }],
    },
    completeness: {
      anyOf: [
        { ...sloString, description: '"<= 0.1%"' },
        { type: 'object', additionalProperties: false, required: ['max_null_rate'], properties: completenessFields },
      ],
    },
    drift: { type: 'object', additionalProperties: false, properties: driftFields },
  },
} as const;

// ---- columns and models ----------------------------------------------------------------------------

/** A documented exception to the governance gate (charter check governance): why, who accepted it, until when. */
const exemption = {
  type: 'object',
  additionalProperties: false,
  required: ['reason', 'approver'],
  properties: {
    reason: { type: 'string', minLength: 1 },
    approver: { type: 'string', minLength: 1, description: 'who accepted the risk' },
    ticket: { type: 'string', minLength: 1, description: 'where the decision is recorded' },
    expires: { ...date, description: 'the last day it holds; after it the gate fails again' },
  },
} as const;

const column = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: identifier,
    data_type: { type: 'string', pattern: DATA_TYPE, description: 'Snowflake type, e.g. NUMBER(18,2)' },
    description: text,
    classification: { enum: COLUMN_CLASSIFICATIONS },
    masking_policy: qualifiedName,
    projection_policy: { ...qualifiedName, description: 'a column roles may filter and join on but only the allowed roles may select' },
    masking_exemption: {
      ...exemption,
      description: 'why this pii or phi column is not masked, and who accepted it: the governance gate lets it pass until it expires',
    },
    tags: texts,
    constraints: columnConstraints,
    tests: { type: 'array', items: columnTest },
    quality_slo: columnQualitySlo,
  },
} as const;

const columns = { type: 'array', items: column } as const;
const modelTests = { type: 'array', items: modelTest } as const;

/**
 * What a role must see of the model, checked on the local target through the role's view: which columns come back
 * masked, which in clear, and which rows (a predicate over the stored rows, or all / none).
 */
const policyTest = {
  type: 'object',
  additionalProperties: false,
  required: ['role'],
  properties: {
    description: text,
    role: { ...identifier, description: 'the role the model is read as (with every role it inherits)' },
    key: { ...identifier, description: "the column that identifies a row; by default the contract's primary key" },
    masked: { ...identifiers, description: 'columns whose every non-null value the role sees changed' },
    clear: { ...identifiers, description: 'columns the role sees exactly as stored' },
    sees: { type: 'string', minLength: 1, description: '`all`, `none`, or a Snowflake predicate over the stored row: the rows the role sees' },
    severity: { enum: ['error', 'warn'] },
  },
} as const;
const policyTests = { type: 'array', items: policyTest } as const;

/**
 * How long a layer keeps a row: "400d" (rows may be kept that long: declared, and checked once `column` is named),
 * or {keep, column, purge, time_travel, as_of}. `column` ages a row; the check and the purge count whole days.
 */
const retentionFields = {
  keep: { ...duration, description: 'how long a row may be kept, counted from its `column` (whole days)' },
  column: { ...identifier, description: 'the DATE or TIMESTAMP column that ages a row; without it the retention is not checked' },
  purge: { type: 'boolean', description: 'delete the rows older than `keep` after every build of the table (default false)' },
  time_travel: {
    ...duration,
    description: 'Snowflake time travel on the table (DATA_RETENTION_TIME_IN_DAYS), whole days from 0 to 90 (Standard edition: 0 or 1); not how long rows are kept',
  },
  as_of: freshnessFields.as_of,
  severity,
} as const;
const retentionEntry = {
  anyOf: [duration, { type: 'object', additionalProperties: false, required: ['keep'], properties: retentionFields }],
} as const;
/** A model of a product may refine its layer's entry: the fields it gives replace the product's (its own `column`). */
const modelRetentionEntry = {
  anyOf: [duration, { type: 'object', additionalProperties: false, minProperties: 1, properties: retentionFields }],
} as const;
const modelRetentionPolicy = layerMap(modelRetentionEntry);

/** One model of a data product, for contracts that govern several models. */
const governedModel = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: identifier, description: text, columns, tests: modelTests, policy_tests: policyTests, quality_slo: qualitySlo,
    retention_policy: modelRetentionPolicy,
  },
} as const;

// ---- product-level governance (the seed's orders_core example, as written) ---------------------------

const auditEvidenceSetting = { enum: ['enabled', 'disabled', 'required', 'optional'] } as const;

const product = {
  schemas: layerMap(identifier),
  owners: { ...texts, minItems: 1 },
  classification: { type: 'string', pattern: PRODUCT_CLASSIFICATION },
  legal_basis: text,
  retention_policy: layerMap(retentionEntry),
  security_controls: {
    type: 'object',
    additionalProperties: false,
    properties: {
      masking_policy: qualifiedName,
      row_access_policy: qualifiedName,
      row_access_on: { ...identifiers, description: 'columns the row access policy is attached on' },
      row_access_exemption: {
        ...exemption,
        description: 'why a contract holding PHI has no row access policy, and who accepted it: the governance gate lets it pass until it expires',
      },
      network_policy: qualifiedName,
      roles_allowed: identifiers,
    },
  },
  audit_evidence: {
    type: 'array',
    items: {
      type: 'object',
      minProperties: 1,
      maxProperties: 1,
      additionalProperties: false,
      properties: {
        access_history: auditEvidenceSetting,
        query_history: auditEvidenceSetting,
        dbt_tests: auditEvidenceSetting,
        tests: auditEvidenceSetting,
        lineage: auditEvidenceSetting,
        grants: auditEvidenceSetting,
        policies: auditEvidenceSetting,
        change_approval: auditEvidenceSetting,
      },
    },
  },
  interfaces: {
    type: 'object',
    additionalProperties: false,
    properties: { tables: { type: 'array', items: qualifiedName }, views: { type: 'array', items: qualifiedName }, shares: identifiers },
  },
  collectors: {
    type: 'array',
    items: {
      type: 'object',
      additionalProperties: false,
      required: ['name', 'source'],
      properties: {
        name: identifier,
        description: text,
        source: text,
        schema_format: { enum: ['avro', 'json', 'protobuf', 'csv', 'parquet', 'orc'] },
        key: identifier,
        dedupe_keys: identifiers,
        lateness: text,
        dlq: text,
      },
    },
  },
  cost: {
    type: 'object',
    additionalProperties: false,
    properties: {
      monthly_cap_usd: { type: 'number', minimum: 0 },
      warehouse: identifier,
      // Free-form on purpose: cost tags are the organisation's own vocabulary.
      tags: { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean'] } },
    },
  },
  lineage: {
    type: 'object',
    additionalProperties: false,
    properties: { sources: texts, transforms: texts, consumers: texts },
  },
  deprecation: {
    type: 'object',
    additionalProperties: false,
    properties: { replaces: text, replaced_by: text, sunset: date, reason: text },
  },
  approved_changes: {
    type: 'array',
    description: 'breaking changes (charter diff) accepted with a major version bump: each clears the break it names',
    items: {
      type: 'object',
      additionalProperties: false,
      required: ['change', 'approver', 'ticket', 'date'],
      properties: {
        change: { type: 'string', minLength: 1, description: 'the break as charter diff names it: its id (column_removed:orders.email) or its text' },
        approver: { type: 'string', minLength: 1 },
        ticket: { type: 'string', minLength: 1, description: 'where the decision is recorded' },
        date,
      },
    },
  },
} as const;

export const contractSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'charter data contract (contracts/**/*.yml)',
  description:
    'One contract per model (`model` with `columns` and `tests`) or per data product (`models`, a list). ' +
    'Product-level quality_slo applies to `model`, or to the first entry of `models`.',
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: { type: 'string', minLength: 1 },
    version: { type: 'string', pattern: SEMVER },
    status: { enum: ['proposed', 'draft', 'active', 'deprecated', 'retired'] },
    description: text,
    domain: text,
    domain_database: identifier,
    model: { ...identifier, description: 'the model this contract governs' },
    models: { type: 'array', minItems: 1, items: governedModel },
    columns,
    tests: modelTests,
    policy_tests: policyTests,
    quality_slo: qualitySlo,
    ...product,
  },
} as const;

export type Contract = FromSchema<typeof contractSchema>;
export type ContractColumn = FromSchema<typeof column>;
export type ColumnTest = FromSchema<typeof columnTest>;
export type ModelTest = FromSchema<typeof modelTest>;
export type PolicyTest = FromSchema<typeof policyTest>;
export type QualitySlo = FromSchema<typeof qualitySlo>;
export type ColumnQualitySlo = FromSchema<typeof columnQualitySlo>;
/** A retention_policy as a model entry may write it (a product's entry is the same, with `keep` required). */
export type RetentionPolicy = FromSchema<typeof modelRetentionPolicy>;

// JSON Schema of policies/*.yml: the governance a project defines once and its contracts name. Each kind is a
// mapping from name to definition, so a name is written once and YAML refuses it twice in one file.
import type { FromSchema } from 'json-schema-to-ts';

const NAME = '^[A-Za-z_][A-Za-z0-9_$]*$';
const name = { type: 'string', pattern: NAME } as const;
const names = { type: 'array', items: name } as const;
const text = { type: 'string' } as const;
/** A Snowflake data type, as contracts write them. */
const dataType = { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_ ]*(\\(\\s*\\d+\\s*(,\\s*\\d+\\s*)?\\))?$' } as const;
/** Arguments in order: the first is the value a masking policy masks; more make it conditional on other columns. */
const signature = { type: 'object', minProperties: 1, propertyNames: { pattern: NAME }, additionalProperties: dataType } as const;

const role = {
  type: 'object',
  additionalProperties: false,
  properties: {
    description: text,
    /** Roles granted to this one (Snowflake's GRANT ROLE child TO ROLE this): it can do what they can. */
    inherits: names,
  },
} as const;

const tag = {
  type: 'object',
  additionalProperties: false,
  properties: {
    description: text,
    allowed_values: { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 },
    /** Every contract column with one of these classifications carries the tag, its value the classification. */
    classifications: { type: 'array', items: { enum: ['public', 'internal', 'confidential', 'pii', 'phi'] }, minItems: 1 },
    /** Tag-based masking: a column carrying this tag is masked by the policy whose type matches it. */
    masking_policies: names,
  },
} as const;

const maskingPolicy = {
  type: 'object',
  additionalProperties: false,
  required: ['signature', 'body'],
  properties: {
    description: text,
    signature,
    /** Defaults to the first argument's type, which Snowflake requires it to equal. */
    returns: dataType,
    /** A Snowflake SQL expression over the signature's arguments. */
    body: { type: 'string', minLength: 1 },
  },
} as const;

const rowAccessPolicy = {
  type: 'object',
  additionalProperties: false,
  required: ['signature'],
  properties: {
    description: text,
    signature,
    /** A Snowflake boolean expression over the arguments; or `roles`, which charter writes as one. */
    body: { type: 'string', minLength: 1 },
    /** Role to the values of the (one) argument it may see; `'*'` for every row. */
    roles: { type: 'object', propertyNames: { pattern: NAME }, additionalProperties: { oneOf: [{ const: '*' }, { type: 'array', items: { type: 'string' }, minItems: 1 }] } },
  },
} as const;

const projectionPolicy = {
  type: 'object',
  additionalProperties: false,
  required: ['allowed_roles'],
  properties: {
    description: text,
    /** Roles that may select the column; everyone else may only filter and join on it. */
    allowed_roles: names,
    /** What selecting it does for everyone else: FAIL refuses the query (Snowflake's default), NULLIFY returns NULL. */
    enforcement: { enum: ['FAIL', 'NULLIFY'] },
  },
} as const;

const networkPolicy = {
  type: 'object',
  additionalProperties: false,
  properties: {
    description: text,
    allowed_ip_list: { type: 'array', items: { type: 'string' } },
    blocked_ip_list: { type: 'array', items: { type: 'string' } },
    allowed_network_rule_list: names,
  },
} as const;

export const policyFileSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'charter policies file',
  type: 'object',
  additionalProperties: false,
  properties: {
    /** The schema (of the target's database) the policies and tags are created in; GOVERNANCE when absent. */
    schema: name,
    roles: { type: 'object', propertyNames: { pattern: NAME }, additionalProperties: role },
    tags: { type: 'object', propertyNames: { pattern: NAME }, additionalProperties: tag },
    masking_policies: { type: 'object', propertyNames: { pattern: NAME }, additionalProperties: maskingPolicy },
    row_access_policies: { type: 'object', propertyNames: { pattern: NAME }, additionalProperties: rowAccessPolicy },
    projection_policies: { type: 'object', propertyNames: { pattern: NAME }, additionalProperties: projectionPolicy },
    network_policies: { type: 'object', propertyNames: { pattern: NAME }, additionalProperties: networkPolicy },
  },
} as const;

export type PolicyFile = FromSchema<typeof policyFileSchema>;
export type RoleDefinition = FromSchema<typeof role>;
export type TagDefinition = FromSchema<typeof tag>;
export type MaskingPolicyDefinition = FromSchema<typeof maskingPolicy>;
export type RowAccessPolicyDefinition = FromSchema<typeof rowAccessPolicy>;
export type ProjectionPolicyDefinition = FromSchema<typeof projectionPolicy>;
export type NetworkPolicyDefinition = FromSchema<typeof networkPolicy>;

// Snowflake DDL for a project's governance (see ../shared/reference/snowflake-governance.md §1-4). Project level, once
// per run and idempotent: the policies' schema, roles and their hierarchy, tags, masking and row access policies
// (created if missing, then given their current body: never CREATE OR REPLACE, which Snowflake refuses, or worse,
// while a policy is attached), tag-based masking. Per relation, on a relation just built: its time travel (when its
// contract's retention gives one), column tags, masking policies set on columns directly, the row access policy,
// and SELECT grants, in that order, so no role is granted anything before the policies are on; on a live relation,
// then, what its contract no longer names is unset or revoked. A policy deployed with another signature is replaced
// (policy-ddl.ts) where the setup creates it. Network policies are verified, not managed: only a comment says so. Pure.
import type { ProjectPolicies } from '../../load/load-policies.js';
import type { ColumnGovernance, RelationGovernance } from '../../project/governance.js';
import type { Relation } from '../../project/relation.js';
import { quoteLiteral } from '../dialect.js';
import type { GovernanceDdl, GovernedKind, PolicyLocation, PolicyReplacement, PreviousGovernance, SetupStep } from '../governance.js';
import { policyRefs } from '../policy-body.js';
import { snowflakeDialect } from './dialect.js';
import { createPolicy, finishReplacement, replacePolicy, usingClause } from './policy-ddl.js';

const q = (name: string): string => snowflakeDialect.quoteIdentifier(name);
/** A policy or tag: an object of the policies schema. */
const inSchema = (at: PolicyLocation, name: string): string => `${q(at.database)}.${q(at.schema)}.${q(name)}`;
const comment = (description: string | undefined, before = ' '): string => (description ? `${before}COMMENT = ${quoteLiteral(description)}` : '');

/** The keyword ALTER and GRANT name a relation by (a dynamic table is not a TABLE to either). */
const KEYWORD: Readonly<Record<GovernedKind, string>> = { table: 'TABLE', view: 'VIEW', dynamic_table: 'DYNAMIC TABLE' };

function setup(policies: ProjectPolicies, at: PolicyLocation, governed: Iterable<RelationGovernance> = [], replacements: readonly PolicyReplacement[] = []): SetupStep[] {
  const steps: SetupStep[] = [{ sql: `CREATE SCHEMA IF NOT EXISTS ${q(at.database)}.${q(at.schema)}` }];
  // Roles first: grants on relations name them. Then each role's parents (GRANT ROLE child TO ROLE parent is a no-op
  // when already granted).
  for (const role of policies.roles.values()) steps.push({ sql: `CREATE ROLE IF NOT EXISTS ${q(role.name)}${comment(role.definition.description)}` });
  for (const role of policies.roles.values()) {
    for (const child of role.definition.inherits ?? []) steps.push({ sql: `GRANT ROLE ${q(child)} TO ROLE ${q(role.name)}` });
  }
  steps.push(...usage(governed));
  for (const tag of policies.tags.values()) {
    const allowed = tag.definition.allowed_values?.length ? ` ALLOWED_VALUES ${tag.definition.allowed_values.map(quoteLiteral).join(', ')}` : '';
    steps.push({ sql: `CREATE TAG IF NOT EXISTS ${inSchema(at, tag.name)}${allowed}${comment(tag.definition.description)}` });
  }
  // Created once with their signature; the body is set on every run, so an edited body applies without a replace. A
  // policy deployed with another signature is replaced first (policy-ddl.ts); what follows is then a no-op.
  for (const policy of policyRefs(policies)) {
    const replacement = replacements.find((r) => r.kind === policy.kind && r.name === policy.name);
    steps.push(...(replacement?.sql ?? []).map((sql) => ({ sql })), ...createPolicy(policies, at, policy).map((sql) => ({ sql })));
  }
  // FORCE replaces the tag's policy for that data type in one statement (the same policy again: a no-op).
  for (const tag of policies.tags.values()) {
    for (const policy of tag.definition.masking_policies ?? []) {
      steps.push({ sql: `ALTER TAG ${inSchema(at, tag.name)} SET MASKING POLICY ${inSchema(at, policy.split('.').at(-1)!.toUpperCase())} FORCE` });
    }
  }
  // Account-level, owned by security administrators: checking them needs privileges a deploy role rarely has.
  for (const policy of policies.networkPolicies.values()) {
    steps.push({ comment: `network policy ${policy.name} is verified, not managed: charter does not create or change it (SHOW NETWORK POLICIES LIKE ${quoteLiteral(policy.name)})` });
  }
  return steps;
}

/**
 * A role granted SELECT on a relation also needs USAGE on its database and schema: a grant the contract makes must
 * work on its own. The schema may not exist yet on a first deploy, so it is created first (as its models would).
 */
function usage(governed: Iterable<RelationGovernance>): SetupStep[] {
  const databases = new Map<string, Set<string>>();
  const schemas = new Map<string, { database: string; schema: string; roles: Set<string> }>();
  for (const g of governed) {
    const { database, schema } = g.relation;
    for (const role of g.grants) {
      (databases.get(database) ?? databases.set(database, new Set()).get(database)!).add(role);
      const key = `${database}.${schema}`;
      (schemas.get(key) ?? schemas.set(key, { database, schema, roles: new Set() }).get(key)!).roles.add(role);
    }
  }
  const steps: SetupStep[] = [];
  for (const [database, roles] of databases) for (const role of roles) steps.push({ sql: `GRANT USAGE ON DATABASE ${q(database)} TO ROLE ${q(role)}` });
  for (const { database, schema, roles } of schemas.values()) {
    steps.push({ sql: `CREATE SCHEMA IF NOT EXISTS ${q(database)}.${q(schema)}` });
    for (const role of roles) steps.push({ sql: `GRANT USAGE ON SCHEMA ${q(database)}.${q(schema)} TO ROLE ${q(role)}` });
  }
  return steps;
}

/**
 * On a relation just built, nothing is attached yet, so masking needs no UNSET and the row access policy no DROP.
 * FORCE still replaces a masking policy in one statement, should one be there. A column masked through a tag needs
 * only the tag; the tag's policy masks it.
 */
function attach(governance: RelationGovernance, relation: Relation, kind: GovernedKind, at: PolicyLocation): string[] {
  const target = `${KEYWORD[kind]} ${snowflakeDialect.renderRelation(relation)}`;
  const statements: string[] = [];
  // Time travel is the table's own parameter: set on the staged table, it goes with it through the swap.
  if (governance.timeTravelDays !== undefined && kind !== 'view') statements.push(`ALTER ${target} SET DATA_RETENTION_TIME_IN_DAYS = ${governance.timeTravelDays}`);
  for (const column of governance.columns) {
    // One tag a statement: Snowflake takes several, but each is easier to read, log and retry on its own.
    for (const { tag, value } of column.tags) statements.push(`ALTER ${target} MODIFY COLUMN ${q(column.column)} SET TAG ${inSchema(at, tag)} = ${quoteLiteral(value)}`);
  }
  for (const column of governance.columns) {
    const masking = column.masking;
    if (masking && (masking.via === 'column' || masking.via === 'product')) {
      statements.push(`ALTER ${target} MODIFY COLUMN ${q(column.column)} SET MASKING POLICY ${inSchema(at, masking.policy)}${usingClause(q(column.column), (masking.using ?? []).map(q))} FORCE`);
    }
  }
  for (const column of governance.columns) {
    if (column.projection) statements.push(`ALTER ${target} MODIFY COLUMN ${q(column.column)} SET PROJECTION POLICY ${inSchema(at, column.projection)} FORCE`);
  }
  if (governance.rowAccess) {
    statements.push(`ALTER ${target} ADD ROW ACCESS POLICY ${inSchema(at, governance.rowAccess.policy)} ON (${governance.rowAccess.on.map(q).join(', ')})`);
  }
  for (const role of governance.grants) statements.push(`GRANT SELECT ON ${target} TO ROLE ${q(role)}`);
  return statements;
}

/**
 * On a live relation, what it had may differ from what it gets: tags are set again (a tag's value is replaced),
 * masking with FORCE replaces a policy in one statement, and the row access policy is swapped by Snowflake's combined
 * DROP ..., ADD ... form, so the relation is never without one. A masking policy no contract sets any more is unset.
 * Then, once what it now has is on, what the state says it was given and the contract no longer names goes: tags are
 * unset, projection policies unset, SELECT revoked (a state row written before charter recorded them names none).
 */
function reattach(governance: RelationGovernance, relation: Relation, kind: GovernedKind, at: PolicyLocation, previous: PreviousGovernance): string[] {
  const target = `${KEYWORD[kind]} ${snowflakeDialect.renderRelation(relation)}`;
  const statements = attach({ ...governance, rowAccess: undefined }, relation, kind, at).filter((sql) => !sql.startsWith('GRANT '));
  // A column now masked through a tag, or not at all, keeps no policy of its own.
  const direct = new Set(governance.columns.filter((c) => c.masking?.via === 'column' || c.masking?.via === 'product').map((c) => c.column.toUpperCase()));
  for (const column of previous.masked) {
    if (!direct.has(column.toUpperCase())) statements.push(`ALTER ${target} MODIFY COLUMN ${q(column)} UNSET MASKING POLICY`);
  }
  const next = governance.rowAccess;
  const add = next ? `ADD ROW ACCESS POLICY ${inSchema(at, next.policy)} ON (${next.on.map(q).join(', ')})` : undefined;
  const drop = previous.rowAccess ? `DROP ROW ACCESS POLICY ${inSchema(at, previous.rowAccess)}` : undefined;
  const rowAccess = [drop, add].filter(Boolean).join(', ');
  if (rowAccess) statements.push(`ALTER ${target} ${rowAccess}`);
  for (const role of governance.grants) statements.push(`GRANT SELECT ON ${target} TO ROLE ${q(role)}`);
  return [...statements, ...detach(governance, target, at, previous)];
}

/** What `previous` records on the relation and `governance` no longer names: unset or revoked, each on its own. */
function detach(governance: RelationGovernance, target: string, at: PolicyLocation, previous: PreviousGovernance): string[] {
  const column = (name: string): ColumnGovernance | undefined => governance.columns.find((c) => c.column.toUpperCase() === name.toUpperCase());
  const granted = new Set(governance.grants.map((r) => r.toUpperCase()));
  return [
    ...previous.tags
      .filter(({ column: name, tag }) => !column(name)?.tags.some((t) => t.tag.toUpperCase() === tag.toUpperCase()))
      .map(({ column: name, tag }) => `ALTER ${target} MODIFY COLUMN ${q(name)} UNSET TAG ${inSchema(at, tag)}`),
    ...previous.projected.filter((name) => !column(name)?.projection).map((name) => `ALTER ${target} MODIFY COLUMN ${q(name)} UNSET PROJECTION POLICY`),
    ...previous.grants.filter((role) => !granted.has(role.toUpperCase())).map((role) => `REVOKE SELECT ON ${target} FROM ROLE ${q(role)}`),
  ];
}

export const snowflakeGovernanceDdl: GovernanceDdl = { setup, attach, reattach, replacePolicy, finishReplacement };

// Reading back the loopback server's governance state (loopback-governance.ts) as Snowflake answers it, in its
// columns: INFORMATION_SCHEMA.POLICY_REFERENCES by policy and by relation, TAG_REFERENCES and
// TAG_REFERENCES_ALL_COLUMNS, and SHOW GRANTS ON a relation.
import { storedFamily } from '../../src/project/snowflake-types.js';
import { notFound, type GovernanceState, type PolicyKind, type RelationObject, type TextTable } from './loopback-governance.js';
import { nameKey, type ObjectName } from './loopback-names.js';
import type { GovernanceRead } from './loopback-plan.js';

/** POLICY_REFERENCES' columns, by policy or by relation. */
const REFERENCE_COLUMNS = ['POLICY_DB', 'POLICY_SCHEMA', 'POLICY_NAME', 'POLICY_KIND', 'REF_DATABASE_NAME', 'REF_SCHEMA_NAME', 'REF_ENTITY_NAME', 'REF_ENTITY_DOMAIN',
  'REF_COLUMN_NAME', 'REF_ARG_COLUMN_NAMES', 'TAG_DATABASE', 'TAG_SCHEMA', 'TAG_NAME', 'POLICY_STATUS'];

/**
 * INFORMATION_SCHEMA.POLICY_REFERENCES(POLICY_NAME => ...): a row per column or relation the policy is on, and per
 * column carrying a tag the policy is set on (with the tag's name). A tag no column carries has no row here
 * (unverified: what Snowflake lists for it).
 */
export function policyReferences(gov: GovernanceState, name: ObjectName): TextTable {
  const key = nameKey(name);
  const kind = (['MASKING', 'ROW ACCESS', 'PROJECTION'] as const).find((k) => gov.policies(k).has(key));
  if (!kind) throw notFound('Policy', key);
  const rows: Array<Array<string | null>> = [];
  const [pd, ps, pn] = key.split('.');
  const row = (relation: string, column: string | null, args: readonly string[] | null, tag: string | null): void => {
    const [rd, rs, rn] = relation.split('.');
    const record = gov.records.get(relation);
    const domain = record?.kind === 'VIEW' ? 'VIEW' : record?.dynamic ? 'DYNAMIC_TABLE' : 'TABLE';
    const [td, ts, tn] = tag ? tag.split('.') : [null, null, null];
    rows.push([pd!, ps!, pn!, `${kind.replace(' ', '_')}_POLICY`, rd!, rs!, rn!, domain, column, args && JSON.stringify(args), td ?? null, ts ?? null, tn ?? null, 'ACTIVE']);
  };
  const tagged = [...gov.tags].filter(([, t]) => [...t.masking.values()].includes(key)).map(([tag]) => tag);
  for (const [relation, state] of gov.relations) {
    if (kind === 'MASKING') for (const [column, policy] of state.masking) if (policy === key) row(relation, column, null, null);
    if (kind === 'PROJECTION') for (const [column, policy] of state.projection) if (policy === key) row(relation, column, null, null);
    if (kind === 'ROW ACCESS' && state.rowAccess?.policy === key) row(relation, null, state.rowAccess.on, null);
    for (const [column, tags] of state.tags) for (const tag of tagged) if (tags.has(tag)) row(relation, column, null, tag);
  }
  return { columns: REFERENCE_COLUMNS.map((c) => [c, 'VARCHAR'] as const), rows };
}

/** The rows of a governance table function call (POLICY_REFERENCES, TAG_REFERENCES, TAG_REFERENCES_ALL_COLUMNS). */
export function governanceRead(gov: GovernanceState, call: GovernanceRead, columnTypes?: ReadonlyMap<string, string>): TextTable {
  if (call.fn !== 'POLICY_REFERENCES') return tagReferences(gov, call.relation, call.column, call.fn === 'TAG_REFERENCES_ALL_COLUMNS');
  return 'policy' in call ? policyReferences(gov, call.policy) : entityReferences(gov, call.entity, columnTypes);
}

/**
 * POLICY_REFERENCES(REF_ENTITY_NAME => ..., REF_ENTITY_DOMAIN => ...): a row per policy on the relation, in the same
 * columns as by policy: each column's masking and projection policy, the row access policy, and for each column
 * carrying a tag that has masking policies, the tag's policy for the column's data type (`columnTypes`, upper-case
 * column to Snowflake type; a column of unknown type gets a row per policy), with the tag's name, beside the
 * column's own policy if it has one.
 */
function entityReferences(gov: GovernanceState, relation: ObjectName, columnTypes: ReadonlyMap<string, string> = new Map()): TextTable {
  const key = nameKey(relation);
  const record = gov.records.get(key);
  if (!record) throw notFound('Table', key);
  const state = gov.relations.get(key);
  const domain = record.kind === 'VIEW' ? 'VIEW' : record.dynamic ? 'DYNAMIC_TABLE' : 'TABLE';
  const rows: Array<Array<string | null>> = [];
  const row = (policy: string, kind: PolicyKind, column: string | null, args: readonly string[] | null, tag: string | null): void => {
    const [pd, ps, pn] = policy.split('.');
    const [td, ts, tn] = tag ? tag.split('.') : [null, null, null];
    rows.push([pd!, ps!, pn!, `${kind.replace(' ', '_')}_POLICY`, relation.database, relation.schema, relation.name, domain, column, args && JSON.stringify(args), td ?? null, ts ?? null, tn ?? null, 'ACTIVE']);
  };
  for (const [column, policy] of state?.masking ?? []) row(policy, 'MASKING', column, null, null);
  for (const [column, policy] of state?.projection ?? []) row(policy, 'PROJECTION', column, null, null);
  if (state?.rowAccess) row(state.rowAccess.policy, 'ROW ACCESS', null, state.rowAccess.on, null);
  for (const [column, tags] of state?.tags ?? []) {
    const family = storedFamily(columnTypes.get(column.toUpperCase()));
    for (const tag of tags.keys()) {
      for (const [type, policy] of gov.tags.get(tag)?.masking ?? []) {
        const policyFamily = storedFamily(type);
        if (!family || !policyFamily || family === policyFamily) row(policy, 'MASKING', column, null, tag);
      }
    }
  }
  return { columns: REFERENCE_COLUMNS.map((c) => [c, 'VARCHAR'] as const), rows };
}

/**
 * TAG_REFERENCES('<relation>', 'TABLE') (no rows: the server keeps no relation-level tags), TAG_REFERENCES(
 * '<relation>.<column>', 'COLUMN') and TAG_REFERENCES_ALL_COLUMNS('<relation>', 'TABLE'): a row per tag set on a
 * column, in Snowflake's columns (APPLY_METHOD only in the ALL_COLUMNS form).
 */
function tagReferences(gov: GovernanceState, relation: ObjectName, column: string | undefined, allColumns: boolean): TextTable {
  const key = nameKey(relation);
  if (!gov.records.has(key)) throw notFound('Table', key);
  const rows: Array<Array<string | null>> = [];
  if (allColumns || column !== undefined) {
    for (const [name, tags] of gov.relations.get(key)?.tags ?? []) {
      if (column !== undefined && name !== column) continue;
      for (const [tag, value] of tags) {
        const [td, ts, tn] = tag.split('.');
        rows.push([td!, ts!, tn!, value, 'COLUMN', relation.database, relation.schema, relation.name, 'COLUMN', name, ...(allColumns ? ['MANUAL'] : [])]);
      }
    }
  }
  const columns = ['TAG_DATABASE', 'TAG_SCHEMA', 'TAG_NAME', 'TAG_VALUE', 'LEVEL', 'OBJECT_DATABASE', 'OBJECT_SCHEMA', 'OBJECT_NAME', 'DOMAIN', 'COLUMN_NAME', ...(allColumns ? ['APPLY_METHOD'] : [])];
  return { columns: columns.map((c) => [c, 'VARCHAR'] as const), rows };
}

/**
 * SHOW GRANTS ON <relation>: OWNERSHIP to the role that created it, and SELECT to each role granted it, in SHOW's
 * lower-case columns (created_on as text here).
 */
export function showGrants(gov: GovernanceState, object: RelationObject, relation: ObjectName): TextTable {
  const key = nameKey(relation);
  const record = gov.records.get(key);
  const actual: RelationObject | undefined = record && (record.kind === 'VIEW' ? 'VIEW' : record.dynamic ? 'DYNAMIC TABLE' : 'TABLE');
  if (!record || actual !== object) throw notFound(object === 'VIEW' ? 'View' : 'Table', key);
  const grantedOn = object.replace(' ', '_');
  const rows: Array<Array<string | null>> = [[record.created.toISOString(), 'OWNERSHIP', grantedOn, key, 'ROLE', record.owner, 'true', record.owner]];
  for (const role of [...(gov.relations.get(key)?.grants ?? [])].sort()) rows.push([record.created.toISOString(), 'SELECT', grantedOn, key, 'ROLE', role, 'false', record.owner]);
  const columns = ['created_on', 'privilege', 'granted_on', 'name', 'granted_to', 'grantee_name', 'grant_option', 'granted_by'];
  return { columns: columns.map((c) => [c, 'VARCHAR'] as const), rows };
}

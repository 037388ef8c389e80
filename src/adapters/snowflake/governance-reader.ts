// What governance one relation has in force on Snowflake, read back from the warehouse after a run (see
// ../shared/reference/snowflake-governance.md §1.3, §3, §4 and interop.md §7.3): the policies attached to it
// (INFORMATION_SCHEMA.POLICY_REFERENCES by relation: masking, projection and row access, a column masked through a
// tag listed with the tag's name), the tags on its columns (TAG_REFERENCES_ALL_COLUMNS, inherited ones included) and
// the roles granted SELECT (SHOW GRANTS ON). Three statements, each through the statement runner as 'introspect'.
import type { LiveGovernance } from '../../project/governance.js';
import type { Relation } from '../../project/relation.js';
import { positional, type QueryResult, type RunStatement } from '../adapter.js';
import { quoteLiteral } from '../dialect.js';
import type { GovernedKind } from '../governance.js';
import { snowflakeDialect } from './dialect.js';
import { argColumns } from './policy-reader.js';

/** The keyword SHOW GRANTS names a relation by. */
const KEYWORD: Readonly<Record<GovernedKind, string>> = { table: 'TABLE', view: 'VIEW', dynamic_table: 'DYNAMIC TABLE' };
/** POLICY_REFERENCES' REF_ENTITY_DOMAIN for each (a dynamic table as a table: unverified). */
const DOMAIN: Readonly<Record<GovernedKind, string>> = { table: 'table', view: 'view', dynamic_table: 'table' };

const text = (v: unknown): string | undefined => (v === null || v === undefined || v === '' ? undefined : String(v));
const qualified = (...parts: unknown[]): string => parts.map(String).join('.');

export async function readGovernance(run: RunStatement, relation: Relation, kind: GovernedKind, node?: string): Promise<LiveGovernance> {
  const tag = { purpose: 'introspect' as const, ...(node ? { node } : {}) };
  const name = snowflakeDialect.renderRelation(relation);
  const informationSchema = `${snowflakeDialect.quoteIdentifier(relation.database)}.INFORMATION_SCHEMA`;
  const references = await run(
    `SELECT POLICY_DB, POLICY_SCHEMA, POLICY_NAME, POLICY_KIND, REF_COLUMN_NAME, REF_ARG_COLUMN_NAMES, TAG_NAME FROM TABLE(${informationSchema}.POLICY_REFERENCES(REF_ENTITY_NAME => ${quoteLiteral(name)}, REF_ENTITY_DOMAIN => ${quoteLiteral(DOMAIN[kind])}))`,
    tag,
  );
  const tags = await run(
    `SELECT TAG_DATABASE, TAG_SCHEMA, TAG_NAME, TAG_VALUE, COLUMN_NAME FROM TABLE(${informationSchema}.TAG_REFERENCES_ALL_COLUMNS(${quoteLiteral(name)}, 'table'))`,
    tag,
  );
  const grants = await run(`SHOW GRANTS ON ${KEYWORD[kind]} ${name}`, tag);
  return { relation, ...policiesOf(references), tags: tagsOf(tags), grants: selectGrantees(grants) };
}

/** POLICY_REFERENCES rows as masking, projection and row access; a column's own masking policy wins over a tag's. */
export function policiesOf(result: QueryResult): Pick<LiveGovernance, 'masking' | 'projection' | 'rowAccess'> {
  const masking: Record<string, string> = {};
  const viaTag: Record<string, string> = {};
  const projection: Record<string, string> = {};
  let rowAccess: LiveGovernance['rowAccess'] = null;
  for (const [db, schema, policyName, kind, column, args, tagName] of positional(result)) {
    const policy = qualified(db, schema, policyName);
    const on = text(column);
    switch (String(kind).toUpperCase()) {
      case 'MASKING_POLICY':
        if (!on) break;
        if (text(tagName)) viaTag[on] ??= policy;
        else masking[on] = policy;
        break;
      case 'PROJECTION_POLICY':
        if (on) projection[on] = policy;
        break;
      case 'ROW_ACCESS_POLICY':
        rowAccess = { policy, on: argColumns(text(args)) };
        break;
    }
  }
  return { masking: sorted({ ...viaTag, ...masking }), projection: sorted(projection), rowAccess };
}

/** TAG_REFERENCES_ALL_COLUMNS rows as column to tag to value. */
export function tagsOf(result: QueryResult): LiveGovernance['tags'] {
  const tags: Record<string, Record<string, string>> = {};
  for (const [db, schema, tagName, value, column] of positional(result)) {
    const on = text(column);
    if (on) (tags[on] ??= {})[qualified(db, schema, tagName)] = String(value ?? '');
  }
  return sorted(Object.fromEntries(Object.entries(tags).map(([c, t]) => [c, sorted(t)])));
}

/** SHOW GRANTS ON rows (lower-case columns): the roles holding SELECT. */
export function selectGrantees(result: QueryResult): string[] {
  const column = (name: string): string | undefined => result.columns.find((c) => c.name.toLowerCase() === name)?.name;
  const [privilege, grantedTo, grantee] = [column('privilege'), column('granted_to'), column('grantee_name')];
  if (!privilege || !grantee) return [];
  const roles = result.rows
    .filter((row) => String(row[privilege]).toUpperCase() === 'SELECT' && (!grantedTo || String(row[grantedTo]).toUpperCase() === 'ROLE'))
    .map((row) => String(row[grantee]));
  return [...new Set(roles)].sort();
}

const sorted = <T>(record: Record<string, T>): Record<string, T> => Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

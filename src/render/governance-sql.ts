// Policy bodies as Snowflake SQL expressions over a relation's own columns: what a masking policy returns for a
// column, what a row access policy admits, the roles a role holds through the hierarchy, and the view the local
// target puts under a governed relation's public name. Written once in Snowflake SQL; the local engine translates
// it like any model. Pure.
import type { ProjectPolicies } from '../load/load-policies.js';
import type { MaskingPolicyDefinition, RowAccessPolicyDefinition } from '../load/policy-schema.js';
import { rowAccessBody } from '../adapters/policy-body.js';
import { snowflakeDialect } from '../adapters/snowflake/dialect.js';
import type { RelationGovernance } from '../project/governance.js';

/** Policy bodies are Snowflake SQL: names in them are Snowflake's (upper-cased, quoted). */
const quote = (name: string): string => snowflakeDialect.quoteIdentifier(name);

/**
 * `body` with each argument name replaced by the SQL for its value, outside string literals and quoted names. A
 * policy body names its arguments as plain identifiers (`val`, `segment`), as Snowflake binds them.
 */
export function bindArguments(body: string, values: Readonly<Record<string, string>>): string {
  const names = Object.keys(values);
  if (!names.length) return body;
  const pattern = new RegExp(`'(?:[^']|'')*'|"(?:[^"]|"")*"|\\b(${names.map((n) => n.replace(/[$]/g, '\\$')).join('|')})\\b`, 'gi');
  const byLower = new Map(Object.entries(values).map(([k, v]) => [k.toLowerCase(), v]));
  return body.replace(pattern, (match: string, name: string | undefined) => (name ? `(${byLower.get(name.toLowerCase())})` : match));
}

/** What a masking policy returns for a column (and, for a conditional policy, the other columns it reads). */
export function maskingExpression(policy: MaskingPolicyDefinition, column: string, using: readonly string[] = []): string {
  const args = Object.keys(policy.signature);
  const values: Record<string, string> = { [args[0]!]: quote(column) };
  args.slice(1).forEach((arg, i) => {
    values[arg] = quote(using[i] ?? arg);
  });
  return bindArguments(policy.body.trim(), values);
}

/** The row access expression over a relation's columns (`on` binds them to the policy's arguments in order). */
export function rowAccessExpression(policy: RowAccessPolicyDefinition, on: readonly string[]): string {
  const values = Object.fromEntries(Object.keys(policy.signature).map((arg, i) => [arg, quote(on[i] ?? arg)]));
  return bindArguments(rowAccessBody(policy), values);
}

/** A role and every role it inherits, transitively (Snowflake's role hierarchy), upper-cased. */
export function rolesHeldBy(role: string, policies: ProjectPolicies): string[] {
  const held = new Set<string>();
  const visit = (r: string): void => {
    const name = r.toUpperCase();
    if (held.has(name)) return;
    held.add(name);
    for (const parent of policies.roles.get(name)?.definition.inherits ?? []) visit(parent);
  };
  visit(role);
  return [...held];
}

/**
 * The local target's public view of a governed relation, in Snowflake SQL: each masked column through its policy
 * and the rows its row access policy admits, for the role in session. A session charter runs builds and tests in
 * says CHARTER_UNRESTRICTED() (the deploying role, as on Snowflake where it reads what it builds): it reads every
 * row and value as stored. Anyone else opening the database reads it masked.
 */
export function protectedViewSql(governance: RelationGovernance, policies: ProjectPolicies, physical: string, columns: readonly string[]): string {
  const masked = new Map(governance.columns.filter((c) => c.masking).map((c) => [c.column.toUpperCase(), c.masking!.policy]));
  const select = columns.map((c) => {
    const policy = masked.get(c.toUpperCase());
    const definition = policy ? policies.maskingPolicies.get(policy)?.definition : undefined;
    // The view's column keeps the physical column's name exactly (the engine's case), as a table's would.
    const exact = `"${c.replace(/"/g, '""')}"`;
    return definition ? `CASE WHEN CHARTER_UNRESTRICTED() THEN ${exact} ELSE ${maskingExpression(definition, c)} END AS ${exact}` : exact;
  });
  const rowAccess = governance.rowAccess ? policies.rowAccessPolicies.get(governance.rowAccess.policy)?.definition : undefined;
  const where = rowAccess ? `\nWHERE CHARTER_UNRESTRICTED() OR (${rowAccessExpression(rowAccess, governance.rowAccess!.on)})` : '';
  return `SELECT\n  ${select.join(',\n  ')}\nFROM ${physical}${where}`;
}

/** Whether the local target must protect a relation: a masked column or a row access policy. */
export const needsProtection = (governance: RelationGovernance | undefined): governance is RelationGovernance =>
  Boolean(governance && (governance.rowAccess || governance.columns.some((c) => c.masking)));

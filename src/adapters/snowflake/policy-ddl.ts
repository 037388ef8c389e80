// Snowflake DDL of one policy object (see ../shared/reference/snowflake-governance.md §1.3, §2): created if missing
// and given its body, which the project setup runs for every policy; and, when the warehouse has it with another
// signature, replaced without a window. Pure.
//
// Snowflake cannot change a policy's signature (ALTER has no clause for it), refuses to drop or replace a policy
// while anything is attached to it, and a column between UNSET and SET reads in clear. So the new definition is
// created under a temporary name, each attachment is moved to it by one statement that swaps one policy for the
// other (FORCE on a column or a tag; DROP ..., ADD ... on a relation's row access policy), the old policy, attached
// to nothing now, is dropped, and the new one takes its name: attachments belong to the policy object and follow
// the rename. At every statement, whatever had the old policy has the old or the new one.
import type { ProjectPolicies } from '../../load/load-policies.js';
import type { RelationGovernance } from '../../project/governance.js';
import type { Relation } from '../../project/relation.js';
import { storedFamily } from '../../project/snowflake-types.js';
import { quoteLiteral, quoteWith } from '../dialect.js';
import {
  successorOf, type GovernedKind, type PolicyAttachment, type PolicyKind, type PolicyLocation, type PolicyRef, type PolicySignature,
} from '../governance.js';
import { definedSignature, maskingReturns, projectionBody, rowAccessBody } from '../policy-body.js';
import { snowflakeDialect } from './dialect.js';

const q = (name: string): string => snowflakeDialect.quoteIdentifier(name);
const inSchema = (at: PolicyLocation, name: string): string => `${q(at.database)}.${q(at.schema)}.${q(name)}`;
/** A name the warehouse reported: quoted exactly as stored. */
const stored = (r: Relation): string => [r.database, r.schema, r.identifier].map(quoteWith).join('.');
const comment = (description: string | undefined): string => (description ? `\nCOMMENT = ${quoteLiteral(description)}` : '');

export const POLICY_KEYWORD: Readonly<Record<PolicyKind, string>> = { masking: 'MASKING POLICY', row_access: 'ROW ACCESS POLICY', projection: 'PROJECTION POLICY' };
/** The keyword ALTER names a relation by (a dynamic table is not a TABLE to it). */
const OBJECT: Readonly<Record<GovernedKind, string>> = { table: 'TABLE', view: 'VIEW', dynamic_table: 'DYNAMIC TABLE' };

/**
 * The policy created with its signature if it does not exist, then given its current body: an edited body applies in
 * place, and the whole runs again on every build. `as`: another name to create it under (a replacement's).
 */
export function createPolicy(policies: ProjectPolicies, at: PolicyLocation, policy: PolicyRef, as = policy.name): string[] {
  const name = inSchema(at, as);
  const keyword = POLICY_KEYWORD[policy.kind];
  const create = (signature: string, returns: string, body: string, description: string | undefined): string[] => [
    `CREATE ${keyword} IF NOT EXISTS ${name} AS (${signature}) RETURNS ${returns} ->\n${body}${comment(description)}`,
    `ALTER ${keyword} ${name} SET BODY ->\n${body}`,
  ];
  const args = (signature: Readonly<Record<string, string>>): string => Object.entries(signature).map(([arg, type]) => `${q(arg)} ${type}`).join(', ');
  // CURRENT_ROLE(), not IS_ROLE_IN_SESSION(): only a session in the deploying role itself, not roles above it.
  const deployer = at.deployRole ? `CURRENT_ROLE() = ${quoteLiteral(at.deployRole.toUpperCase())}` : undefined;
  switch (policy.kind) {
    case 'masking': {
      const definition = policies.maskingPolicies.get(policy.name)?.definition;
      if (!definition) return [];
      const value = q(Object.keys(definition.signature)[0]!);
      const body = deployer ? `CASE WHEN ${deployer} THEN ${value} ELSE (\n${definition.body}\n) END` : definition.body;
      return create(args(definition.signature), maskingReturns(definition), body, definition.description);
    }
    case 'row_access': {
      const definition = policies.rowAccessPolicies.get(policy.name)?.definition;
      if (!definition) return [];
      const body = deployer ? `${deployer} OR (\n${rowAccessBody(definition)}\n)` : rowAccessBody(definition);
      return create(args(definition.signature), 'BOOLEAN', body, definition.description);
    }
    case 'projection': {
      const definition = policies.projectionPolicies.get(policy.name)?.definition;
      if (!definition) return [];
      const body = deployer ? `CASE WHEN ${deployer} THEN PROJECTION_CONSTRAINT(ALLOW => TRUE) ELSE ${projectionBody(definition)} END` : projectionBody(definition);
      return create('', 'PROJECTION_CONSTRAINT', body, definition.description);
    }
  }
}

/**
 * The no-window replacement of `policy`, deployed as `policy.from`, by its definition in the project. A conditional
 * masking policy's extra arguments read the columns named as them (as the local target binds them); a row access
 * policy reads the columns its relation's contract names (`governed`), or, for a relation no contract governs, those
 * it read before, when there are as many as the new signature takes.
 */
export function replacePolicy(
  policies: ProjectPolicies, at: PolicyLocation, policy: PolicyRef & { readonly from: PolicySignature }, attachments: readonly PolicyAttachment[],
  governed: Iterable<RelationGovernance> = [],
): { statements: string[]; unmovable: string[] } {
  const to = definedSignature(policies, policy);
  if (!to) return { statements: [], unmovable: [] };
  const keyword = POLICY_KEYWORD[policy.kind];
  const [old, next] = [inSchema(at, policy.name), inSchema(at, successorOf(policy.name))];
  const contracted = new Map([...governed].map((g) => [relationKey(g.relation), g]));
  const statements = createPolicy(policies, at, policy, successorOf(policy.name));
  const unmovable: string[] = [];
  // A tag holds one masking policy per data type: FORCE swaps it when the type stays; otherwise the old one is unset.
  const retyped = storedFamily(policy.from.args[0]?.type) !== storedFamily(to.args[0]?.type);
  for (const attachment of attachments) {
    switch (attachment.on) {
      case 'column': {
        const target = `ALTER ${OBJECT[attachment.object]} ${stored(attachment.relation)} MODIFY COLUMN ${quoteWith(attachment.column)}`;
        if (policy.kind === 'projection') statements.push(`${target} SET PROJECTION POLICY ${next} FORCE`);
        else statements.push(`${target} SET MASKING POLICY ${next}${usingClause(quoteWith(attachment.column), to.args.slice(1).map((a) => q(a.name)))} FORCE`);
        break;
      }
      case 'relation': {
        const contract = contracted.get(relationKey(attachment.relation))?.rowAccess;
        const on = contract?.policy === policy.name ? contract.on.map(q) : attachment.columns.length === to.args.length ? attachment.columns.map(quoteWith) : undefined;
        if (!on) {
          unmovable.push(`${stored(attachment.relation)} reads ${attachment.columns.join(', ')} with it, and the new signature takes ${to.args.length} column${to.args.length === 1 ? '' : 's'}`);
          break;
        }
        statements.push(`ALTER ${OBJECT[attachment.object]} ${stored(attachment.relation)} DROP ROW ACCESS POLICY ${old}, ADD ROW ACCESS POLICY ${next} ON (${on.join(', ')})`);
        break;
      }
      case 'tag':
        statements.push(`ALTER TAG ${stored(attachment.tag)} SET MASKING POLICY ${next} FORCE`);
        if (retyped) statements.push(`ALTER TAG ${stored(attachment.tag)} UNSET MASKING POLICY ${old}`);
        break;
    }
  }
  statements.push(`DROP ${keyword} ${old}`, `ALTER ${keyword} ${next} RENAME TO ${old}`);
  return { statements, unmovable };
}

/** An apply stopped after dropping the old policy: its successor, attached where it was, takes its name. */
export function finishReplacement(at: PolicyLocation, policy: PolicyRef): string[] {
  const keyword = POLICY_KEYWORD[policy.kind];
  return [`ALTER ${keyword} ${inSchema(at, successorOf(policy.name))} RENAME TO ${inSchema(at, policy.name)}`];
}

/** A conditional masking policy's columns (quoted): the masked one, then those its further arguments read. */
export const usingClause = (column: string, conditions: readonly string[]): string => (conditions.length ? ` USING (${[column, ...conditions].join(', ')})` : '');

const relationKey = (r: Relation): string => [r.database, r.schema, r.identifier].map((p) => p.toUpperCase()).join('.');

// The expressions a policy evaluates, from its definition in policies/*.yml. Bodies are Snowflake SQL, which Snowflake
// runs as written and a local engine runs translated, so this is engine neutral. Pure.
import type { MaskingPolicyDefinition, ProjectionPolicyDefinition, RowAccessPolicyDefinition } from '../load/policy-schema.js';
import { quoteLiteral } from './dialect.js';

/** A masking policy returns the type it masks unless it says otherwise (Snowflake requires the two to match). */
export const maskingReturns = (definition: MaskingPolicyDefinition): string => definition.returns ?? Object.values(definition.signature)[0]!;

/**
 * A row access policy's boolean expression: its `body`, or its `roles` mapping written out, one role a line:
 * `IS_ROLE_IN_SESSION('R')` for a role that sees every row ('*'), `(IS_ROLE_IN_SESSION('R') AND arg IN ('v', ...))`
 * for one that sees some values of the (one) argument. IS_ROLE_IN_SESSION is true for inherited roles too, so a role
 * above R in the hierarchy sees what R sees. No role at all sees nothing.
 */
export function rowAccessBody(definition: RowAccessPolicyDefinition): string {
  if (definition.body) return definition.body;
  const arg = Object.keys(definition.signature)[0]!;
  const terms = Object.entries(definition.roles ?? {}).map(([role, values]) => {
    const inSession = `IS_ROLE_IN_SESSION(${quoteLiteral(role.toUpperCase())})`;
    return values === '*' ? inSession : `(${inSession} AND ${arg} IN (${values.map(quoteLiteral).join(', ')}))`;
  });
  return terms.length ? terms.join('\nOR ') : 'FALSE';
}

/** A projection policy's body: PROJECTION_CONSTRAINT allowing the listed roles (and those above them), no one else. */
export function projectionBody(definition: ProjectionPolicyDefinition): string {
  const allowed = definition.allowed_roles.map((role) => `IS_ROLE_IN_SESSION(${quoteLiteral(role.toUpperCase())})`);
  const deny = `PROJECTION_CONSTRAINT(ALLOW => FALSE, ENFORCEMENT => ${quoteLiteral(definition.enforcement ?? 'FAIL')})`;
  return allowed.length ? `CASE WHEN ${allowed.join(' OR ')} THEN PROJECTION_CONSTRAINT(ALLOW => TRUE)\nELSE ${deny} END` : deny;
}

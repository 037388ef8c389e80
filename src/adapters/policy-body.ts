// The expressions a policy evaluates, and what it takes and returns, from its definition in policies/*.yml. Bodies are
// Snowflake SQL, which Snowflake runs as written and a local engine runs translated, so this is engine neutral. Pure.
import type { ProjectPolicies } from '../load/load-policies.js';
import type { MaskingPolicyDefinition, ProjectionPolicyDefinition, RowAccessPolicyDefinition } from '../load/policy-schema.js';
import { quoteLiteral } from './dialect.js';
import type { PolicyRef, PolicySignature } from './governance.js';

/** A masking policy returns the type it masks unless it says otherwise (Snowflake requires the two to match). */
export const maskingReturns = (definition: MaskingPolicyDefinition): string => definition.returns ?? Object.values(definition.signature)[0]!;

/** The project's policies of the kinds a deploy creates and may replace, in the order the setup creates them. */
export function policyRefs(policies: ProjectPolicies): PolicyRef[] {
  return [
    ...[...policies.maskingPolicies.keys()].map((name): PolicyRef => ({ kind: 'masking', name })),
    ...[...policies.rowAccessPolicies.keys()].map((name): PolicyRef => ({ kind: 'row_access', name })),
    ...[...policies.projectionPolicies.keys()].map((name): PolicyRef => ({ kind: 'projection', name })),
  ];
}

/** What a policy of the project takes and returns; undefined when the project does not define it. */
export function definedSignature(policies: ProjectPolicies, policy: PolicyRef): PolicySignature | undefined {
  const args = (signature: Readonly<Record<string, string>>): PolicySignature['args'] => Object.entries(signature).map(([name, type]) => ({ name, type }));
  switch (policy.kind) {
    case 'masking': {
      const definition = policies.maskingPolicies.get(policy.name)?.definition;
      return definition && { args: args(definition.signature), returns: maskingReturns(definition) };
    }
    case 'row_access': {
      const definition = policies.rowAccessPolicies.get(policy.name)?.definition;
      return definition && { args: args(definition.signature), returns: 'BOOLEAN' };
    }
    case 'projection':
      return policies.projectionPolicies.has(policy.name) ? { args: [], returns: 'PROJECTION_CONSTRAINT' } : undefined;
  }
}

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

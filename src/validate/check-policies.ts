// Every name a contract or a policies file uses for a policy, role or tag must be defined, and fit where it is used:
// a misspelt policy name that silently leaves a column unmasked must be impossible. Pure.
import { error, type Diagnostic, type SourceLocation } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../diagnostics/suggest.js';
import { locate, type LoadedContract, type YamlPath } from '../load/load-contracts.js';
import type { Defined, ProjectPolicies } from '../load/load-policies.js';
import { storedFamily } from '../project/snowflake-types.js';

type Registry = 'roles' | 'tags' | 'maskingPolicies' | 'rowAccessPolicies' | 'projectionPolicies' | 'networkPolicies';

const WHAT: Readonly<Record<Registry, string>> = {
  roles: 'role', tags: 'tag', maskingPolicies: 'masking policy', rowAccessPolicies: 'row access policy',
  projectionPolicies: 'projection policy', networkPolicies: 'network policy',
};

/** Roles a policy body names: IS_ROLE_IN_SESSION('X'), CURRENT_ROLE() = 'X', INVOKER_ROLE() IN ('X', 'Y'). */
export function rolesNamedIn(body: string): string[] {
  const found = new Set<string>();
  for (const m of body.matchAll(/IS_(?:DATABASE_)?ROLE_IN_SESSION\s*\(\s*'([^']+)'\s*\)/gi)) found.add(m[1]!.toUpperCase());
  for (const m of body.matchAll(/(?:CURRENT|INVOKER)_ROLE\s*\(\s*\)\s*(?:=\s*'([^']+)'|IN\s*\(([^)]*)\))/gi)) {
    if (m[1]) found.add(m[1].toUpperCase());
    for (const quoted of (m[2] ?? '').matchAll(/'([^']+)'/g)) found.add(quoted[1]!.toUpperCase());
  }
  return [...found];
}


export function checkPolicies(contracts: readonly LoadedContract[], policies: ProjectPolicies): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];

  /** The definition a reference names, or a located problem with a did-you-mean. */
  function resolve<K extends Registry>(registry: K, reference: string, location: SourceLocation): ProjectPolicies[K] extends ReadonlyMap<string, infer D> ? D | undefined : never {
    const parts = reference.split('.');
    const name = parts.at(-1)!.toUpperCase();
    const schema = parts.length > 1 ? parts.at(-2)!.toUpperCase() : undefined;
    const defined = policies[registry] as ReadonlyMap<string, Defined<unknown>>;
    if (schema && schema !== policies.schema && (registry !== 'roles')) {
      diagnostics.push(error('policy.undefined', `${WHAT[registry]} \`${reference}\` names schema ${schema}, but the project's policies are in ${policies.schema}`, {
        location, hint: `write \`${name}\` or \`${policies.schema}.${name}\``,
      }));
      return undefined as never;
    }
    const found = defined.get(name);
    if (!found) {
      const known = [...defined.keys()];
      diagnostics.push(error('policy.undefined', `${WHAT[registry]} \`${reference}\` is not defined`, {
        location,
        hint: didYouMean(name, known) ??
          (policies.files.length ? `defined ${WHAT[registry]}s: ${known.join(', ') || 'none'} (in ${policies.files.join(', ')})` : `define it in policies/*.yml (see the README's governance section)`),
      }));
    }
    return found as never;
  }

  // ---- the policies files themselves
  for (const role of policies.roles.values()) {
    for (const parent of role.definition.inherits ?? []) resolve('roles', parent, role.location);
  }
  for (const cycle of roleCycles(policies)) {
    diagnostics.push(error('policy.invalid', `roles inherit each other in a cycle: ${cycle.join(' -> ')}`, {
      location: policies.roles.get(cycle[0]!)!.location, hint: 'a role hierarchy is a tree; remove one of the inherits',
    }));
  }
  for (const tag of policies.tags.values()) {
    const byFamily = new Map<string, string>();
    for (const reference of tag.definition.masking_policies ?? []) {
      const policy = resolve('maskingPolicies', reference, tag.location);
      if (!policy) continue;
      const family = storedFamily(Object.values(policy.definition.signature)[0]);
      const other = family ? byFamily.get(family) : undefined;
      if (other) {
        diagnostics.push(error('policy.invalid', `tag \`${tag.name}\` has two masking policies for one data type: ${other} and ${policy.name}`, {
          location: tag.location, hint: 'Snowflake allows one masking policy per data type on a tag',
        }));
      } else if (family) byFamily.set(family, policy.name);
    }
  }
  for (const policy of policies.maskingPolicies.values()) {
    const args = Object.entries(policy.definition.signature);
    const masked = args[0]![1];
    if (policy.definition.returns && storedFamily(policy.definition.returns) !== storedFamily(masked)) {
      diagnostics.push(error('policy.invalid', `masking policy \`${policy.name}\` returns ${policy.definition.returns} but masks ${masked}: Snowflake requires them to match`, {
        location: policy.location,
      }));
    }
    for (const role of rolesNamedIn(policy.definition.body)) resolve('roles', role, policy.location);
  }
  for (const policy of policies.rowAccessPolicies.values()) {
    if (Boolean(policy.definition.body) === Boolean(policy.definition.roles)) {
      diagnostics.push(error('policy.invalid', `row access policy \`${policy.name}\` needs either a body or roles, not ${policy.definition.body ? 'both' : 'neither'}`, {
        location: policy.location, hint: "roles: {ACCOUNT_TEAM: [enterprise], ADMIN: '*'} maps roles to the values they see; body: is a boolean expression",
      }));
    }
    if (policy.definition.body) for (const role of rolesNamedIn(policy.definition.body)) resolve('roles', role, policy.location);
    if (policy.definition.roles) {
      if (Object.keys(policy.definition.signature).length !== 1) {
        diagnostics.push(error('policy.invalid', `row access policy \`${policy.name}\` maps roles to values of one column, but its signature has ${Object.keys(policy.definition.signature).length}`, {
          location: policy.location, hint: 'give it one argument, or write its body as an expression',
        }));
      }
      for (const role of Object.keys(policy.definition.roles)) resolve('roles', role, policy.location);
    }
  }
  for (const policy of policies.projectionPolicies.values()) {
    for (const role of policy.definition.allowed_roles) resolve('roles', role, policy.location);
  }

  // ---- what contracts name
  for (const contract of contracts) {
    const at = (path: YamlPath, key?: string): SourceLocation => locate(contract, path, key);
    const controls = contract.contract.security_controls;
    if (controls?.masking_policy) resolve('maskingPolicies', controls.masking_policy, at(['security_controls', 'masking_policy']));
    if (controls?.network_policy) resolve('networkPolicies', controls.network_policy, at(['security_controls', 'network_policy']));
    (controls?.roles_allowed ?? []).forEach((role, i) => resolve('roles', role, at(['security_controls', 'roles_allowed', i])));
    if (controls?.row_access_policy) {
      const policy = resolve('rowAccessPolicies', controls.row_access_policy, at(['security_controls', 'row_access_policy']));
      const on = controls.row_access_on ?? [];
      const expected = policy ? Object.keys(policy.definition.signature).length : undefined;
      if (policy && on.length !== expected) {
        diagnostics.push(error('policy.invalid', `row access policy \`${policy.name}\` takes ${expected} column${expected === 1 ? '' : 's'} (${Object.keys(policy.definition.signature).join(', ')}), and row_access_on names ${on.length}`, {
          location: at(['security_controls', on.length ? 'row_access_on' : 'row_access_policy']),
          hint: on.length ? undefined : 'name the columns it filters on: row_access_on: [segment]',
        }));
      }
      for (const governed of contract.models) {
        const columns = new Set(governed.columns.map((c) => c.name.toLowerCase()));
        on.forEach((column, i) => {
          if (governed.columns.length && !columns.has(column.toLowerCase())) {
            diagnostics.push(error('policy.invalid', `row_access_on names \`${column}\`, which model ${governed.name} does not have`, {
              location: at(['security_controls', 'row_access_on', i]), hint: didYouMean(column, governed.columns.map((c) => c.name)),
            }));
          }
        });
      }
    }
    for (const governed of contract.models) {
      governed.columns.forEach((column, i) => {
        if (column.projection_policy) resolve('projectionPolicies', column.projection_policy, at([...governed.base, 'columns', i, 'projection_policy']));
      });
      governed.columns.forEach((column, i) => {
        if (!column.masking_policy) return;
        const path = [...governed.base, 'columns', i, 'masking_policy'];
        const policy = resolve('maskingPolicies', column.masking_policy, at(path));
        const masked = policy ? Object.values(policy.definition.signature)[0] : undefined;
        const [want, have] = [storedFamily(masked), storedFamily(column.data_type)];
        if (policy && want && have && want !== have) {
          diagnostics.push(error('policy.invalid', `masking policy \`${policy.name}\` masks ${masked}, but column \`${column.name}\` is ${column.data_type}`, {
            location: at(path), hint: 'Snowflake refuses to attach a policy whose first argument type differs from the column\'s; define one for this type',
          }));
        }
      });
    }
  }
  return diagnostics;
}

/** Each cycle in the role hierarchy once, as the names along it, first repeated at the end. */
function roleCycles(policies: ProjectPolicies): string[][] {
  const cycles: string[][] = [];
  const done = new Set<string>();
  const visit = (role: string, path: string[]): void => {
    if (path.includes(role)) {
      const cycle = path.slice(path.indexOf(role));
      if (!cycles.some((c) => c.length === cycle.length + 1 && cycle.every((r) => c.includes(r)))) cycles.push([...cycle, role]);
      return;
    }
    if (done.has(role)) return;
    for (const parent of policies.roles.get(role)?.definition.inherits ?? []) visit(parent.toUpperCase(), [...path, role]);
    done.add(role);
  };
  for (const role of policies.roles.keys()) visit(role, []);
  return cycles;
}

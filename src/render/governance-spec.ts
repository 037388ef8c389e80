// What governance each governed relation carries, resolved from its contract and the project's policies, engine
// neutral: the masking policy of every column (set on the column, or through a tag the column carries), the tags
// and their values, the row access policy and the columns it reads, the projection policies, and the roles granted
// SELECT. The Snowflake renderer turns it into DDL; the local target into masking views. Pure.
import type { ProjectPolicies } from '../load/load-policies.js';
import type { ContractBindings } from './bind-contracts.js';
import type { ColumnGovernance, RelationGovernance } from '../project/governance.js';
import type { ModelNode } from '../project/nodes.js';
import { storedFamily } from '../project/snowflake-types.js';


export interface GovernanceSpec {
  /** Schema of the target's database the policies and tags are created in. */
  readonly schema: string;
  readonly policies: ProjectPolicies;
  /** By model unique id, for every model a contract governs. */
  readonly relations: ReadonlyMap<string, RelationGovernance>;
}

const upper = (name: string): string => name.split('.').at(-1)!.toUpperCase();

/** A column's masking, most specific first: its own masking_policy, a tag's policy for its type, the product default for pii/phi. */
export function governanceSpec(bindings: ContractBindings, models: ReadonlyMap<string, ModelNode>, policies: ProjectPolicies): GovernanceSpec {
  const relations = new Map<string, RelationGovernance>();
  for (const [id, bound] of bindings.byModel) {
    const model = models.get(id);
    if (!model) continue;
    const controls = bound.contract.contract.security_controls;
    const columns = bound.governed.columns.map((c): ColumnGovernance => {
      const tags: Array<{ tag: string; value: string }> = [];
      for (const tag of policies.tags.values()) {
        const byClassification = c.classification && tag.definition.classifications?.includes(c.classification as never);
        const label = (c.tags ?? []).map((t) => t.split('=')).find(([name]) => name!.toUpperCase() === tag.name);
        if (label) tags.push({ tag: tag.name, value: label[1] ?? c.classification ?? tag.name.toLowerCase() });
        else if (byClassification) tags.push({ tag: tag.name, value: c.classification! });
      }
      let masking: ColumnGovernance['masking'];
      if (c.masking_policy) masking = { policy: upper(c.masking_policy), via: 'column' };
      for (const { tag } of tags) {
        if (masking) break;
        const policy = (policies.tags.get(tag)?.definition.masking_policies ?? [])
          .map((p) => policies.maskingPolicies.get(upper(p)))
          .find((p) => p && storedFamily(Object.values(p.definition.signature)[0]) === storedFamily(c.data_type));
        if (policy) masking = { policy: policy.name, via: { tag } };
      }
      if (!masking && controls?.masking_policy && (c.classification === 'pii' || c.classification === 'phi')) {
        masking = { policy: upper(controls.masking_policy), via: 'product' };
      }
      const conditions = masking ? Object.keys(policies.maskingPolicies.get(masking.policy)?.definition.signature ?? {}).slice(1) : [];
      if (masking && conditions.length) masking = { ...masking, using: conditions };
      return {
        column: c.name,
        ...(c.data_type ? { dataType: c.data_type } : {}),
        ...(c.classification ? { classification: c.classification } : {}),
        ...(masking ? { masking } : {}),
        ...(c.projection_policy ? { projection: upper(c.projection_policy) } : {}),
        tags,
      };
    });
    relations.set(id, {
      node: id,
      relation: model.relation,
      columns,
      ...(controls?.row_access_policy ? { rowAccess: { policy: upper(controls.row_access_policy), on: controls.row_access_on ?? [] } } : {}),
      grants: (controls?.roles_allowed ?? []).map((r) => r.toUpperCase()),
      ...(bound.retention?.timeTravelDays !== undefined ? { timeTravelDays: bound.retention.timeTravelDays } : {}),
    });
  }
  return { schema: policies.schema, policies, relations };
}

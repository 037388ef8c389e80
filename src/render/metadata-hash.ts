// A node's metadata hash: what its governance depends on, apart from its data (see project/nodes.ts).
import { stableHash } from '../project/hash.js';
import type { CompiledProject, ModelNode, ProjectNode } from '../project/nodes.js';
import type { BoundContract, ContractBindings } from './bind-contracts.js';
import type { GovernanceSpec } from './governance-spec.js';

export function modelMetadataHash(model: Pick<ModelNode, 'config'>, bound?: BoundContract, policies?: unknown): string {
  const contract = bound
    ? (({ columns, models, tests, quality_slo, ...header }) => header)(bound.contract.contract)
    : undefined;
  return stableHash({
    tags: [...model.config.tags].sort(),
    contract: contract ?? null,
    governed: bound ? { columns: bound.governed.columns, tests: bound.governed.tests, slos: bound.slos.map((s) => s.slo) } : null,
    // Left out when none apply, so an ungoverned model's hash is as it was.
    ...(policies === undefined ? {} : { policies }),
    // A model's own retention entry is under `models`, which the header leaves out; its time travel and purge are governance.
    ...(bound?.retention ? { retention: retentionMeaning(bound.retention) } : {}),
  });
}

/**
 * The project with each governed model's metadata hash covering its contract and the definitions of the policies and
 * tags its governance names: an edited policy body re-applies the governance of the relations it protects.
 */
export function withContractMetadata(project: CompiledProject, bindings: ContractBindings, governance?: GovernanceSpec): CompiledProject {
  if (!bindings.byModel.size) return project;
  const nodes = new Map<string, ProjectNode>(project.nodes);
  for (const [id, bound] of bindings.byModel) {
    const node = nodes.get(id);
    if (node?.kind === 'model') nodes.set(id, { ...node, metadataHash: modelMetadataHash(node, bound, governance && policiesNamed(governance, id)) });
  }
  return { ...project, nodes };
}

/** The definitions a governed relation's policies come from; undefined when it names none. */
function policiesNamed(governance: GovernanceSpec, id: string): unknown {
  const relation = governance.relations.get(id);
  if (!relation) return undefined;
  const { policies } = governance;
  const masking = [...new Set(relation.columns.flatMap((c) => (c.masking ? [c.masking.policy] : [])))].sort();
  const tags = [...new Set(relation.columns.flatMap((c) => c.tags.map((t) => t.tag)))].sort();
  if (!masking.length && !tags.length && !relation.rowAccess) return undefined;
  return {
    masking: masking.map((name) => [name, policies.maskingPolicies.get(name)?.definition ?? null]),
    tags: tags.map((name) => [name, policies.tags.get(name)?.definition ?? null]),
    rowAccess: relation.rowAccess ? policies.rowAccessPolicies.get(relation.rowAccess.policy)?.definition ?? null : null,
  };
}

/** What a retention does, without where it is written. */
const retentionMeaning = ({ layer, keep, column, purge, timeTravelDays, asOf, severity }: NonNullable<BoundContract['retention']>): unknown =>
  ({ layer, keep: keep.seconds, column: column ?? null, purge, timeTravelDays: timeTravelDays ?? null, asOf: asOf ?? null, severity });

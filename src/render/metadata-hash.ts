// A node's metadata hash: what its governance depends on, apart from its data (see project/nodes.ts).
import { stableHash } from '../project/hash.js';
import type { CompiledProject, ModelNode, ProjectNode } from '../project/nodes.js';
import type { BoundContract, ContractBindings } from './bind-contracts.js';

export function modelMetadataHash(model: Pick<ModelNode, 'config'>, bound?: BoundContract): string {
  const contract = bound
    ? (({ columns, models, tests, quality_slo, ...header }) => header)(bound.contract.contract)
    : undefined;
  return stableHash({
    tags: [...model.config.tags].sort(),
    contract: contract ?? null,
    governed: bound ? { columns: bound.governed.columns, tests: bound.governed.tests, slos: bound.slos.map((s) => s.slo) } : null,
  });
}

/** The project with each governed model's metadata hash covering its contract. */
export function withContractMetadata(project: CompiledProject, bindings: ContractBindings): CompiledProject {
  if (!bindings.byModel.size) return project;
  const nodes = new Map<string, ProjectNode>(project.nodes);
  for (const [id, bound] of bindings.byModel) {
    const node = nodes.get(id);
    if (node?.kind === 'model') nodes.set(id, { ...node, metadataHash: modelMetadataHash(node, bound) });
  }
  return { ...project, nodes };
}

// What the compiled project would deploy on its target: one NodeDeployment per seed and per non-ephemeral model. Pure.
import type { ContractColumn } from '../load/contract-schema.js';
import type { RelationGovernance } from '../project/governance.js';
import type { CompiledProject, ModelNode, ProjectNode, SeedNode } from '../project/nodes.js';
import type { BoundContract } from '../render/bind-contracts.js';
import type { GovernedColumn, NodeContract, NodeDeployment } from './deployed-state.js';

/** The seeds and models a deploy builds: ephemerals are inlined into their children and never deployed. */
export const isDeployable = (node: ProjectNode): node is ModelNode | SeedNode =>
  node.kind === 'seed' || (node.kind === 'model' && node.config.materialized !== 'ephemeral');

/**
 * In dependency order (parents first); only `selected` nodes, when given. `governed`: each governed model's resolved
 * governance (render/governance-spec.ts), whose tags the state records.
 */
export function desiredState(
  project: CompiledProject, contracts: ReadonlyMap<string, BoundContract>, selected?: ReadonlySet<string>, governed?: ReadonlyMap<string, RelationGovernance>,
): NodeDeployment[] {
  return project.order.flatMap((id) => {
    const node = project.nodes.get(id);
    if (!node || !isDeployable(node) || (selected && !selected.has(id))) return [];
    return [deploymentOf(node, contracts.get(id), governed?.get(id))];
  });
}

export function deploymentOf(node: ModelNode | SeedNode, bound: BoundContract | undefined, governance?: RelationGovernance): NodeDeployment {
  return {
    node: node.uniqueId,
    kind: node.kind,
    materialized: node.kind === 'seed' ? 'seed' : (node.config.materialized as Exclude<typeof node.config.materialized, 'ephemeral'>),
    relation: { schema: node.relation.schema, identifier: node.relation.identifier },
    relationName: node.relationName,
    dataChecksum: node.dataHash,
    metadataChecksum: node.metadataHash,
    contract: bound ? contractOf(bound, governance) : null,
  };
}

const upper = (name: string): string => name.split('.').at(-1)!.toUpperCase();

function contractOf(bound: BoundContract, governance: RelationGovernance | undefined): NodeContract {
  const tagsOf = (column: string): string[] =>
    governance?.columns.find((g) => g.column.toUpperCase() === column.toUpperCase())?.tags.map((t) => t.tag.toUpperCase()) ?? [];
  const columns = bound.governed.columns.map((c): GovernedColumn => {
    const tags = tagsOf(c.name);
    return {
      name: c.name,
      ...(c.data_type ? { dataType: c.data_type } : {}),
      ...(c.classification ? { classification: c.classification } : {}),
      ...(c.masking_policy ? { maskingPolicy: c.masking_policy } : {}),
      ...(notNull(c) ? { notNull: true as const } : {}),
      ...(tags.length ? { tags } : {}),
      ...(c.projection_policy ? { projectionPolicy: upper(c.projection_policy) } : {}),
    };
  });
  const controls = bound.contract.contract.security_controls;
  const rowAccess = controls?.row_access_policy ? { policy: upper(controls.row_access_policy), on: controls.row_access_on ?? [] } : undefined;
  const grants = (controls?.roles_allowed ?? []).map((r) => r.toUpperCase());
  return {
    name: bound.contract.contract.name, version: bound.contract.contract.version ?? null, columns,
    ...(rowAccess ? { rowAccess } : {}), ...(grants.length ? { grants } : {}),
  };
}

const notNull = (c: ContractColumn): boolean =>
  Boolean(c.constraints?.not_null || c.constraints?.primary_key || c.tests?.some((t) => t.not_null || t.primary_key));

// target/manifest.json: every node with its path, layer, config, dependencies and content hashes.
import type { ContractBindings } from '../render/bind-contracts.js';
import type { DataTest } from '../render/render-contract-tests.js';
import type { CompiledProject, ProjectNode } from '../project/nodes.js';
import type { LoadedSemanticView } from '../load/load-semantic-views.js';
import { contractStates, semanticViewStates } from '../plan/change-state.js';
import { contractEntryFields, semanticViewEntries } from './manifest-change-state.js';

export interface ManifestMetadata {
  readonly runId: string;
  readonly charterVersion: string;
  readonly generatedAt: string;
}

export function buildManifest(
  project: CompiledProject,
  meta: ManifestMetadata,
  parity?: Readonly<Record<string, unknown>>,
  contracts?: ContractBindings,
  tests: readonly DataTest[] = contracts?.tests ?? [],
  /** The semantic views' metrics, for `charter diff` against this manifest. */
  semanticViews: readonly LoadedSemanticView[] = [],
): object {
  const states = contracts ? contractStates(contracts) : {};
  const nodes: Record<string, object> = {};
  for (const id of project.order) {
    const node = project.nodes.get(id);
    if (node) nodes[id] = manifestNode(node, project.children.get(id) ?? [], parity?.[id]);
  }
  return {
    metadata: {
      run_id: meta.runId,
      charter_version: meta.charterVersion,
      generated_at: meta.generatedAt,
      project: project.projectName,
      project_version: project.projectVersion,
      target: project.target,
      macros_hash: project.macrosHash,
    },
    nodes,
    contracts: Object.fromEntries(
      [...(contracts?.byModel ?? [])].map(([id, b]) => [
        id,
        {
          name: b.contract.contract.name, version: b.contract.contract.version ?? null, file: b.contract.file, columns: b.governed.columns.length,
          // What `charter diff` compares a contract on, so a manifest can be its base.
          ...(states[id] ? contractEntryFields(states[id]) : {}),
        },
      ]),
    ),
    tests: Object.fromEntries(
      tests.map((t) => [
        t.id,
        { model: t.modelId, column: t.column ?? null, kind: t.kind, severity: t.severity, error_if: t.errorIf, warn_if: t.warnIf, sql: t.sql, location: t.location },
      ]),
    ),
    semantic_views: semanticViewEntries(semanticViewStates(semanticViews)),
  };
}

function manifestNode(node: ProjectNode, children: readonly string[], parity: unknown): object {
  const common = {
    unique_id: node.uniqueId,
    kind: node.kind,
    name: node.name,
    relation: node.relationName,
    depends_on: node.dependsOn,
    children,
  };
  switch (node.kind) {
    case 'model':
      return {
        ...common,
        path: node.path,
        layer: node.layer ?? null,
        config: {
          materialized: node.config.materialized,
          tags: node.config.tags,
          schema: node.relation.schema,
          alias: node.config.alias ?? null,
          unique_key: node.config.uniqueKey ?? null,
          incremental_strategy: node.config.incrementalStrategy ?? null,
          partition_by: node.config.partitionBy ?? null,
          on_schema_change: node.config.onSchemaChange ?? null,
        },
        refs: node.refs,
        sources: node.sources,
        raw_sql_sha256: node.rawHash,
        compiled_sql_sha256: node.compiledHash,
        data_sha256: node.dataHash,
        metadata_sha256: node.metadataHash,
        compiled_sql: node.compiledSql,
        ...(node.incrementalSql !== undefined ? { incremental_sql: node.incrementalSql } : {}),
        ...(parity !== undefined ? { local_parity: parity } : {}),
      };
    case 'seed':
      return { ...common, path: node.path, tags: node.tags, columns: node.columns, content_sha256: node.contentHash, data_sha256: node.dataHash, metadata_sha256: node.metadataHash };
    case 'source':
      return { ...common, source_name: node.sourceName, location: node.location };
  }
}

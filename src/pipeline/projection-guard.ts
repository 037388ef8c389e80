// Projection policies on the local target (`charter query --role`): a column a role may filter and join on but not
// select. Snowflake checks the outermost projection only, so a view cannot emulate it (a WHERE reads the same column);
// instead the query's output columns are traced to the columns they come from, before it runs. A column that comes
// from a protected one refuses the query (FAIL) or comes back NULL (NULLIFY), as on Snowflake. A query whose output
// cannot be traced, over a relation with protected columns, is refused rather than guessed at.
import { error, UserError } from '../diagnostics/diagnostic.js';
import type { LoadedProject } from '../load/project-files.js';
import { nodeIndex } from '../project/lookup.js';
import type { ModelNode } from '../project/nodes.js';
import { bindContracts } from '../render/bind-contracts.js';
import { compileProject } from '../render/compile-project.js';
import { governanceSpec } from '../render/governance-spec.js';
import { dialectFor } from '../adapters/dialects.js';
import { governedNode } from '../validate/check-contracts.js';

interface Protected {
  readonly policy: string;
  readonly enforcement: 'FAIL' | 'NULLIFY';
  readonly relation: string;
  readonly column: string;
}

/** Output column positions to return as NULL; throws for a column whose policy fails the query. */
export async function guardProjection(loaded: LoadedProject, sql: string, role: string | undefined, roles: readonly string[]): Promise<ReadonlySet<number>> {
  if (!loaded.contracts.some((c) => c.models.some((m) => m.columns.some((col) => col.projection_policy)))) return new Set();
  const compiled = compileProject(loaded);
  const { bindings } = bindContracts(loaded.contracts, compiled, dialectFor(loaded.target.engine), loaded.vars);
  const models = new Map([...compiled.nodes.values()].filter((n): n is ModelNode => n.kind === 'model').map((n) => [n.uniqueId, n]));
  const spec = governanceSpec(bindings, models, loaded.policies);
  const held = new Set(roles);
  // By node, then lower-cased column: what the role may not select.
  const guarded = new Map<string, Map<string, Protected>>();
  for (const [id, governance] of spec.relations) {
    for (const column of governance.columns) {
      const policy = column.projection ? loaded.policies.projectionPolicies.get(column.projection) : undefined;
      if (!policy || policy.definition.allowed_roles.some((r) => held.has(r.toUpperCase()))) continue;
      const byColumn = guarded.get(id) ?? new Map<string, Protected>();
      byColumn.set(column.column.toLowerCase(), {
        policy: policy.name, enforcement: policy.definition.enforcement ?? 'FAIL', relation: models.get(id)?.name ?? id, column: column.column,
      });
      guarded.set(id, byColumn);
    }
  }
  if (!guarded.size) return new Set();

  const index = nodeIndex(compiled);
  const shapes = new Map<string, readonly string[]>();
  for (const node of compiled.nodes.values()) if (node.kind === 'seed') shapes.set(node.uniqueId, Object.keys(node.columns).map((c) => c.toLowerCase()));
  for (const contract of loaded.contracts) {
    for (const governed of contract.models) {
      const model = governedNode(index, governed);
      if (model && governed.columns.length) shapes.set(model.uniqueId, governed.columns.map((c) => c.name.toLowerCase()));
    }
  }
  const { queryLineage } = await import('../graph/column-lineage.js');
  const traced = queryLineage(sql, compiled, shapes);
  const who = role ?? 'a session without a role';
  const unknown = traced.shapeUnknown ?? traced.columns.find((c) => c.status === 'unknown')?.column;
  if (unknown !== undefined) {
    const reads = [...guarded.keys()].map((id) => models.get(id)!).filter((m) => new RegExp(`\\b${m.relation.identifier}\\b`, 'i').test(sql));
    if (reads.length) {
      throw new UserError([error('policy.projection', `charter cannot tell which columns this query selects, and it reads ${reads.map((m) => m.name).join(', ')}, whose projection policies it must apply for ${who}`, {
        detail: traced.shapeUnknown ?? `output column ${unknown} could not be traced`,
        hint: 'name the columns you select, each from one relation',
      })]);
    }
  }
  const nullified = new Set<number>();
  traced.columns.forEach((output, i) => {
    for (const upstream of output.upstream) {
      const hit = guarded.get(upstream.node)?.get(upstream.column);
      if (!hit) continue;
      if (hit.enforcement === 'NULLIFY') nullified.add(i);
      else {
        throw new UserError([error('policy.projection', `projection policy ${hit.policy} does not let ${who} select ${hit.relation}.${hit.column} (output column ${output.column})`, {
          hint: `filtering and joining on it are allowed; selecting it needs one of: ${loaded.policies.projectionPolicies.get(hit.policy)?.definition.allowed_roles.join(', ')}`,
        })]);
      }
    }
  });
  return nullified;
}

// The governance coverage gate (`charter check governance`, and `charter build` before it builds): its rules, one
// module each under coverage/, and how much of the project governance covers: classified columns, masked personal
// columns, row access on the tables that hold them, and the PLATINUM columns whose lineage is unknown. Pure: the
// lineage and the day come in as arguments.
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { ProjectLineage } from '../graph/column-lineage.js';
import type { GovernedModel, LoadedContract } from '../load/load-contracts.js';
import type { ProjectPolicies } from '../load/load-policies.js';
import type { RelationGovernance } from '../project/governance.js';
import { nameOfId } from '../project/node-id.js';
import type { ModelNode } from '../project/nodes.js';
import { SENSITIVE, type CoverageContext, type CoverageRule, type GovernedRelation } from './coverage/coverage-rule.js';
import { noRowAccess } from './coverage/no-row-access.js';
import { policyReferences } from './coverage/policy-references.js';
import { platinumDerivation } from './coverage/sensitive-lineage.js';
import { unclassifiedDerived } from './coverage/unclassified-derived.js';
import { sensitiveColumns, unmasked } from './coverage/unmasked.js';

export const COVERAGE_RULES: readonly CoverageRule[] = [policyReferences, unmasked, noRowAccess, unclassifiedDerived];

export interface CoverageInput {
  readonly contracts: readonly LoadedContract[];
  readonly policies: ProjectPolicies;
  /** Every model of the project, by id. */
  readonly models: ReadonlyMap<string, ModelNode>;
  /** The contract entry that governs each model, by model id (render/bind-contracts.ts's bindings). */
  readonly bindings: ReadonlyMap<string, { readonly contract: LoadedContract; readonly governed: GovernedModel }>;
  /** The governance resolved for each governed model, by model id (render/governance-spec.ts). */
  readonly relations: ReadonlyMap<string, RelationGovernance>;
  /** Column lineage of the PLATINUM models and their ancestors. */
  readonly lineage: ProjectLineage;
  /** YYYY-MM-DD. */
  readonly today: string;
}

/** `part` of `whole`, and what percentage that is (null of nothing). */
export interface Share {
  readonly count: number;
  readonly of: number;
  readonly percent: number | null;
}

export interface CoverageSummary {
  /** Contract columns with a classification, of all contract columns of governed models. */
  readonly classified: Share;
  /** pii and phi columns masked, of all of them; `exempt` are the unmasked ones a valid exemption lets pass. */
  readonly masked: Share & { readonly exempt: number };
  /** Governed tables holding a pii or phi column that have a row access policy, of those tables. */
  readonly rowAccess: Share;
  /** PLATINUM columns not classified pii or phi, no pii or phi source found, lineage incomplete: not known to be clean. */
  readonly lineageUnknown: ReadonlyArray<{ readonly model: string; readonly column: string; readonly reasons: readonly string[] }>;
}

export interface CoverageResult {
  readonly diagnostics: readonly Diagnostic[];
  readonly summary: CoverageSummary;
}

/** PLATINUM models that expose columns: ephemeral ones are inlined into others, which are checked themselves. */
export function exposedPlatinumModels(models: Iterable<ModelNode>): ModelNode[] {
  return [...models].filter((m) => m.layer === 'platinum' && m.config.materialized !== 'ephemeral');
}

const share = (count: number, of: number): Share => ({ count, of, percent: of === 0 ? null : Math.round((1000 * count) / of) / 10 });

export function checkGovernanceCoverage(input: CoverageInput): CoverageResult {
  const governed = new Map<string, GovernedRelation>();
  for (const [id, bound] of input.bindings) {
    const model = input.models.get(id);
    const governance = input.relations.get(id);
    if (model && governance) governed.set(id, { model, contract: bound.contract, governed: bound.governed, governance });
  }
  const classificationOf = (node: string, column: string): string | undefined =>
    governed.get(node)?.governed.columns.find((c) => c.name.toLowerCase() === column)?.classification;
  const derived = platinumDerivation(exposedPlatinumModels(input.models.values()), input.lineage, classificationOf);
  const context: CoverageContext = { contracts: input.contracts, policies: input.policies, governed, derived, today: input.today };
  const diagnostics = COVERAGE_RULES.flatMap((rule) => rule.check(context));

  const relations = [...governed.values()];
  const columns = relations.flatMap((r) => r.governed.columns);
  const sensitive = relations.map((r) => sensitiveColumns(r, context));
  const states = sensitive.flat().map((c) => c.state);
  const holding = relations.filter((_, i) => sensitive[i]!.length > 0);
  return {
    diagnostics,
    summary: {
      classified: share(columns.filter((c) => c.classification !== undefined).length, columns.length),
      masked: { ...share(states.filter((s) => s === 'masked').length, states.length), exempt: states.filter((s) => s === 'exempt').length },
      rowAccess: share(holding.filter((r) => r.governance.rowAccess !== undefined).length, holding.length),
      lineageUnknown: derived
        .filter((d) => d.sources.length === 0 && d.unknown.length > 0 && !SENSITIVE.has(classificationOf(d.model.uniqueId, d.column) ?? ''))
        .map((d) => ({ model: d.model.name, column: d.column, reasons: [...new Set(d.unknown.map((u) => (u.node === d.model.uniqueId ? u.reason : `at ${nameOfId(u.node)}.${u.column}: ${u.reason}`)))] })),
    },
  };
}

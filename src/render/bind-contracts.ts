// Binds loaded contracts to compiled models: which contract governs which model, and its tests as SQL.
import type { SqlDialect } from '../adapters/dialect.js';
import { error, type Diagnostic, type SourceLocation } from '../diagnostics/diagnostic.js';
import { nodeIndex } from '../project/lookup.js';
import type { GovernedModel, LoadedContract } from '../load/load-contracts.js';
import type { CompiledProject } from '../project/nodes.js';
import { renderContractTests, type DataTest } from './render-contract-tests.js';
import { checkContracts, governedNode } from '../validate/check-contracts.js';
import { templateContractSql } from '../validate/template-contract-sql.js';
import type { LocatedSlo } from '../load/parse-slo.js';
import { locate } from '../load/load-contracts.js';
import { isDate, type Retention } from '../load/parse-retention.js';
import { retentionOf } from '../validate/check-retention.js';

const SLO_KINDS: ReadonlySet<string> = new Set(['freshness', 'completeness', 'volume']);

export interface BoundContract {
  readonly contract: LoadedContract;
  readonly governed: GovernedModel;
  readonly tests: readonly DataTest[];
  /** The model's SLOs, with {{ var() }} in as_of times resolved and where the contract writes each. */
  readonly slos: readonly BoundSlo[];
  /** The retention of the model's layer, its as_of resolved: what a build purges, and the table's time travel. */
  readonly retention?: BoundRetention;
}

export interface BoundRetention extends Retention {
  /** Where the layer's entry is written. */
  readonly location: SourceLocation;
}

export interface BoundSlo extends LocatedSlo {
  readonly location: SourceLocation;
}

export interface ContractBindings {
  /** Model unique id to the contract that governs it. */
  readonly byModel: ReadonlyMap<string, BoundContract>;
  readonly tests: readonly DataTest[];
}

export function bindContracts(
  contracts: readonly LoadedContract[],
  project: CompiledProject,
  dialect: SqlDialect,
  vars: Readonly<Record<string, unknown>> = {},
  /** Today as YYYY-MM-DD, for deprecation sunsets. */
  today?: string,
): { bindings: ContractBindings; diagnostics: Diagnostic[] } {
  const diagnostics = checkContracts(contracts, project, today);
  const index = nodeIndex(project);
  const byModel = new Map<string, BoundContract>();
  for (const contract of contracts) {
    for (const governed of contract.models) {
      const model = governedNode(index, governed);
      if (!model) continue;
      const id = model.uniqueId;
      const held = byModel.get(id);
      if (held && !(contract.fromProperties && !held.contract.fromProperties)) continue;
      // SLOs are measured (value, threshold, outcome) by the executor, not run as failing-row tests.
      const tests = renderContractTests(contract, model, project, dialect, governed)
        .filter((t) => !SLO_KINDS.has(t.kind))
        .map((t) => {
          const templated = templateContractSql(t.sql, { project, vars, self: id, location: t.location });
          diagnostics.push(...templated.diagnostics);
          return { ...t, sql: templated.sql, dependsOn: [...new Set([...t.dependsOn, ...templated.refs.filter((r) => r !== id)])] };
        });
      if (held) {
        // The contract governs; a property file's test the contract already runs (same id) is the same check.
        const have = new Set(held.tests.map((t) => t.id));
        byModel.set(id, { ...held, tests: [...held.tests, ...tests.filter((t) => !have.has(t.id))] });
        continue;
      }
      const slos = governed.slos.map((located) => {
        const location = locate(contract, located.path);
        if (located.slo.kind !== 'freshness' || !located.slo.asOf) return { ...located, location };
        const asOf = templateContractSql(located.slo.asOf, { project, vars, location });
        diagnostics.push(...asOf.diagnostics);
        return { ...located, location, slo: { ...located.slo, asOf: asOf.sql } };
      });
      const retention = bindRetention(contract, retentionOf(governed, model), { project, vars, diagnostics });
      byModel.set(id, { contract, governed, tests, slos, ...(retention ? { retention } : {}) });
    }
  }
  return { bindings: { byModel, tests: [...byModel.values()].flatMap((b) => b.tests) }, diagnostics };
}

/** A retention's as_of as a date: {{ var('as_of_date') }} resolved, as freshness resolves its own. */
function bindRetention(
  contract: LoadedContract,
  retention: Retention | undefined,
  context: { project: CompiledProject; vars: Readonly<Record<string, unknown>>; diagnostics: Diagnostic[] },
): BoundRetention | undefined {
  if (!retention) return undefined;
  const location = locate(contract, retention.path, retention.layer);
  if (retention.asOf === undefined) return { ...retention, location };
  const at = locate(contract, retention.writtenIn.as_of ?? [...retention.path, retention.layer]);
  const asOf = templateContractSql(retention.asOf, { project: context.project, vars: context.vars, location: at });
  context.diagnostics.push(...asOf.diagnostics);
  if (!asOf.diagnostics.length && !isDate(asOf.sql)) {
    context.diagnostics.push(error('contract.invalid', `retention for ${retention.layer}: as_of is \`${asOf.sql}\`, not a date like 2024-12-31 (retention counts days)`, { location: at }));
  }
  return { ...retention, asOf: asOf.sql, location };
}

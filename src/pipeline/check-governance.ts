// `check governance` as a library call, and the gate `build` runs before it opens the warehouse: the project loaded,
// rendered and bound as compile does it (nothing is written), the PLATINUM models' column lineage traced, and the
// coverage rules of validate/check-governance-coverage.ts run over the whole project, whatever is selected.
import path from 'node:path';
import { dialectFor } from '../adapters/dialects.js';
import { readCompileState } from '../artifacts/compile-state.js';
import { lineageCacheFile } from '../artifacts/lineage-cache.js';
import { hasErrors, throwIfErrors, UserError } from '../diagnostics/diagnostic.js';
import { sourceReader } from '../diagnostics/source-reader.js';
import type { ProjectLineage } from '../graph/column-lineage.js';
import { loadProject } from '../load/load-project.js';
import type { CompiledProject, ModelNode } from '../project/nodes.js';
import { bindContracts } from '../render/bind-contracts.js';
import { compileProject } from '../render/compile-project.js';
import { governanceSpec } from '../render/governance-spec.js';
import { RenderCache } from '../render/render-cache.js';
import { checkGovernanceCoverage, exposedPlatinumModels, type CoverageResult, type CoverageSummary, type Share } from '../validate/check-governance-coverage.js';
import type { CompiledSession } from './compile.js';
import type { ProjectOptions } from './options.js';
import type { Reporter } from './reporter.js';

export interface GovernanceCheckOptions extends ProjectOptions {
  /** YYYY-MM-DD: exemptions expiring before it no longer hold. Today (UTC) when absent. */
  readonly today?: string;
}

export interface GovernanceReport extends CoverageResult {
  readonly rootDir: string;
  readonly seconds: number;
}

/** What the gate reads of a compiled project: the parts compile() puts in its session. */
export type GateInput = Pick<CompiledSession, 'loaded' | 'compiled' | 'contracts' | 'governance'>;

const utcToday = (): string => new Date().toISOString().slice(0, 10);

const modelsOf = (project: CompiledProject): Map<string, ModelNode> =>
  new Map([...project.nodes.values()].filter((n): n is ModelNode => n.kind === 'model').map((n) => [n.uniqueId, n]));

/** The gate over a compiled project; the lineage engine (WebAssembly) loads only when there is a PLATINUM model. */
export async function governanceCoverage(input: GateInput, today: string = utcToday()): Promise<CoverageResult> {
  const models = modelsOf(input.compiled);
  const platinum = exposedPlatinumModels(models.values()).map((m) => m.uniqueId);
  const lineage: ProjectLineage = platinum.length
    ? (await import('./lineage.js')).projectLineage(input.compiled, input.loaded.contracts, platinum, lineageCacheFile(input.loaded.rootDir, input.loaded.paths.target))
    : { models: {}, shapes: {} };
  // dbt property files document and test; governance is what charter contracts declare, so the gate reads only those.
  return checkGovernanceCoverage({
    contracts: input.loaded.contracts.filter((c) => !c.fromProperties),
    policies: input.loaded.policies,
    models,
    bindings: new Map([...input.contracts.byModel].filter(([, bound]) => !bound.contract.fromProperties)),
    relations: input.governance.relations,
    lineage,
    today,
  });
}

/** `charter check governance`: compile errors throw as usual; the gate's own findings come back, with the summary. */
export async function checkGovernance(options: GovernanceCheckOptions): Promise<GovernanceReport> {
  const t0 = performance.now();
  const today = options.today ?? utcToday();
  const loaded = await loadProject({ projectDir: options.projectDir, target: options.target, vars: options.vars });
  const state = await readCompileState(path.join(loaded.rootDir, loaded.paths.target));
  const compiled = compileProject(loaded, new RenderCache(state.renders));
  const bound = bindContracts(loaded.contracts, compiled, dialectFor(loaded.target.engine), loaded.vars, today);
  throwIfErrors(bound.diagnostics);
  const governance = governanceSpec(bound.bindings, modelsOf(compiled), loaded.policies);
  const result = await governanceCoverage({ loaded, compiled, contracts: bound.bindings, governance }, today);
  return { ...result, rootDir: loaded.rootDir, seconds: (performance.now() - t0) / 1000 };
}

/**
 * `build`'s gate, as project.yml's governance.coverage_gate says: a gap stops the build before anything is built
 * (error, the default), is printed as a warning (warn), or is not looked for (off).
 */
export async function gateBuild(session: CompiledSession, reporter: Reporter, today: string = utcToday()): Promise<void> {
  const mode = session.loaded.config.governance?.coverage_gate ?? 'error';
  if (mode === 'off') return;
  const { diagnostics, summary } = await governanceCoverage(session, today);
  reporter.info(coverageLine(summary), { governance: coverageJson(summary) });
  const found = mode === 'warn' ? diagnostics.map((d) => ({ ...d, severity: 'warning' as const })) : diagnostics;
  if (hasErrors(found)) {
    reporter.info('the governance coverage gate failed: nothing was built (charter check governance lists the same)');
    throw new UserError(found);
  }
  reporter.diagnostics(found, sourceReader(session.loaded.rootDir));
}

const percent = (s: Share): string => (s.percent === null ? 'n/a' : `${s.percent}%`);

/** The summary in one line, as `build` prints it. */
export function coverageLine(s: CoverageSummary): string {
  return (
    `governance coverage: ${s.classified.count}/${s.classified.of} contract columns classified (${percent(s.classified)}); ` +
    `${s.masked.count}/${s.masked.of} pii/phi columns masked (${percent(s.masked)}), ${s.masked.exempt} exempt; ` +
    `row access on ${s.rowAccess.count}/${s.rowAccess.of} tables holding them (${percent(s.rowAccess)}); ` +
    `${s.lineageUnknown.length} PLATINUM column${s.lineageUnknown.length === 1 ? '' : 's'} of unknown lineage`
  );
}

/** The summary for --log-format json. */
export function coverageJson(s: CoverageSummary): object {
  return {
    classified: s.classified,
    masked: s.masked,
    row_access: s.rowAccess,
    lineage_unknown: s.lineageUnknown,
  };
}

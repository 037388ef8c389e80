// Load, compile and write artifacts: the part every command that needs a compiled project shares.
import { enforcesColumns } from '../load/load-contracts.js';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { dialectFor, governanceDdlFor } from '../adapters/dialects.js';
import { throwIfErrors, type Diagnostic } from '../diagnostics/diagnostic.js';
import { selectNodes } from '../graph/select.js';
import { lastRunResults, mentionsResult } from './last-run-results.js';
import type { LoadedProject } from '../load/project-files.js';
import { bindContracts, type ContractBindings } from '../render/bind-contracts.js';
import { checkPolicies } from '../validate/check-policies.js';
import { checkSemanticViews, type ModelColumns } from '../validate/check-semantic-views.js';
import { DEFAULT_SEMANTIC_SCHEMA, semanticViewFiles } from '../render/semantic-view-files.js';
import { renderPolicyTests } from '../render/render-policy-tests.js';
import { governanceSpec, type GovernanceSpec } from '../render/governance-spec.js';
import { governanceScript, governanceScriptText } from '../render/governance-script.js';
import { loadUnitTests, type UnitTest } from '../load/load-unit-tests.js';
import { checkUnitTests } from '../validate/check-unit-tests.js';
import type { DataTest } from '../render/render-contract-tests.js';
import { singularDataTests } from '../render/render-singular-tests.js';
import { withContractMetadata } from '../render/metadata-hash.js';
import { withLateArrival } from '../render/late-arrival.js';
import { loadProject } from '../load/load-project.js';
import { compileProject } from '../render/compile-project.js';
import type { CompiledProject, ModelNode } from '../project/nodes.js';
import { readCompileState, writeCompileState } from '../artifacts/compile-state.js';
import { RenderCache } from '../render/render-cache.js';
import { compiledFileSizes, writeCompiledFiles, writeManifest, type WriteSummary } from '../artifacts/write-artifacts.js';
import { compiledFilesIntact, forgetFingerprint, projectFingerprint, readFingerprint, restampManifest, writeFingerprint } from '../artifacts/compile-fingerprint.js';
import { CHARTER_VERSION } from '../version.js';
import type { ProjectOptions, SelectOptions } from './options.js';
import { localParity, type ParityEntry } from '../render/local-parity.js';
import { mentionsState, modifiedAgainst } from './base-state.js';

export interface CompiledSession {
  readonly runId: string;
  readonly loaded: LoadedProject;
  readonly compiled: CompiledProject;
  readonly contracts: ContractBindings;
  /** Per governed model: masking per column, tags, row access and grants, from the contracts and policies/. */
  readonly governance: GovernanceSpec;
  /** Every data test: contract tests and singular tests. */
  readonly dataTests: readonly DataTest[];
  /** The data tests to run right after a node is built. */
  readonly testsByNode: ReadonlyMap<string, readonly DataTest[]>;
  readonly unitTests: readonly UnitTest[];
  /** Problems that do not stop the run (contract checks that cannot run, and the like). */
  readonly warnings: readonly Diagnostic[];
  readonly files: WriteSummary;
  /** With `parity`: per model, what the local engine rewrites and what it cannot run. */
  readonly parity?: Readonly<Record<string, ParityEntry>>;
  readonly seconds: number;
}

/**
 * `charter compile` when nothing it reads has changed since the last compile: re-stamps the manifest and returns
 * the counts, skipping render, graph and writes. Undefined when anything differs.
 */
export async function compileShortcut(options: ProjectOptions, { format = true }: { format?: boolean } = {}): Promise<{ models: number; files: number; seconds: number; runId: string } | undefined> {
  const t0 = performance.now();
  const loaded = await loadProject({ projectDir: options.projectDir, target: options.target, vars: options.vars });
  const targetDir = path.join(loaded.rootDir, loaded.paths.target);
  const [previous, fingerprint] = await Promise.all([readFingerprint(targetDir), projectFingerprint(loaded)]);
  if (!previous || previous.fingerprint !== `${fingerprint}${format ? '' : ':unformatted'}`) return undefined;
  // The fingerprint stands for files on disk: trust it only while they are the ones that compile left.
  if (!compiledFilesIntact(loaded.rootDir, previous)) return undefined;
  const runId = randomUUID();
  if (!(await restampManifest(path.join(targetDir, 'manifest.json'), runId, new Date().toISOString(), previous.manifest))) return undefined;
  return { models: previous.models, files: previous.files, seconds: (performance.now() - t0) / 1000, runId };
}

export interface CompileOptions extends ProjectOptions {
  /** Write target/compiled/ through sql-formatter (presentation only; checksums use the SQL as rendered). */
  readonly format?: boolean;
  /** Translate every model for the local engine and record what was rewritten or cannot run (loads the transpiler). */
  readonly parity?: boolean;
}

const modelsOf = (project: CompiledProject): Map<string, ModelNode> =>
  new Map([...project.nodes.values()].filter((n): n is ModelNode => n.kind === 'model').map((n) => [n.uniqueId, n]));

/** Load, render, bind contracts and unit tests, and write target/compiled/ and manifest.json. */
export async function compile(options: CompileOptions): Promise<CompiledSession> {
  const format = options.format ?? true;
  const t0 = performance.now();
  const runId = randomUUID();
  const loaded = await loadProject({ projectDir: options.projectDir, target: options.target, vars: options.vars, extraTargets: options.extraTargets });
  const targetDir = loaded.paths.target;
  const state = await readCompileState(path.join(loaded.rootDir, targetDir));
  const cache = new RenderCache(state.renders);
  const late = withLateArrival(compileProject(loaded, cache));
  throwIfErrors(late.diagnostics);
  const rendered = late.project;
  const bound = bindContracts(loaded.contracts, rendered, dialectFor(loaded.target.engine), loaded.vars, new Date().toISOString().slice(0, 10));
  // The spec names only relations, which the metadata hashes leave as they are.
  const governance = governanceSpec(bound.bindings, modelsOf(rendered), loaded.policies);
  const compiled = withContractMetadata(rendered, bound.bindings, governance);
  const unit = await loadUnitTests(loaded.rootDir, loaded.paths.tests);
  const policyTests = renderPolicyTests(bound.bindings, governance, compiled, dialectFor(loaded.target.engine));
  throwIfErrors([
    ...bound.diagnostics, ...checkPolicies(loaded.contracts, loaded.policies), ...checkSemanticViews(loaded.semanticViews, modelColumns(loaded, compiled), loaded.policies.files.length ? new Set(loaded.policies.roles.keys()) : undefined),
    ...policyTests.diagnostics, ...unit.diagnostics, ...checkUnitTests(unit.tests, compiled),
  ]);
  const dataTests = [...bound.bindings.tests, ...policyTests.tests, ...singularDataTests(compiled)];
  const testsByNode = new Map<string, DataTest[]>();
  for (const test of dataTests) testsByNode.set(test.modelId, [...(testsByNode.get(test.modelId) ?? []), test]);
  // The transpiler loads only on request: a plain compile never pays for it.
  const parity = options.parity ? await parityReport(compiled) : undefined;
  // From the first write on, the last compile's fingerprint no longer describes target/: a compile cut short must
  // not leave it standing for files it half replaced.
  await forgetFingerprint(path.join(loaded.rootDir, targetDir));
  const { summary, written } = await writeCompiledFiles(compiled, loaded.rootDir, targetDir, state.written, dataTests, format, [
    ...governanceFiles(loaded, compiled, governance),
    ...semanticViewFiles(loaded.semanticViews, compiled, loaded.config.layers?.platinum ?? DEFAULT_SEMANTIC_SCHEMA, loaded.config.name.toUpperCase()),
  ]);
  const manifest = await writeManifest(
    compiled,
    loaded.rootDir,
    targetDir,
    { runId, charterVersion: CHARTER_VERSION, generatedAt: new Date().toISOString() },
    parity,
    bound.bindings,
    dataTests,
    loaded.semanticViews,
  );
  const renders = cache.entriesToSave();
  if (renders || summary.written || written.size !== state.written.size) {
    await writeCompileState(path.join(loaded.rootDir, targetDir), { renders: renders ?? state.renders, written });
  }
  const models = [...compiled.nodes.values()].filter((n) => n.kind === 'model').length;
  await writeFingerprint(path.join(loaded.rootDir, targetDir), {
    // A --parity manifest carries extra data; don't let a later plain compile reuse it as its own.
    fingerprint: parity ? 'parity' : `${await projectFingerprint(loaded)}${format ? '' : ':unformatted'}`,
    models,
    files: written.size,
    manifest: manifest.digest,
    compiled: compiledFileSizes(written),
  });
  return {
    runId,
    loaded,
    compiled,
    contracts: bound.bindings,
    governance,
    dataTests,
    testsByNode,
    unitTests: unit.tests,
    warnings: [...loaded.warnings, ...bound.diagnostics.filter((d) => d.severity === 'warning'), ...templateLogs(compiled)],
    files: summary,
    parity,
    seconds: (performance.now() - t0) / 1000,
  };
}

/**
 * On a target whose engine enforces governance with its own DDL (Snowflake), the statements a build would send for
 * it, as target/compiled/governance/<engine>.sql: known, and reviewable, without a connection.
 */
/** log() calls of templates, as notes the run prints with its other diagnostics (never bare on stdout). */
function templateLogs(compiled: CompiledProject): Diagnostic[] {
  return (compiled.templateLogs ?? []).map(({ file, message }) => ({
    code: 'template.log',
    severity: 'info',
    message,
    location: { file, line: 1, column: 1 },
  }));
}

function governanceFiles(loaded: LoadedProject, compiled: CompiledProject, governance: GovernanceSpec): Array<{ path: string; text: string }> {
  const { engine } = loaded.target;
  const ddl = governanceDdlFor(engine);
  if (!ddl || (governance.relations.size === 0 && governance.policies.files.length === 0)) return [];
  const deployRole = loaded.target.engine === 'snowflake' ? loaded.target.role : undefined;
  const text = governanceScriptText(governanceScript(governance, compiled, ddl, deployRole), dialectFor(engine), loaded.targetName);
  return [{ path: `governance/${engine}.sql`, text }];
}

/**
 * Each model and seed a semantic view could read, with its columns as its contract declares them; a model without a
 * contract has columns known only after a build, so its expressions go unchecked.
 */
export function modelColumns(loaded: LoadedProject, compiled: CompiledProject): ModelColumns {
  const columns = new Map<string, readonly string[] | undefined>();
  for (const node of compiled.nodes.values()) if (node.kind === 'model' || node.kind === 'seed') columns.set(node.name.toLowerCase(), undefined);
  for (const contract of loaded.contracts) {
    for (const model of contract.models) {
      if (!model.byRelation && enforcesColumns(model) && columns.has(model.name.toLowerCase())) columns.set(model.name.toLowerCase(), model.columns.map((c) => c.name.toLowerCase()));
    }
  }
  return columns;
}

/** Compile, then apply --select/--exclude; a selector that names nothing is an error. */
export async function compileAndSelect(options: SelectOptions & Pick<CompileOptions, 'format' | 'parity'>): Promise<{ session: CompiledSession; selected: ReadonlySet<string> }> {
  const session = await compile(options);
  // state:modified compares with a base, compiled (a git ref) or read (a manifest) only when a selector asks.
  const modified = options.state && mentionsState(options.select, options.exclude)
    ? await modifiedAgainst(session, options.state, (projectDir) => compile({ projectDir, target: options.target, vars: options.vars, extraTargets: options.extraTargets, format: false }))
    : undefined;
  const results = mentionsResult(options.select, options.exclude) ? lastRunResults(path.join(session.loaded.rootDir, session.loaded.paths.target)) : undefined;
  const selection = selectNodes(session.compiled, options.select, options.exclude, { ...(modified ? { modified } : {}), ...(results ? { results } : {}) });
  throwIfErrors(selection.diagnostics);
  return { session, selected: selection.selected };
}

/** The local-parity report, with every call of the translated SQL checked against DuckDB's own catalog. */
async function parityReport(compiled: CompiledProject): Promise<Record<string, ParityEntry>> {
  const [{ createTranslator }, { loadFunctionCatalog, unboundCalls }] = await Promise.all([
    import('../adapters/create-adapter.js'),
    import('../adapters/duckdb/function-catalog.js'),
  ]);
  const catalog = await loadFunctionCatalog();
  return localParity(compiled, createTranslator('duckdb'), undefined, (sql, snowflakeSql) => unboundCalls(sql, snowflakeSql, catalog));
}

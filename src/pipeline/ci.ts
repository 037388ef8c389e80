// `charter ci --base <ref>` as a library call: the pull-request gate. Compile, lint, contract validation, governance
// coverage and breaking changes against the base, then build and test state:modified+ on a fresh local DuckDB, or on
// a Snowflake target in a database of the gate's own (ci-database-run.ts), dropped afterwards. Every
// step runs that can (a failing step does not hide the next one's findings); the result is one CiReport, from which
// the CLI writes JUnit, SARIF, annotations and the Markdown summary.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { breakingDiagnostic, CI_STEP_TITLES, gateEvidence, stepStatus, type CiBuild, type CiReport, type CiStep } from '../artifacts/ci-report.js';
import type { SigningKey } from '../artifacts/evidence-attestation.js';
import { UserError, type Diagnostic } from '../diagnostics/diagnostic.js';
import { sourceReader } from '../diagnostics/source-reader.js';
import type { SloResult } from '../execute/measure-slos.js';
import { modifiedSelection } from '../graph/state-modified.js';
import { loadProjectConfig } from '../load/load-project.js';
import type { TargetConfig } from '../load/project-schema.js';
import { ciDatabase, ciDatabaseId } from '../render/ci-database.js';
import { nameOfId } from '../project/node-id.js';
import { compile, type CompiledSession } from './compile.js';
import type { BaseDiff } from './diff.js';
import type { ProjectOptions } from './options.js';
import { silentReporter, type Reporter } from './reporter.js';

export interface CiOptions extends ProjectOptions {
  /** A git ref of the project's repository (or a manifest.json path) to compare against. */
  readonly base: string;
  readonly threads?: number;
  readonly reporter?: Reporter;
  readonly signal?: AbortSignal;
  readonly commandLine?: readonly string[];
  readonly signingKey?: SigningKey;
  /** YYYY-MM-DD for exemptions' expiry; today (UTC) when absent. */
  readonly today?: string;
  /** On a Snowflake target: keep the gate's database after the build instead of dropping it. */
  readonly keep?: boolean;
  /** Where the pull request's number is read (GITHUB_REF, CI_MERGE_REQUEST_IID); the process's when absent. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * The target charter ci adds for its build: a DuckDB file of its own, emptied before each run; on a Snowflake target,
 * the target with its database replaced by the gate's own.
 */
export const CI_TARGET = 'charter_ci';

const plural = (n: number, one: string): string => `${n} ${one}${n === 1 ? '' : 's'}`;
const CONTRACT_CODE = /^(contract|policy|semantic|unit_test)\./;
const isUserError = (e: unknown): e is UserError => e instanceof UserError;

async function attempt<T>(work: () => Promise<T>): Promise<{ value?: T; problems: readonly Diagnostic[] }> {
  try {
    return { value: await work(), problems: [] };
  } catch (e) {
    if (isUserError(e)) return { problems: e.diagnostics };
    throw e;
  }
}

export async function ci(options: CiOptions): Promise<CiReport> {
  const t0 = performance.now();
  const reporter = options.reporter ?? silentReporter;
  const rootDir = path.resolve(options.projectDir);
  const { config } = await loadProjectConfig(rootDir);
  const project = { projectDir: options.projectDir, target: options.target, vars: options.vars };
  const readSource = sourceReader(rootDir);
  const steps: CiStep[] = [];
  const record = (step: CiStep, { printed = false } = {}): CiStep => {
    steps.push(step);
    reporter.info(`ci ${CI_STEP_TITLES[step.name]}: ${step.status}: ${step.summary}`, { ciStep: step.name, status: step.status });
    if (!printed) reporter.diagnostics(step.diagnostics, readSource);
    return step;
  };

  // 1-3. Compile; contract problems (bound at compile) are the contract step's.
  // Unformatted: the build compiles again, and leaves target/compiled/ formatted as usual.
  const compiled = await attempt(() => compile({ ...project, format: false }));
  const session: CompiledSession | undefined = compiled.value;
  const all = session ? session.warnings : compiled.problems;
  const compileFindings = all.filter((d) => !CONTRACT_CODE.test(d.code));
  const contractFindings = all.filter((d) => CONTRACT_CODE.test(d.code));
  record({
    name: 'compile',
    status: session ? 'pass' : 'fail',
    summary: session
      ? `${plural([...session.compiled.nodes.values()].filter((n) => n.kind === 'model').length, 'model')} compiled for ${session.loaded.targetName}`
      : stepStatus(compileFindings) === 'fail' ? 'the project does not compile' : 'contract errors stop the compile',
    diagnostics: compileFindings,
  });
  record(await lintStep(project, session !== undefined));
  record({
    name: 'contracts',
    status: session || stepStatus(contractFindings) === 'fail' ? stepStatus(contractFindings) : 'skipped',
    summary: session
      ? `${plural(session.loaded.contracts.length, 'contract')} bound, ${plural(session.dataTests.length, 'data test')}`
      : stepStatus(contractFindings) === 'fail' ? plural(contractFindings.filter((d) => d.severity === 'error').length, 'contract error') : 'needs a project that compiles',
    diagnostics: contractFindings,
  });
  const governance = record(await governanceStep(session, options.today));

  // 5. Breaking changes against the base, and what it modified (the diff compiles the project again: not when it fails).
  const { diffAgainstBase } = await import('./diff.js');
  const diffed = session ? await attempt(() => diffAgainstBase({ ...project, base: options.base, ...(options.today ? { today: options.today } : {}) })) : undefined;
  const diff: BaseDiff | undefined = diffed?.value;
  const breakingFindings = diff ? [...diff.breaking.map(breakingDiagnostic), ...diff.diagnostics] : [...(diffed?.problems ?? [])];
  record({
    name: 'breaking',
    status: !diffed ? 'skipped' : diff ? stepStatus(breakingFindings) : 'fail',
    summary: !diffed
      ? 'needs a project that compiles'
      : diff
        ? `${diff.breaking.length} breaking, ${diff.cleared.length} approved, ${plural(diff.modified.length, 'node')} modified against ${diff.resolved}`
        : `could not compare with ${options.base}`,
    diagnostics: breakingFindings,
  });

  // 6. Build and test modified+ on a fresh DuckDB.
  const built = await buildStep(options, session, diff, governance, steps);
  record(built.step, { printed: built.printed });
  return {
    project: config.name,
    base: options.base,
    passed: steps.every((s) => s.status !== 'fail'),
    steps,
    breaking: diff?.breaking ?? [],
    cleared: diff?.cleared ?? [],
    build: built.build,
    pathPrefix: repositoryPrefix(rootDir),
    seconds: (performance.now() - t0) / 1000,
  };
}

async function lintStep(project: Pick<CiOptions, 'projectDir' | 'target'>, compiles: boolean): Promise<CiStep> {
  // Lint is its own module, and may be missing from a build of charter: the gate says so rather than pass silently.
  const lint = await import('./lint.js').catch(() => undefined);
  if (typeof lint?.lintProject !== 'function') return { name: 'lint', status: 'skipped', summary: 'lint: not available', diagnostics: [] };
  const linted = await attempt(() => lint.lintProject({ projectDir: project.projectDir, target: project.target }));
  // A project that does not compile stops lint with the compile's own errors: reported once, by the compile step.
  if (!linted.value && !compiles) return { name: 'lint', status: 'skipped', summary: 'needs a project that compiles', diagnostics: [] };
  const diagnostics = linted.value?.diagnostics ?? linted.problems;
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  return { name: 'lint', status: stepStatus(diagnostics), summary: `${plural(errors, 'error')}, ${plural(diagnostics.length - errors, 'other finding')}`, diagnostics };
}

async function governanceStep(session: CompiledSession | undefined, today: string | undefined): Promise<CiStep> {
  if (!session) return { name: 'governance', status: 'skipped', summary: 'needs a compiled project', diagnostics: [] };
  const mode = session.loaded.config.governance?.coverage_gate ?? 'error';
  if (mode === 'off') return { name: 'governance', status: 'skipped', summary: 'governance.coverage_gate is off in project.yml', diagnostics: [] };
  const { governanceCoverage, coverageLine } = await import('./check-governance.js');
  const { diagnostics, summary } = await governanceCoverage(session, today);
  const found = mode === 'warn' ? diagnostics.map((d) => ({ ...d, severity: 'warning' as const })) : diagnostics;
  return { name: 'governance', status: stepStatus(found), summary: coverageLine(summary), diagnostics: found };
}

/**
 * modified+ and the parents it reads, built and tested into a DuckDB file of charter ci's own under the target
 * folder, deleted first: nothing of an earlier run (or of the developer's own dev database) is read. On a Snowflake
 * target, into a database of the gate's own: made empty (the parents built too), or with `ci: {clone: true}` a
 * zero-copy clone of the target's, where the unmodified parents already are (only modified+ is built).
 */
async function buildStep(
  options: CiOptions, session: CompiledSession | undefined, diff: BaseDiff | undefined, governance: CiStep, before: readonly CiStep[],
): Promise<{ step: CiStep; build: CiBuild | null; printed: boolean }> {
  const skipped = (summary: string): { step: CiStep; build: null; printed: boolean } => ({ step: { name: 'build', status: 'skipped', summary, diagnostics: [] }, build: null, printed: false });
  if (!session) return skipped('needs a compiled project');
  if (!diff) return skipped('needs the comparison with the base');
  if (governance.status === 'fail') return skipped('the governance coverage gate fails, and a build would refuse to start');
  const { loaded } = session;
  const snowflake = loaded.target.engine === 'snowflake' ? loaded.target : undefined;
  const clone = snowflake !== undefined && loaded.config.ci?.clone === true;
  const selection = modifiedSelection(session.compiled, diff.modified, { deferParents: clone });
  if (!selection.toBuild.length) return skipped(`no model or seed modified against ${options.base}`);
  let evidence: string | null = null;
  const outer = options.reporter ?? silentReporter;
  const reporter: Reporter = {
    ...outer,
    info: (message, fields) => {
      const bundle = fields?.['evidence'];
      if (typeof bundle === 'string') evidence = path.relative(loaded.rootDir, bundle).split(path.sep).join('/');
      outer.info(message, fields);
    },
  };
  const { build } = await import('./build.js');
  const gate = { base: options.base, resolved: diff.resolved, steps: before, breaking: diff.breaking, cleared: diff.cleared, modified: diff.modified };
  const buildOn = (target: TargetConfig, database?: Parameters<typeof gateEvidence>[0]['database']) =>
    attempt(() =>
      build({
        projectDir: options.projectDir,
        vars: options.vars,
        target: CI_TARGET,
        extraTargets: { [CI_TARGET]: target },
        select: selection.toBuild.map((id) => session.compiled.nodes.get(id)!.name),
        threads: options.threads,
        reporter,
        signal: options.signal,
        commandLine: options.commandLine,
        signingKey: options.signingKey,
        // The gate's findings and approvals go into the build's evidence bundle.
        evidenceFiles: { 'ci/gate.json': gateEvidence({ ...gate, ...(database ? { database } : {}) }) },
      }),
    );
  let ran: Awaited<ReturnType<typeof buildOn>>;
  let database: string;
  let onSnowflake: CiBuild['snowflake'];
  const extra: Diagnostic[] = [];
  if (snowflake) {
    const made = ciDatabase(snowflake.database, ciDatabaseId(options.env ?? process.env, session.runId), clone);
    const { inCiDatabase } = await import('./ci-database-run.js');
    const outcome = await inCiDatabase(loaded, session.runId, made, { keep: options.keep ?? false, reporter: outer }, (created) =>
      options.signal?.aborted
        ? Promise.resolve({ problems: [] })
        : buildOn({ ...snowflake, database: made.name }, { name: made.name, cloneOf: made.cloneOf, sql: created.sql, ...(created.queryId ? { queryId: created.queryId } : {}) }),
    );
    ran = outcome.value ?? { problems: [] };
    extra.push(...outcome.problems);
    database = made.name;
    onSnowflake = { cloneOf: made.cloneOf, dropped: outcome.dropped };
  } else {
    database = path.posix.join(loaded.paths.target, 'ci', `${loaded.config.name}.duckdb`);
    for (const file of [database, `${database}.wal`]) rmSync(path.join(loaded.rootDir, file), { force: true });
    ran = await buildOn({ engine: 'duckdb', path: database, ...(loaded.target.threads ? { threads: loaded.target.threads } : {}) });
  }
  const results = ran.value;
  const count = (status: string): number => results?.nodes.filter((n) => n.status === status).length ?? 0;
  const diagnostics: Diagnostic[] = results
    ? [
        ...results.nodes.flatMap((n) => (n.error ? [n.error] : [])),
        ...results.tests.flatMap((t) => (t.error && t.status !== 'pass' ? [t.status === 'warn' ? { ...t.error, severity: 'warning' as const } : t.error] : [])),
        ...results.slos.flatMap((s) => (s.status === 'pass' ? [] : [sloDiagnostic(s)])),
      ]
    : [...ran.problems];
  diagnostics.push(...extra);
  // A finished build printed its own problems, not the CI database's.
  if (results && extra.length) outer.diagnostics(extra, sourceReader(loaded.rootDir));
  const status = results && results.passed && !extra.some((d) => d.severity === 'error') ? 'pass' : 'fail';
  const summary = results
    ? `${selection.modifiedPlus.size} modified or downstream, ${selection.toBuild.length} built ${clone ? `in a clone of ${snowflake!.database.toUpperCase()}` : 'with their parents'}: ${count('success')} ok, ${count('error')} failed, ${count('skipped')} skipped`
    : extra.length && !ran.problems.length ? `the build did not run: ${extra[0]!.message}` : 'the build stopped before it ran';
  return {
    step: { name: 'build', status, summary, diagnostics },
    // A build that finished has printed its own problems; one stopped by an error has not.
    printed: results !== undefined,
    build: {
      database,
      ...(onSnowflake ? { snowflake: onSnowflake } : {}),
      modifiedPlus: [...selection.modifiedPlus],
      built: selection.toBuild,
      nodes: { success: count('success'), error: count('error'), skipped: count('skipped') },
      tests: results?.tests ?? [],
      slos: results?.slos ?? [],
      evidence,
    },
  };
}

function sloDiagnostic(s: SloResult): Diagnostic {
  return {
    code: 'test.failed',
    severity: s.status === 'warn' ? 'warning' : 'error',
    message: `SLO ${s.kind}${s.column ? ` of ${s.column}` : ''} on ${nameOfId(s.modelId)}: measured ${s.measured ?? 'n/a'} ${s.unit}, threshold ${s.threshold}`,
    location: s.location,
  };
}

/** The project folder relative to its git repository's root ('' at the root or outside git, else ending in '/'). */
function repositoryPrefix(rootDir: string): string {
  try {
    return execFileSync('git', ['rev-parse', '--show-prefix'], { cwd: rootDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
}

// The end of every command that touches the warehouse: the final run_results.json, JUnit, the evidence bundle, the
// summary and the exit code, all from the same results (the statement log is already on disk, streamed by the run
// record).
import path from 'node:path';
import { renderJunit, sloAsTest } from '../artifacts/junit.js';
import { writeFileAtomic } from '../load/atomic-file.js';
import type { SloResult } from '../execute/measure-slos.js';
import type { NodeResult } from '../execute/node-result.js';
import type { TestResult } from '../execute/run-data-test.js';
import type { CompiledSession } from './compile.js';
import { sourceReader } from '../diagnostics/source-reader.js';
import type { RunOptions } from './options.js';
import type { Reporter } from './reporter.js';
import type { RunRecord } from './run-record.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { nameOfId } from '../project/node-id.js';
import { EVIDENCE_COMMANDS, writeEvidenceBundle } from './evidence-bundle.js';
import type { EvidenceCoverage } from '../artifacts/evidence-facts.js';
import type { InForceReport } from '../plan/governance-in-force.js';

/** What a warehouse command recorded. */
interface Recorded {
  readonly command: string;
  readonly seconds: number;
  readonly nodes: readonly NodeResult[];
  readonly tests: readonly TestResult[];
  readonly slos: readonly SloResult[];
}

export interface FinishedRun extends Recorded {
  /** Where run_results.json and the statement log are being written. */
  readonly record: RunRecord;
  /** The governance in force on the governed relations built, read before the engine closed (for the evidence bundle). */
  readonly inForce?: InForceReport;
}

/** What a warehouse command returns: everything it recorded, and whether all of it passed. */
export interface RunResults extends Recorded {
  readonly runId: string;
  /** Every node built and no error-severity test or SLO failed: the CLI exits 0. */
  readonly passed: boolean;
}

/** A failed or warning SLO as a diagnostic at the contract line that states it. */
function sloProblem(s: SloResult): Diagnostic {
  const what = `${s.kind}${s.column ? ` of ${s.column}` : ''}`;
  return {
    code: 'test.failed',
    severity: s.status === 'warn' ? 'warning' : 'error',
    message: `SLO ${what} on ${nameOfId(s.modelId)}: measured ${s.measured ?? 'n/a'} ${s.unit}, threshold ${s.threshold}`,
    location: s.location,
    ...(s.detail ? { detail: s.detail } : {}),
  };
}

/**
 * The project's governance coverage for the evidence (warn or error: what the gate measured, from the same cached
 * lineage); a project that turns the gate off gets no measure, and its bundle says so.
 */
async function coverageForEvidence(session: CompiledSession): Promise<EvidenceCoverage | { unavailable: string }> {
  if (session.loaded.config.governance?.coverage_gate === 'off') return { unavailable: 'the project turns the coverage gate off (governance.coverage_gate: off)' };
  try {
    const { governanceCoverage } = await import('./check-governance.js');
    const { summary, diagnostics } = await governanceCoverage(session);
    return {
      classified: summary.classified,
      masked: summary.masked,
      rowAccess: summary.rowAccess,
      lineageUnknown: summary.lineageUnknown.length,
      findings: diagnostics.map((d) => `${d.severity}: ${d.message}${d.location ? ` (${d.location.file}:${d.location.line})` : ''}`),
    };
  } catch (e) {
    return { unavailable: e instanceof Error ? e.message : String(e) };
  }
}

/**
 * The evidence of a run that stopped before its end (an error, the governance gate, a Ctrl-C): what finished is
 * bundled like any run's, marked aborted with the reason, since a stopped deploy is what an auditor asks about first.
 */
export async function abortedRunEvidence(
  session: CompiledSession,
  options: RunOptions,
  reporter: Reporter,
  run: { command: string; record: RunRecord; resultsFile: string; reason: string },
): Promise<void> {
  if (!EVIDENCE_COMMANDS.has(run.command)) return;
  const observed = run.record.observed;
  const bundle = writeEvidenceBundle(session, options, {
    command: run.command,
    startedAt: run.record.startedAt,
    endedAt: new Date().toISOString(),
    passed: false,
    aborted: run.reason,
    nodes: observed.nodes.map((n) => n.uniqueId),
    logFile: run.record.logFile,
    resultsFile: run.resultsFile,
    results: observed,
    coverage: await coverageForEvidence(session),
  });
  reporter.info(`evidence: ${path.relative(session.loaded.rootDir, bundle)} (aborted run)`, { evidence: bundle });
}

/** Writes the run's artifacts, reports its problems and summary, and returns its results. */
export async function finishRun(
  session: CompiledSession,
  options: RunOptions,
  reporter: Reporter,
  run: FinishedRun,
): Promise<RunResults> {
  const { loaded, compiled } = session;
  const resultsFile = run.record.finish('finished', run);
  if (options.junit) {
    writeFileAtomic(path.resolve(options.junit), renderJunit([...run.tests, ...run.slos.map(sloAsTest)], `${compiled.projectName} ${run.command}`));
  }
  const problems = [
    ...run.nodes.flatMap((r) => (r.error ? [r.error] : [])),
    ...run.tests.flatMap((r) => (r.error && r.status !== 'pass' ? [r.error] : [])),
    ...run.slos.flatMap((s) => (s.status === 'pass' ? [] : [sloProblem(s)])),
  ];
  const ok = (status: string): boolean => status !== 'fail' && status !== 'error';
  const passed = run.nodes.every((r) => r.status === 'success') && run.tests.every((t) => ok(t.status)) && run.slos.every((s) => ok(s.status));
  if (options.openlineage) {
    const { writeOpenLineage } = await import('./openlineage-run.js');
    await writeOpenLineage(options.openlineage, session, { ...run, startedAt: run.record.startedAt, passed });
  }
  if (EVIDENCE_COMMANDS.has(run.command)) {
    const coverage = await coverageForEvidence(session);
    const bundle = writeEvidenceBundle(session, options, {
      command: run.command,
      startedAt: run.record.startedAt,
      endedAt: new Date().toISOString(),
      passed,
      nodes: run.nodes.map((n) => n.uniqueId),
      logFile: run.record.logFile,
      resultsFile,
      results: { nodes: run.nodes, tests: run.tests, slos: run.slos },
      coverage,
      ...(run.inForce ? { inForce: run.inForce } : {}),
      ...(options.openlineage ? { openLineageFile: path.resolve(options.openlineage) } : {}),
    });
    reporter.info(`evidence: ${path.relative(loaded.rootDir, bundle)}`, { evidence: bundle });
  }
  reporter.diagnostics(problems, sourceReader(loaded.rootDir));
  reporter.summary(run.nodes, run.seconds, run.tests, run.slos);
  return { runId: session.runId, command: run.command, seconds: run.seconds, nodes: run.nodes, tests: run.tests, slos: run.slos, passed };
}

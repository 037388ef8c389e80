// The end of every command that touches the warehouse: run_results.json, the statement log, JUnit, the summary
// and the exit code, all from the same results.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { renderJunit, sloAsTest } from '../artifacts/junit.js';
import type { SloResult } from '../execute/measure-slos.js';
import type { NodeResult } from '../execute/node-result.js';
import type { TestResult } from '../execute/run-data-test.js';
import { writeRunResults } from '../artifacts/run-results.js';
import type { StatementLog } from '../execute/statement-runner.js';
import { CHARTER_VERSION } from '../version.js';
import type { CompiledSession } from './compile.js';
import { sourceReader } from '../diagnostics/source-reader.js';
import type { RunOptions } from './options.js';
import type { Reporter } from './reporter.js';

/** What a warehouse command recorded. */
interface Recorded {
  readonly command: string;
  readonly seconds: number;
  readonly nodes: readonly NodeResult[];
  readonly tests: readonly TestResult[];
  readonly slos: readonly SloResult[];
}

export interface FinishedRun extends Recorded {
  readonly startedAt: Date;
  readonly log: StatementLog;
}

/** What a warehouse command returns: everything it recorded, and whether all of it passed. */
export interface RunResults extends Recorded {
  readonly runId: string;
  /** Every node built and no error-severity test or SLO failed: the CLI exits 0. */
  readonly passed: boolean;
}

/** Writes the run's artifacts, reports its problems and summary, and returns its results. */
export async function finishRun(
  session: CompiledSession,
  options: RunOptions,
  reporter: Reporter,
  run: FinishedRun,
): Promise<RunResults> {
  const { loaded, compiled } = session;
  const targetDir = path.join(loaded.rootDir, loaded.paths.target);
  await writeRunResults(
    targetDir,
    {
      runId: session.runId,
      charterVersion: CHARTER_VERSION,
      command: run.command,
      startedAt: run.startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      seconds: run.seconds,
      target: { name: loaded.targetName, engine: loaded.target.engine },
      selectors: { select: options.select, exclude: options.exclude },
    },
    run.nodes,
    run.tests,
    run.slos,
  );
  await mkdir(path.join(targetDir, 'logs'), { recursive: true });
  await writeFile(path.join(targetDir, 'logs', `statements-${session.runId}.jsonl`), run.log.toJsonLines());
  if (options.junit) {
    await writeFile(path.resolve(options.junit), renderJunit([...run.tests, ...run.slos.map(sloAsTest)], `${compiled.projectName} ${run.command}`));
  }
  const problems = [
    ...run.nodes.flatMap((r) => (r.error ? [r.error] : [])),
    ...run.tests.flatMap((r) => (r.error && r.status !== 'pass' ? [r.error] : [])),
  ];
  reporter.diagnostics(problems, sourceReader(loaded.rootDir));
  reporter.summary(run.nodes, run.seconds, run.tests);
  const ok = (status: string): boolean => status !== 'fail' && status !== 'error';
  const passed = run.nodes.every((r) => r.status === 'success') && run.tests.every((t) => ok(t.status)) && run.slos.every((s) => ok(s.status));
  return { runId: session.runId, command: run.command, seconds: run.seconds, nodes: run.nodes, tests: run.tests, slos: run.slos, passed };
}

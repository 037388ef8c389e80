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
import { sourceReader } from './compile.js';
import type { GlobalOptions } from '../cli/global-options.js';
import type { Reporter } from '../cli/reporter.js';

export interface FinishedRun {
  readonly command: string;
  readonly startedAt: Date;
  readonly seconds: number;
  readonly nodes: readonly NodeResult[];
  readonly tests: readonly TestResult[];
  readonly slos: readonly SloResult[];
  readonly log: StatementLog;
}

/** Writes the run's artifacts, prints its problems and summary, and returns the exit code. */
export async function finishRun(
  session: CompiledSession,
  options: GlobalOptions & { readonly junit?: string },
  reporter: Reporter,
  run: FinishedRun,
): Promise<number> {
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
  return passed ? 0 : 1;
}

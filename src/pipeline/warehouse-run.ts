// The shape every command that touches the warehouse shares: compile and select, open the engine, do the work,
// close the engine, and finish the run (results, JUnit, summary); the run record keeps the statement log and
// run_results.json on disk from the first statement on, whatever happens in between.
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import { createAdapter } from '../adapters/create-adapter.js';
import type { Adapter } from '../adapters/adapter.js';
import { sourceReader } from '../diagnostics/source-reader.js';
import { error, throwIfErrors, UserError, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { NodeResult } from '../execute/node-result.js';
import type { SloResult } from '../execute/measure-slos.js';
import type { TestResult } from '../execute/run-data-test.js';
import { StatementLog } from '../execute/statement-runner.js';
import { closeEngine, finishEngine, openEngine } from '../execute/engine.js';
import { compileAndSelect, type CompiledSession } from './compile.js';
import { abortedRunEvidence, finishRun, type RunResults } from './finish-run.js';
import { EVIDENCE_COMMANDS } from './evidence-bundle.js';
import { mirrorEvidenceHead } from './evidence-head-mirror.js';
import { IN_FORCE_COMMANDS, readInForce, type InForceRead } from './governance-in-force.js';
import type { RunOptions } from './options.js';
import { silentReporter, type Reporter } from './reporter.js';
import { RunRecord } from './run-record.js';
import { CHARTER_VERSION } from '../version.js';

export interface WarehouseRun {
  readonly session: CompiledSession;
  readonly selected: ReadonlySet<string>;
  readonly threads: number;
  readonly log: StatementLog;
  readonly reporter: Reporter;
  /** Opens the target's engine on first use; closed when the work is done. */
  adapter(): Promise<Adapter>;
}

export interface RunWork {
  readonly nodes?: readonly NodeResult[];
  readonly tests?: readonly TestResult[];
  readonly slos?: readonly SloResult[];
}

export interface WarehouseCommand {
  /** As recorded in run_results.json: build, run, seed, test, test --unit. */
  readonly name: string;
  /** The opening line, given what was selected. */
  banner(run: Omit<WarehouseRun, 'adapter'>): string;
  /** Diagnostics to show before the work starts (warnings of the compile, lints of what was selected). */
  warnings?(run: Omit<WarehouseRun, 'adapter'>): readonly Diagnostic[];
}

/** A stopped run's reason in one line, for its evidence: a user error's first message, else the error's own. */
function abortReason(e: unknown): string {
  if (e instanceof UserError) return e.diagnostics.map((d) => d.message).slice(0, 3).join('; ') + (e.diagnostics.length > 3 ? `; and ${e.diagnostics.length - 3} more` : '');
  return e instanceof Error ? e.message : String(e);
}

export async function onWarehouse(command: WarehouseCommand, options: RunOptions, work: (run: WarehouseRun) => Promise<RunWork>): Promise<RunResults> {
  const startedAt = new Date();
  const t0 = performance.now();
  const { session, selected } = await compileAndSelect(options);
  // A JUnit file that cannot be written is known before anything is built.
  if (options.junit) throwIfErrors(writableFileProblems(options.junit, '--junit'));
  if (options.openlineage) throwIfErrors(writableFileProblems(options.openlineage, '--openlineage'));
  const threads = options.threads ?? session.loaded.target.threads ?? 4;
  const { loaded } = session;
  const record = new RunRecord(
    path.join(loaded.rootDir, loaded.paths.target),
    {
      runId: session.runId,
      charterVersion: CHARTER_VERSION,
      command: command.name,
      startedAt: startedAt.toISOString(),
      target: { name: loaded.targetName, engine: loaded.target.engine },
      selectors: { select: options.select, exclude: options.exclude },
    },
    t0,
  );
  const log = record.log;
  const outer = options.reporter ?? silentReporter;
  // Every live result reaches the run record as well as the reporter.
  const reporter: Reporter = {
    event: (e) => {
      record.observe(e);
      outer.event(e);
    },
    info: (message, fields) => outer.info(message, fields),
    diagnostics: (ds, readSource) => outer.diagnostics(ds, readSource),
    summary: (results, seconds, tests, slos) => outer.summary(results, seconds, tests, slos),
  };
  const base = { session, selected, threads, log, reporter };
  let opened: Adapter | undefined;
  // Set as soon as the adapter exists, so a Ctrl-C during its login or set-up cancels those too.
  let opening: Adapter | undefined;
  let done: RunWork;
  const interrupted = (): UserError =>
    new UserError([error('engine.interrupted', 'interrupted: the statements running in the warehouse were cancelled, and nothing new was started', {
      hint: 'what finished is kept (see run_results.json); run the command again to carry on',
    })]);
  const onAbort = (): void => {
    reporter.info('interrupted: cancelling the statements running in the warehouse (staged relations are cleaned up)');
    void (opened ?? opening)?.cancel();
  };
  options.signal?.addEventListener('abort', onAbort);
  const adapter = async (): Promise<Adapter> => {
    if (options.signal?.aborted) throw interrupted();
    if (!opened) {
      const created = createAdapter(session.loaded, threads, { runId: session.runId, command: command.name });
      opening = created;
      await openEngine(created, log);
      opened = created;
    }
    return opened;
  };
  // The engine stays open past the run's own work, for the evidence head written after the bundle; closed once.
  let closed = false;
  const close = async (finishLog: StatementLog): Promise<void> => {
    if (!opened || closed) return;
    closed = true;
    await closeEngine(opened, finishLog);
  };
  let inForce: InForceRead | undefined;
  try {
    reporter.info(command.banner(base), { runId: session.runId });
    reporter.diagnostics([...session.warnings, ...(command.warnings?.(base) ?? [])], sourceReader(session.loaded.rootDir));
    done = await work({ ...base, adapter });
    // Before the engine closes: the governance in force on the governed relations the run built.
    if (opened && IN_FORCE_COMMANDS.has(command.name) && !options.signal?.aborted) {
      inForce = await readInForce(session, opened, log, done.nodes ?? []);
      if (inForce) reporter.diagnostics(inForce.warnings, sourceReader(session.loaded.rootDir));
    }
    if (opened) await finishEngine(opened, log);
    if (options.signal?.aborted) throw interrupted();
  } catch (e) {
    try {
      await close(log);
    } catch {
      // The run's own error says more than a failure to disconnect.
    }
    // What finished before the error stays on record, and in an evidence bundle; the error itself goes to the caller.
    const failure = options.signal?.aborted ? interrupted() : e;
    try {
      const resultsFile = record.finish('aborted');
      await abortedRunEvidence(session, options, reporter, { command: command.name, record, resultsFile, reason: abortReason(failure) });
    } catch {
      // The run's own error says more than a second failure to write.
    }
    // After a Ctrl-C, whatever failed next (a cancelled statement, most likely) is the interruption's doing.
    throw failure;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
  // The head's own statements come after the statement log is closed (it is in the bundle): they go to a log of their own.
  const after = new StatementLog();
  try {
    const results = await finishRun(session, options, reporter, {
      command: command.name,
      seconds: (performance.now() - t0) / 1000,
      nodes: done.nodes ?? [],
      tests: done.tests ?? [],
      slos: done.slos ?? [],
      record,
      ...(inForce ? { inForce: inForce.report } : {}),
    });
    if (EVIDENCE_COMMANDS.has(command.name)) reporter.diagnostics(await mirrorEvidenceHead(session, adapter, after), sourceReader(session.loaded.rootDir));
    return results;
  } finally {
    await close(after);
  }
}

/** Why `file` could not be written: its folder is missing or is not a folder (checked before a run, not after). */
function writableFileProblems(file: string, flag: string): Diagnostic[] {
  const folder = path.dirname(path.resolve(file));
  let problem: string | undefined;
  try {
    if (!statSync(folder).isDirectory()) problem = `${folder} is not a folder`;
    else accessSync(folder, constants.W_OK);
  } catch (e) {
    problem = (e as NodeJS.ErrnoException).code === 'ENOENT' ? `the folder ${folder} does not exist` : `${folder}: ${(e as Error).message}`;
  }
  return problem ? [error('io.error', `cannot write ${flag} ${file}: ${problem}`, { hint: `pass a path in an existing folder, e.g. ${flag} target/junit.xml` })] : [];
}

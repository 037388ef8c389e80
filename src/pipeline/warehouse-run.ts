// The shape every command that touches the warehouse shares: compile and select, open the engine, do the work,
// close the engine, and finish the run (results, statement log, JUnit, summary) whatever happened in between.
import { createAdapter } from '../adapters/create-adapter.js';
import type { Adapter } from '../adapters/adapter.js';
import { sourceReader } from '../diagnostics/source-reader.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { NodeResult } from '../execute/node-result.js';
import type { SloResult } from '../execute/measure-slos.js';
import type { TestResult } from '../execute/run-data-test.js';
import { StatementLog } from '../execute/statement-runner.js';
import { closeEngine, openEngine } from '../execute/engine.js';
import { compileAndSelect, type CompiledSession } from './compile.js';
import { finishRun, type RunResults } from './finish-run.js';
import type { RunOptions } from './options.js';
import { silentReporter, type Reporter } from './reporter.js';

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

export async function onWarehouse(command: WarehouseCommand, options: RunOptions, work: (run: WarehouseRun) => Promise<RunWork>): Promise<RunResults> {
  const startedAt = new Date();
  const t0 = performance.now();
  const reporter = options.reporter ?? silentReporter;
  const { session, selected } = await compileAndSelect(options);
  const threads = options.threads ?? session.loaded.target.threads ?? 4;
  const log = new StatementLog();
  const base = { session, selected, threads, log, reporter };
  reporter.info(command.banner(base), { runId: session.runId });
  reporter.diagnostics([...session.warnings, ...(command.warnings?.(base) ?? [])], sourceReader(session.loaded.rootDir));
  let opened: Adapter | undefined;
  const adapter = async (): Promise<Adapter> => {
    if (!opened) {
      const created = createAdapter(session.loaded, threads);
      await openEngine(created, log);
      opened = created;
    }
    return opened;
  };
  let done: RunWork;
  try {
    done = await work({ ...base, adapter });
  } finally {
    if (opened) await closeEngine(opened, log);
  }
  return finishRun(session, options, reporter, {
    command: command.name,
    startedAt,
    seconds: (performance.now() - t0) / 1000,
    nodes: done.nodes ?? [],
    tests: done.tests ?? [],
    slos: done.slos ?? [],
    log,
  });
}

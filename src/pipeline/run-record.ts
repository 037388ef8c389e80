// The audit trail of a warehouse command as it happens: every statement appended to the statement log the moment
// it completes, and run_results.json written at the start (status "running"), rewritten as results come in and at
// the end. A run that is killed still says what it committed.
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import { writeRunResults, type RunMetadata, type RunStatus } from '../artifacts/run-results.js';
import { claimTargetDir } from '../artifacts/target-folder.js';
import type { SloResult } from '../execute/measure-slos.js';
import type { NodeResult } from '../execute/node-result.js';
import type { TestResult } from '../execute/run-data-test.js';
import type { RunEvent } from '../execute/run-graph.js';
import { statementLine, StatementLog } from '../execute/statement-runner.js';
import { errorAt } from '../load/atomic-file.js';

/** Rewrites of run_results.json while a run is under way come at most this often (each one is the whole file). */
const REWRITE_MS = 250;

export interface Recorded {
  readonly nodes: readonly NodeResult[];
  readonly tests: readonly TestResult[];
  readonly slos: readonly SloResult[];
}

export class RunRecord {
  readonly log: StatementLog;
  readonly logFile: string;
  private readonly nodes: NodeResult[] = [];
  private readonly tests: TestResult[] = [];
  private readonly slos: SloResult[] = [];
  private fd: number | undefined;
  private lastWrite = 0;
  private timer: NodeJS.Timeout | undefined;
  /** A rewrite during the run failed (a full disk): no more until the final write, which reports its own error. */
  private deferred: unknown;

  /** Opens the statement log and writes run_results.json with status "running". */
  constructor(
    private readonly targetDir: string,
    private readonly meta: Omit<RunMetadata, 'status' | 'finishedAt' | 'seconds'>,
    private readonly t0 = performance.now(),
  ) {
    claimTargetDir(targetDir);
    mkdirSync(path.join(targetDir, 'logs'), { recursive: true });
    this.logFile = path.join(targetDir, 'logs', `statements-${meta.runId}.jsonl`);
    this.fd = openSync(this.logFile, 'a');
    // One write(2) per record, straight to the file: nothing waits in a buffer when the process dies.
    this.log = new StatementLog((record) => {
      if (this.fd === undefined) return;
      try {
        writeSync(this.fd, statementLine(record));
      } catch (e) {
        throw errorAt(e, this.logFile);
      }
    });
    try {
      this.write('running');
    } catch (e) {
      this.close();
      throw e;
    }
  }

  get startedAt(): string {
    return this.meta.startedAt;
  }

  /** What finished so far: for the evidence of a run that stopped before it could return its own results. */
  get observed(): Recorded {
    return { nodes: [...this.nodes], tests: [...this.tests], slos: [...this.slos] };
  }

  /** Takes in a live event: a finished node, test or SLO is recorded, and run_results.json soon rewritten. */
  observe(event: RunEvent): void {
    if (event.type === 'node_finished') this.nodes.push(event.result);
    else if (event.type === 'test_finished') this.tests.push(event.result);
    else if (event.type === 'slo_finished') this.slos.push(event.result);
    else return;
    this.schedule();
  }

  /** The final run_results.json (the command's own results when it returns them, else what was observed); closes the log. */
  finish(status: Exclude<RunStatus, 'running'>, results?: Recorded): string {
    clearTimeout(this.timer);
    this.timer = undefined;
    try {
      return this.write(status, results);
    } finally {
      this.close();
    }
  }

  private schedule(): void {
    if (this.timer || this.fd === undefined) return;
    const wait = Math.max(0, this.lastWrite + REWRITE_MS - performance.now());
    if (wait === 0) return this.rewrite();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.rewrite();
    }, wait);
    this.timer.unref();
  }

  private rewrite(): void {
    if (this.deferred) return;
    try {
      this.write('running');
    } catch (e) {
      this.deferred = e;
    }
  }

  private write(status: RunStatus, results: Recorded = { nodes: this.nodes, tests: this.tests, slos: this.slos }): string {
    this.lastWrite = performance.now();
    const seconds = (performance.now() - this.t0) / 1000;
    const finishedAt = status === 'running' ? undefined : new Date().toISOString();
    return writeRunResults(this.targetDir, { ...this.meta, status, finishedAt, seconds }, results.nodes, results.tests, results.slos, status !== 'running');
  }

  private close(): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    closeSync(fd);
  }
}

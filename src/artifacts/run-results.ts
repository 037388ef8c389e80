// target/run_results.json: what a run did to each node, with the run id and charter version. Written when the run
// starts (status "running"), rewritten as nodes finish and at the end, each time whole or not at all, so a run that
// is killed still says what it had done.
import path from 'node:path';
import { writeFileAtomic } from '../load/atomic-file.js';
import { claimTargetDir } from './target-folder.js';
import type { NodeResult } from '../execute/node-result.js';
import type { TestResult } from '../execute/run-data-test.js';
import type { SloResult } from '../execute/measure-slos.js';

/** running: the run is under way (or was killed); finished: it ran to its end; aborted: it stopped on an error. */
export type RunStatus = 'running' | 'finished' | 'aborted';

export interface RunMetadata {
  readonly runId: string;
  readonly charterVersion: string;
  readonly command: string;
  readonly status: RunStatus;
  readonly startedAt: string;
  /** Absent while the run is under way. */
  readonly finishedAt?: string;
  readonly seconds: number;
  readonly target: { readonly name: string; readonly engine: string };
  readonly selectors: { readonly select?: readonly string[]; readonly exclude?: readonly string[] };
}

export function writeRunResults(
  dir: string,
  meta: RunMetadata,
  results: readonly NodeResult[],
  tests: readonly TestResult[] = [],
  slos: readonly SloResult[] = [],
  /** fsync it: for the final results; the rewrites while the run goes on are superseded within a second. */
  durable = true,
): string {
  const file = path.join(dir, 'run_results.json');
  claimTargetDir(dir);
  const body = {
    metadata: {
      run_id: meta.runId,
      charter_version: meta.charterVersion,
      command: meta.command,
      status: meta.status,
      started_at: meta.startedAt,
      finished_at: meta.finishedAt ?? null,
      elapsed_seconds: meta.seconds,
      target: meta.target,
      selectors: meta.selectors,
    },
    summary: {
      success: results.filter((r) => r.status === 'success').length,
      error: results.filter((r) => r.status === 'error').length,
      skipped: results.filter((r) => r.status === 'skipped').length,
      tests: tally(tests),
      slos: tally(slos),
    },
    results: results.map((r) => ({
      unique_id: r.uniqueId,
      name: r.name,
      kind: r.kind,
      materialized: r.materialized ?? null,
      status: r.status,
      relation: r.relation,
      started_at: r.startedAt ?? null,
      seconds: r.seconds,
      rows_affected: r.rowsAffected ?? null,
      mode: r.mode ?? null,
      translated: r.translated ?? [],
      error: r.error ?? null,
      skipped_because: r.skippedBecause ?? null,
      note: r.note ?? null,
    })),
    tests: tests.map((t) => ({
      unique_id: t.uniqueId,
      name: t.name,
      model: t.modelId,
      column: t.column ?? null,
      kind: t.kind,
      severity: t.severity,
      status: t.status,
      failures: t.failures ?? null,
      seconds: t.seconds,
      stored_failures: t.storedIn ?? null,
      location: t.location,
      error: t.error ?? null,
    })),
    slos: slos.map((s) => ({
      id: s.id,
      model: s.modelId,
      kind: s.kind,
      column: s.column ?? null,
      measured: s.measured,
      unit: s.unit,
      threshold: s.threshold,
      status: s.status,
      detail: s.detail ?? null,
      location: s.location,
    })),
  };
  writeFileAtomic(file, JSON.stringify(body, null, 2), { durable });
  return file;
}

/** Outcomes by status: what the summary line and the exit code both count. */
function tally(results: ReadonlyArray<{ status: string }>): Record<'pass' | 'warn' | 'fail' | 'error' | 'skipped', number> {
  const n = (status: string): number => results.filter((r) => r.status === status).length;
  return { pass: n('pass'), warn: n('warn'), fail: n('fail'), error: n('error'), skipped: n('skipped') };
}

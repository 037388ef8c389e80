// result:<status> selectors read the last run's target/run_results.json: each node by its own status, and each model
// by its tests' and SLOs' (result:fail selects the models whose tests failed, so `result:fail+` rebuilds them and
// what they feed, as dbt users expect).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { RESULT_STATUSES, type ResultStatus } from '../graph/select.js';

export const mentionsResult = (...expressions: ReadonlyArray<readonly string[] | undefined>): boolean =>
  expressions.some((list) => (list ?? []).some((e) => /(^|[\s,+@])result:/.test(e)));

interface RecordedRun {
  readonly results?: ReadonlyArray<{ readonly unique_id: string; readonly status: string }>;
  readonly tests?: ReadonlyArray<{ readonly model: string; readonly status: string }>;
  readonly slos?: ReadonlyArray<{ readonly model: string; readonly status: string }>;
}

/** Per status, the nodes the last run left with it; undefined when no run has written results. */
export function lastRunResults(targetDir: string): ReadonlyMap<ResultStatus, ReadonlySet<string>> | undefined {
  const file = path.join(targetDir, 'run_results.json');
  if (!existsSync(file)) return undefined;
  let run: RecordedRun;
  try {
    run = JSON.parse(readFileSync(file, 'utf8')) as RecordedRun;
  } catch {
    return undefined;
  }
  const byStatus = new Map<ResultStatus, Set<string>>(RESULT_STATUSES.map((s) => [s, new Set<string>()]));
  const add = (status: string, id: string): void => {
    byStatus.get(status as ResultStatus)?.add(id);
  };
  for (const r of run.results ?? []) add(r.status, r.unique_id);
  for (const t of [...(run.tests ?? []), ...(run.slos ?? [])]) add(t.status, t.model);
  return byStatus;
}

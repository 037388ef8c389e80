// The last run's outcomes, read from target/run_results.json for the docs: each test's status and failing rows,
// each SLO's measurement. A file of another shape (or version) gives what can be read of it, never an error. Pure.

export interface LastResults {
  readonly run: { readonly runId: string; readonly command: string; readonly status: string; readonly finishedAt: string | null };
  readonly tests: ReadonlyMap<string, { readonly status: string; readonly failures: number | null }>;
  readonly slos: ReadonlyMap<string, { readonly status: string; readonly measured: number | null; readonly threshold: string; readonly unit: string }>;
}

const text = (v: unknown): string => (typeof v === 'string' ? v : '');
const count = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const records = (v: unknown): Array<Record<string, unknown>> => (Array.isArray(v) ? v.filter((r): r is Record<string, unknown> => !!r && typeof r === 'object') : []);

/** `json`: run_results.json parsed; undefined when it is not a run record at all. */
export function lastResults(json: unknown): LastResults | undefined {
  if (!json || typeof json !== 'object') return undefined;
  const body = json as Record<string, unknown>;
  const meta = (body['metadata'] && typeof body['metadata'] === 'object' ? body['metadata'] : {}) as Record<string, unknown>;
  if (!text(meta['run_id'])) return undefined;
  return {
    run: { runId: text(meta['run_id']), command: text(meta['command']), status: text(meta['status']), finishedAt: text(meta['finished_at']) || null },
    tests: new Map(records(body['tests']).filter((t) => text(t['unique_id'])).map((t) => [text(t['unique_id']), { status: text(t['status']), failures: count(t['failures']) }])),
    slos: new Map(
      records(body['slos'])
        .filter((s) => text(s['id']))
        .map((s) => [text(s['id']), { status: text(s['status']), measured: count(s['measured']), threshold: text(s['threshold']), unit: text(s['unit']) }]),
    ),
  };
}

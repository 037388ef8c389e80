// `--openlineage FILE` and the evidence bundle's lineage/openlineage.jsonl: a finished run's OpenLineage events, with
// the column lineage of the models it built traced (or read from the lineage cache) and the target named as
// OpenLineage names a warehouse. The events themselves are artifacts/openlineage.ts's, from data alone.
import path from 'node:path';
import { duckdbFile } from '../adapters/duckdb/database-file.js';
import { lineageCacheFile } from '../artifacts/lineage-cache.js';
import { openLineageEvents, toJsonLines, type RunEvent } from '../artifacts/openlineage.js';
import type { NodeResult } from '../execute/node-result.js';
import type { TestResult } from '../execute/run-data-test.js';
import type { ProjectLineage } from '../graph/column-lineage.js';
import { writeFileAtomic } from '../load/atomic-file.js';
import type { LoadedProject } from '../load/project-files.js';
import { IN_MEMORY } from '../load/project-paths.js';
import { CHARTER_VERSION } from '../version.js';
import type { CompiledSession } from './compile.js';

/** What a finished warehouse command recorded, as the events need it. */
export interface OpenLineageRunInput {
  readonly command: string;
  /** When the command started (ISO); it ended `seconds` later. */
  readonly startedAt: string;
  readonly seconds: number;
  readonly passed: boolean;
  readonly nodes: readonly NodeResult[];
  readonly tests: readonly TestResult[];
}

/**
 * The dataset namespace of a target (OpenLineage's naming: scheme, then the instance): the DuckDB file, or the
 * Snowflake account. Never a credential: the account identifier is not one.
 */
export function datasetNamespace(loaded: Pick<LoadedProject, 'rootDir' | 'target' | 'paths' | 'config'>): string {
  const target = loaded.target;
  if (target.engine === 'snowflake') return `snowflake://${(target.account ?? target.host ?? 'unknown-account').toLowerCase()}`;
  const file = duckdbFile(loaded);
  return file === IN_MEMORY ? 'duckdb://memory' : `duckdb://${file.split(path.sep).join('/')}`;
}

/** The run's events; column lineage is traced for the models it built (the lineage engine loads only then). */
export async function openLineageRunEvents(session: CompiledSession, run: OpenLineageRunInput): Promise<RunEvent[]> {
  const { loaded, compiled } = session;
  const built = run.nodes.filter((n) => n.kind === 'model' && n.status !== 'skipped').map((n) => n.uniqueId);
  const lineage: ProjectLineage = built.length
    ? (await import('./lineage.js')).projectLineage(compiled, loaded.contracts, built, lineageCacheFile(loaded.rootDir, loaded.paths.target))
    : { models: {}, shapes: {} };
  const ends = run.nodes.flatMap((n) => (n.startedAt ? [Date.parse(n.startedAt) + Math.round(n.seconds * 1000)] : []));
  const endedAt = new Date(Math.max(Date.parse(run.startedAt) + Math.round(run.seconds * 1000), ...ends)).toISOString();
  return openLineageEvents(
    { project: compiled, lineage, governance: session.governance.relations, datasetNamespace: datasetNamespace(loaded) },
    { runId: session.runId, command: run.command, startedAt: run.startedAt, endedAt, passed: run.passed, nodes: run.nodes, tests: run.tests },
    CHARTER_VERSION,
  );
}

/** The run's events as JSON lines: what `--openlineage` writes, for the evidence bundle to carry as well. */
export async function openLineageJsonl(session: CompiledSession, run: OpenLineageRunInput): Promise<string> {
  return toJsonLines(await openLineageRunEvents(session, run));
}

export async function writeOpenLineage(file: string, session: CompiledSession, run: OpenLineageRunInput): Promise<void> {
  writeFileAtomic(path.resolve(file), await openLineageJsonl(session, run));
}

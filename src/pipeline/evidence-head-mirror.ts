// The evidence chain head kept outside the evidence folder, in the target's OPS.charter_evidence_head
// (execute/evidence-head.ts): appended after every evidence-producing run, once its bundle and HEAD.json are
// written; and compared with HEAD.json by `charter evidence verify --against-warehouse`.
//
// The comparison is asked for, never automatic: verify works offline on a copied folder, and on DuckDB a running
// build holds the file's lock, so opening the warehouse is the user's decision. A verify opens the engine without
// charter's set-up and writes nothing.
import path from 'node:path';
import type { Adapter } from '../adapters/adapter.js';
import { createAdapter } from '../adapters/create-adapter.js';
import { dialectFor } from '../adapters/dialects.js';
import { targetDatabase } from '../adapters/targets.js';
import type { EvidenceHead } from '../artifacts/evidence-chain.js';
import { mirroredHeadProblem } from '../artifacts/evidence-head-mirror.js';
import { error, type Diagnostic } from '../diagnostics/diagnostic.js';
import { readEvidenceHead, recordEvidenceHead } from '../execute/evidence-head.js';
import type { OpsSchema } from '../execute/run-context.js';
import { StatementLog, StatementRunner } from '../execute/statement-runner.js';
import type { LoadedProject } from '../load/project-files.js';
import { loadProject } from '../load/load-project.js';
import { evidenceRoot } from '../load/project-paths.js';
import { layerSchema } from '../render/compile-project.js';
import type { CompiledSession } from './compile.js';
import { readHead } from './evidence-bundle.js';
import type { ProjectOptions } from './options.js';

function opsOf(loaded: LoadedProject): OpsSchema {
  return { database: dialectFor(loaded.target.engine).normalizeIdentifier(targetDatabase(loaded)), schema: layerSchema(loaded, 'ops') };
}

async function onSession<T>(adapter: Adapter, log: StatementLog, work: (runner: StatementRunner) => Promise<T>): Promise<T> {
  const session = await adapter.openSession();
  try {
    return await work(new StatementRunner(session, log));
  } finally {
    await session.close();
  }
}

/**
 * After a run's bundle: its head (as HEAD.json now says) appended to OPS.charter_evidence_head, through the engine the
 * run used (opened if the run never did). A failure is a warning: the bundle stands, and a verify against the
 * warehouse will name the gap.
 */
export async function mirrorEvidenceHead(session: CompiledSession, adapter: () => Promise<Adapter>, log: StatementLog, now: () => Date = () => new Date()): Promise<Diagnostic[]> {
  const { loaded } = session;
  const head = readHead(path.join(loaded.rootDir, evidenceRoot(loaded.config, loaded.paths, loaded.rootDir)));
  if (head?.runId !== session.runId) return [];
  try {
    const engine = await adapter();
    await onSession(engine, log, ({ run }) => recordEvidenceHead(engine, run, opsOf(loaded), { runId: head.runId, digest: head.digest, chainLength: head.chain.length }, now()));
    return [];
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return [{
      code: 'evidence.head_mismatch', severity: 'warning',
      message: `the evidence head (run ${head.runId}) was not recorded in the warehouse's OPS.charter_evidence_head: ${message}`,
      hint: '`charter evidence verify --against-warehouse` will report the gap until a later run records its own head',
    }];
  }
}

/** The newest head the target's warehouse records, read without charter's set-up; undefined when it records none. */
export async function warehouseHead(options: ProjectOptions): Promise<{ head: Awaited<ReturnType<typeof readEvidenceHead>>; target: string }> {
  const loaded = await loadProject(options);
  const adapter = createAdapter(loaded, 1, { runId: 'evidence-verify', command: 'evidence verify' });
  await adapter.open();
  try {
    const head = await onSession(adapter, new StatementLog(), ({ run }) => readEvidenceHead(adapter, run, opsOf(loaded)));
    return { head, target: loaded.targetName };
  } finally {
    await adapter.close();
  }
}

/** `evidence verify --against-warehouse`: an error when HEAD.json and the warehouse's newest recorded head differ. */
export async function warehouseHeadDiagnostics(options: ProjectOptions, head: EvidenceHead | undefined): Promise<Diagnostic[]> {
  const { head: mirrored, target } = await warehouseHead(options);
  const problem = mirroredHeadProblem(head, mirrored);
  return problem
    ? [error('evidence.head_mismatch', `target ${target}: ${problem}`, { hint: 'a chain rewritten on disk, a run whose head was not recorded, or a HEAD.json from another target' })]
    : [];
}

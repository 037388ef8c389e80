// The shared body of `seed`, `run` and `build`: compile, select, execute, record, report.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createAdapter } from '../adapters/create-adapter.js';
import { throwIfErrors } from '../diagnostics/diagnostic.js';
import { runGraph } from '../execute/run-graph.js';
import { writeRunResults } from '../execute/run-results.js';
import { StatementLog } from '../execute/statement-runner.js';
import { selectNodes } from '../graph/select.js';
import { checkTableReferences } from '../validate/check-table-references.js';
import { CHARTER_VERSION } from '../version.js';
import { compileFromOptions, sourceReader } from './compile-pipeline.js';
import type { GlobalOptions } from './global-options.js';
import { createReporter } from './reporter.js';

export interface RunNodesOptions extends GlobalOptions {
  readonly fullRefresh?: boolean;
}

/** Returns the exit code: 0 only when every selected node succeeded. */
export async function runNodes(command: string, options: RunNodesOptions, kinds: ReadonlyArray<'model' | 'seed'>): Promise<number> {
  const startedAt = new Date();
  const t0 = performance.now();
  const reporter = createReporter(options.logFormat, options.quiet);
  const session = await compileFromOptions(options);
  const { compiled, loaded } = session;
  const selection = selectNodes(compiled, options.select, options.exclude);
  throwIfErrors(selection.diagnostics);
  const selected = new Set(
    [...selection.selected].filter((id) => kinds.includes(compiled.nodes.get(id)?.kind as 'model' | 'seed')),
  );
  const targetThreads = loaded.target.threads;
  const threads = options.threads ?? targetThreads ?? 4;
  reporter.info(
    `charter ${CHARTER_VERSION} ${command}: ${selected.size} of ${compiled.nodes.size} nodes on ${loaded.targetName} (${loaded.target.engine}), ${threads} threads`,
    { runId: session.runId },
  );

  const warnings = [...selected].flatMap((id) => {
    const node = compiled.nodes.get(id);
    return node?.kind === 'model' ? (checkTableReferences(node, compiled) ?? []) : [];
  });
  reporter.diagnostics(warnings, sourceReader(loaded.rootDir));

  const adapter = createAdapter(loaded, threads);
  const log = new StatementLog();
  await adapter.open();
  let results;
  try {
    results = await runGraph(compiled, adapter, {
      selected,
      threads,
      fullRefresh: options.fullRefresh ?? false,
      statementLog: log,
      onEvent: (e) => reporter.event(e),
    });
  } finally {
    await adapter.close();
  }
  const seconds = (performance.now() - t0) / 1000;
  const targetDir = path.join(loaded.rootDir, loaded.paths.target);
  await writeRunResults(targetDir, {
    runId: session.runId,
    charterVersion: CHARTER_VERSION,
    command,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    seconds,
    target: { name: loaded.targetName, engine: loaded.target.engine },
    selectors: { select: options.select, exclude: options.exclude },
  }, results);
  await mkdir(path.join(targetDir, 'logs'), { recursive: true });
  await writeFile(path.join(targetDir, 'logs', `statements-${session.runId}.jsonl`), log.toJsonLines());
  reporter.diagnostics(results.flatMap((r) => (r.error ? [r.error] : [])), sourceReader(loaded.rootDir));
  reporter.summary(results, seconds);
  return results.every((r) => r.status === 'success') ? 0 : 1;
}

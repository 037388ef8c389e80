// Test helpers: build a fixture project through the real executor and read its DuckDB file.
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { createAdapter } from '../../src/adapters/create-adapter.js';
import type { NodeResult } from '../../src/execute/node-result.js';
import { runGraph } from '../../src/execute/run-graph.js';
import { selectNodes } from '../../src/graph/select.js';
import { loadProject } from '../../src/load/load-project.js';
import { compileProject } from '../../src/render/compile-project.js';

export interface BuildOptions {
  readonly select?: string[];
  readonly exclude?: string[];
  readonly fullRefresh?: boolean;
  readonly threads?: number;
  readonly vars?: Record<string, unknown>;
}

export async function buildDir(dir: string, options: BuildOptions = {}): Promise<NodeResult[]> {
  const loaded = await loadProject({ projectDir: dir, vars: options.vars });
  const compiled = compileProject(loaded);
  const { selected } = selectNodes(compiled, options.select, options.exclude);
  const adapter = createAdapter(loaded, options.threads ?? 2);
  await adapter.open();
  try {
    return await runGraph(compiled, adapter, { selected, threads: options.threads ?? 2, fullRefresh: options.fullRefresh ?? false });
  } finally {
    await adapter.close();
  }
}

/** Rows of a query against a project's DuckDB file, opened and closed around the query. */
export async function queryWarehouse(dir: string, sql: string, file = 'target/shop.duckdb'): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(path.join(dir, file));
  try {
    const connection = await instance.connect();
    const rows = (await connection.runAndReadAll(sql)).getRowObjectsJson();
    connection.closeSync();
    return rows as Record<string, unknown>[];
  } finally {
    instance.closeSync();
  }
}

export const statusOf = (results: readonly NodeResult[]): Record<string, string> =>
  Object.fromEntries(results.map((r) => [r.name, r.status]));

/** A build as `charter build` does it: contracts enforced, tests after each model. */
export async function buildWithContracts(
  dir: string,
  options: BuildOptions & { storeFailures?: boolean } = {},
): Promise<import('../../src/execute/run-graph.js').RunOutcome> {
  const { compileFromOptions } = await import('../../src/pipeline/compile.js');
  const { auditRelationFor, baselineTableFor, slosFor } = await import('../../src/pipeline/run-nodes.js');
  const { runGraphWithTests } = await import('../../src/execute/run-graph.js');
  const session = await compileFromOptions({ projectDir: dir, quiet: true, logFormat: 'text', debug: false, vars: options.vars });
  const { selected } = selectNodes(session.compiled, options.select, options.exclude);
  const adapter = createAdapter(session.loaded, options.threads ?? 2);
  await adapter.open();
  try {
    return await runGraphWithTests(session.compiled, adapter, {
      selected,
      threads: options.threads ?? 2,
      fullRefresh: options.fullRefresh ?? false,
      contractFor: (id) => session.contracts.byModel.get(id),
      tests: {
        testsFor: (id) => session.testsByNode.get(id) ?? [],
        storeFailures: options.storeFailures ?? false,
        auditRelation: auditRelationFor(session),
        slosFor: slosFor(session),
        baselineTable: baselineTableFor(session),
      },
    });
  } finally {
    await adapter.close();
  }
}

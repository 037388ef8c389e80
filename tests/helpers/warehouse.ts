// Test helpers: build a fixture project through the pipeline library and read its DuckDB file.
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { NodeResult } from '../../src/execute/node-result.js';
import type { RunResults } from '../../src/pipeline/finish-run.js';

export interface BuildOptions {
  readonly select?: string[];
  readonly exclude?: string[];
  readonly fullRefresh?: boolean;
  readonly threads?: number;
  readonly vars?: Record<string, unknown>;
}

/** The selected seeds and models in DAG order, without tests (`charter seed` then `charter run`, in one go). */
export async function buildDir(dir: string, options: BuildOptions = {}): Promise<NodeResult[]> {
  const { runNodes } = await import('../../src/pipeline/build.js');
  return [...(await runNodes('run', { projectDir: dir, threads: 2, ...options }, { kinds: ['seed', 'model'], withTests: false })).nodes];
}

/**
 * Rows of a query against a project's DuckDB file, opened and closed around the query, as the deploying role reads
 * it: governed relations as stored, not through their masking (tests/governance reads them as other roles).
 */
export async function queryWarehouse(dir: string, sql: string, file = 'target/shop.duckdb'): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(path.join(dir, file));
  try {
    const connection = await instance.connect();
    await connection.run('SET VARIABLE charter_unrestricted = true');
    const rows = (await connection.runAndReadAll(sql)).getRowObjectsJson();
    connection.closeSync();
    return rows as Record<string, unknown>[];
  } finally {
    instance.closeSync();
  }
}

export const statusOf = (results: readonly NodeResult[]): Record<string, string> =>
  Object.fromEntries(results.map((r) => [r.name, r.status]));

/** A build as `charter build` does it: contracts enforced, unit tests before and tests after each model. */
export async function buildWithContracts(dir: string, options: BuildOptions & { storeFailures?: boolean; unredactedFailures?: boolean; failFast?: boolean } = {}): Promise<RunResults> {
  const { build } = await import('../../src/pipeline/build.js');
  return build({ projectDir: dir, threads: options.threads ?? 2, ...options });
}

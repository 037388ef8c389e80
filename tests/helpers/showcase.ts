// Test helpers for the showcase project at the repo root: private copies to build, and queries of their warehouse.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import type { SloResult } from '../../src/execute/measure-slos.js';
import type { TestResult } from '../../src/execute/run-data-test.js';
import { repoRoot } from './project.js';
import { queryWarehouse } from './warehouse.js';

export const SHOWCASE_DB = 'target/phantom_sec.duckdb';

const copies: string[] = [];

/**
 * A private copy of the showcase project: project.yml, models/, macros/, seeds/ and, when asked for, contracts/
 * (with policies/) and semantic_views/.
 * Call `removeShowcaseCopies` in the file's afterAll.
 */
export function showcaseCopy({ contracts = false, semanticViews = false }: { readonly contracts?: boolean; readonly semanticViews?: boolean } = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'charter-showcase-'));
  copies.push(dir);
  for (const entry of ['project.yml', 'models', 'macros', 'seeds', ...(contracts ? ['contracts', 'policies'] : []), ...(semanticViews ? ['semantic_views'] : [])]) {
    cpSync(path.join(repoRoot, entry), path.join(dir, entry), {
      recursive: true,
      // The generator's TypeScript sources are not part of the project.
      filter: (src) => path.relative(repoRoot, src) !== path.join('seeds', 'generator'),
    });
  }
  return dir;
}

export function removeShowcaseCopies(): void {
  for (const copy of copies.splice(0)) rmSync(copy, { recursive: true, force: true });
}

/** Rows of a query against a showcase copy's warehouse. */
export const showcaseQuery = (dir: string, sql: string): Promise<Record<string, unknown>[]> => queryWarehouse(dir, sql, SHOWCASE_DB);

/** One open connection to a showcase copy's warehouse, for many queries (opening the file costs a tenth of a second). */
export async function openShowcaseWarehouse(dir: string): Promise<{ query: (sql: string) => Promise<Record<string, unknown>[]>; close: () => void }> {
  const instance = await DuckDBInstance.create(path.join(dir, SHOWCASE_DB));
  const connection = await instance.connect();
  // As the deploying role reads it: governed relations as stored (see queryWarehouse).
  await connection.run('SET VARIABLE charter_unrestricted = true');
  return {
    query: async (sql) => (await connection.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[],
    close: () => {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/** Appends one CSV line to a gzipped seed file. */
export function appendToGzipCsv(file: string, line: string): void {
  const text = gunzipSync(readFileSync(file)).toString('utf8');
  writeFileSync(file, gzipSync(`${text.replace(/\n?$/, '\n')}${line}\n`));
}

/** The showcase's models by layer. */
export const MODELS = {
  bronze: ['brz_customers', 'brz_subscription_events', 'brz_compliance_frameworks', 'brz_framework_adoptions', 'brz_compliance_activities', 'brz_phi_incidents'],
  silver: ['stg_customers', 'stg_subscription_events', 'stg_frameworks', 'stg_framework_adoptions', 'stg_compliance_activities', 'stg_phi_incidents'],
  platinum: ['dim_customer_360', 'fct_mrr_monthly', 'fct_arr_quarterly', 'fct_framework_adoptions', 'fct_compliance_activities', 'fct_phi_incidents'],
  ops: ['ops_revenue_reconciliation'],
} as const;
export const ALL_MODELS: readonly string[] = Object.values(MODELS).flat();

// For assertion messages: a test or SLO result on one line.
export const modelOf = (id: string): string => id.split('.').at(-1) ?? id;
export const describeTest = (t: TestResult): string =>
  `${t.uniqueId} [${t.kind}] ${t.status}${t.failures !== undefined ? ` (${t.failures} failing rows)` : ''}${t.error ? `: ${t.error.message}` : ''} at ${t.location.file}:${t.location.line}`;
export const describeSlo = (s: SloResult): string =>
  `${s.id} [${s.kind}] ${s.status}: measured ${s.measured} ${s.unit}, threshold ${s.threshold}${s.detail ? ` (${s.detail})` : ''}`;
export const notPassing = <T extends { status: string }>(results: readonly T[]): T[] => results.filter((r) => r.status !== 'pass');

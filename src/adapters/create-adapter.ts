// The explicit adapter factory: a target's config to the engine that runs it. The only file that loads engine code.
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { error, UserError } from '../diagnostics/diagnostic.js';
import type { LoadedProject } from '../load/project-files.js';
import type { Adapter, TranslatedSql, UnitTestSandbox } from './adapter.js';
import { DuckDBAdapter } from './duckdb/adapter.js';
import { duckdbFile } from './duckdb/database-file.js';
import { DuckDBTranslator } from './duckdb/translator.js';
import { createDuckdbSandbox } from './duckdb/unit-test-sandbox.js';
import { readCsvTyped } from './duckdb/read-csv.js';
import { SnowflakeAdapter } from './snowflake/adapter.js';
import { processEnvironment, resolveConnectionSettings } from './snowflake/connection-settings.js';
import { CHARTER_VERSION } from '../version.js';

/** Who is running: goes into every Snowflake statement's QUERY_TAG. */
export interface RunIdentity {
  readonly runId: string;
  readonly command: string;
}

export function createAdapter(project: Pick<LoadedProject, 'rootDir' | 'target' | 'targetName' | 'targetLocation' | 'paths' | 'config'>, threads: number, run: RunIdentity): Adapter {
  const target = project.target;
  switch (target.engine) {
    case 'duckdb':
      return new DuckDBAdapter({
        file: duckdbFile(project),
        threads: duckdbThreads(threads),
        translationCacheFile: path.join(project.rootDir, project.paths.target, '.charter', 'translations.json'),
      });
    case 'snowflake':
      return new SnowflakeAdapter({
        settings: resolveConnectionSettings(project.targetName, target, processEnvironment(), project.targetLocation),
        tag: { charter: CHARTER_VERSION, run: run.runId, command: run.command, target: project.targetName },
        readCsv: readCsvTyped,
      });
  }
}

/** Unit tests run on a private in-memory DuckDB whatever the target: logic checks need no warehouse. */
export function createUnitTestSandbox(): UnitTestSandbox {
  return createDuckdbSandbox();
}

/** The Snowflake-to-engine translator alone, without opening a database (for the local-parity report). */
export function createTranslator(engine: 'duckdb'): (snowflakeSql: string) => TranslatedSql {
  switch (engine) {
    case 'duckdb': {
      const translator = new DuckDBTranslator();
      return (sql) => translator.translate(sql);
    }
  }
}

/**
 * DuckDB's own worker threads. charter already runs `threads` models at once, so by default they are capped at the
 * cores there are; CHARTER_DUCKDB_THREADS sets them where other work shares the machine (several builds at once,
 * a test runner's workers), and DuckDB threads beyond the free cores would only contend.
 */
function duckdbThreads(threads: number): number {
  const given = process.env['CHARTER_DUCKDB_THREADS'];
  if (given === undefined || given === '') return Math.min(availableParallelism(), Math.max(2, threads));
  const n = Number(given);
  if (!Number.isInteger(n) || n < 1) {
    throw new UserError([error('cli.usage', `CHARTER_DUCKDB_THREADS must be a whole number of threads, 1 or more; it is \`${given}\``, { hint: 'unset it to let charter choose (the cores there are)' })]);
  }
  return n;
}

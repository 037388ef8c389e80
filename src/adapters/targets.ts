// What a target's config means before any engine is loaded: the database its relations live in, and the local
// files a `clean --database` may remove. Engine code is loaded only by create-adapter.ts.
import type { LoadedProject } from '../load/project-files.js';
import { duckdbCatalog, duckdbFile } from './duckdb/database-file.js';

/** The database a target's relations live in: the Snowflake database, or the DuckDB file's catalog. */
export function targetDatabase(project: Pick<LoadedProject, 'rootDir' | 'target' | 'paths' | 'config'>): string {
  const target = project.target;
  return target.engine === 'snowflake' ? target.database : duckdbCatalog(duckdbFile(project));
}

/** Files under the project that hold the target's warehouse: the file, its WAL and its spill folder (none for a remote or in-memory engine). */
export function localDatabaseFiles(project: Pick<LoadedProject, 'rootDir' | 'target' | 'paths' | 'config'>): string[] {
  if (project.target.engine !== 'duckdb') return [];
  const file = duckdbFile(project);
  return file === ':memory:' ? [] : [file, `${file}.wal`, `${file}.tmp`];
}

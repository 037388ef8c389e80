// Where a project's local DuckDB database lives, and the catalog name DuckDB gives it; no engine code, cheap to import.
import path from 'node:path';
import { IN_MEMORY } from '../../load/project-paths.js';
import type { LoadedProject } from '../../load/project-files.js';

/** The target's `path` (':memory:' kept as is: an in-memory database), else target/<project>.duckdb, absolute. */
export function duckdbFile(project: Pick<LoadedProject, 'rootDir' | 'target' | 'paths' | 'config'>): string {
  const target = project.target;
  if (target.engine === 'duckdb' && target.path === IN_MEMORY) return IN_MEMORY;
  const relative = target.engine === 'duckdb' && target.path ? target.path : `${project.paths.target}/${project.config.name}.duckdb`;
  return path.resolve(project.rootDir, relative);
}

/**
 * The catalog DuckDB names a database after (AttachedDatabase::ExtractDatabaseName): the file's base name up to its
 * first dot, empty parts skipped (`dev.local.duckdb` and `.dev.duckdb` are both `dev`); the reserved names `main`,
 * `temp` and `system` get `_db` appended; an in-memory database is `memory`.
 */
export function duckdbCatalog(file: string): string {
  if (file === IN_MEMORY || file === '') return 'memory';
  const name = path.basename(file).split('.').find((part) => part !== '') ?? 'memory';
  return ['main', 'temp', 'system'].includes(name) ? `${name}_db` : name;
}

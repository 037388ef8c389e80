// Where a project's local DuckDB database lives, and the catalog name DuckDB gives it; no engine code, cheap to import.
import path from 'node:path';
import type { LoadedProject } from '../../load/project-files.js';

/** The target's `path`, else target/<project>.duckdb, absolute. */
export function duckdbFile(project: Pick<LoadedProject, 'rootDir' | 'target' | 'paths' | 'config'>): string {
  const target = project.target;
  const relative = target.engine === 'duckdb' && target.path ? target.path : `${project.paths.target}/${project.config.name}.duckdb`;
  return path.resolve(project.rootDir, relative);
}

/** DuckDB names a file's catalog after its base name without extension; an in-memory database is `memory`. */
export function duckdbCatalog(file: string): string {
  return file === ':memory:' ? 'memory' : path.basename(file).replace(/\.[^.]*$/, '');
}

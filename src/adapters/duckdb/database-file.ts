// Where a project's local DuckDB database lives; no engine code, so cheap to import.
import path from 'node:path';
import type { LoadedProject } from '../../load/project-files.js';

export function duckdbFile(project: LoadedProject): string {
  const target = project.target;
  const relative = target.engine === 'duckdb' && target.path ? target.path : `${project.paths.target}/${project.config.name}.duckdb`;
  return path.resolve(project.rootDir, relative);
}

// The explicit adapter factory: a target's config to the engine that runs it.
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { error, UserError } from '../diagnostics/diagnostic.js';
import type { LoadedProject } from '../load/project-files.js';
import type { Adapter } from './adapter.js';
import { DuckDBAdapter } from './duckdb/adapter.js';
import { duckdbFile } from './duckdb/database-file.js';

export function createAdapter(project: LoadedProject, threads: number): Adapter {
  const target = project.target;
  switch (target.engine) {
    case 'duckdb':
      // charter already runs `threads` models at once; DuckDB's own threads are capped at the cores there are.
      return new DuckDBAdapter({
        file: duckdbFile(project),
        threads: Math.min(availableParallelism(), Math.max(2, threads)),
        translationCacheFile: path.join(project.rootDir, project.paths.target, '.charter', 'translations.json'),
      });
    case 'snowflake':
      throw new UserError([
        error('cli.usage', `target \`${project.targetName}\` runs on Snowflake, which this charter version can compile for but not yet run on`, {
          hint: `\`charter compile --target ${project.targetName}\` renders the Snowflake SQL; build locally with the duckdb target`,
        }),
      ]);
  }
}

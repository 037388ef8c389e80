// A migration script rendered like a model: var(), target, macros, and ref()/source() resolved to the target's
// relation names. What only makes sense for a model (config(), this, is_incremental()) is an error here.
import { error, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { LoadedProject } from '../load/project-files.js';
import type { MigrationScript } from '../load/load-migrations.js';
import { nodeIndex } from '../project/lookup.js';
import type { CompiledProject } from '../project/nodes.js';
import { PLACEHOLDER_PATTERN, TemplateEnvironment } from './template-environment.js';

export function migrationEnvironment(loaded: LoadedProject, compiled: CompiledProject): TemplateEnvironment {
  const sources = new Map<string, string>();
  for (const node of compiled.nodes.values()) if (node.kind === 'source') sources.set(node.name, node.relationName);
  const refNames = new Set([...compiled.nodes.values()].filter((n) => n.kind !== 'source').map((n) => n.name));
  return new TemplateEnvironment({ engine: compiled.target.engine, targetName: loaded.targetName, vars: loaded.vars, refNames, sources, macros: loaded.macros });
}

export function renderMigration(env: TemplateEnvironment, compiled: CompiledProject, script: MigrationScript): { sql?: string; diagnostics: Diagnostic[] } {
  const { sql, capture } = env.render({ name: script.path, path: script.path, layer: undefined, folders: [], raw: script.text, rawHash: script.checksum });
  if (capture.diagnostics.length) return { diagnostics: capture.diagnostics };
  const at = { file: script.path, line: 1, column: 1 };
  if (Object.keys(capture.config).length || capture.usesIsIncremental) {
    return { diagnostics: [error('migration.invalid', 'config() and is_incremental() are for models, not migrations', { location: at })] };
  }
  const index = nodeIndex(compiled);
  const problems: Diagnostic[] = [];
  const resolved = sql.replace(PLACEHOLDER_PATTERN, (_all, ref?: string, source?: string) => {
    const node = ref !== undefined ? index.ref(ref) : source !== undefined ? index.source(source) : undefined;
    if (!node) problems.push(error('migration.invalid', ref === undefined && source === undefined ? '`this` is for models, not migrations' : `cannot resolve ${ref ?? source}`, { location: at }));
    return node?.relationName ?? '';
  });
  return problems.length ? { diagnostics: problems } : { sql: resolved, diagnostics: [] };
}

// dbt_project.yml to charter's project.yml: paths, vars, folder configs and seed defaults carry over, and every key
// that does not is reported with its line. Pure: the caller reads the file and lists the model folders.
import { stringify } from 'yaml';
import type { SourceLocation } from '../diagnostics/diagnostic.js';
import type { ModelDefaults, ProjectConfig } from './project-schema.js';
import { parseYamlFile } from './yaml-file.js';

/** One key of dbt_project.yml that charter's project.yml does not carry, and why. */
export interface DbtImportNote {
  readonly message: string;
  readonly location: SourceLocation;
}

export interface DbtProjectImport {
  readonly config: ProjectConfig;
  /** project.yml's text, with a header saying where it came from. */
  readonly yaml: string;
  readonly notes: readonly DbtImportNote[];
}

export class DbtImportError extends Error {
  constructor(message: string, readonly location: SourceLocation) {
    super(message);
  }
}

type Raw = Record<string, unknown>;
type Path = ReadonlyArray<string | number>;
const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]*$/;
const MATERIALIZATIONS: ReadonlySet<string> = new Set(['view', 'table', 'incremental', 'ephemeral', 'dynamic_table']);
/** Path keys (and their pre-1.0 names) to charter's `paths:`; the values are charter's defaults. */
const PATH_KEYS: ReadonlyArray<readonly [dbt: readonly string[], charter: 'models' | 'seeds' | 'macros' | 'tests' | 'target', fallback: string]> = [
  [['model-paths', 'source-paths'], 'models', 'models'],
  [['seed-paths', 'data-paths'], 'seeds', 'seeds'],
  [['macro-paths'], 'macros', 'macros'],
  [['test-paths'], 'tests', 'tests'],
  [['target-path'], 'target', 'target'],
];
const HANDLED = new Set(['name', 'version', 'profile', 'vars', 'models', 'seeds', ...PATH_KEYS.flatMap(([keys]) => keys)]);
/** Keys with nothing to carry: said once, quietly, so the report lists what matters. */
const NO_MEANING: Readonly<Record<string, string>> = {
  'config-version': 'charter has one project.yml format',
  'require-dbt-version': 'charter does not run dbt',
  'clean-targets': '`charter clean` removes the target folder',
  'packages-install-path': 'charter does not install dbt packages',
  'log-path': 'charter writes no dbt logs',
};

/**
 * `dbt_project.yml` (`text`) as a charter project.yml. `modelFolders` are the folders right under the models path:
 * root-level `models:` configs go to each of them, as charter's defaults are per folder.
 */
export function importDbtProject(text: string, file: string, modelFolders: readonly string[]): DbtProjectImport {
  const yaml = parseYamlFile(file, text);
  const first = yaml.diagnostics[0];
  if (first) throw new DbtImportError(first.message, first.location ?? { file, line: 1, column: 1 });
  const dbt = yaml.value;
  if (!isObject(dbt)) throw new DbtImportError('dbt_project.yml is not a mapping', { file, line: 1, column: 1 });
  const notes: DbtImportNote[] = [];
  const note = (at: Path, message: string, keyOf?: string): void => {
    notes.push({ message, location: yaml.locate(at, keyOf) });
  };

  const dbtName = typeof dbt.name === 'string' ? dbt.name : 'dbt_project';
  const name = dbtName.toLowerCase().replace(/[^a-z0-9_]/g, '_').replace(/^([0-9])/, '_$1');
  if (name !== dbtName) note(['name'], `name \`${dbtName}\` became \`${name}\` (charter names are lower-case identifiers)`);
  const config: { -readonly [K in keyof ProjectConfig]: ProjectConfig[K] } = {
    name,
    version: dbt.version === undefined ? '1.0.0' : String(dbt.version),
    default_target: 'dev',
    targets: { dev: { engine: 'duckdb', path: `target/${name}.duckdb` } },
  };
  if (dbt.profile !== undefined) {
    note(['profile'], `profile \`${String(dbt.profile)}\` is not read: charter's connections are targets in project.yml; a local DuckDB target \`dev\` was written (add a snowflake target to deploy)`, 'profile');
  }

  const paths: Record<string, string> = {};
  for (const [keys, charter, fallback] of PATH_KEYS) {
    const key = keys.find((k) => dbt[k] !== undefined);
    if (key === undefined) continue;
    const value = dbt[key];
    const list = Array.isArray(value) ? value.map(String) : [String(value)];
    if (list.length > 1) note([key], `${key}: charter reads one ${charter} folder; kept \`${list[0]}\`, not ${list.slice(1).map((p) => `\`${p}\``).join(', ')}`, key);
    if (list[0] !== undefined && list[0] !== fallback) paths[charter] = list[0];
  }
  if (Object.keys(paths).length) config.paths = paths;

  if (dbt.vars !== undefined) config.vars = importVars(dbt.vars, dbtName, note);
  if (dbt.models !== undefined) {
    const models = importModelConfigs(dbt.models, dbtName, modelFolders, note);
    if (Object.keys(models).length) config.models = models;
  }
  if (dbt.seeds !== undefined) {
    const seeds = importSeedConfigs(dbt.seeds, dbtName, note);
    if (Object.keys(seeds).length) config.seeds = seeds;
  }
  for (const key of Object.keys(dbt)) {
    if (HANDLED.has(key)) continue;
    const why = NO_MEANING[key];
    note([], `${key}: not carried${why ? ` (${why})` : ''}`, key);
  }
  const header = `# charter project converted from ${file} by \`charter import-dbt\`.\n# Review the notes it printed: each names a dbt setting that was not carried over.\n`;
  return { config: config as ProjectConfig, yaml: header + stringify(config), notes };
}

type Note = (at: Path, message: string, keyOf?: string) => void;

/** Flat vars carry; vars scoped to this project are flattened; another package's vars have no package to go to. */
function importVars(vars: unknown, project: string, note: Note): Record<string, unknown> {
  if (!isObject(vars)) {
    note(['vars'], 'vars: expected a mapping; not carried');
    return {};
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(vars)) {
    if (key === project && isObject(value)) Object.assign(out, value);
    // dbt reads a mapping under vars as the vars of the package it names: no package here to give them to.
    else if (isObject(value)) note(['vars'], `vars.${key}: a mapping under vars scopes vars to package \`${key}\` in dbt; not carried`, key);
    else out[key] = value;
  }
  return out;
}

type Defaults = { -readonly [K in keyof ModelDefaults]: ModelDefaults[K] };

/** `models: {<project>: {<folder>: {+materialized: ...}}}` to charter's per-folder defaults. */
function importModelConfigs(models: unknown, project: string, topFolders: readonly string[], note: Note): Record<string, ModelDefaults> {
  if (!isObject(models)) {
    note(['models'], 'models: expected a mapping; not carried');
    return {};
  }
  const out: Record<string, Defaults> = {};
  for (const [key, tree] of Object.entries(models)) {
    if (key !== project || !isObject(tree)) {
      note(['models'], key.startsWith('+') ? `models.${key}: configs outside the \`${project}:\` tree are not carried` : `models.${key}: configs of package \`${key}\` are not carried`, key);
      continue;
    }
    walk(tree, ['models', key], [], out, note);
  }
  // Charter's defaults hang off folders: the project's own become defaults of each top folder, the folder's over them.
  const root = out[''];
  delete out[''];
  if (root) {
    for (const folder of topFolders) {
      const own = out[folder] ?? {};
      out[folder] = { ...root, ...own, ...(root.tags || own.tags ? { tags: [...new Set([...(root.tags ?? []), ...(own.tags ?? [])])] } : {}) };
    }
  }
  return out;
}

const CONFIG_WORDS: ReadonlySet<string> = new Set([
  'materialized', 'schema', 'tags', 'enabled', 'transient', 'database', 'alias', 'persist_docs', 'docs', 'meta', 'contract',
  'grants', 'pre-hook', 'post-hook', 'pre_hook', 'post_hook', 'on_schema_change', 'incremental_strategy', 'unique_key',
  'cluster_by', 'snowflake_warehouse', 'copy_grants', 'query_tag', 'full_refresh', 'group', 'access', 'secure', 'automatic_clustering',
]);

function walk(tree: Raw, at: Path, folders: readonly string[], out: Record<string, Defaults>, note: Note): void {
  const key = folders.join('/');
  for (const [raw, value] of Object.entries(tree)) {
    const isConfig = raw.startsWith('+') || (CONFIG_WORDS.has(raw) && !isObject(value)) || !isObject(value);
    if (!isConfig) {
      walk(value as Raw, [...at, raw], [...folders, raw], out, note);
      continue;
    }
    const config = raw.replace(/^\+/, '');
    const where = `models: ${[...folders].join('/') || '(project)'} ${raw}`;
    const set = (field: keyof Defaults, v: Defaults[keyof Defaults]): void => {
      out[key] = { ...(out[key] ?? {}), [field]: v };
    };
    if (config === 'materialized' && typeof value === 'string' && MATERIALIZATIONS.has(value)) set('materialized', value as Defaults['materialized']);
    else if (config === 'schema' && typeof value === 'string' && IDENTIFIER.test(value)) {
      set('schema', value);
      // Carried, but its meaning differs: dbt's default generate_schema_name prefixes the target's schema.
      note(at, `${where}: carried as schema \`${value}\` itself; dbt's default would build in <target schema>_${value}`, raw);
    } else if (config === 'tags' && (typeof value === 'string' || Array.isArray(value))) set('tags', (Array.isArray(value) ? value : [value]).map(String));
    else if ((config === 'enabled' || config === 'transient') && typeof value === 'boolean') set(config, value);
    else note(at, `${where}: ${JSON.stringify(value)} is not carried${config === 'materialized' ? ' (charter builds view, table, incremental, ephemeral and dynamic_table)' : ''}`, raw);
  }
}

/** Seed configs: the project-wide schema and tags carry; per-folder or per-seed settings are reported. */
function importSeedConfigs(seeds: unknown, project: string, note: Note): { schema?: string; tags?: string[] } {
  const out: { schema?: string; tags?: string[] } = {};
  if (!isObject(seeds)) return out;
  for (const [key, tree] of Object.entries(seeds)) {
    if (key !== project || !isObject(tree)) {
      note(['seeds'], `seeds.${key}: not carried`, key);
      continue;
    }
    for (const [raw, value] of Object.entries(tree)) {
      const config = raw.replace(/^\+/, '');
      if (config === 'schema' && typeof value === 'string' && IDENTIFIER.test(value)) out.schema = value;
      else if (config === 'tags' && (typeof value === 'string' || Array.isArray(value))) out.tags = (Array.isArray(value) ? value : [value]).map(String);
      else {
        const hint = config === 'column_types' ? ' (write the column types in seeds/<seed>.yml under `columns:`)' : isObject(value) && !raw.startsWith('+') ? ' (charter seed settings are project-wide; per-seed types go in seeds/<seed>.yml)' : '';
        note(['seeds', key], `seeds: ${raw} is not carried${hint}`, raw);
      }
    }
  }
  return out;
}

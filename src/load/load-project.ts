// Load stage: reads project.yml and every project file, collecting all errors before giving up.
// Reads are synchronous on purpose: 10,000 small files read faster in a loop than as 10,000 promises.
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { glob } from 'tinyglobby';
import { error, throwIfErrors, UserError, type Diagnostic } from '../diagnostics/diagnostic.js';

const warning: typeof error = (...args) => ({ ...error(...args), severity: 'warning' });
import { didYouMean } from '../diagnostics/suggest.js';
import { compileSchema, validateYaml } from './json-schema.js';
import { sha256 } from '../project/hash.js';
import type { LoadedProject, MacroFile, ModelFile, SeedFile, SourceTable } from './project-files.js';
import { projectSchema, type ProjectConfig, type TargetConfig } from './project-schema.js';
import { LAYERS, type Layer } from '../project/layers.js';
import { propertiesSchema, type PropertiesFile } from './properties-schema.js';
import { seedConfigSchema, type SeedConfig } from './seed-schema.js';
import { parseYamlFile, type YamlFile } from './yaml-file.js';
import { resolvePaths } from './project-paths.js';
import { errorAt } from './atomic-file.js';
import { ioProblem } from './io-error.js';
import { loadPolicies } from './load-policies.js';
import { loadSemanticViews } from './load-semantic-views.js';
import { loadContracts, locate, type LoadedContract } from './load-contracts.js';
import { propertyFileModels } from './dbt-properties.js';
import { parseSnowflakeType, snowflakeTypeName, SNOWFLAKE_TYPE_NAMES } from '../project/snowflake-types.js';

const validateProject = compileSchema<ProjectConfig>('project', projectSchema);
const validateProperties = compileSchema<PropertiesFile>('properties', propertiesSchema);
const validateSeedConfig = compileSchema<SeedConfig>('seed-config', seedConfigSchema);

export interface LoadOptions {
  readonly projectDir: string;
  readonly target?: string;
  /** --vars, already parsed; overrides project.yml vars. */
  readonly vars?: Readonly<Record<string, unknown>>;
  /** Targets the caller adds to project.yml's (charter ci's fresh local DuckDB), checked as project.yml's are. */
  readonly extraTargets?: Readonly<Record<string, TargetConfig>>;
}

export async function loadProjectConfig(projectDir: string): Promise<{ config: ProjectConfig; configPath: string; yaml: YamlFile }> {
  const configPath = path.join(projectDir, 'project.yml');
  if (!existsSync(configPath)) {
    throw new UserError([
      error('project.missing', `no project.yml in ${path.resolve(projectDir)}`, {
        hint: 'run `charter init <dir>` to create a project, or pass --project-dir',
      }),
    ]);
  }
  const yaml = parseYamlFile('project.yml', await readProjectFile(configPath));
  const { value, diagnostics } = validateYaml(yaml, validateProject);
  throwIfErrors(diagnostics);
  return { config: value as ProjectConfig, configPath, yaml };
}

/** project.yml's text; a project.yml that cannot be read (a folder, no permission) is an io.error pointing at it. */
async function readProjectFile(configPath: string): Promise<string> {
  try {
    return await readFile(configPath, 'utf8');
  } catch (e) {
    const problem = ioProblem(errorAt(e, configPath), { file: 'project.yml', line: 1, column: 1 });
    if (problem) throw new UserError([problem]);
    throw e;
  }
}

export async function loadProject(options: LoadOptions): Promise<LoadedProject> {
  const rootDir = path.resolve(options.projectDir);
  const file = await loadProjectConfig(rootDir);
  const { configPath, yaml } = file;
  const config = options.extraTargets ? { ...file.config, targets: { ...file.config.targets, ...options.extraTargets } } : file.config;
  const targetName = options.target ?? config.default_target ?? Object.keys(config.targets)[0] ?? 'dev';
  const target = config.targets[targetName];
  if (!target) {
    const hint = didYouMean(targetName, Object.keys(config.targets)) ?? `targets: ${Object.keys(config.targets).join(', ')}`;
    // --target is the command line's mistake; a default_target naming no target is project.yml's, at the value.
    throw new UserError([
      options.target === undefined
        ? error('project.invalid', `default_target \`${targetName}\` names no target`, { location: yaml.locate(['default_target']), hint })
        : error('cli.usage', `unknown target \`${targetName}\``, { location: { file: 'project.yml', line: 1, column: 1 }, hint }),
    ]);
  }
  // Before anything is read: a path outside the project (`paths.macros: /`) must never reach a glob.
  const { paths, diagnostics: pathProblems } = resolvePaths(config, rootDir, (at) => yaml.locate(at));
  throwIfErrors(pathProblems);
  const diagnostics: Diagnostic[] = [];
  const [models, macros, seeds, properties, contracts, singularTests, policies, semanticViews] = await Promise.all([
    loadModels(rootDir, paths.models),
    loadMacros(rootDir, paths.macros),
    loadSeeds(rootDir, paths.seeds, diagnostics),
    loadPropertyFiles(rootDir, paths.models, config, diagnostics),
    loadContracts(rootDir, paths.contracts),
    loadSingularTests(rootDir, paths.tests),
    loadPolicies(rootDir),
    loadSemanticViews(rootDir),
  ]);
  diagnostics.push(...contracts.diagnostics, ...policies.diagnostics, ...semanticViews.diagnostics, ...(await orphanSeedConfigs(rootDir, paths.seeds, seeds)));
  diagnostics.push(...propertyConflicts(contracts.contracts, properties.contracts));
  throwIfErrors(diagnostics);
  const sources = properties.sources;
  return {
    rootDir,
    configPath,
    config,
    targetName,
    target,
    targetLocation: yaml.locate(['targets', targetName]),
    vars: { ...(config.vars ?? {}), ...(options.vars ?? {}) },
    paths,
    models,
    macros,
    seeds,
    sources,
    // Charter contracts first: where both describe a model, the contract governs and the property file adds tests.
    contracts: [...contracts.contracts, ...properties.contracts],
    policies: policies.policies,
    semanticViews: semanticViews.views,
    singularTests,
    warnings: [...folderDefaultProblems(config, models, yaml), ...properties.warnings],
  };
}

async function loadSingularTests(rootDir: string, testsDir: string): Promise<ModelFile[]> {
  const files = (await projectGlob(rootDir, testsDir, ['**/*.sql'])).filter((f) => !f.startsWith(`${testsDir}/unit/`));
  return files.map((file) => {
    const raw = readFileSync(path.join(rootDir, file), 'utf8');
    return { name: path.posix.basename(file, '.sql'), path: file, layer: undefined, folders: [], raw, rawHash: sha256(raw) };
  });
}

async function projectGlob(rootDir: string, dir: string, patterns: string[]): Promise<string[]> {
  if (!existsSync(path.join(rootDir, dir))) return [];
  const found = await glob(patterns.map((p) => `${dir}/${p}`), { cwd: rootDir, onlyFiles: true });
  return found.sort();
}

async function loadModels(rootDir: string, modelsDir: string): Promise<ModelFile[]> {
  const files = await projectGlob(rootDir, modelsDir, ['**/*.sql']);
  return files.map((file) => {
    const raw = readFileSync(path.join(rootDir, file), 'utf8');
    const folders = path.posix.dirname(path.posix.relative(modelsDir, file)).split('/').filter((f) => f && f !== '.');
    const top = folders[0]?.toLowerCase();
    const layer = LAYERS.find((l) => l === top) as Layer | undefined;
    return { name: path.posix.basename(file, '.sql'), path: file, layer, folders, raw, rawHash: sha256(raw) };
  });
}

async function loadMacros(rootDir: string, macrosDir: string): Promise<MacroFile[]> {
  const files = await projectGlob(rootDir, macrosDir, ['**/*.sql']);
  return files.map((file) => {
    const raw = readFileSync(path.join(rootDir, file), 'utf8');
    return { path: file, raw, rawHash: sha256(raw) };
  });
}

/**
 * Seed files: seeds/**, as dbt finds them in subfolders (seeds/raw/orders.csv is the seed `orders`), except when the
 * seeds folder is the project folder itself, where only its own files count (not target/ or node_modules/).
 */
const seedPatterns = (rootDir: string, seedsDir: string, suffixes: readonly string[]): string[] =>
  suffixes.map((s) => (path.resolve(rootDir, seedsDir) === path.resolve(rootDir) ? `*${s}` : `**/*${s}`));

async function loadSeeds(rootDir: string, seedsDir: string, diagnostics: Diagnostic[]): Promise<SeedFile[]> {
  const files = await projectGlob(rootDir, seedsDir, seedPatterns(rootDir, seedsDir, ['.csv', '.csv.gz']));
  const seedName = (file: string): string => path.posix.basename(file, file.endsWith('.gz') ? '.csv.gz' : '.csv');
  // One name, one relation: two files of the same name in different folders would build the same table.
  const byName = new Map<string, string[]>();
  for (const file of files) byName.set(seedName(file), [...(byName.get(seedName(file)) ?? []), file]);
  for (const [name, same] of byName) {
    if (same.length > 1) {
      diagnostics.push(error('seed.invalid', `seed \`${name}\` is defined by ${same.length} files: ${same.join(', ')}`, {
        location: { file: same[1]!, line: 1, column: 1 }, hint: 'a seed is named by its file name: rename one of them',
      }));
    }
  }
  return Promise.all(
    files.map(async (file) => {
      const compressed = file.endsWith('.gz');
      const name = seedName(file);
      const bytes = await readFile(path.join(rootDir, file));
      const configPath = `${path.posix.dirname(file)}/${name}.yml`;
      let config: SeedConfig = {};
      if (existsSync(path.join(rootDir, configPath))) {
        const yaml = parseYamlFile(configPath, await readFile(path.join(rootDir, configPath), 'utf8'));
        const checked = validateYaml(yaml, validateSeedConfig);
        diagnostics.push(...checked.diagnostics, ...seedTypeProblems(yaml, checked.value));
        config = checked.value ?? {};
      }
      return {
        name,
        path: file,
        absolutePath: path.join(rootDir, file),
        compressed,
        contentHash: sha256(bytes),
        config,
        configPath: existsSync(path.join(rootDir, configPath)) ? configPath : undefined,
      };
    }),
  );
}

/** Folder defaults under `models:` for a folder no model is in apply to nothing: a misspelt folder, most likely. */
function folderDefaultProblems(config: ProjectConfig, models: readonly ModelFile[], yaml: YamlFile): Diagnostic[] {
  const folders = new Set(models.flatMap((m) => m.folders.map((_f, i) => m.folders.slice(0, i + 1).join('/'))));
  return Object.keys(config.models ?? {})
    .filter((key) => !folders.has(key))
    .map((key) =>
      // A warning, as in dbt: defaults for a layer with no models yet are common in a young project.
      warning('project.invalid', `models: \`${key}\` sets defaults for a folder no model is in`, {
        location: yaml.locate(['models'], key),
        hint: didYouMean(key, [...folders]) ?? (folders.size ? `model folders: ${[...folders].join(', ')}` : 'there are no model folders yet'),
      }),
    );
}

/** A seed column type Snowflake does not know fails at compile, not when the engine meets it. */
function seedTypeProblems(yaml: YamlFile, config: SeedConfig | undefined): Diagnostic[] {
  return Object.entries(config?.columns ?? {}).flatMap(([column, type]) =>
    parseSnowflakeType(type)
      ? []
      : [error('seed.invalid', `column ${column}: expected a Snowflake data type, found \`${type}\``, {
          location: yaml.locate(['columns', column]),
          hint: didYouMean(snowflakeTypeName(type), SNOWFLAKE_TYPE_NAMES) ?? 'e.g. NUMBER(18,2), VARCHAR, DATE, TIMESTAMP_NTZ, BOOLEAN',
        })],
  );
}

/** A seed config beside no CSV file configures nothing: say so rather than ignore it. */
async function orphanSeedConfigs(rootDir: string, seedsDir: string, seeds: readonly SeedFile[]): Promise<Diagnostic[]> {
  // Seeds kept in the project folder itself share it with project.yml and other YAML: nothing to tell apart there.
  if (path.resolve(rootDir, seedsDir) === path.resolve(rootDir)) return [];
  const configs = await projectGlob(rootDir, seedsDir, seedPatterns(rootDir, seedsDir, ['.yml', '.yaml']));
  const names = new Set(seeds.map((s) => s.name));
  // A config sits beside its CSV file, in the same folder.
  const beside = new Set(seeds.map((s) => `${path.posix.dirname(s.path)}/${s.name}`));
  return configs
    .filter((file) => !beside.has(file.replace(/\.ya?ml$/, '')))
    .map((file) =>
      error('seed.invalid', `${file} configures a seed, but there is no ${path.posix.basename(file).replace(/\.ya?ml$/, '')}.csv or .csv.gz beside it`, {
        location: { file, line: 1, column: 1 },
        hint: didYouMean(path.posix.basename(file).replace(/\.ya?ml$/, ''), [...names]) ?? 'add the CSV file, or remove the config',
      }),
    );
}

/** models/**\/*.yml: source declarations, and dbt's `models:` (tests and docs) as contract-like values. */
async function loadPropertyFiles(
  rootDir: string,
  modelsDir: string,
  config: ProjectConfig,
  diagnostics: Diagnostic[],
): Promise<{ sources: SourceTable[]; contracts: LoadedContract[]; warnings: Diagnostic[] }> {
  const files = await projectGlob(rootDir, modelsDir, ['**/*.yml', '**/*.yaml']);
  const tables: SourceTable[] = [];
  const contracts: LoadedContract[] = [];
  const warnings: Diagnostic[] = [];
  for (const file of files) {
    const yaml = parseYamlFile(file, await readFile(path.join(rootDir, file), 'utf8'));
    const raw = yaml.value && typeof yaml.value === 'object' && !Array.isArray(yaml.value) ? (yaml.value as Record<string, unknown>) : undefined;
    // `models:` belongs to the dbt converter and `version: 2` is dbt's file header; `sources:` is checked as before.
    const rest = raw ? Object.fromEntries(Object.entries(raw).filter(([k]) => !PROPERTY_FILE_KEYS.has(k) && !DBT_ONLY_KEYS.has(k))) : yaml.value;
    const { value, diagnostics: found } = validateYaml({ ...yaml, value: rest }, validateProperties);
    diagnostics.push(...found);
    for (const key of Object.keys(raw ?? {}).filter((k) => DBT_ONLY_KEYS.has(k))) {
      warnings.push(warning('dbt.unsupported', `\`${key}:\` in a property file has no charter meaning and is ignored`, { location: yaml.locate([], key) }));
    }
    if (raw?.version !== undefined && raw.version !== 2) {
      diagnostics.push(error('dbt.invalid', `expected \`version: 2\`, found ${JSON.stringify(raw.version)}`, { location: yaml.locate(['version']) }));
    }
    if (!yaml.diagnostics.length) {
      const models = propertyFileModels(yaml);
      if (models.contract) contracts.push(models.contract);
      for (const d of models.diagnostics) (d.severity === 'error' ? diagnostics : warnings).push(d);
    }
    (value?.sources ?? []).forEach((source, i) => {
      source.tables.forEach((table, j) => {
        const location = yaml.locate(['sources', i, 'tables', j, 'name']);
        const first = tables.find((t) => t.sourceName === source.name && t.name === table.name);
        if (first) {
          // A second declaration would silently win: two answers to one source() call.
          diagnostics.push(error('node.duplicate', `source('${source.name}', '${table.name}') is declared twice`, {
            location,
            hint: `the other declaration is at ${first.location.file}:${first.location.line}`,
          }));
          return;
        }
        tables.push({
          sourceName: source.name,
          name: table.name,
          identifier: table.identifier ?? table.name,
          database: source.database,
          schema: source.schema ?? config.layers?.bronze ?? 'BRONZE',
          location,
        });
      });
    });
  }
  return { sources: tables, contracts, warnings };
}

/** Top-level keys of a property file charter reads besides `sources:`. */
const PROPERTY_FILE_KEYS: ReadonlySet<string> = new Set(['version', 'models']);
/** dbt's other property-file sections: reported, so nothing is dropped without a word. */
const DBT_ONLY_KEYS: ReadonlySet<string> = new Set(['seeds', 'snapshots', 'analyses', 'macros', 'exposures', 'unit_tests', 'semantic_models', 'metrics', 'saved_queries', 'groups']);

/**
 * A model described by both a charter contract and a property file: the contract governs and the file's tests are
 * added, but a column typed differently in the two is a contradiction to resolve, not one to pick a winner for.
 */
function propertyConflicts(contracts: readonly LoadedContract[], properties: readonly LoadedContract[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const file of properties) {
    for (const model of file.models) {
      const governing = contracts.flatMap((c) => c.models.filter((g) => !g.byRelation && g.name.toLowerCase() === model.name.toLowerCase()).map((g) => ({ c, g })))[0];
      if (!governing) continue;
      model.columns.forEach((col, i) => {
        const other = governing.g.columns.find((o) => o.name.toLowerCase() === col.name.toLowerCase());
        if (col.data_type === undefined || other?.data_type === undefined) return;
        if (col.data_type.replace(/\s+/g, '').toLowerCase() === other.data_type.replace(/\s+/g, '').toLowerCase()) return;
        const where = locate(governing.c, [...governing.g.base, 'columns', governing.g.columns.indexOf(other), 'data_type']);
        out.push(error('dbt.invalid', `column \`${model.name}.${col.name}\` is ${col.data_type} here but ${other.data_type} in contract \`${governing.c.contract.name}\``, {
          location: locate(file, [...model.base, 'columns', i, 'data_type']),
          detail: `the contract declares it at ${where.file}:${where.line}:${where.column}`,
          hint: 'the contract governs the model: remove data_type from the property file, or make the two agree',
        }));
      });
    }
  }
  return out;
}

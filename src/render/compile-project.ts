// Compile stage: renders every model, resolves references, builds and checks the DAG.
import { dialectFor } from '../adapters/dialects.js';
import { quoteWith, type SqlDialect } from '../adapters/dialect.js';
import { targetDatabase } from '../adapters/targets.js';
import type { Relation } from '../project/relation.js';
import { error, throwIfErrors, type Diagnostic } from '../diagnostics/diagnostic.js';
import { buildDag, cycleDiagnostics, findCycles } from '../graph/dag.js';
import { sha256, stableHash } from '../project/hash.js';
import type { LoadedProject, ModelFile } from '../load/project-files.js';
import { CHARTER_VERSION } from '../version.js';
import type { CompiledProject, ModelNode, ProjectNode, SeedNode, SourceNode } from '../project/nodes.js';
import { modelId, seedId, sourceId, testId } from '../project/node-id.js';
import { inlineEphemerals } from './ephemeral.js';
import { modelMetadataHash } from './metadata-hash.js';
import { folderDefaults, resolveModelConfig } from './model-config.js';
import { RenderCache, renderContextHash, renderKey, type CachedRender } from './render-cache.js';
import { contractColumns } from './dbt-macros.js';
import { allowedEnvironment } from './env-vars.js';
import { reservedNameDiagnostic } from './reserved-names.js';
import { PLACEHOLDER_PATTERN, TemplateEnvironment } from './template-environment.js';
import { findInTemplate } from './template-errors.js';

export function layerSchema(project: LoadedProject, layer: string | undefined): string {
  const layers = project.config.layers ?? {};
  const named = layer ? (layers as Record<string, string | undefined>)[layer] : undefined;
  return named ?? (layer ? layer.toUpperCase() : 'PUBLIC');
}

/**
 * `environ` is the process environment, read only for the names project.yml's env_vars.allow lists (env-vars.ts);
 * `runStartedAt` is the run's clock, for run_started_at.
 */
export function compileProject(
  project: LoadedProject,
  cache = new RenderCache(),
  environ: Readonly<Record<string, string | undefined>> = process.env,
  runStartedAt = new Date(),
): CompiledProject {
  const engine = project.target.engine;
  const dialect = dialectFor(engine);
  const database = targetDatabase(project);
  const name = project.config.name;
  const diagnostics: Diagnostic[] = [];
  const nodes = new Map<string, ProjectNode>();

  const relationOf = (schema: string, identifier: string, db = database): Relation => ({
    database: dialect.normalizeIdentifier(db),
    schema: dialect.normalizeIdentifier(schema),
    identifier: dialect.normalizeIdentifier(identifier),
  });

  // Sources render straight into SQL; seeds and models are referred to by placeholders until configs are known.
  const sourceRelations = new Map<string, string>();
  const sourceIds = new Map<string, string>();
  for (const s of project.sources) {
    const relation = relationOf(s.schema, s.identifier, s.database ?? database);
    const node: SourceNode = {
      kind: 'source',
      uniqueId: sourceId(name, s.sourceName, s.name),
      name: `${s.sourceName}.${s.name}`,
      sourceName: s.sourceName,
      relation,
      relationName: dialect.renderRelation(relation),
      dependsOn: [],
      location: s.location,
    };
    nodes.set(node.uniqueId, node);
    sourceRelations.set(node.name, node.relationName);
    sourceIds.set(node.name, node.uniqueId);
  }

  const refTargets = new Map<string, string>();
  for (const seed of project.seeds) {
    const reserved = reservedNameDiagnostic('seed', seed.name, { file: seed.path, line: 1, column: 1 });
    if (reserved) diagnostics.push(reserved);
    const relation = relationOf(seed.config.schema ?? project.config.seeds?.schema ?? layerSchema(project, 'bronze'), seed.name);
    const node: SeedNode = {
      kind: 'seed',
      uniqueId: seedId(name, seed.name),
      name: seed.name,
      path: seed.path,
      absolutePath: seed.absolutePath,
      compressed: seed.compressed,
      contentHash: seed.contentHash,
      tags: [...(project.config.seeds?.tags ?? []), ...(seed.config.tags ?? [])],
      columns: seed.config.columns ?? {},
      delimiter: seed.config.delimiter,
      dataHash: stableHash({ content: seed.contentHash, columns: seed.config.columns ?? {}, delimiter: seed.config.delimiter ?? null }),
      metadataHash: stableHash({ tags: [...(project.config.seeds?.tags ?? []), ...(seed.config.tags ?? [])].sort() }),
      relation,
      relationName: dialect.renderRelation(relation),
      dependsOn: [],
      location: { file: seed.path, line: 1, column: 1 },
    };
    nodes.set(node.uniqueId, node);
    refTargets.set(seed.name, node.uniqueId);
  }
  for (const model of project.models) {
    const reserved = reservedNameDiagnostic('model', model.name, { file: model.path, line: 1, column: 1 });
    if (reserved) diagnostics.push(reserved);
    const existing = refTargets.get(model.name);
    if (existing) {
      const other = nodes.get(existing) ?? project.models.find((m) => modelId(name, m.name) === existing);
      diagnostics.push(
        error('node.duplicate', `two nodes are named \`${model.name}\``, {
          location: { file: model.path, line: 1, column: 1 },
          hint: `the other is ${other && 'path' in other ? other.path : existing}; ref() needs unique names`,
        }),
      );
      continue;
    }
    refTargets.set(model.name, modelId(name, model.name));
  }

  const environment = allowedEnvironment(project.config.env_vars?.allow, environ);
  for (const name of environment.refused) {
    diagnostics.push(
      error('env_var.refused', `project.yml allows env_var('${name}'), whose name looks like a secret`, {
        location: { file: 'project.yml', line: 1, column: 1 },
        hint: 'charter never reads secrets in templates (compiled SQL is an artifact); remove it from env_vars.allow and keep credentials in the target config',
      }),
    );
  }
  const macrosHash = sha256(project.macros.map((m) => `${m.path}:${m.rawHash}`).join('\n'));
  const contextHash = renderContextHash({
    engine,
    targetName: project.targetName,
    vars: project.vars,
    sources: sourceRelations,
    macrosHash,
    charterVersion: CHARTER_VERSION,
    // What this.*, target.* and env_var() can print: the relation names and the allowed variables' values.
    ...(project.config.env_vars ? { env: [...environment.values].sort() } : {}),
    relations: stableHash({ database, layers: project.config.layers ?? null, models: project.config.models ?? null }),
  });
  const knownColumns = contractColumns(project.contracts);
  let templates: TemplateEnvironment | undefined;
  const env = (): TemplateEnvironment => {
    templates ??= new TemplateEnvironment({
      engine,
      targetName: project.targetName,
      vars: project.vars,
      refNames: new Set(refTargets.keys()),
      sources: sourceRelations,
      macros: project.macros,
      database: dialect.normalizeIdentifier(database),
      relationOf: (model, own) => {
        const config = resolveModelConfig(folderDefaults(project.config, model.folders), own);
        return relationOf(config.schema ?? layerSchema(project, model.layer), config.alias ?? model.name);
      },
      runStartedAt,
      environment,
      columnsOf: (modelName) => knownColumns.get(modelName),
      normalizeIdentifier: (n) => dialect.normalizeIdentifier(n),
    });
    return templates;
  };

  const rendered = new Map<string, { model: ModelFile; render: CachedRender }>();
  for (const model of project.models) {
    const key = renderKey(model, contextHash);
    let render = cache.get(key);
    if (render && render.refs.some((r) => !refTargets.has(r))) render = undefined;
    if (!render) {
      const result = renderModelFile(env(), model);
      diagnostics.push(...result.diagnostics);
      if (!result.render) continue;
      render = result.render;
      if (!result.volatile) cache.set(key, render);
    }
    rendered.set(model.name, { model, render });
  }
  if (templates) diagnostics.push(...templates.diagnostics);
  throwIfErrors(diagnostics);

  const models = new Map<string, ModelNode>();
  const reservedAliases: Diagnostic[] = [];
  for (const [modelName, { model, render }] of rendered) {
    const config = resolveModelConfig(folderDefaults(project.config, model.folders), render.config);
    if (!config.enabled) continue;
    if (config.alias !== undefined) {
      const at = findInTemplate(model.raw, /\balias\s*=/) ?? { line: 1, column: 1 };
      const reserved = reservedNameDiagnostic('model', config.alias, { file: model.path, ...at }, 'alias');
      if (reserved) reservedAliases.push(reserved);
    }
    const relation = relationOf(config.schema ?? layerSchema(project, model.layer), config.alias ?? modelName);
    models.set(modelName, {
      kind: 'model',
      uniqueId: modelId(name, modelName),
      name: modelName,
      path: model.path,
      layer: model.layer,
      folders: model.folders,
      config,
      refs: render.refs,
      sources: render.sources.map((s) => `${s.source}.${s.table}`),
      relation,
      relationName: dialect.renderRelation(relation),
      dependsOn: [
        ...new Set([
          ...render.refs.map((r) => refTargets.get(r) as string),
          ...render.sources.map((s) => sourceId(name, s.source, s.table)),
        ]),
      ],
      location: { file: model.path, line: 1, column: 1 },
      compiledSql: render.sql,
      incrementalSql: render.incrementalSql,
      rawSql: model.raw,
      rawHash: model.rawHash,
      compiledHash: '',
      dataHash: '',
      // Without its contract; the compile pipeline adds that once contracts are bound.
      metadataHash: modelMetadataHash({ config }),
    });
  }
  const disabledRefs = checkDisabledRefs(models, rendered, refTargets, nodes);
  throwIfErrors([...reservedAliases, ...disabledRefs]);
  for (const m of models.values()) nodes.set(m.uniqueId, m);

  const dag = buildDag([...nodes.values()]);
  const cycles = findCycles(dag);
  throwIfErrors(
    cycleDiagnostics(cycles, (id) => {
      const n = nodes.get(id);
      return { name: n?.name ?? id, location: n?.location };
    }),
  );

  // Singular tests render like models (ref, source, var, macros) and resolve against the built nodes.
  const singularRenders = project.singularTests.map((file) => ({ file, result: renderModelFile(env(), file) }));
  throwIfErrors(singularRenders.flatMap((r) => r.result.diagnostics));

  // A placeholder's node: what ref() names, what source() names, or (for `this`) the model itself.
  const placeholderNode = (self: ModelNode, ref: string | undefined, source: string | undefined): ProjectNode => {
    const id = ref !== undefined ? refTargets.get(ref) : source !== undefined ? sourceIds.get(source) : undefined;
    return (id ? nodes.get(id) : undefined) ?? self;
  };
  for (const m of models.values()) {
    const resolve = (sql: string, name: (node: ProjectNode) => string, cteDialect = dialect): string =>
      inlineEphemerals(
        stripTrailingSemicolon(sql),
        (ref) => {
          const target = models.get(ref);
          return target?.config.materialized === 'ephemeral' ? target : undefined;
        },
        (sqlText) => sqlText.replace(PLACEHOLDER_PATTERN, (_all, ref?: string, source?: string) => name(placeholderNode(m, ref, source))),
        cteDialect,
      );
    const both = (name: (node: ProjectNode) => string, cteDialect = dialect): [string, string | undefined] => [
      resolve(m.compiledSql, name, cteDialect),
      m.incrementalSql === undefined ? undefined : resolve(m.incrementalSql, name, cteDialect),
    ];
    const [compiledSql, incrementalSql] = both((node) => node.relationName);
    // The same SQL with every relation named by its node id: what the model computes, whatever the target.
    const [neutralSql, neutralIncrementalSql] = both((node) => `{{${node.uniqueId}}}`, NEUTRAL_NAMES);
    nodes.set(m.uniqueId, {
      ...m,
      compiledSql,
      incrementalSql,
      compiledHash: sha256(`${compiledSql}\n--incremental--\n${incrementalSql ?? ''}`),
      dataHash: stableHash({
        sql: neutralSql,
        incrementalSql: neutralIncrementalSql ?? null,
        materialized: m.config.materialized,
        uniqueKey: m.config.uniqueKey ?? null,
        strategy: m.config.incrementalStrategy ?? null,
      }),
    });
  }

  const singularTests = singularRenders.map(({ file, result }) => {
    const render = result.render as CachedRender;
    const sql = stripTrailingSemicolon(render.sql).replace(PLACEHOLDER_PATTERN, (all, ref?: string, source?: string) => {
      const id = ref !== undefined ? refTargets.get(ref) : source !== undefined ? sourceIds.get(source) : undefined;
      return (id ? nodes.get(id)?.relationName : undefined) ?? all;
    });
    return {
      uniqueId: testId(name, file.name),
      name: file.name,
      path: file.path,
      sql,
      dependsOn: [
        ...new Set([...render.refs.map((r) => refTargets.get(r) as string), ...render.sources.map((s) => sourceId(name, s.source, s.table))]),
      ],
    };
  });

  return {
    singularTests,
    projectName: name,
    projectVersion: project.config.version,
    target: { name: project.targetName, engine, database: dialect.normalizeIdentifier(database) },
    nodes,
    order: dag.order,
    parents: dag.parents,
    children: dag.children,
    macrosHash,
    ...(templates?.logs.length ? { templateLogs: [...templates.logs] } : {}),
  };
}

/** `volatile`: the render read the clock or logged, so the next compile renders it again rather than reuse it. */
function renderModelFile(env: TemplateEnvironment, model: ModelFile): { render?: CachedRender; volatile?: boolean; diagnostics: Diagnostic[] } {
  const first = env.render(model, false);
  if (first.capture.diagnostics.length) return { diagnostics: first.capture.diagnostics };
  let incrementalSql: string | undefined;
  if (first.capture.usesIsIncremental) {
    const second = env.render(model, true);
    if (second.capture.diagnostics.length) return { diagnostics: second.capture.diagnostics };
    incrementalSql = second.sql;
  }
  const { refs, sources, config } = first.capture;
  return {
    render: { sql: first.sql, incrementalSql, refs: [...new Set(refs)], sources: dedupeSources(sources), config },
    volatile: first.capture.volatile,
    diagnostics: [],
  };
}

function dedupeSources(sources: ReadonlyArray<{ source: string; table: string }>): Array<{ source: string; table: string }> {
  const seen = new Map<string, { source: string; table: string }>();
  for (const s of sources) seen.set(`${s.source}.${s.table}`, s);
  return [...seen.values()];
}

/** A ref to a model disabled with enabled=false is an error, not a silent dangling name. */
function checkDisabledRefs(
  models: ReadonlyMap<string, ModelNode>,
  rendered: ReadonlyMap<string, { model: ModelFile }>,
  refTargets: ReadonlyMap<string, string>,
  nodes: ReadonlyMap<string, ProjectNode>,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const m of models.values()) {
    for (const ref of m.refs) {
      const id = refTargets.get(ref);
      if (id && !nodes.has(id) && !models.has(ref) && rendered.has(ref)) {
        out.push(
          error('ref.unknown', `ref('${ref}') names a model that is disabled (enabled=false)`, {
            location: { file: m.path, line: 1, column: 1 },
          }),
        );
      }
    }
  }
  return out;
}

/** Names as written, whatever the engine folds them to: for the target-neutral SQL a data hash is taken of. */
const NEUTRAL_NAMES: SqlDialect = { engine: 'duckdb', normalizeIdentifier: (n) => n, quoteIdentifier: quoteWith, renderRelation: (r) => [r.database, r.schema, r.identifier].map(quoteWith).join('.') };

function stripTrailingSemicolon(sql: string): string {
  return sql.replace(/;\s*$/, '').trim();
}

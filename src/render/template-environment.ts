// The Nunjucks environment models render in: ref, source, var, config, this, target, is_incremental, macros, and dbt's
// Jinja and context (jinja-compat.ts, dbt-context.ts, dbt-macros.ts, env-vars.ts).
import nunjucks from 'nunjucks';
import { error, type Diagnostic, type SourceLocation } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../diagnostics/suggest.js';
import type { Engine, Relation } from '../project/relation.js';
import type { MacroFile, ModelFile } from '../load/project-files.js';
import { CONFIG_KEYS } from './model-config.js';
import { SandboxedCompiler, type Definition } from './template-compile.js';
import { dbtMacroGlobals, type KnownColumn } from './dbt-macros.js';
import { dbtContextObjects } from './dbt-context.js';
import { NO_ENVIRONMENT, readEnvVar, type AllowedEnvironment } from './env-vars.js';
import { addJinjaCompat } from './jinja-compat.js';
import { datetimeModule, pyDatetime } from './python-datetime.js';
import { findInTemplate, templateDiagnostics } from './template-errors.js';
import { refusingLoader } from './template-sandbox.js';

/** Stands in for a ref()'s relation name until every model's config (and so its schema) is known. */
export const refPlaceholder = (name: string): string => `\u0001ref:${name}\u0002`;
/** Stands in for a source()'s relation, so a model's SQL can be hashed without any target's names in it. */
export const sourcePlaceholder = (key: string): string => `\u0001source:${key}\u0002`;
export const THIS_PLACEHOLDER = '\u0001this\u0002';
/** Groups: 1 the ref'd name, 2 the source key (`source.table`); neither for `this`. */
export const PLACEHOLDER_PATTERN = /\u0001(?:ref:([^\u0002]*)|source:([^\u0002]*)|this)\u0002/g;

export interface RenderCapture {
  readonly refs: string[];
  readonly sources: Array<{ source: string; table: string }>;
  readonly config: Record<string, unknown>;
  usesIsIncremental: boolean;
  /** The render read the clock (run_started_at, modules.datetime), contract columns, or logged: never reused. */
  volatile: boolean;
  readonly diagnostics: Diagnostic[];
}

/** A log() call of a template, for the run's log. */
export interface TemplateLog {
  readonly file: string;
  readonly message: string;
}

export interface RenderedTemplate {
  readonly sql: string;
  readonly capture: RenderCapture;
}

export interface EnvironmentInputs {
  readonly engine: Engine;
  readonly targetName: string;
  readonly vars: Readonly<Record<string, unknown>>;
  readonly refNames: ReadonlySet<string>;
  /** "source.table" to its rendered relation name. */
  readonly sources: ReadonlyMap<string, string>;
  readonly macros: readonly MacroFile[];
  /** target.database: the database relations live in, as the target names it. */
  readonly database?: string;
  /** this.name/.schema/.identifier and target.schema: the relation a model builds, given the config() it called so far. */
  readonly relationOf?: (model: ModelFile, config: Readonly<Record<string, unknown>>) => Relation;
  /** run_started_at and modules.datetime's now(): the run's one clock reading. */
  readonly runStartedAt?: Date;
  /** What env_var() may read (env-vars.ts); nothing when absent. */
  readonly environment?: AllowedEnvironment;
  /** A model's columns as its contract declares them, for dbt_utils.star() and union_relations(). */
  readonly columnsOf?: (model: string) => readonly KnownColumn[] | undefined;
  /** How the engine stores an unquoted name. */
  readonly normalizeIdentifier?: (name: string) => string;
}

interface RenderState {
  model: ModelFile;
  capture: RenderCapture;
  isIncremental: boolean;
}

/** Names a template uses besides the globals: a macro named like one would silently replace it. */
const TEMPLATE_NAMES = ['caller', 'loop', 'super'];

export class TemplateEnvironment {
  private readonly env = new nunjucks.Environment([refusingLoader()], {
    autoescape: false,
    throwOnUndefined: true,
    trimBlocks: true,
    lstripBlocks: true,
    // Keeps line, column and cause on render errors instead of folding them into the message.
    dev: true,
  });
  private readonly compiler = new SandboxedCompiler(this.env);
  /** Each template compiled once per environment (an incremental model renders twice). */
  private readonly compiled = new WeakMap<ModelFile, nunjucks.Template>();
  private state: RenderState | undefined;
  private readonly exportedMacros = new Map<string, unknown>();
  /** Where each macro (or top-level `{% set %}`) of macros/ was defined, by name. */
  private readonly macroDefinitions = new Map<string, Definition>();
  private readonly duplicated = new Set<string>();
  private readonly builtins: ReadonlySet<string>;
  readonly diagnostics: Diagnostic[] = [];
  /** log() messages, in call order, for the run's log (never stdout). */
  readonly logs: TemplateLog[] = [];

  constructor(private readonly inputs: EnvironmentInputs) {
    this.registerGlobals();
    this.builtins = new Set([...Object.keys((this.env as unknown as { globals: object }).globals), ...TEMPLATE_NAMES]);
    for (const macro of inputs.macros) this.loadMacroFile(macro);
  }

  /** Renders a model; is_incremental() answers `isIncremental`. Never throws for user errors. */
  render(model: ModelFile, isIncremental = false): RenderedTemplate {
    const capture: RenderCapture = { refs: [], sources: [], config: {}, usesIsIncremental: false, volatile: false, diagnostics: [] };
    this.state = { model, capture, isIncremental };
    try {
      let template = this.compiled.get(model);
      if (!template) {
        template = this.compiler.compile(model.raw, model.path).template;
        this.compiled.set(model, template);
      }
      return { sql: template.render({}), capture };
    } catch (e) {
      capture.diagnostics.push(...templateDiagnostics(model.path, e, model.raw));
      return { sql: '', capture };
    } finally {
      this.state = undefined;
    }
  }

  private current(): RenderState {
    if (!this.state) throw new Error('ref(), source(), config() and var() are only available while a model renders');
    return this.state;
  }

  private report(pattern: RegExp, diagnostic: Omit<Diagnostic, 'location'>): void {
    const { model, capture } = this.current();
    const at = findInTemplate(model.raw, pattern) ?? { line: 1, column: 1 };
    capture.diagnostics.push({ ...diagnostic, location: { file: model.path, ...at } });
  }

  private registerGlobals(): void {
    const { inputs } = this;
    addJinjaCompat(this.env);
    this.env.addGlobal('ref', (name: unknown) => {
      const { capture } = this.current();
      const wanted = String(name);
      if (!inputs.refNames.has(wanted)) {
        this.report(callPattern('ref', [wanted]), {
          ...error('ref.unknown', `ref('${wanted}') names no model or seed`),
          hint: didYouMean(wanted, inputs.refNames),
        });
      }
      capture.refs.push(wanted);
      return refPlaceholder(wanted);
    });
    this.env.addGlobal('source', (source: unknown, table: unknown) => {
      const { capture } = this.current();
      const key = `${String(source)}.${String(table)}`;
      const relation = inputs.sources.get(key);
      if (relation === undefined) {
        this.report(callPattern('source', [String(source), String(table)]), {
          ...error('source.unknown', `source('${String(source)}', '${String(table)}') is not declared`),
          hint:
            didYouMean(key, inputs.sources.keys()) ??
            'declare sources in a YAML file under models/ (sources: - name: ... tables: [...])',
        });
        return key;
      }
      capture.sources.push({ source: String(source), table: String(table) });
      return sourcePlaceholder(key);
    });
    this.env.addGlobal('var', (name: unknown, fallback?: unknown) => {
      const key = String(name);
      if (Object.prototype.hasOwnProperty.call(inputs.vars, key)) return inputs.vars[key];
      if (fallback !== undefined) return fallback;
      this.report(callPattern('var', [key]), {
        ...error('var.missing', `var('${key}') has no value and no default`),
        hint: didYouMean(key, Object.keys(inputs.vars)) ?? `set it under vars: in project.yml or pass --vars '{${key}: ...}'`,
      });
      return '';
    });
    this.env.addGlobal('config', (kwargs: unknown) => {
      const { capture } = this.current();
      const args = { ...((kwargs ?? {}) as Record<string, unknown>) };
      delete args['__keywords'];
      for (const [key, value] of Object.entries(args)) {
        const check = CONFIG_KEYS[key];
        const problem = check ? check(value) : undefined;
        if (!check) {
          this.report(new RegExp(`\\b${key}\\s*=`), {
            ...error('config.invalid', `config() has no key \`${key}\``),
            hint: didYouMean(key, Object.keys(CONFIG_KEYS)) ?? `known keys: ${Object.keys(CONFIG_KEYS).join(', ')}`,
          });
        } else if (problem) {
          this.report(new RegExp(`\\b${key}\\s*=`), error('config.invalid', `config(${key}=...) must be ${problem}`));
        } else {
          capture.config[key] = value;
        }
      }
      const { incremental_strategy: strategy, partition_by: partitionBy } = capture.config;
      if (strategy === 'insert_overwrite' && partitionBy === undefined) {
        this.report(/\bincremental_strategy\s*=/, {
          ...error('config.invalid', "config(incremental_strategy='insert_overwrite') needs partition_by"),
          hint: "name the column whose values are the partitions a run replaces, e.g. partition_by='month_start'",
        });
      } else if (partitionBy !== undefined && strategy !== 'insert_overwrite') {
        this.report(/\bpartition_by\s*=/, error('config.invalid', "config(partition_by=...) only applies with incremental_strategy='insert_overwrite'"));
      }
      const { materialized, target_lag: targetLag, snowflake_warehouse: warehouse } = capture.config;
      if (materialized === 'dynamic_table' && (targetLag === undefined || warehouse === undefined)) {
        this.report(/\bmaterialized\s*=/, {
          ...error('config.invalid', `config(materialized='dynamic_table') needs ${[targetLag === undefined ? 'target_lag' : '', warehouse === undefined ? 'snowflake_warehouse' : ''].filter(Boolean).join(' and ')}`),
          hint: "e.g. config(materialized='dynamic_table', target_lag='1 hour', snowflake_warehouse='TRANSFORM_WH')",
        });
      } else if (materialized !== 'dynamic_table' && (targetLag !== undefined || warehouse !== undefined)) {
        this.report(/\b(target_lag|snowflake_warehouse)\s*=/, error('config.invalid', "config(target_lag=..., snowflake_warehouse=...) only apply with materialized='dynamic_table'"));
      }
      return '';
    });
    this.env.addGlobal('is_incremental', () => {
      const state = this.current();
      state.capture.usesIsIncremental = true;
      return state.isIncremental;
    });
    this.registerDbtContext();
  }

  /** dbt's context objects: this, target, adapter, env_var, log, run_started_at, modules. */
  private registerDbtContext(): void {
    const { inputs } = this;
    const relation = (what: string, config?: Readonly<Record<string, unknown>>): Relation => {
      const state = this.state;
      if (!state || !inputs.relationOf) throw new Error(`${what} is only known while a model renders`);
      return inputs.relationOf(state.model, config ?? state.capture.config);
    };
    const objects = dbtContextObjects({
      targetName: inputs.targetName,
      engine: inputs.engine,
      database: inputs.database,
      thisPlaceholder: THIS_PLACEHOLDER,
      relation,
      dispatch: (name) => this.dispatch(name),
      log: (message) => this.log(message),
    });
    for (const [name, value] of Object.entries(objects)) this.env.addGlobal(name, value);
    this.env.addGlobal('env_var', (name: unknown, fallback?: unknown) => this.envVar(String(name), fallback));
    this.env.addGlobal('log', (message: unknown) => this.log(String(message)));
    const { dbt, dbt_utils: dbtUtils } = dbtMacroGlobals({
      vars: inputs.vars,
      // Contracts are not part of the render cache's key: a render that read them is rendered again next time.
      columnsOf: (model) => {
        if (this.state) this.state.capture.volatile = true;
        return inputs.columnsOf?.(model);
      },
      normalizeIdentifier: inputs.normalizeIdentifier ?? ((name) => name),
    });
    this.env.addGlobal('dbt', dbt);
    this.env.addGlobal('dbt_utils', dbtUtils);
    const runStartedAt = inputs.runStartedAt ?? new Date();
    this.volatileGlobal('run_started_at', pyDatetime(runStartedAt));
    this.volatileGlobal('modules', Object.freeze({ datetime: datetimeModule(runStartedAt) }));
  }

  private log(message: string): string {
    const state = this.current();
    state.capture.volatile = true;
    this.logs.push({ file: state.model.path, message });
    return '';
  }

  /** A global whose value changes from run to run: a render that reads it is not reused by the next compile. */
  private volatileGlobal(name: string, value: unknown): void {
    this.env.addGlobal(name, value);
    const globals = (this.env as unknown as { globals: object }).globals;
    Object.defineProperty(globals, name, {
      enumerable: true,
      get: () => {
        if (this.state) this.state.capture.volatile = true;
        return value;
      },
    });
  }

  /** env_var('X', default): only a variable project.yml allows, never a secret-looking one, whose value is never read. */
  private envVar(name: string, fallback: unknown): unknown {
    const read = readEnvVar(this.inputs.environment ?? NO_ENVIRONMENT, name, fallback);
    if ('problem' in read) this.report(callPattern('env_var', [name]), read.problem);
    return 'value' in read ? read.value : '';
  }

  /** adapter.dispatch('m') picks `<engine>__m`, then `default__m`, so one macro can differ per engine. */
  private dispatch(name: string): unknown {
    for (const candidate of [`${this.inputs.engine}__${name}`, `default__${name}`]) {
      const macro = this.exportedMacros.get(candidate);
      if (macro) return macro;
    }
    throw new Error(`adapter.dispatch('${name}') found neither ${this.inputs.engine}__${name} nor default__${name}`);
  }

  private loadMacroFile(file: MacroFile): void {
    try {
      const { template, definitions } = this.compiler.compile(file.raw, file.path);
      const refused = new Set(definitions.filter((d) => !this.checkDefinition(d)).map((d) => d.name));
      const seen = new Set(definitions.map((d) => d.name));
      template.getExported({}, null, (err, exported) => {
        if (err) throw err;
        for (const [name, macro] of Object.entries(exported)) {
          if (refused.has(name)) continue;
          // The syntax tree shows every top-level macro and set; should nunjucks export anything else, check it here.
          if (!seen.has(name) && !this.checkDefinition({ name, kind: 'macro', location: { file: file.path, line: 1, column: 1 } })) continue;
          this.exportedMacros.set(name, macro);
          this.env.addGlobal(name, macro);
        }
      });
    } catch (e) {
      this.diagnostics.push(...templateDiagnostics(file.path, e, file.raw));
    }
  }

  /** Every macro is a global: one name, one definition, and never a built-in's name. False when reported. */
  private checkDefinition(definition: Definition): boolean {
    const { name, kind, location } = definition;
    const what = kind === 'macro' ? `macro \`${name}\`` : `\`{% set ${name} %}\` at the top of a macro file`;
    if (this.builtins.has(name)) {
      this.diagnostics.push(
        error('macro.invalid', `${what} would replace the built-in \`${name}\``, {
          location,
          hint: `rename it; ${[...this.builtins].join(', ')} are built in and cannot be redefined`,
        }),
      );
      return false;
    }
    const first = this.macroDefinitions.get(name)?.location;
    if (first) {
      // Reported at both definitions, each naming the other: either may be the one to rename.
      const files = first.file === location.file ? `twice in ${first.file}` : `in both ${first.file} and ${location.file}`;
      const duplicate = (at: SourceLocation, other: SourceLocation): Diagnostic =>
        error('macro.invalid', `\`${name}\` is defined ${files}`, {
          location: at,
          hint: `the other definition is at ${other.file}:${other.line}:${other.column}; every macro is global, so its name must be unique across macros/`,
        });
      if (!this.duplicated.has(name)) this.diagnostics.push(duplicate(first, location));
      this.duplicated.add(name);
      this.diagnostics.push(duplicate(location, first));
      return false;
    }
    this.macroDefinitions.set(name, definition);
    return true;
  }
}

/** Finds a call like ref('name') or source("a", "b") in template text. */
function callPattern(fn: string, args: string[]): RegExp {
  const quoted = args.map((a) => `['"]${a.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}['"]`).join('\\s*,\\s*');
  return new RegExp(`\\b${fn}\\s*\\(\\s*${quoted}`);
}

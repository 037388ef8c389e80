// The Nunjucks environment models render in: ref, source, var, config, this, target, is_incremental, macros.
import nunjucks from 'nunjucks';
import { error, type Diagnostic } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../diagnostics/suggest.js';
import type { Engine } from '../project/relation.js';
import type { MacroFile, ModelFile } from '../load/project-files.js';
import { CONFIG_KEYS } from './model-config.js';
import { findInTemplate, templateDiagnostic } from './template-errors.js';

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
  readonly diagnostics: Diagnostic[];
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
}

interface RenderState {
  model: ModelFile;
  capture: RenderCapture;
  isIncremental: boolean;
}

export class TemplateEnvironment {
  private readonly env = new nunjucks.Environment(null, {
    autoescape: false,
    throwOnUndefined: true,
    trimBlocks: true,
    lstripBlocks: true,
  });
  private state: RenderState | undefined;
  private readonly exportedMacros = new Map<string, unknown>();
  readonly diagnostics: Diagnostic[] = [];

  constructor(private readonly inputs: EnvironmentInputs) {
    this.registerGlobals();
    for (const macro of inputs.macros) this.loadMacroFile(macro);
  }

  /** Renders a model; is_incremental() answers `isIncremental`. Never throws for user errors. */
  render(model: ModelFile, isIncremental = false): RenderedTemplate {
    const capture: RenderCapture = { refs: [], sources: [], config: {}, usesIsIncremental: false, diagnostics: [] };
    this.state = { model, capture, isIncremental };
    try {
      const sql = new nunjucks.Template(model.raw, this.env, model.path, true).render({});
      return { sql, capture };
    } catch (e) {
      capture.diagnostics.push(templateDiagnostic(model.path, e));
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
      return '';
    });
    this.env.addGlobal('is_incremental', () => {
      const state = this.current();
      state.capture.usesIsIncremental = true;
      return state.isIncremental;
    });
    this.env.addGlobal('this', { toString: () => THIS_PLACEHOLDER, [Symbol.toPrimitive]: () => THIS_PLACEHOLDER });
    this.env.addGlobal('target', { name: inputs.targetName, engine: inputs.engine });
    this.env.addGlobal('adapter', { dispatch: (name: unknown) => this.dispatch(String(name)) });
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
      const template = new nunjucks.Template(file.raw, this.env, file.path, true);
      template.getExported({}, null, (err, exported) => {
        if (err) throw err;
        for (const [name, macro] of Object.entries(exported)) {
          this.exportedMacros.set(name, macro);
          this.env.addGlobal(name, macro);
        }
      });
    } catch (e) {
      this.diagnostics.push(templateDiagnostic(file.path, e));
    }
  }
}

/** Finds a call like ref('name') or source("a", "b") in template text. */
function callPattern(fn: string, args: string[]): RegExp {
  const quoted = args.map((a) => `['"]${a.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}['"]`).join('\\s*,\\s*');
  return new RegExp(`\\b${fn}\\s*\\(\\s*${quoted}`);
}

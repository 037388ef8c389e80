// Renders one model in-process with charter's template environment: the jinja-compat tests' fixture.
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import type { MacroFile, ModelFile } from '../../src/load/project-files.js';
import { TemplateEnvironment, type EnvironmentInputs } from '../../src/render/template-environment.js';

export const MODEL_PATH = 'models/silver/m.sql';

export function modelFile(raw: string, name = 'm', path = MODEL_PATH): ModelFile {
  return { name, path, layer: 'silver', folders: ['silver'], raw, rawHash: raw };
}

export function environment(macros: Record<string, string> = {}, inputs: Partial<EnvironmentInputs> = {}): TemplateEnvironment {
  const files: MacroFile[] = Object.entries(macros).map(([path, raw]) => ({ path, raw, rawHash: raw }));
  return new TemplateEnvironment({
    engine: 'snowflake',
    targetName: 'dev',
    vars: {},
    refNames: new Set(['orders', 'customers']),
    sources: new Map(),
    macros: files,
    ...inputs,
  });
}

/** The SQL `raw` renders to; throws with the diagnostics when it does not render. */
export function render(raw: string, macros: Record<string, string> = {}, inputs: Partial<EnvironmentInputs> = {}): string {
  const env = environment(macros, inputs);
  if (env.diagnostics.length) throw new Error(JSON.stringify(env.diagnostics));
  const out = env.render(modelFile(raw));
  if (out.capture.diagnostics.length) throw new Error(JSON.stringify(out.capture.diagnostics));
  return out.sql;
}

/** The diagnostics `raw` renders to (macro files' first). */
export function renderErrors(raw: string, macros: Record<string, string> = {}, inputs: Partial<EnvironmentInputs> = {}): Diagnostic[] {
  const env = environment(macros, inputs);
  return [...env.diagnostics, ...env.render(modelFile(raw)).capture.diagnostics];
}

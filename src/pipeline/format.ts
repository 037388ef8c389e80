// `charter format` as a library call: formats models/**/*.sql with sql-formatter, Nunjucks tags kept as written,
// and rewrites a file only when its new text renders to the same SQL as before (token for token, whitespace aside).
import path from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { writeFileAtomic } from '../load/atomic-file.js';
import { loadProject } from '../load/load-project.js';
import type { LoadedProject, ModelFile } from '../load/project-files.js';
import { DEFAULT_FORMAT_SETTINGS, formatTemplate, type TemplateFormatSettings } from '../render/format-template.js';
import { sameSqlTokens } from '../render/sql-token-stream.js';
import { contractColumns } from '../render/dbt-macros.js';
import { TemplateEnvironment } from '../render/template-environment.js';

export interface FormatOptions {
  readonly projectDir: string;
  readonly target?: string;
  /** Report what would change and write nothing. */
  readonly check?: boolean;
  /** Only these model files or folders (relative to `cwd`); every model when absent or empty. */
  readonly paths?: readonly string[];
  /** What `paths` are relative to; the process's working directory when absent. */
  readonly cwd?: string;
}

export type FormatStatus = 'unchanged' | 'formatted' | 'would_change' | 'unsafe';

export interface FileFormat {
  /** Project-relative, forward slashes. */
  readonly path: string;
  readonly status: FormatStatus;
  /** Why an unsafe file was left as it is. */
  readonly reason?: string;
}

export interface FormatReport {
  readonly files: readonly FileFormat[];
  /** A `format.changed` error per file --check found unformatted, a `format.unsafe` warning per file left alone. */
  readonly diagnostics: readonly Diagnostic[];
}

export async function formatProject(options: FormatOptions): Promise<FormatReport> {
  const loaded = await loadProject({ projectDir: options.projectDir, target: options.target });
  const settings = formatSettings(loaded);
  const wanted = selectFiles(loaded, options.paths ?? [], options.cwd ?? process.cwd());
  const env = renderEnvironment(loaded);
  const files: FileFormat[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const model of loaded.models.filter((m) => wanted(m.path))) {
    const outcome = formatModel(model, settings, env);
    if ('problem' in outcome) {
      files.push({ path: model.path, status: 'unsafe', reason: outcome.problem });
      diagnostics.push({
        code: 'format.unsafe',
        severity: 'warning',
        message: `could not format ${model.path} safely: ${outcome.problem}; left as it is`,
        location: { file: model.path, line: 1, column: 1 },
        hint: 'format this file by hand, or tell us what charter format did with it',
      });
    } else if (outcome.text === model.raw) {
      files.push({ path: model.path, status: 'unchanged' });
    } else if (options.check) {
      files.push({ path: model.path, status: 'would_change' });
      diagnostics.push({
        code: 'format.changed',
        severity: 'error',
        message: `${model.path} is not formatted`,
        location: { file: model.path, ...firstDifference(model.raw, outcome.text) },
        hint: 'run `charter format` to format it',
      });
    } else {
      writeFileAtomic(path.join(loaded.rootDir, model.path), outcome.text);
      files.push({ path: model.path, status: 'formatted' });
    }
  }
  return { files, diagnostics };
}

/** project.yml `format:` over the defaults. */
export function formatSettings(loaded: Pick<LoadedProject, 'config'>): TemplateFormatSettings {
  const given = loaded.config.format ?? {};
  return {
    indent: given.indent ?? DEFAULT_FORMAT_SETTINGS.indent,
    keywordCase: given.keyword_case ?? DEFAULT_FORMAT_SETTINGS.keywordCase,
    functionCase: given.function_case ?? DEFAULT_FORMAT_SETTINGS.functionCase,
    expressionWidth: given.expression_width ?? DEFAULT_FORMAT_SETTINGS.expressionWidth,
  };
}

/** The formatted text, or why it is not safe: it must render (plain and incremental) to the same SQL, refs and config. */
function formatModel(model: ModelFile, settings: TemplateFormatSettings, env: TemplateEnvironment): { text: string } | { problem: string } {
  const formatted = formatTemplate(model.raw, settings);
  if ('problem' in formatted || formatted.text === model.raw) return formatted;
  const candidate: ModelFile = { ...model, raw: formatted.text };
  for (const incremental of [false, true]) {
    const before = env.render(model, incremental);
    if (before.capture.diagnostics.length) return { problem: `it does not render as written (${before.capture.diagnostics[0]?.message ?? 'template error'})` };
    const after = env.render(candidate, incremental);
    if (after.capture.diagnostics.length) return { problem: `the formatted template does not render (${after.capture.diagnostics[0]?.message ?? 'template error'})` };
    const same =
      sameSqlTokens(before.sql, after.sql) &&
      JSON.stringify([before.capture.refs, before.capture.sources, before.capture.config]) === JSON.stringify([after.capture.refs, after.capture.sources, after.capture.config]);
    if (!same) return { problem: `the formatted template would render to different SQL${incremental ? ' (incremental)' : ''}` };
  }
  // Formatting again must change nothing, or --check would never pass.
  const again = formatTemplate(formatted.text, settings);
  if ('problem' in again || again.text !== formatted.text) return { problem: 'formatting it twice gives different text' };
  return formatted;
}

/** The same Nunjucks environment models compile in; relation names do not matter, both texts render with the same. */
function renderEnvironment(loaded: LoadedProject): TemplateEnvironment {
  const columns = contractColumns(loaded.contracts);
  return new TemplateEnvironment({
    engine: loaded.target.engine,
    targetName: loaded.targetName,
    vars: loaded.vars,
    refNames: new Set([...loaded.models.map((m) => m.name), ...loaded.seeds.map((s) => s.name)]),
    sources: new Map(loaded.sources.map((s) => [`${s.sourceName}.${s.name}`, `${s.schema}.${s.identifier}`])),
    macros: loaded.macros,
    // this.* and target.* print names: any will do, as both texts render with the same.
    database: 'DATABASE',
    relationOf: (model) => ({ database: 'DATABASE', schema: 'SCHEMA', identifier: model.name }),
    columnsOf: (model) => columns.get(model),
  });
}

function selectFiles(loaded: LoadedProject, paths: readonly string[], cwd: string): (file: string) => boolean {
  if (!paths.length) return () => true;
  const wanted = paths.map((p) => path.relative(loaded.rootDir, path.resolve(cwd, p)).split(path.sep).join('/').replace(/\/+$/, ''));
  return (file) => wanted.some((w) => w === '' || file === w || file.startsWith(`${w}/`));
}

function firstDifference(a: string, b: string): { line: number; column: number } {
  const x = a.split('\n');
  const y = b.split('\n');
  const line = x.findIndex((l, i) => l !== y[i]);
  return { line: (line < 0 ? x.length : line) + 1, column: 1 };
}

// `charter semantic export|import` as library calls: the project's semantic views out as Open Semantic Interchange
// (OSI) documents, and an OSI document in as charter semantic view YAML, every output checked before any is written.
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { error, throwIfErrors, UserError } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../diagnostics/suggest.js';
import { importOsi } from '../load/import-osi.js';
import { loadProject } from '../load/load-project.js';
import { SEMANTIC_VIEWS_FOLDER } from '../load/load-semantic-views.js';
import { compileProject } from '../render/compile-project.js';
import { semanticViewOsi } from '../render/semantic-osi.js';
import { DEFAULT_SEMANTIC_SCHEMA, placementOf } from '../render/semantic-view-files.js';
import { checkSemanticViews } from '../validate/check-semantic-views.js';
import { modelColumns } from './compile.js';
import type { ProjectOptions } from './options.js';

export const SEMANTIC_EXPORT_FORMATS = ['osi'] as const;

export interface SemanticExportOptions extends ProjectOptions {
  readonly format: (typeof SEMANTIC_EXPORT_FORMATS)[number];
  /** Only this view; every view when absent. */
  readonly view?: string;
  /** Where the files go; `<target>/semantic_views/` of the project when absent. */
  readonly outDir?: string;
}

export interface SemanticExport {
  readonly written: readonly string[];
  /** Per view, the charter attributes OSI has no slot for, carried in charter's custom extension. */
  readonly extended: ReadonlyMap<string, readonly string[]>;
}

/** Writes `<view>.osi.yaml` per semantic view, after the checks `compile` makes of them. */
export async function exportSemanticViews(options: SemanticExportOptions): Promise<SemanticExport> {
  const loaded = await loadProject(options);
  const compiled = compileProject(loaded);
  let views = loaded.semanticViews;
  if (options.view !== undefined) {
    views = views.filter((v) => v.definition.name.toLowerCase() === options.view!.toLowerCase());
    if (!views.length) {
      const known = loaded.semanticViews.map((v) => v.definition.name);
      throw new UserError([error('cli.usage', `\`${options.view}\` is not a semantic view of this project`, {
        hint: didYouMean(options.view, known) ?? (known.length ? `semantic views: ${known.join(', ')}` : `define one in ${SEMANTIC_VIEWS_FOLDER}/*.yml`),
      })]);
    }
  }
  if (!views.length) throw new UserError([error('cli.usage', 'the project has no semantic views to export', { hint: `define one in ${SEMANTIC_VIEWS_FOLDER}/*.yml` })]);
  // A view compile would refuse is not one to hand to other tools.
  const roles = loaded.policies.files.length ? new Set(loaded.policies.roles.keys()) : undefined;
  throwIfErrors(checkSemanticViews(views, modelColumns(loaded, compiled), roles));
  const outDir = options.outDir ?? path.join(loaded.rootDir, loaded.paths.target, SEMANTIC_VIEWS_FOLDER);
  const schema = loaded.config.layers?.platinum ?? DEFAULT_SEMANTIC_SCHEMA;
  const exports = views.map((view) => ({
    view,
    out: path.join(outDir, `${view.definition.name.toLowerCase()}.osi.yaml`),
    osi: semanticViewOsi(view.definition, placementOf(view, compiled, schema, loaded.config.name.toUpperCase()), view.file),
  }));
  await mkdir(outDir, { recursive: true });
  for (const e of exports) await writeFile(e.out, e.osi.yaml);
  return { written: exports.map((e) => e.out), extended: new Map(exports.map((e) => [e.view.definition.name, e.osi.extended])) };
}

export interface SemanticImportOptions {
  /** Where the charter YAML goes, e.g. the project's semantic_views/. */
  readonly outDir: string;
  readonly force?: boolean;
}

/** Writes one charter semantic view file per semantic model of an OSI document; nothing when any has a problem. */
export async function importSemanticViews(file: string, options: SemanticImportOptions): Promise<{ written: string[]; notes: readonly string[] }> {
  const imported = importOsi(file, await readFile(file, 'utf8'));
  throwIfErrors(imported.diagnostics);
  const targets = imported.views.map((v) => ({ ...v, out: path.join(options.outDir, v.file) }));
  const clashes = targets.filter((t) => existsSync(t.out) && !options.force);
  if (clashes.length) {
    throw new UserError(clashes.map((t) => error('cli.usage', `${t.out} exists`, { hint: 'pass --force to overwrite it' })));
  }
  await mkdir(options.outDir, { recursive: true });
  for (const t of targets) await writeFile(t.out, t.yaml);
  return { written: targets.map((t) => t.out), notes: imported.notes };
}

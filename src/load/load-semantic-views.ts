// semantic_views/**/*.yml: the project's Snowflake semantic views, one per file, schema-checked and kept with their
// source positions so later checks point into the file. A view named twice is an error at the second. Never throws
// on bad input.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { glob } from 'tinyglobby';
import { error, type Diagnostic, type SourceLocation } from '../diagnostics/diagnostic.js';
import { compileSchema, validateYaml } from './json-schema.js';
import { semanticViewSchema, type SemanticViewDefinition } from './semantic-view-schema.js';
import { locateIn, parseYamlFile, type PositionTable } from './yaml-file.js';

export const SEMANTIC_VIEWS_FOLDER = 'semantic_views';

export interface LoadedSemanticView {
  /** Project-relative, forward slashes. */
  readonly file: string;
  readonly definition: SemanticViewDefinition;
  readonly positions: PositionTable;
}

/** Where a YAML path of a view's file starts; `keyOf` points at that key of the map. */
export const locateInView = (view: Pick<LoadedSemanticView, 'file' | 'positions'>, at: ReadonlyArray<string | number>, keyOf?: string): SourceLocation =>
  locateIn(view.file, view.positions, at, keyOf);

const validateSemanticView = compileSchema<SemanticViewDefinition>('semantic-view', semanticViewSchema);

export async function loadSemanticViews(rootDir: string): Promise<{ views: LoadedSemanticView[]; diagnostics: Diagnostic[] }> {
  if (!existsSync(path.join(rootDir, SEMANTIC_VIEWS_FOLDER))) return { views: [], diagnostics: [] };
  const files = (await glob([`${SEMANTIC_VIEWS_FOLDER}/**/*.yml`, `${SEMANTIC_VIEWS_FOLDER}/**/*.yaml`], { cwd: rootDir, onlyFiles: true })).sort();
  const diagnostics: Diagnostic[] = [];
  const views: LoadedSemanticView[] = [];
  const seen = new Map<string, SourceLocation>();
  for (const file of files) {
    const yaml = parseYamlFile(file, await readFile(path.join(rootDir, file), 'utf8'));
    const { value, diagnostics: problems } = validateYaml(yaml, validateSemanticView);
    diagnostics.push(...problems);
    if (!value) continue;
    const key = value.name.toUpperCase();
    const location = yaml.locate(['name']);
    const earlier = seen.get(key);
    if (earlier) {
      diagnostics.push(error('semantic.duplicate', `semantic view \`${value.name}\` is already defined at ${earlier.file}:${earlier.line}`, {
        location, hint: 'a semantic view is defined once in the project; rename one or remove it',
      }));
      continue;
    }
    seen.set(key, location);
    views.push({ file, definition: value, positions: yaml.positions() });
  }
  return { views, diagnostics };
}

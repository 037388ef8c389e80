// `import-dbt` as a library call: a dbt project's dbt_project.yml to a charter project.yml beside it, checked first.
import { existsSync, readdirSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { error, throwIfErrors, UserError } from '../diagnostics/diagnostic.js';
import { DbtImportError, importDbtProject, type DbtImportNote } from '../load/import-dbt.js';
import { compileSchema, validateYaml } from '../load/json-schema.js';
import { projectSchema, type ProjectConfig } from '../load/project-schema.js';
import { parseYamlFile } from '../load/yaml-file.js';

const validateProject = compileSchema<ProjectConfig>('project', projectSchema);

export async function importDbtDir(dir: string, options: { readonly force?: boolean } = {}): Promise<{ written: string; notes: readonly DbtImportNote[] }> {
  const source = path.join(dir, 'dbt_project.yml');
  if (!existsSync(source)) {
    throw new UserError([error('cli.usage', `no dbt_project.yml in ${path.resolve(dir)}`, { hint: 'pass the folder of a dbt project' })]);
  }
  const out = path.join(dir, 'project.yml');
  if (existsSync(out) && !options.force) {
    throw new UserError([error('cli.usage', `${out} exists`, { hint: 'pass --force to overwrite it' })]);
  }
  const text = await readFile(source, 'utf8');
  let imported;
  try {
    // The folder list only places project-wide model configs; the models path is read as dbt names it.
    const first = importDbtProject(text, 'dbt_project.yml', []);
    imported = importDbtProject(text, 'dbt_project.yml', topFolders(path.join(dir, first.config.paths?.models ?? 'models')));
  } catch (e) {
    if (e instanceof DbtImportError) throw new UserError([error('dbt.invalid', e.message, { location: e.location })]);
    throw e;
  }
  // What is written must load as project.yml.
  throwIfErrors(validateYaml(parseYamlFile('project.yml', imported.yaml), validateProject).diagnostics);
  await writeFile(out, imported.yaml);
  return { written: out, notes: imported.notes };
}

function topFolders(modelsDir: string): string[] {
  if (!existsSync(modelsDir)) return [];
  return readdirSync(modelsDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
}

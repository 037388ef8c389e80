// Where project.yml's paths point, resolved once at load: every folder (and a DuckDB target's file) stays inside
// the project directory, and the target folder is a folder of charter's own, never the project or above it.
// A folder named explicitly must exist. There is no opt-in for a path outside the project: charter refuses it, so
// globbing and `clean` stay bounded.
import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { error, type Diagnostic, type SourceLocation } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../diagnostics/suggest.js';
import type { ProjectPaths } from './project-files.js';
import type { ProjectConfig } from './project-schema.js';

type PathKey = keyof ProjectPaths;
const DEFAULTS: ProjectPaths = { models: 'models', macros: 'macros', seeds: 'seeds', contracts: 'contracts', tests: 'tests', target: 'target' };
const SOURCE_KEYS: readonly PathKey[] = ['models', 'macros', 'seeds', 'contracts', 'tests'];
/** Folders read recursively: a target folder inside one would have its output read back as project files. */
const RECURSIVE: ReadonlySet<PathKey> = new Set(['models', 'macros', 'contracts', 'tests']);

/** A DuckDB `path` that names an in-memory database rather than a file. */
export const IN_MEMORY = ':memory:';

/** Project-relative, forward slashes ('.' for the project itself); undefined when `given` leaves the project. */
export function insideProject(rootDir: string, given: string): string | undefined {
  const relative = path.relative(rootDir, path.resolve(rootDir, given));
  if (relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) return undefined;
  return relative === '' ? '.' : relative.split(path.sep).join('/');
}

const contains = (outer: string, inner: string): boolean => outer === '.' || inner === outer || inner.startsWith(`${outer}/`);

/**
 * The project's folders, project-relative and normalised, with an error (located in project.yml) for each one
 * that escapes the project; `locate` maps a YAML path in project.yml to its position.
 */
export function resolvePaths(
  config: ProjectConfig,
  rootDir: string,
  locate: (yamlPath: ReadonlyArray<string | number>) => SourceLocation,
): { paths: ProjectPaths; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const given = { ...DEFAULTS, ...(config.paths ?? {}) };
  const resolved: Record<PathKey, string> = { ...DEFAULTS };
  const outside = (what: string, value: string, at: ReadonlyArray<string | number>, hint: string): void => {
    diagnostics.push(
      error('project.invalid', `${what} \`${value}\` is outside the project directory ${rootDir}`, {
        location: locate(at),
        hint: `charter reads and writes only inside the folder that holds project.yml; ${hint}`,
      }),
    );
  };
  const escaped = new Set<PathKey>();
  for (const key of Object.keys(DEFAULTS) as PathKey[]) {
    const relative = insideProject(rootDir, given[key]);
    if (relative !== undefined) resolved[key] = relative;
    else {
      escaped.add(key);
      outside(`paths.${key}`, given[key], ['paths', key], `give a folder relative to it, e.g. \`${DEFAULTS[key]}\``);
    }
  }
  for (const key of SOURCE_KEYS) {
    const configured = config.paths?.[key];
    if (configured !== undefined && !escaped.has(key)) diagnostics.push(...folderProblems(rootDir, key, configured, resolved[key], locate(['paths', key])));
  }
  if (resolved.target === '.') {
    diagnostics.push(
      error('project.invalid', `paths.target \`${given.target}\` is the project directory itself`, {
        location: locate(['paths', 'target']),
        hint: 'charter needs a folder of its own for compiled files, results and caches: e.g. `target: target`',
      }),
    );
  } else if (!escaped.has('target')) {
    diagnostics.push(...targetProblems(rootDir, given.target, resolved, locate));
  }
  for (const [name, target] of Object.entries(config.targets)) {
    if (target.engine !== 'duckdb' || target.path === undefined || target.path === IN_MEMORY) continue;
    const relative = insideProject(rootDir, target.path);
    if (relative === undefined) outside(`targets.${name}.path`, target.path, ['targets', name, 'path'], 'e.g. `path: target/dev.duckdb`');
    else if (relative === '.' || contains(relative, resolved.target)) {
      diagnostics.push(
        error('project.invalid', `targets.${name}.path \`${target.path}\` is a folder charter uses, not a database file`, {
          location: locate(['targets', name, 'path']),
          hint: `name a file, e.g. \`path: ${resolved.target}/${config.name}.duckdb\``,
        }),
      );
    }
  }
  if (config.evidence?.dir !== undefined) {
    const relative = insideProject(rootDir, config.evidence.dir);
    if (relative === undefined) outside('evidence.dir', config.evidence.dir, ['evidence', 'dir'], 'e.g. `dir: evidence`');
    else if (relative === '.' || SOURCE_KEYS.some((key) => contains(resolved[key], relative) || contains(relative, resolved[key]))) {
      diagnostics.push(
        error('project.invalid', `evidence.dir \`${config.evidence.dir}\` is the project itself or overlaps a folder charter reads`, {
          location: locate(['evidence', 'dir']),
          hint: 'give the evidence bundles a folder of their own, e.g. `dir: evidence`',
        }),
      );
    }
  }
  return { paths: resolved, diagnostics };
}

/** Where evidence bundles go, project-relative: evidence.dir (checked by resolvePaths), else <target>/evidence. */
export function evidenceRoot(config: ProjectConfig, paths: ProjectPaths, rootDir: string): string {
  const given = config.evidence?.dir;
  if (given === undefined) return path.posix.join(paths.target, 'evidence');
  const relative = insideProject(rootDir, given);
  if (relative === undefined) throw new Error(`evidence.dir ${given} escaped the project after load checked it`);
  return relative;
}

/**
 * A folder named in project.yml must be a folder. The models folder must also be there: a misspelt one would read
 * as a project with no models, silently. The others may be missing (a project without tests or contracts yet).
 */
function folderProblems(rootDir: string, key: PathKey, given: string, relative: string, at: SourceLocation): Diagnostic[] {
  const absolute = path.resolve(rootDir, relative);
  if (existsSync(absolute)) {
    return statSync(absolute).isDirectory() ? [] : [error('project.invalid', `paths.${key} \`${given}\` is a file, not a folder`, { location: at })];
  }
  if (key !== 'models') return [];
  const parent = path.dirname(absolute);
  const siblings = existsSync(parent) && statSync(parent).isDirectory()
    ? readdirSync(parent, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => path.posix.join(path.posix.dirname(relative), d.name).replace(/^\.\//, ''))
    : [];
  return [
    error('project.invalid', `paths.${key} \`${given}\` does not exist`, {
      location: at,
      hint: didYouMean(relative, siblings) ?? `create the folder, or remove paths.${key} to use \`${DEFAULTS[key]}\``,
    }),
  ];
}

/** The target folder must not hold the project (through a symlink too) nor sit inside a folder charter reads. */
function targetProblems(rootDir: string, given: string, resolved: Record<PathKey, string>, locate: (p: ReadonlyArray<string | number>) => SourceLocation): Diagnostic[] {
  const at = locate(['paths', 'target']);
  const absolute = path.resolve(rootDir, resolved.target);
  if (existsSync(absolute)) {
    const real = realpathSync(absolute);
    const realRoot = realpathSync(rootDir);
    if (real === realRoot || realRoot.startsWith(`${real}${path.sep}`) || real === path.parse(real).root) {
      return [
        error('project.invalid', `paths.target \`${given}\` leads (through a link) to ${real}, which holds the project`, {
          location: at,
          hint: 'point paths.target at a folder of its own inside the project, e.g. `target`',
        }),
      ];
    }
  }
  const reader = SOURCE_KEYS.find(
    (key) => resolved[key] === resolved.target || contains(resolved.target, resolved[key]) || (RECURSIVE.has(key) && contains(resolved[key], resolved.target)),
  );
  if (!reader) return [];
  return [
    error('project.invalid', `paths.target \`${given}\` overlaps paths.${reader} \`${resolved[reader]}\`: charter would read its own output as project files, or clean would touch them`, {
      location: at,
      hint: 'keep the target folder apart from models, macros, seeds, contracts and tests, e.g. `target: target`',
    }),
  ];
}

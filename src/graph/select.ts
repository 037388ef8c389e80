// Node selection, dbt-style: name (or a folder's name, as dbt matches a node's fqn), +name, name+, 2+name+1, @name
// (it, everything downstream, and what those read), tag:x, layer:silver, path:models/x, source:s,
// resource_type:seed, config.materialized:incremental, state:modified and result:error|fail|... (against a base or a
// last run the caller resolves); spaces (or repeated flags) for union, commas for intersection, --exclude to remove.
import { error, type Diagnostic } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../diagnostics/suggest.js';
import { LAYERS } from '../project/layers.js';
import type { CompiledProject, ModelNode, ProjectNode } from '../project/nodes.js';
import { reach } from './dag.js';

export interface Selection {
  readonly selected: ReadonlySet<string>;
  readonly diagnostics: readonly Diagnostic[];
}

interface Atom {
  readonly text: string;
  readonly method: string;
  readonly value: string;
  readonly parents: number;
  readonly children: number;
  /** `@name`: the node, its descendants, and every ancestor of those (what a rebuild of them reads). */
  readonly at: boolean;
}

const ATOM = /^(@)?(?:(\d*)\+)?(?:([a-z_]+(?:\.[a-z_]+)?):)?([^+]+?)(?:\+(\d*))?$/;
const METHODS = ['name', 'tag', 'layer', 'path', 'source', 'resource_type', 'config', 'state', 'result'] as const;
/** config.<key>: the model configs a selector can match on. */
const CONFIG_KEYS = ['materialized', 'tags', 'schema', 'alias', 'unique_key', 'incremental_strategy', 'on_schema_change', 'enabled'] as const;
/** result:<status>, as the last run recorded it. */
export const RESULT_STATUSES = ['success', 'error', 'skipped', 'fail', 'warn', 'pass'] as const;
export type ResultStatus = (typeof RESULT_STATUSES)[number];

/** What some methods select by, resolved by the caller. */
export interface SelectContext {
  /** state:modified: nodes whose checksums differ from the base's (--state), new ones included. */
  readonly modified?: ReadonlySet<string>;
  /**
   * result:<status>: per status, the nodes the last run left with it: a node's own (success, error, skipped), or one
   * of its tests' (fail, warn, error, pass). Absent: there is no last run to read.
   */
  readonly results?: ReadonlyMap<ResultStatus, ReadonlySet<string>>;
}

/** Nodes that run: models and seeds. Sources take part in graph walks but are never selected. */
function runnable(node: ProjectNode | undefined): boolean {
  return node !== undefined && node.kind !== 'source';
}

export function selectNodes(
  project: CompiledProject,
  select: readonly string[] | undefined,
  exclude: readonly string[] | undefined = [],
  context: SelectContext = {},
): Selection {
  const diagnostics: Diagnostic[] = [];
  const all = [...project.nodes.values()].filter(runnable).map((n) => n.uniqueId);
  const chosen = select?.length ? evaluate(project, select, diagnostics, context) : new Set(all);
  const removed = exclude.length ? evaluate(project, exclude, diagnostics, context) : new Set<string>();
  const selected = new Set([...chosen].filter((id) => runnable(project.nodes.get(id)) && !removed.has(id)));
  return { selected, diagnostics };
}

function evaluate(project: CompiledProject, expressions: readonly string[], diagnostics: Diagnostic[], context: SelectContext): Set<string> {
  const union = new Set<string>();
  for (const term of expressions.flatMap((e) => e.split(/\s+/)).filter(Boolean)) {
    let intersection: Set<string> | undefined;
    for (const part of term.split(',').filter(Boolean)) {
      const matched = evaluateAtom(project, part, diagnostics, context);
      intersection = intersection ? new Set([...intersection].filter((id) => matched.has(id))) : matched;
    }
    for (const id of intersection ?? []) union.add(id);
  }
  return union;
}

function parseAtom(text: string, diagnostics: Diagnostic[]): Atom | undefined {
  const m = ATOM.exec(text);
  if (!m) {
    diagnostics.push(error('select.invalid', `cannot parse selector \`${text}\``, { hint: 'forms: name, +name, name+, @name, tag:x, layer:silver, path:models/x, config.materialized:table, result:fail' }));
    return undefined;
  }
  const [, at, up, method = 'name', value = '', down] = m;
  const family = method.split('.')[0]!;
  if (!(METHODS as readonly string[]).includes(family) || (family === 'config') !== method.includes('.')) {
    diagnostics.push(
      error('select.invalid', `unknown selector method \`${method}:\``, {
        hint: didYouMean(method, METHODS) ?? `methods: ${METHODS.join(', ')}`,
      }),
    );
    return undefined;
  }
  const depth = (d: string | undefined): number => (d === undefined ? 0 : d === '' ? Infinity : Number(d));
  if (at && (up !== undefined || down !== undefined)) {
    diagnostics.push(error('select.invalid', `\`${text}\` mixes @ with +`, { hint: '@name already takes everything downstream and what those read' }));
    return undefined;
  }
  return { text, method, value, parents: depth(up), children: depth(down), at: at !== undefined };
}

function evaluateAtom(project: CompiledProject, text: string, diagnostics: Diagnostic[], context: SelectContext): Set<string> {
  const atom = parseAtom(text, diagnostics);
  if (!atom) return new Set();
  const base =
    atom.method === 'state' ? matchState(atom, context, diagnostics)
    : atom.method === 'result' ? matchResult(atom, context, diagnostics)
    : atom.method.startsWith('config.') ? matchConfig(project, atom, diagnostics)
    : matchMethod(project, atom, diagnostics);
  const result = new Set(base);
  if (atom.parents) for (const id of reach(project.parents, base, atom.parents)) result.add(id);
  if (atom.children || atom.at) for (const id of reach(project.children, base, atom.at ? Infinity : atom.children)) result.add(id);
  if (atom.at) for (const id of reach(project.parents, result, Infinity)) result.add(id);
  return result;
}

function matchMethod(project: CompiledProject, atom: Atom, diagnostics: Diagnostic[]): Set<string> {
  const nodes = [...project.nodes.values()];
  const pick = (test: (n: ProjectNode) => boolean): Set<string> => new Set(nodes.filter(test).map((n) => n.uniqueId));
  const value = atom.value;
  switch (atom.method) {
    case 'name': {
      const pattern = wildcard(value);
      let found = pick((n) => n.kind !== 'source' && pattern.test(n.name));
      // As dbt matches a node's fqn: a bare name that is no node's may be a folder's (`staging`, `marts.finance`).
      if (!found.size) found = pick((n) => 'path' in n && inFolder(n.path, value));
      if (!found.size) {
        diagnostics.push(
          error('select.invalid', `selector \`${atom.text}\` matches no model or seed`, {
            hint: didYouMean(value, nodes.filter(runnable).map((n) => n.name)),
          }),
        );
      }
      return found;
    }
    case 'tag': {
      const tagsOf = (n: ProjectNode): readonly string[] =>
        n.kind === 'model' ? n.config.tags : n.kind === 'seed' ? n.tags : [];
      const found = pick((n) => tagsOf(n).includes(value));
      if (!found.size) {
        const known = new Set(nodes.flatMap(tagsOf));
        diagnostics.push(error('select.invalid', `no node has tag \`${value}\``, { hint: didYouMean(value, known) }));
      }
      return found;
    }
    case 'layer': {
      const layer = value.toLowerCase();
      if (!(LAYERS as readonly string[]).includes(layer)) {
        diagnostics.push(
          error('select.invalid', `unknown layer \`${value}\``, { hint: didYouMean(layer, LAYERS) ?? `layers: ${LAYERS.join(', ')}` }),
        );
        return new Set();
      }
      // Seeds land in bronze.
      return pick((n) => (n.kind === 'model' && n.layer === layer) || (n.kind === 'seed' && layer === 'bronze'));
    }
    case 'path': {
      const prefix = value.replace(/\/+$/, '');
      const found = pick((n) => 'path' in n && (n.path === prefix || n.path.startsWith(`${prefix}/`)));
      if (!found.size) diagnostics.push(error('select.invalid', `no model or seed file under \`${value}\``));
      return found;
    }
    case 'source': {
      const found = pick((n) => n.kind === 'source' && (n.sourceName === value || n.name === value));
      if (!found.size) {
        const known = nodes.filter((n) => n.kind === 'source').map((n) => n.name);
        diagnostics.push(error('select.invalid', `no source \`${value}\``, { hint: didYouMean(value, known) }));
      }
      return found;
    }
    default: {
      if (value !== 'model' && value !== 'seed') {
        diagnostics.push(error('select.invalid', `resource_type must be model or seed, not \`${value}\``));
        return new Set();
      }
      return pick((n) => n.kind === value);
    }
  }
}

/** A file under a folder named `folder` (dotted for nested folders, as in dbt's fqn), below models/ or seeds/. */
function inFolder(file: string, folder: string): boolean {
  const folders = file.split('/').slice(1, -1);
  const wanted = folder.split(/[./]/).filter(Boolean);
  return wanted.length > 0 && folders.some((_, i) => wanted.every((w, j) => folders[i + j] === w));
}

/** config.<key>:<value>: models whose resolved config has it (a list config, tags or unique_key, when it holds it). */
function matchConfig(project: CompiledProject, atom: Atom, diagnostics: Diagnostic[]): Set<string> {
  const key = atom.method.slice('config.'.length);
  if (!(CONFIG_KEYS as readonly string[]).includes(key)) {
    diagnostics.push(error('select.invalid', `unknown config key \`${key}\` in \`${atom.text}\``, { hint: didYouMean(key, CONFIG_KEYS) ?? `keys: ${CONFIG_KEYS.join(', ')}` }));
    return new Set();
  }
  const valueOf = (n: ModelNode): unknown => {
    const c = n.config;
    switch (key) {
      case 'materialized': return c.materialized;
      case 'tags': return c.tags;
      case 'schema': return c.schema ?? n.relation.schema;
      case 'alias': return c.alias;
      case 'unique_key': return c.uniqueKey;
      case 'incremental_strategy': return c.incrementalStrategy;
      case 'on_schema_change': return c.onSchemaChange;
      default: return String(c.enabled);
    }
  };
  const wanted = atom.value.toLowerCase();
  const holds = (v: unknown): boolean => (Array.isArray(v) ? v.some(holds) : v !== undefined && String(v).toLowerCase() === wanted);
  return new Set([...project.nodes.values()].filter((n): n is ModelNode => n.kind === 'model' && holds(valueOf(n))).map((n) => n.uniqueId));
}

/** result:<status>: what the last run (target/run_results.json, read by the caller) left with that status. */
function matchResult(atom: Atom, context: SelectContext, diagnostics: Diagnostic[]): Set<string> {
  if (!(RESULT_STATUSES as readonly string[]).includes(atom.value)) {
    diagnostics.push(error('select.invalid', `unknown result status \`${atom.value}\``, { hint: didYouMean(atom.value, RESULT_STATUSES) ?? `statuses: ${RESULT_STATUSES.join(', ')}` }));
    return new Set();
  }
  if (!context.results) {
    diagnostics.push(error('select.invalid', `\`${atom.text}\` needs the results of a last run`, { hint: 'run charter build (or run, test) first: result: reads target/run_results.json' }));
    return new Set();
  }
  return new Set(context.results.get(atom.value as ResultStatus) ?? []);
}

/** state:modified: what the caller found changed against the base; an empty set is a valid answer (nothing changed). */
function matchState(atom: Atom, context: SelectContext, diagnostics: Diagnostic[]): Set<string> {
  if (atom.value !== 'modified') {
    diagnostics.push(error('select.invalid', `unknown state selector \`${atom.text}\``, { hint: 'state:modified, or state:modified+ for it and everything downstream' }));
    return new Set();
  }
  if (!context.modified) {
    diagnostics.push(error('select.invalid', `\`${atom.text}\` needs a base to compare with`, { hint: 'pass --state <path to a manifest.json | git ref>, e.g. --state HEAD~1' }));
    return new Set();
  }
  return new Set(context.modified);
}

function wildcard(pattern: string): RegExp {
  return new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}

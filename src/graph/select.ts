// Node selection, dbt-style: name, +name, name+, 2+name+1, tag:x, layer:silver, path:models/x, source:s,
// resource_type:seed, state:modified (against a base the caller resolves); spaces (or repeated flags) for union,
// commas for intersection, --exclude to remove.
import { error, type Diagnostic } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../diagnostics/suggest.js';
import { LAYERS } from '../project/layers.js';
import type { CompiledProject, ProjectNode } from '../project/nodes.js';
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
}

const ATOM = /^(?:(\d*)\+)?(?:([a-z_]+):)?([^+]+?)(?:\+(\d*))?$/;
const METHODS = ['name', 'tag', 'layer', 'path', 'source', 'resource_type', 'state'] as const;

/** What some methods select by, resolved by the caller: state:modified needs the nodes changed against a base. */
export interface SelectContext {
  /** Nodes whose checksums differ from the base's (--state), new ones included. */
  readonly modified?: ReadonlySet<string>;
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
    diagnostics.push(error('select.invalid', `cannot parse selector \`${text}\``, { hint: 'forms: name, +name, name+, tag:x, layer:silver, path:models/x' }));
    return undefined;
  }
  const [, up, method = 'name', value = '', down] = m;
  if (!(METHODS as readonly string[]).includes(method)) {
    diagnostics.push(
      error('select.invalid', `unknown selector method \`${method}:\``, {
        hint: didYouMean(method, METHODS) ?? `methods: ${METHODS.join(', ')}`,
      }),
    );
    return undefined;
  }
  const depth = (d: string | undefined): number => (d === undefined ? 0 : d === '' ? Infinity : Number(d));
  return { text, method, value, parents: depth(up), children: depth(down) };
}

function evaluateAtom(project: CompiledProject, text: string, diagnostics: Diagnostic[], context: SelectContext): Set<string> {
  const atom = parseAtom(text, diagnostics);
  if (!atom) return new Set();
  const base = atom.method === 'state' ? matchState(atom, context, diagnostics) : matchMethod(project, atom, diagnostics);
  const result = new Set(base);
  if (atom.parents) for (const id of reach(project.parents, base, atom.parents)) result.add(id);
  if (atom.children) for (const id of reach(project.children, base, atom.children)) result.add(id);
  return result;
}

function matchMethod(project: CompiledProject, atom: Atom, diagnostics: Diagnostic[]): Set<string> {
  const nodes = [...project.nodes.values()];
  const pick = (test: (n: ProjectNode) => boolean): Set<string> => new Set(nodes.filter(test).map((n) => n.uniqueId));
  const value = atom.value;
  switch (atom.method) {
    case 'name': {
      const pattern = wildcard(value);
      const found = pick((n) => n.kind !== 'source' && pattern.test(n.name));
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

// The Jinja that dbt models are written in and nunjucks lacks: `{% do %}`, namespace() and `{% set ns.x = ... %}`,
// return(), tojson/fromjson, and `execute`. Each is a plain function or object on charter's sandboxed environment;
// none exposes a constructor, a prototype chain worth climbing, or the process (template-sandbox.ts refuses those by
// name on every value, these included).
import nunjucks from 'nunjucks';
import { macroReturn } from './macro-return.js';
import { isDict } from './python-methods.js';
import { LocatedKey, forbidden, isUnsafeMember, shown } from './template-sandbox.js';

/** Not a name the lexer can produce: only charter's rewrite of `{% set ns.x = v %}` (template-compile.ts) calls it. */
export const SETATTR_FILTER = 'charter:setattr';

/** namespace() objects: the only values `{% set x.y = ... %}` may write to, as in Jinja. */
const namespaces = new WeakSet<object>();

interface ParserLike {
  nextToken(): { value: string };
  parseSignature(tolerant: boolean | null, noParens: boolean): unknown;
  advanceAfterBlockEnd(name: string): void;
}
interface NodesLike {
  CallExtension: new (ext: object, prop: string, args: unknown, contentArgs: unknown) => unknown;
}

/** `{% do expr %}`: evaluates `expr` for its effect (`{% do cols.append('x') %}`) and prints nothing. */
const doExtension = {
  tags: ['do'],
  parse(parser: ParserLike, nodes: NodesLike): unknown {
    const tag = parser.nextToken();
    const args = parser.parseSignature(null, true);
    parser.advanceAfterBlockEnd(tag.value);
    return new nodes.CallExtension(doExtension, 'run', args, null);
  },
  run: (): string => '',
};

/** Drops nunjucks' mark on a keyword-argument object. */
export function keywordArguments(kwargs: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!isDict(kwargs)) return out;
  for (const [key, value] of Object.entries(kwargs)) if (key !== '__keywords') out[key] = value;
  return out;
}

function namespace(...args: unknown[]): Record<string, unknown> {
  const ns: Record<string, unknown> = {};
  for (const arg of args) {
    for (const [key, value] of Object.entries(isDict(arg) ? arg : {})) {
      if (key === '__keywords') continue;
      if (isUnsafeMember(key)) throw forbidden(`the namespace attribute ${shown(key)}`);
      ns[key] = value;
    }
  }
  namespaces.add(ns);
  return ns;
}

function setAttribute(target: unknown, located: unknown, value: unknown): string {
  const key = located instanceof LocatedKey ? located.key : located;
  const at = located instanceof LocatedKey ? located.at : undefined;
  if (typeof target !== 'object' || target === null || !namespaces.has(target)) {
    throw forbidden(
      `{% set x.${String(key)} = ... %} where x is not a namespace()`,
      at,
      `as in Jinja, only a namespace() takes attributes: {% set x = namespace(${String(key)}=...) %}`,
    );
  }
  if (isUnsafeMember(key)) throw forbidden(`the member ${shown(key)}`, at);
  (target as Record<string, unknown>)[String(key)] = value;
  return '';
}

/** Python's json.dumps, which dbt's tojson is: `{"a": 1, "b": [1, 2]}`, with its spacing. */
export function pythonJson(value: unknown, sortKeys = false): string {
  const seen = new Set<unknown>();
  const dump = (v: unknown): string => {
    if (v === undefined || v === null) return 'null';
    if (v instanceof String) return JSON.stringify(String(v)); // a SafeString
    if (typeof v === 'string' || typeof v === 'boolean') return JSON.stringify(v);
    if (typeof v === 'number') return Number.isFinite(v) ? JSON.stringify(v) : v !== v ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
    if (v instanceof Date) return JSON.stringify(v.toISOString());
    if (typeof v !== 'object') throw new Error(`tojson cannot serialise a ${typeof v}`);
    if (seen.has(v)) throw new Error('tojson: the value contains itself');
    seen.add(v);
    try {
      if (Array.isArray(v)) return `[${v.map(dump).join(', ')}]`;
      const keys = Object.keys(v).filter((k) => k !== '__keywords');
      if (sortKeys) keys.sort();
      return `{${keys.map((k) => `${JSON.stringify(k)}: ${dump((v as Record<string, unknown>)[k])}`).join(', ')}}`;
    } finally {
      seen.delete(v);
    }
  };
  return dump(value);
}

function tojson(value: unknown, ...rest: unknown[]): string {
  const kwargs = keywordArguments(rest[rest.length - 1]);
  return pythonJson(value, kwargs['sort_keys'] === true);
}

function fromjson(text: unknown, fallback?: unknown): unknown {
  try {
    return JSON.parse(String(text)) as unknown;
  } catch {
    if (fallback !== undefined) return fallback;
    throw new Error(`fromjson: ${shown(text)} is not JSON`);
  }
}

/** Adds the Jinja constructs above to `env`; call before compiling any template with it. */
export function addJinjaCompat(env: nunjucks.Environment): void {
  env.addExtension('do', doExtension);
  env.addGlobal('namespace', namespace);
  env.addFilter(SETATTR_FILTER, setAttribute);
  env.addGlobal('return', macroReturn);
  env.addFilter('tojson', tojson);
  env.addGlobal('tojson', tojson);
  env.addGlobal('fromjson', fromjson);
  // dbt is false while parsing and true while running; charter renders once, for the run, so always true.
  env.addGlobal('execute', true);
  // Python's names, which dbt code passes everywhere (quote_identifiers=False, default=None); nunjucks knows only
  // true, false and none, and would take these for undefined variables.
  env.addGlobal('True', true);
  env.addGlobal('False', false);
  env.addGlobal('None', null);
}

// The run-time half of the template sandbox: what a rendering template can reach, guarded on charter's Environment.
//
// Nunjucks is no sandbox: `{{ range.constructor("return process")() }}` runs JavaScript. A compiled template reaches
// values only through the `runtime` object handed to its root function (memberLookup for `a.b` and `a[k]`,
// contextOrFrameLookup for bare names, callWrap for calls), through env.getFilter/getTest/globals, and through the
// environment's loaders. template-compile.ts hands every root function GUARDED_RUNTIME below instead of the shared
// nunjucks.runtime module, so nothing process-wide is patched and other users of nunjucks are unaffected; this module
// guards the rest on the one Environment it is given. The rules follow Jinja2's SandboxedEnvironment, which dbt uses.
import nunjucks from 'nunjucks';
import type { SourceLocation } from '../diagnostics/diagnostic.js';
import { returningMakeMacro } from './macro-return.js';
import { pythonMethod } from './python-methods.js';

export const SANDBOX_HINT =
  'templates are sandboxed: they see ref, source, var, config, this, target, is_incremental, adapter, dbt\'s context ' +
  '(env_var, log, modules, dbt_utils...), macros and ' +
  'their own values, never JavaScript internals (constructor, prototype, __proto__, Function, process)';
export const LOADER_HINT =
  'charter templates cannot read files; put shared SQL in a macro under macros/ (every macro is available to every ' +
  'model, test and macro without an import)';

/** Member names that lead from any value to JavaScript's machinery: constructors and prototypes. */
const UNSAFE_MEMBERS = new Set(['constructor', 'prototype']);

/** `x.name` and `x[name]`: besides the set above, every `__`-prefixed name (`__proto__`, `__defineGetter__`...). */
export function isUnsafeMember(name: unknown): boolean {
  return typeof name === 'string' && (UNSAFE_MEMBERS.has(name) || name.startsWith('__'));
}

/**
 * A function's internals (who called it, with what), refused on functions and `arguments` objects; on a dict they
 * are ordinary keys (a dbt test's `arguments:`), so they are checked at run time, against the value.
 */
export const FUNCTION_INTERNALS: ReadonlySet<string> = new Set(['caller', 'callee', 'arguments']);
const hasInternals = (obj: unknown): boolean =>
  typeof obj === 'function' || Object.prototype.toString.call(obj) === '[object Arguments]';

/** A bare name: `constructor` and `__*` would resolve through the plain context object's prototype. */
export function isUnsafeName(name: string): boolean {
  return name === 'constructor' || name === 'prototype' || name.startsWith('__');
}

/** What one forbidden construct was, and where, when known. */
export interface Violation {
  readonly what: string;
  readonly hint: string;
  readonly location?: SourceLocation;
  /** A construct charter does not support, rather than one the sandbox forbids. */
  readonly unsupported?: true;
}

/** Thrown when a template reaches for something the sandbox forbids; becomes `template.forbidden` diagnostics. */
export class TemplateForbiddenError extends Error {
  constructor(readonly violations: readonly [Violation, ...Violation[]]) {
    super(`forbidden in a template: ${violations[0].what}`);
    this.name = 'TemplateForbiddenError';
  }
}

export function forbidden(what: string, location?: SourceLocation, hint = SANDBOX_HINT): TemplateForbiddenError {
  return new TemplateForbiddenError([{ what, hint, ...(location ? { location } : {}) }]);
}

/** A key as the user wrote it, for messages: quoted, and short whatever they wrote. */
export function shown(key: unknown): string {
  const text = JSON.stringify(String(key));
  return text.length > 60 ? `${text.slice(0, 57)}..."` : text;
}

/**
 * A dynamic member key or filter attribute with the place it is written. template-compile.ts wraps every
 * non-literal key in the LOCATED_KEY_FILTER, so a forbidden key built at run time (`x['constr' ~ 'uctor']`) is
 * reported at its own file, line and column, even inside a macro called from another file.
 */
export class LocatedKey {
  constructor(
    readonly key: unknown,
    readonly at: SourceLocation | undefined,
  ) {}
}
/** Not a name the lexer can produce, so no template can call it itself. */
export const LOCATED_KEY_FILTER = 'charter:located-key';

/** Filters that read `item[attribute]` directly, and the argument index (the piped value is 0) of that attribute. */
export const ATTRIBUTE_FILTERS: Readonly<Record<string, number>> = { sort: 3, groupby: 1, selectattr: 1, rejectattr: 1, sum: 1, join: 2 };

/** Jinja's cap: a bigger range() is a memory bomb, not SQL. */
export const MAX_RANGE = 100_000;

// Values no template may hold, whatever route it found: the code-running constructors and the process itself.
const AsyncFunction = (async () => {}).constructor;
const GeneratorFunction = function* () {}.constructor;
const AsyncGeneratorFunction = async function* () {}.constructor;
const FORBIDDEN_VALUES = new Map<unknown, string>([
  [Function, 'Function'],
  [AsyncFunction, 'AsyncFunction'],
  [GeneratorFunction, 'GeneratorFunction'],
  [AsyncGeneratorFunction, 'AsyncGeneratorFunction'],
  [eval, 'eval'],
  [globalThis, 'globalThis'],
  [process, 'process'],
  [process.env, 'process.env'],
  [Object, 'Object'],
  [Reflect, 'Reflect'],
  [Proxy, 'Proxy'],
]);
for (const name of ['require', 'module']) {
  const value: unknown = (globalThis as Record<string, unknown>)[name];
  if (value !== undefined) FORBIDDEN_VALUES.set(value, name);
}

function guardValue<T>(value: T, at?: SourceLocation): T {
  const name = FORBIDDEN_VALUES.get(value);
  if (name !== undefined) throw forbidden(`access to ${name}`, at);
  return value;
}

// --- the guarded runtime -------------------------------------------------------------------------------------------

interface Frame {
  lookup(name: string): unknown;
}
interface Context {
  ctx: Record<string, unknown>;
  env: { globals: Record<string, unknown> };
}
interface SafeStringValue {
  val: string;
}
/** The members of nunjucks' runtime module compiled templates call; @types/nunjucks leaves them out. */
export interface NunjucksRuntime {
  readonly memberLookup: (obj: unknown, key: unknown) => unknown;
  readonly contextOrFrameLookup: (context: Context, frame: Frame, name: string) => unknown;
  readonly callWrap: (fn: unknown, name: string, context: unknown, args: unknown[]) => unknown;
  readonly SafeString: new (val: string) => SafeStringValue;
  readonly makeMacro: Parameters<typeof returningMakeMacro>[0];
  readonly [other: string]: unknown;
}
const base = (nunjucks as unknown as { runtime: NunjucksRuntime }).runtime;

function memberKey(key: unknown, at: SourceLocation | undefined): string | number {
  if (typeof key === 'string' || typeof key === 'number') return key;
  if (key instanceof base.SafeString) return key.val; // a macro's output, or `| safe`
  if (key === undefined || key === null || typeof key === 'boolean') return String(key);
  // An object key would be turned into a name by its own toString(), which a template can choose.
  throw forbidden('a member key that is not a string or a number', at);
}

/** `obj.key`, `obj[key]`: nunjucks' lookup behind a deny list of keys and of values. */
function memberLookup(obj: unknown, rawKey: unknown): unknown {
  const at = rawKey instanceof LocatedKey ? rawKey.at : undefined;
  const key = memberKey(rawKey instanceof LocatedKey ? rawKey.key : rawKey, at);
  if (isUnsafeMember(key)) throw forbidden(`the member ${shown(key)}`, at);
  if (obj === undefined || obj === null) return undefined;
  if (typeof key === 'string' && FUNCTION_INTERNALS.has(key) && hasInternals(obj)) throw forbidden(`the member ${shown(key)} of a function`, at);
  // Python's meaning first (`'a'.upper()`, `d.items()`): dbt's templates are written against it.
  const method = pythonMethod(obj instanceof base.SafeString ? obj.val : obj, key);
  if (method) return method;
  const value = guardValue((obj as Record<string | number, unknown>)[key], at);
  if (typeof value !== 'function') return value;
  // As nunjucks does: a method comes back bound to its object.
  return (...args: unknown[]) => guardValue((value as (...a: unknown[]) => unknown).apply(obj, args), at);
}

/** A bare name: the render frame, then the context's and the globals' own properties, never their prototypes. */
function contextOrFrameLookup(context: Context, frame: Frame, name: string): unknown {
  if (isUnsafeName(name)) throw forbidden(`the name ${shown(name)}`);
  const inFrame = frame.lookup(name);
  if (inFrame !== undefined) return guardValue(inFrame);
  if (Object.hasOwn(context.ctx, name)) return guardValue(context.ctx[name]);
  if (Object.hasOwn(context.env.globals, name)) return guardValue(context.env.globals[name]);
  return undefined;
}

function callWrap(fn: unknown, name: string, context: unknown, args: unknown[]): unknown {
  if (FORBIDDEN_VALUES.has(fn)) throw forbidden(`calling ${FORBIDDEN_VALUES.get(fn) ?? name}`);
  return guardValue(base.callWrap(fn, name, context, args));
}

/** What charter hands every compiled template instead of nunjucks.runtime. */
export const GUARDED_RUNTIME: NunjucksRuntime = Object.freeze({
  ...base,
  memberLookup,
  contextOrFrameLookup,
  callWrap,
  makeMacro: returningMakeMacro(base.makeMacro),
});

// --- the environment -----------------------------------------------------------------------------------------------

/** The loader charter's environment has: `{% include %}` and friends are refused at compile, and here again. */
export function refusingLoader(): nunjucks.ILoader {
  return {
    getSource: (name: string) => {
      throw forbidden(`loading the template ${shown(name)}`, undefined, LOADER_HINT);
    },
  };
}

interface EnvironmentTables {
  globals: Record<string, unknown>;
  filters: Record<string, unknown>;
  tests: Record<string, unknown>;
  extensions: Record<string, unknown>;
  loaders: Array<{ cache?: unknown }>;
}

/** Guards what the compiled code reads from the environment itself; `sites` resolves LocatedKey positions. */
export function sandboxEnvironment(env: nunjucks.Environment, sites: readonly SourceLocation[]): void {
  const tables = env as unknown as EnvironmentTables;
  // `{{ x | constructor }}` or select('__defineGetter__') would otherwise find Object.prototype members.
  for (const table of [tables.globals, tables.filters, tables.tests, tables.extensions]) Object.setPrototypeOf(table, null);
  for (const loader of tables.loaders) loader.cache = Object.create(null);

  const range = tables.globals['range'] as (start: number, stop?: number, step?: number) => number[];
  env.addGlobal('range', (start: number, stop?: number, step?: number) => {
    const [from, to, by] = stop === undefined ? [0, start, 1] : [start, stop, step || 1];
    if (Math.ceil((to - from) / by) > MAX_RANGE) throw forbidden(`a range() of more than ${MAX_RANGE} numbers`);
    return range(start, stop, step);
  });

  env.addFilter(LOCATED_KEY_FILTER, (key: unknown, site: number) => new LocatedKey(key, sites[site]));
  // Jinja's selectattr('a', 'equalto', 2): nunjucks ignores the test and its argument, keeping every truthy `a`.
  const getTest = (name: string) => (env as unknown as { getTest(n: string): (...args: unknown[]) => unknown }).getTest(name);
  for (const [name, keep] of [['selectattr', true], ['rejectattr', false]] as const) {
    env.addFilter(name, function (this: unknown, items: unknown, attribute: unknown, test?: unknown, ...testArgs: unknown[]) {
      const check = test === undefined ? (v: unknown) => !!v : (v: unknown) => !!getTest(String(test)).call(this, v, ...testArgs);
      const list = Array.isArray(items) ? items : [];
      return list.filter((item) => check(item === null || item === undefined ? undefined : (item as Record<string, unknown>)[String(attribute)]) === keep);
    });
  }
  for (const [name, index] of Object.entries(ATTRIBUTE_FILTERS)) {
    const original = env.getFilter(name);
    env.addFilter(name, function (this: unknown, ...args: unknown[]) {
      return original.apply(this, args.map((arg, i) => (i === 0 ? arg : checkedAttribute(arg, i === index, name))));
    });
  }
}

/** A filter argument with any attribute name in it checked; LocatedKey wrappers come off. */
function checkedAttribute(arg: unknown, isAttribute: boolean, filter: string): unknown {
  if (arg instanceof LocatedKey) return attributeName(arg.key, filter, arg.at);
  if (typeof arg === 'object' && arg !== null && Object.hasOwn(arg, '__keywords')) {
    // Keyword arguments: a copy keeps the own `__keywords` mark nunjucks looks for.
    if (!Object.hasOwn(arg, 'attribute')) return arg;
    const { attribute } = arg as { attribute: unknown };
    const name = attribute instanceof LocatedKey ? attributeName(attribute.key, filter, attribute.at) : attributeName(attribute, filter);
    return { ...arg, attribute: name };
  }
  return isAttribute ? attributeName(arg, filter) : arg;
}

/** An attribute name as the built-in filters read it: a key, or a dotted path of keys. */
export function attributeName(value: unknown, filter: string, at?: SourceLocation): unknown {
  if (value === undefined || value === null || typeof value === 'boolean' || typeof value === 'number') return value;
  const name = value instanceof base.SafeString ? value.val : value;
  if (typeof name !== 'string') throw forbidden(`an attribute of | ${filter} that is not a string`, at);
  if ([name, ...name.split('.')].some(isUnsafeMember)) throw forbidden(`the attribute ${shown(name)} of | ${filter}`, at);
  return name;
}

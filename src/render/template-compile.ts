// The compile-time half of the template sandbox: parse, refuse what a template may not say, compile, run guarded.
//
// Charter compiles each template itself (the same four steps as nunjucks' own compiler.compile) so it can check the
// syntax tree between parsing and code generation:
// - `{% include %}`, `{% import %}`, `{% from %}` and `{% extends %}` would read files; they are refused here.
// - `x.constructor`, `x['__proto__']`, `{'__proto__': ...}`, a bare `constructor`: refused with their exact position.
// - Nunjucks' code generator pastes names into the JavaScript it builds without escaping them: a name the lexer
//   accepts with a quote in it (`{{ a"b }}`), a test name written as a string, or a backslash in a literal key of a
//   called lookup (`x["\\", ...]()`) ends a string in the generated code and runs whatever follows, past every
//   run-time guard. Names must be identifiers; such literals are kept out of the generated names.
// - Every dynamic key and filter attribute is wrapped so the run-time guard can say where it was written.
// - dbt's Jinja: `{% set ns.x = v %}` becomes a checked assignment to a namespace() (jinja-compat.ts); Jinja that
//   nunjucks would run with another meaning (`{% set a, b = pair %}`, `'%s' % x`) is refused by name.
// Every template then runs against template-sandbox.ts's GUARDED_RUNTIME instead of the shared nunjucks.runtime.
import { createRequire } from 'node:module';
import nunjucks from 'nunjucks';
import type { SourceLocation } from '../diagnostics/diagnostic.js';
import { SETATTR_FILTER } from './jinja-compat.js';
import {
  ATTRIBUTE_FILTERS,
  FUNCTION_INTERNALS,
  GUARDED_RUNTIME,
  LOADER_HINT,
  LOCATED_KEY_FILTER,
  SANDBOX_HINT,
  TemplateForbiddenError,
  attributeName,
  isUnsafeMember,
  isUnsafeName,
  sandboxEnvironment,
  shown,
  type Violation,
} from './template-sandbox.js';

/** A node of nunjucks' syntax tree: positions are 0-based. */
interface AstNode {
  readonly typename: string;
  readonly fields: readonly string[];
  readonly lineno: number;
  readonly colno: number;
  [field: string]: unknown;
}
type NodeClass = new (lineno: number, colno: number, ...fields: unknown[]) => AstNode;
type RootRenderFunc = (env: unknown, context: unknown, frame: unknown, runtime: unknown, cb: unknown) => void;

/** The exported but untyped parts of nunjucks 3.2.4 (pinned) this module builds on. */
interface NunjucksInternals {
  parser: { parse(src: string, extensions: unknown, opts: unknown): AstNode };
  compiler: { Compiler: new (name: string, throwOnUndefined: boolean) => { compile(ast: AstNode): void; getCode(): string } };
  nodes: Record<'Node' | 'NodeList' | 'Group' | 'Literal' | 'Symbol' | 'Filter' | 'Array', NodeClass>;
}
interface EnvironmentInternals {
  opts: { throwOnUndefined: boolean };
  extensionsList: unknown[];
  asyncFilters: string[];
}
const internals = nunjucks as unknown as NunjucksInternals;
// Not re-exported by nunjucks' index; the same module its compiler uses.
const transformer = createRequire(import.meta.url)('nunjucks/src/transformer.js') as {
  transform(ast: AstNode, asyncFilters: string[], name: string): AstNode;
};

/** A name a macro file defines at its top level, which becomes a global. */
export interface Definition {
  readonly name: string;
  readonly kind: 'macro' | 'set';
  readonly location: SourceLocation;
}

export interface CompiledTemplate {
  readonly template: nunjucks.Template;
  /** What the template exports: its top-level macros and `{% set %}`s. */
  readonly definitions: readonly Definition[];
}

const IDENTIFIER = /^[\p{ID_Start}_$][\p{ID_Continue}$]*$/u;
/** Safe to paste between double quotes in generated JavaScript. */
const PLAIN_TEXT = /^[^\\"\n\r\u2028\u2029]*$/;
const UNSUPPORTED_HINT = 'charter supports the Jinja that dbt models commonly use; rewrite this part (README: dbt Jinja compatibility)';
const FILE_TAGS: Readonly<Record<string, string>> = { Include: 'include', Import: 'import', FromImport: 'from ... import', Extends: 'extends' };

/** Compiles templates for one environment, which it sandboxes. */
export class SandboxedCompiler {
  /** Where each LocatedKey was written, by the index the compiled code passes. */
  private readonly sites: SourceLocation[] = [];

  constructor(private readonly env: nunjucks.Environment) {
    sandboxEnvironment(env, this.sites);
  }

  /** Throws nunjucks' TemplateError on a syntax error and TemplateForbiddenError on what the sandbox refuses. */
  compile(src: string, file: string): CompiledTemplate {
    const env = this.env as unknown as EnvironmentInternals;
    const ast = internals.parser.parse(src, env.extensionsList, env.opts);
    const violations = checkTree(ast, file, (at) => this.sites.push(at) - 1);
    if (violations.length) throw new TemplateForbiddenError(violations as [Violation, ...Violation[]]);
    const definitions = exportedDefinitions(ast, file);
    const compiler = new internals.compiler.Compiler(file, env.opts.throwOnUndefined);
    compiler.compile(transformer.transform(ast, env.asyncFilters, file));
    // What nunjucks' Template#_compile does with the generated code.
    const props = new Function(compiler.getCode())() as { root: RootRenderFunc };
    const template = new nunjucks.Template({ type: 'code', obj: props } as unknown as string, this.env, file, true);
    // The root function passes its runtime on to blocks and to every macro it defines, so macros are guarded too.
    const root = template.rootRenderFunc;
    template.rootRenderFunc = (env, context, frame, _runtime, cb) => root(env, context, frame, GUARDED_RUNTIME, cb);
    return { template, definitions };
  }
}

/** Every violation in the tree; rewrites dynamic keys in place to carry their position (see LocatedKey). */
function checkTree(root: AstNode, file: string, site: (at: SourceLocation) => number): Violation[] {
  const violations: Violation[] = [];
  const at = (node: AstNode): SourceLocation => ({ file, line: node.lineno + 1, column: node.colno + 1 });
  const refuse = (node: AstNode, what: string, hint = SANDBOX_HINT): void => {
    violations.push({ what, hint, location: at(node) });
  };
  /** Jinja that nunjucks would run with another meaning (a silent wrong result), refused by name instead. */
  const unsupported = (node: AstNode, what: string, hint: string): void => {
    violations.push({ what, hint: `${hint}; ${UNSUPPORTED_HINT}`, location: at(node), unsupported: true });
  };
  const isString = (node: unknown): boolean => isLiteral(node) && typeof (node as AstNode)['value'] === 'string';
  const { Node, NodeList, Group, Literal, Symbol: SymbolNode, Filter, Array: ArrayNode } = internals.nodes;
  const isNode = (value: unknown): value is AstNode => value instanceof Node;
  const isLiteral = (value: unknown): boolean => value instanceof Literal && !(value instanceof SymbolNode);
  /** Wrappers this walk made: only the expression inside them is the user's. */
  const made = new WeakMap<AstNode, AstNode>();
  /** Names this walk wrote, which no template can: not checked as the user's. */
  const ownNames = new WeakSet<AstNode>();
  const located = (node: AstNode): AstNode => {
    const { lineno, colno } = node;
    const args = new NodeList(lineno, colno, [node, new Literal(lineno, colno, site(at(startOf(node))))]);
    const wrapper = new Filter(lineno, colno, new SymbolNode(lineno, colno, LOCATED_KEY_FILTER), args);
    made.set(wrapper, node);
    return wrapper;
  };

  /**
   * The callee of a call, safe for the name nunjucks pastes into its generated code (for "Unable to call `x.y`"):
   * it pastes literals of the callee chain raw, so any literal that is not plain text goes inside parentheses,
   * which keep its value and make nunjucks name it `--expression--`. (Keys of lookups are handled below.)
   */
  const plainCallee = (node: AstNode): AstNode => {
    if (isLiteral(node)) return typeof node['value'] === 'string' && !PLAIN_TEXT.test(node['value']) ? new Group(node.lineno, node.colno, [node]) : node;
    if (node.typename === 'LookupVal') node['target'] = plainCallee(node['target'] as AstNode);
    else if (node.typename === 'FunCall') node['name'] = plainCallee(node['name'] as AstNode);
    return node;
  };

  /** A filter's attribute argument: a literal is checked now, anything else when it is known. */
  const attribute = (filter: string, arg: AstNode): AstNode => {
    if (!isLiteral(arg)) return located(arg);
    try {
      attributeName(arg['value'], filter);
    } catch (e) {
      if (!(e instanceof TemplateForbiddenError)) throw e;
      refuse(arg, e.violations[0].what);
    }
    return arg;
  };

  /**
   * Jinja's `{% set ns.x = value %}` (nunjucks crashes compiling it): becomes `{% set _charter_setattr = ns |
   * charter:setattr('x', value) %}`, the filter checking at run time that `ns` is a namespace().
   */
  const setAttributes = (node: AstNode): void => {
    const targets = node['targets'] as AstNode[];
    const lookup = targets.find((t) => t.typename === 'LookupVal');
    if (!lookup) return;
    const key = lookup['val'] as AstNode;
    if (targets.length !== 1 || !node['value'] || !isLiteral(key) || typeof key['value'] !== 'string') {
      unsupported(lookup, 'the Jinja construct `{% set x.attr %}` other than `{% set ns.name = value %}`', 'write `{% set ns.name = value %}`');
      return;
    }
    if (isUnsafeMember(key['value'])) return refuse(key, `the member ${shown(key['value'])}`);
    const { lineno, colno } = lookup;
    // The key goes located, so a refusal at run time names the place of the assignment.
    const args = new NodeList(lineno, colno, [lookup['target'], located(key), node['value']]);
    const filterName = new SymbolNode(lineno, colno, SETATTR_FILTER);
    ownNames.add(filterName);
    node['targets'] = [new SymbolNode(lineno, colno, '_charter_setattr')];
    node['value'] = new Filter(lineno, colno, filterName, args);
  };

  const visit = (node: AstNode): void => {
    const wrapped = made.get(node);
    if (wrapped) return visit(wrapped);
    const tag = FILE_TAGS[node.typename];
    if (tag) refuse(node, `{% ${tag} %}`, LOADER_HINT);
    switch (node.typename) {
      case 'Symbol': {
        const name = String(node['value']);
        if (ownNames.has(node)) break;
        if (!IDENTIFIER.test(name)) refuse(node, `the name ${shown(name)}, which is not an identifier`);
        else if (isUnsafeName(name)) refuse(node, `the name ${shown(name)}`);
        break;
      }
      case 'LookupVal': {
        const key = node['val'] as AstNode;
        const value = isLiteral(key) ? key['value'] : undefined;
        if (isUnsafeMember(value)) refuse(key, `the member ${shown(value)}`);
        // Dynamic keys, function internals (refused only on functions) and keys unfit for generated code go through
        // the run-time check with their position.
        else if (typeof value !== 'string' || FUNCTION_INTERNALS.has(value) || !PLAIN_TEXT.test(value)) {
          if (typeof value !== 'number') node['val'] = located(key);
        }
        break;
      }
      case 'FunCall':
        node['name'] = plainCallee(node['name'] as AstNode);
        break;
      case 'Set':
        // Nunjucks gives every name the whole value; Jinja unpacks it.
        if ((node['targets'] as AstNode[]).length > 1 && node['value']) {
          unsupported(node, 'unpacking in `{% set a, b = ... %}`', 'set each name on its own: {% set a = pair[0] %}');
        } else {
          setAttributes(node);
        }
        break;
      case 'Mod':
        if (isString(node['left'])) unsupported(node['left'] as AstNode, "Python string formatting `'...' % value`", "use ~ to join text: 'id_' ~ value");
        break;
      case 'Mul':
        if (isString(node['left']) || isString(node['right'])) unsupported(node, 'repeating text with `*`', 'write the text out, or loop');
        break;
      case 'Add':
        if (node['left'] instanceof ArrayNode || node['right'] instanceof ArrayNode) {
          unsupported(node, 'joining lists with `+`', "build the list with {% do list.extend(other) %}");
        }
        break;
      case 'Is': {
        // `x is name` or `x is name(args)`: nunjucks pastes the name into the generated code.
        const right = node['right'] as AstNode;
        const test = right.typename === 'FunCall' ? (right['name'] as AstNode) : right;
        const name = test['value'];
        if (typeof name === 'string' && !IDENTIFIER.test(name)) refuse(test, `the test ${shown(name)}, which is not an identifier`);
        break;
      }
      case 'Pair': {
        const key = node['key'] as AstNode;
        if (isLiteral(key) && typeof key['value'] === 'string' && isUnsafeName(key['value'])) refuse(key, `the key ${shown(key['value'])}`);
        break;
      }
      case 'Filter': {
        const name = String((node['name'] as AstNode)['value']);
        const index = ATTRIBUTE_FILTERS[name];
        if (index === undefined) break;
        const args = (node['args'] as AstNode)['children'] as AstNode[];
        args.forEach((arg, i) => {
          if (arg.typename === 'KeywordArgs') {
            for (const pair of arg['children'] as AstNode[]) {
              if ((pair['key'] as AstNode)['value'] === 'attribute') pair['value'] = attribute(name, pair['value'] as AstNode);
            }
          } else if (i === index) {
            args[i] = attribute(name, arg);
          }
        });
        break;
      }
    }
    for (const field of node.fields) {
      const value = node[field];
      if (isNode(value)) visit(value);
      else if (Array.isArray(value)) for (const child of value) if (isNode(child)) visit(child);
    }
  };
  visit(root);
  return violations;
}

/** Where an expression starts: nunjucks places a call at its `(`, a filter at its name, an operation at its left side. */
function startOf(node: AstNode): AstNode {
  const first = (field: string): AstNode => startOf(node[field] as AstNode);
  switch (node.typename) {
    case 'FunCall':
      return first('name');
    case 'Filter':
      return startOf(((node['args'] as AstNode)['children'] as AstNode[])[0] ?? node);
    case 'LookupVal':
      return first('target');
    case 'InlineIf':
      return first('body');
    case 'Compare':
      return first('expr');
    default:
      return typeof node['left'] === 'object' && node['left'] !== null ? first('left') : node;
  }
}

/** The names a template defines at its top level: nunjucks exports top-level macros and sets not named `_...`. */
function exportedDefinitions(root: AstNode, file: string): Definition[] {
  const out: Definition[] = [];
  const define = (symbol: AstNode, kind: Definition['kind']): void => {
    const name = String(symbol['value']);
    if (!name.startsWith('_')) out.push({ name, kind, location: { file, line: symbol.lineno + 1, column: symbol.colno + 1 } });
  };
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    const n = node as AstNode;
    switch (n.typename) {
      case 'Macro':
        define(n['name'] as AstNode, 'macro');
        return;
      case 'Set':
        for (const target of n['targets'] as AstNode[]) define(target, 'set');
        return;
      // An `if` or `switch` at the top level does not open a scope.
      case 'If':
      case 'IfAsync':
        visit(n['body']);
        visit(n['else_']);
        return;
      case 'Switch':
        for (const c of n['cases'] as AstNode[]) visit(c);
        visit(n['default']);
        return;
      case 'Case':
        visit(n['body']);
        return;
      case 'Root':
      case 'NodeList':
        for (const child of n['children'] as AstNode[]) visit(child);
        return;
    }
  };
  visit(root);
  return out;
}

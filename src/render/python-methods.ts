// Python's str, dict and list methods that dbt models call (`'a'.upper()`, `d.items()`, `l.append(x)`), for templates.
//
// Jinja evaluates `x.upper()` against Python objects; nunjucks against JavaScript ones, where these names are missing
// or mean something else (`replace` changes the first match only, `split()` does not split on whitespace). The guarded
// member lookup asks here first, so a template gets Python's meaning. Each method is a fresh closure over its value:
// it carries no prototype a template could climb (and `constructor` is refused by name before any lookup anyway).

type Method = (...args: unknown[]) => unknown;

const text = (value: unknown): string => (value === undefined || value === null ? '' : String(value));

/** Python's str.split: on runs of whitespace without a separator, at most `maxsplit` splits when one is given. */
function pythonSplit(s: string, sep?: unknown, maxsplit?: unknown): string[] {
  const max = typeof maxsplit === 'number' && maxsplit >= 0 ? maxsplit : Infinity;
  if (sep === undefined || sep === null) {
    const out: string[] = [];
    let rest = s.replace(/^\s+/, '');
    while (rest.length) {
      if (out.length >= max) {
        out.push(rest.replace(/\s+$/, ''));
        break;
      }
      const match = /\s+/.exec(rest);
      if (!match) {
        out.push(rest);
        break;
      }
      out.push(rest.slice(0, match.index));
      rest = rest.slice(match.index + match[0].length);
    }
    return out;
  }
  const separator = text(sep);
  if (separator === '') throw new Error('split() got an empty separator');
  const parts = s.split(separator);
  if (parts.length - 1 <= max) return parts;
  return [...parts.slice(0, max), parts.slice(max).join(separator)];
}

const strip = (s: string, chars: unknown, where: 'both' | 'start' | 'end'): string => {
  const set = chars === undefined || chars === null ? undefined : text(chars);
  const drop = (c: string): boolean => (set === undefined ? /\s/.test(c) : set.includes(c));
  let start = 0;
  let end = s.length;
  if (where !== 'end') while (start < end && drop(s[start] as string)) start++;
  if (where !== 'start') while (end > start && drop(s[end - 1] as string)) end--;
  return s.slice(start, end);
};

const prefixes = (arg: unknown): string[] => (Array.isArray(arg) ? arg.map(text) : [text(arg)]);

function stringMethod(s: string, name: string): Method | undefined {
  switch (name) {
    case 'upper':
      return () => s.toUpperCase();
    case 'lower':
      return () => s.toLowerCase();
    case 'strip':
      return (chars) => strip(s, chars, 'both');
    case 'lstrip':
      return (chars) => strip(s, chars, 'start');
    case 'rstrip':
      return (chars) => strip(s, chars, 'end');
    case 'title':
      return () => s.toLowerCase().replace(/(^|[^\p{L}\p{N}])(\p{L})/gu, (_m, before: string, c: string) => before + c.toUpperCase());
    case 'capitalize':
      return () => s.charAt(0).toUpperCase() + s.slice(1).toLowerCase();
    case 'replace':
      // Python replaces every occurrence (or the first `count`); JavaScript's String#replace only the first.
      return (old, replacement, count) => {
        if (old instanceof RegExp) return s.replace(old, text(replacement)); // nunjucks' r/.../ literal: JavaScript's meaning
        const parts = s.split(text(old));
        const n = typeof count === 'number' && count >= 0 ? count : Infinity;
        if (parts.length - 1 <= n) return parts.join(text(replacement));
        return parts.slice(0, n + 1).join(text(replacement)) + text(old) + parts.slice(n + 1).join(text(old));
      };
    case 'split':
      return (sep, maxsplit) => pythonSplit(s, sep, maxsplit);
    case 'startswith':
      return (prefix) => prefixes(prefix).some((p) => s.startsWith(p));
    case 'endswith':
      return (suffix) => prefixes(suffix).some((p) => s.endsWith(p));
    case 'isdigit':
      return () => s.length > 0 && /^\d+$/.test(s);
    case 'join':
      return (items) => (Array.isArray(items) ? items.map(text).join(s) : text(items));
    default:
      return undefined;
  }
}

/** A dict as templates see one: a plain object (literal, namespace(), YAML value), not an array or a class instance. */
export function isDict(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Own keys as Python iterates a dict; nunjucks' keyword-argument mark is not one. */
const dictKeys = (d: Record<string, unknown>): string[] => Object.keys(d).filter((k) => k !== '__keywords');

function dictMethod(d: Record<string, unknown>, name: string): Method | undefined {
  switch (name) {
    case 'items':
      return () => dictKeys(d).map((k) => [k, d[k]]);
    case 'keys':
      return () => dictKeys(d);
    case 'values':
      return () => dictKeys(d).map((k) => d[k]);
    case 'get':
      return (key, fallback) => (Object.hasOwn(d, text(key)) ? d[text(key)] : (fallback ?? null));
    default:
      return undefined;
  }
}

function listMethod(l: unknown[], name: string): Method | undefined {
  switch (name) {
    case 'append':
      return (item) => {
        l.push(item);
        return '';
      };
    case 'extend':
      return (items) => {
        if (Array.isArray(items)) l.push(...(items as unknown[]));
        return '';
      };
    default:
      return undefined;
  }
}

/**
 * The Python method `name` of `value`, when it has one templates may call; a dict's own key of that name wins, as it
 * holds data. `value` is a string already when the template's value was a SafeString (a macro's output).
 */
export function pythonMethod(value: unknown, name: string | number): Method | undefined {
  if (typeof name !== 'string') return undefined;
  if (typeof value === 'string') return stringMethod(value, name);
  if (Array.isArray(value)) return listMethod(value, name);
  if (isDict(value) && !Object.hasOwn(value, name)) return dictMethod(value, name);
  return undefined;
}

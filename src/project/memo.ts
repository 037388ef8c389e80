// A bounded memo for slow pure functions of text. A process that compiles and builds more than once (a test run,
// a watch loop, the pipeline library inside a long-lived service) then pays for formatting, translating and
// parsing once per distinct text; the least recently used entry goes beyond `maxEntries`. Results are shared
// between callers, so they must never be changed: objects are frozen, deeply.

export function memoize<A extends readonly unknown[], T>(fn: (...args: A) => T, keyOf: (...args: A) => string, maxEntries: number): (...args: A) => T {
  const entries = new Map<string, T>();
  return (...args) => {
    const key = keyOf(...args);
    if (entries.has(key)) {
      const hit = entries.get(key) as T;
      entries.delete(key);
      entries.set(key, hit);
      return hit;
    }
    const value = deepFreeze(fn(...args));
    entries.set(key, value);
    if (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
    return value;
  };
}

export const memoizeText = <T>(fn: (text: string) => T, maxEntries: number): ((text: string) => T) => memoize(fn, (text) => text, maxEntries);

function deepFreeze<T>(value: T, seen = new Set<object>()): T {
  if (value === null || typeof value !== 'object' || seen.has(value)) return value;
  seen.add(value);
  Object.freeze(value);
  for (const child of Object.values(value)) deepFreeze(child, seen);
  return value;
}

// "Did you mean ...?" hints for misspelt names.
import { distance } from 'fastest-levenshtein';

/** The known names closest to `wanted`, best first; empty when nothing is close enough. */
export function closestNames(wanted: string, known: Iterable<string>, max = 3): string[] {
  const target = wanted.toLowerCase();
  const limit = Math.max(2, Math.floor(target.length / 3));
  const scored: Array<[string, number]> = [];
  for (const name of known) {
    const d = distance(target, name.toLowerCase());
    if (d <= limit || name.toLowerCase().includes(target) || target.includes(name.toLowerCase())) {
      scored.push([name, d]);
    }
  }
  scored.sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]));
  return scored.slice(0, max).map(([name]) => name);
}

export function didYouMean(wanted: string, known: Iterable<string>): string | undefined {
  const names = closestNames(wanted, known);
  if (names.length === 0) return undefined;
  return `did you mean ${names.map((n) => `\`${n}\``).join(' or ')}?`;
}

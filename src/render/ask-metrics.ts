// The metrics a question names, for `charter ask` (render/semantic-ask.ts): each view's metrics and dimensions as
// terms with their phrases, a metric's best phrase in a question (the longest; between equals, the kind the question
// asks for), and a second metric across an "and". Pure.
import { COMMON_WORDS, blank, find, has, words } from './ask-words.js';
import type { SemanticViewDefinition } from '../load/semantic-view-schema.js';

export type MetricKind = 'count' | 'rate' | 'average' | 'total' | 'correlation';

export interface Term {
  readonly kind: 'metric' | 'dimension';
  readonly name: string;
  /** The metric's or dimension's logical table; for a derived metric, the tables of the metrics it names. */
  readonly tables: readonly string[];
  readonly phrases: readonly string[];
  readonly description?: string;
  readonly grain?: string;
  readonly samples: readonly string[];
  readonly metricKind?: MetricKind;
}

export const INTENT: ReadonlyArray<[MetricKind, RegExp]> = [
  ['count', / (how many|number of|count) /],
  ['rate', / (percentage|percent|share|proportion|fraction|rate|%) /],
  ['average', / (average|avg|mean|typical) /],
  ['total', / (total|how much|sum) /],
];
const CORRELATION = / (correlation|correlate|correlated|relationship|related|relate|relation) /;

function kindOf(name: string, expr: string): MetricKind {
  if (/^\s*CORR\(/i.test(expr)) return 'correlation';
  if (/^average_|_per_/i.test(name) || /^\s*AVG\(/i.test(expr)) return 'average';
  if (expr.includes('/') || /(_rate|_share|_retention|_growth)$/i.test(name)) return 'rate';
  if (/^\s*COUNT/i.test(expr)) return 'count';
  return 'total';
}

export function termsOf(view: SemanticViewDefinition): Term[] {
  const terms: Term[] = [];
  const tableOf = new Map<string, string>();
  for (const t of view.tables) {
    for (const m of t.metrics ?? []) {
      tableOf.set(m.name.toLowerCase(), t.name.toLowerCase());
      if (m.private) continue;
      terms.push({ kind: 'metric', name: m.name, tables: [t.name.toLowerCase()], phrases: [m.name, ...(m.synonyms ?? [])], ...(m.description ? { description: m.description } : {}), samples: [], metricKind: kindOf(m.name, m.expr) });
    }
    for (const d of t.dimensions ?? []) terms.push({ kind: 'dimension', name: d.name, tables: [t.name.toLowerCase()], phrases: [d.name, ...(d.synonyms ?? [])], samples: d.sample_values ?? [] });
    for (const d of t.time_dimensions ?? []) terms.push({ kind: 'dimension', name: d.name, tables: [t.name.toLowerCase()], phrases: [d.name, ...(d.synonyms ?? [])], grain: d.grain, samples: d.sample_values ?? [] });
  }
  for (const m of view.metrics ?? []) {
    if (m.private) continue;
    const refs = (m.expr.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []).map((r) => tableOf.get(r.toLowerCase())).filter((t): t is string => t !== undefined);
    terms.push({ kind: 'metric', name: m.name, tables: [...new Set(refs)], phrases: [m.name, ...(m.synonyms ?? [])], ...(m.description ? { description: m.description } : {}), samples: [], metricKind: kindOf(m.name, m.expr) });
  }
  return terms;
}

export interface Match {
  readonly term: Term;
  /** Characters of the phrase matched (longer is more specific), plus a small bonus for the kind asked for. */
  readonly score: number;
  readonly phrase: string;
  readonly at: number;
  /** The phrase is only everyday words ("customers"): it names a metric only when nothing more specific does. */
  readonly weak: boolean;
}

/**
 * A metric's best phrase in the text: contiguous, or for a correlation, every word of a synonym anywhere in it. A
 * phrase that runs into a dimension's ("implementation cost per customer" in "... per customer segment") is not it.
 */
function matchMetric(text: string, term: Term, dimensionPhrases: readonly string[] = []): Match | undefined {
  let best: Match | undefined;
  const intent = INTENT.filter(([, re]) => re.test(text)).map(([k]) => k);
  const bonus = term.metricKind && intent.includes(term.metricKind) ? 5 : 0;
  for (const phrase of term.phrases) {
    const p = words(phrase);
    let at = find(text, phrase);
    let length = p.length - 2;
    if (term.metricKind === 'correlation') {
      const all = p.trim().split(' ');
      at = CORRELATION.test(text) && all.every((w) => text.includes(` ${w} `)) ? text.indexOf(` ${all[0]} `) : -1;
      length += 100;
    }
    if (at < 0) continue;
    const end = at + p.length - 1;
    if (term.metricKind !== 'correlation' && dimensionPhrases.some((d) => {
      const from = text.indexOf(d, Math.max(0, at - d.length));
      return from > at && from < end && from + d.length > end + 1;
    })) continue;
    const weak = p.trim().split(' ').every((w) => COMMON_WORDS.has(w));
    const score = (weak ? length * 3 : length * 10) + bonus;
    if (!best || score > best.score) best = { term, score, phrase, at, weak };
  }
  return best;
}

/** The best metric of a view in the text, optionally only those not excluded. */
export function bestMetric(text: string, terms: readonly Term[], exclude: readonly string[] = []): Match | undefined {
  let best: Match | undefined;
  const dimensionPhrases = terms.filter((t) => t.kind === 'dimension').flatMap((t) => t.phrases.map(words));
  for (const term of terms) {
    if (term.kind !== 'metric' || exclude.includes(term.name)) continue;
    const m = matchMetric(text, term, dimensionPhrases);
    if (m && m.score > (best?.score ?? 0)) best = m;
  }
  return best;
}

/** The text with a matched metric's words blanked (all of them, for a correlation). */
function without(text: string, match: Match): string {
  if (match.term.metricKind !== 'correlation') return blank(text, match.phrase);
  return words(match.phrase).trim().split(' ').reduce((t, w) => blank(t, w), text);
}

/** The view's metrics the question names: the best, and a second across an "and". */
export function metricsIn(text: string, terms: readonly Term[]): { matches: Match[]; rest: string } | undefined {
  const first = bestMetric(text, terms);
  if (!first) return undefined;
  let rest = without(text, first);
  const matches = [first];
  if (text.includes(' and ')) {
    const second = bestMetric(rest, terms, [first.term.name]);
    if (second) {
      const [a, b] = [Math.min(first.at, second.at), Math.max(first.at, second.at)];
      if (text.slice(a, b + 1).includes(' and ')) {
        matches.push(second);
        rest = without(rest, second);
      }
    }
  }
  matches.sort((x, y) => x.at - y.at);
  return { matches, rest };
}


/**
 * "How many audits ...": no metric named, but a count asked for and a sample value named; the count of the rows of
 * the value's table (its COUNT metric), filtered to the value.
 */
export function countOfValue(q: string, views: readonly SemanticViewDefinition[]): { view: SemanticViewDefinition; terms: Term[]; matches: Match[]; rest: string } | undefined {
  if (!/ (how many|number of|count) /.test(q)) return undefined;
  for (const view of views) {
    const terms = termsOf(view);
    for (const d of terms.filter((t) => t.kind === 'dimension')) {
      if (!d.samples.some((v) => !COMMON_WORDS.has(words(v).trim()) && has(q, v))) continue;
      const table = view.tables.find((t) => t.name.toLowerCase() === d.tables[0]);
      const count = (table?.metrics ?? []).find((m) => !m.private && /^\s*COUNT\(\s*[A-Za-z_]+\.[A-Za-z_]+\s*\)\s*$/i.test(m.expr));
      const term = count && terms.find((t) => t.kind === 'metric' && t.name === count.name);
      if (term) return { view, terms, matches: [{ term, score: 1, phrase: '', at: 0, weak: false }], rest: q };
    }
  }
  return undefined;
}

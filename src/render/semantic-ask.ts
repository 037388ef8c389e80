// `charter ask`, offline: a question mapped to a semantic query by the words of the project's semantic views (metric
// and dimension names, their synonyms, dimensions' sample values) and a few time expressions. Deterministic: the
// same question always gives the same query, and a question it cannot map with confidence gives no query at all,
// only what it understood and the closest names, so it never invents a number. Pure.
import type { SemanticViewDefinition } from '../load/semantic-view-schema.js';
import type { SemanticRequest } from './semantic-query.js';

export interface AskMapping {
  readonly view: string;
  readonly request: SemanticRequest;
  /** The metric, and how a sentence names it ("total ARR": its name, with the acronyms its synonyms spell). */
  readonly metric: { readonly name: string; readonly label: string; readonly description?: string };
  /** What the question's time expression selected, in words (e.g. "Q4 2024"), if any. */
  readonly period?: string;
  /** Filters read from sample values, in words. */
  readonly filters: readonly string[];
}

export type AskResult = { readonly mapped: AskMapping } | { readonly declined: { readonly understood: readonly string[]; readonly closest: readonly string[] } };

interface Term {
  readonly kind: 'metric' | 'dimension';
  readonly name: string;
  readonly table: string;
  readonly phrases: readonly string[];
  readonly description?: string;
  readonly grain?: string;
  readonly samples: readonly string[];
}

const words = (text: string): string => ` ${text.toLowerCase().replace(/[_\-]/g, ' ').replace(/[^a-z0-9$% ]+/g, ' ').replace(/\s+/g, ' ').trim()} `;
const has = (question: string, phrase: string): boolean => phrase.trim().length > 0 && question.includes(words(phrase));

function termsOf(view: SemanticViewDefinition): Term[] {
  const terms: Term[] = [];
  for (const t of view.tables) {
    for (const m of t.metrics ?? []) {
      if (m.private) continue;
      terms.push({ kind: 'metric', name: m.name, table: t.name, phrases: [m.name, ...(m.synonyms ?? [])], ...(m.description ? { description: m.description } : {}), samples: [] });
    }
    for (const d of t.dimensions ?? []) terms.push({ kind: 'dimension', name: d.name, table: t.name, phrases: [d.name, ...(d.synonyms ?? [])], samples: d.sample_values ?? [] });
    for (const d of t.time_dimensions ?? []) terms.push({ kind: 'dimension', name: d.name, table: t.name, phrases: [d.name, ...(d.synonyms ?? [])], grain: d.grain, samples: d.sample_values ?? [] });
  }
  for (const m of view.metrics ?? []) {
    if (m.private) continue;
    terms.push({ kind: 'metric', name: m.name, table: '', phrases: [m.name, ...(m.synonyms ?? [])], ...(m.description ? { description: m.description } : {}), samples: [] });
  }
  return terms;
}

/** The longest phrase of a term the question holds (longer phrases are more specific), or 0. */
const matchLength = (question: string, term: Term): number => Math.max(0, ...term.phrases.filter((p) => has(question, p)).map((p) => words(p).length));

interface Period {
  readonly words: string;
  /** The time dimension grain it selects, and the value at that grain (the period's first day). */
  readonly grain: 'quarter' | 'year' | 'month';
  readonly start: string;
}

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** "Q4 2024", "2024 Q4", "in 2024", "December 2024": the period a question names. */
export function periodOf(question: string): Period | undefined {
  const q = question.toLowerCase();
  const qy = /\bq([1-4])\s*(?:of\s*)?(\d{4})\b/.exec(q);
  const yq = /\b(\d{4})\s*q([1-4])\b/.exec(q);
  const quarter = qy ? { n: Number(qy[1]), year: qy[2]! } : yq ? { n: Number(yq[2]), year: yq[1]! } : undefined;
  if (quarter) {
    const { n, year } = quarter;
    return { words: `Q${n} ${year}`, grain: 'quarter', start: `${year}-${String((n - 1) * 3 + 1).padStart(2, '0')}-01` };
  }
  const month = new RegExp(`\\b(${MONTHS.join('|')})\\s+(\\d{4})\\b`).exec(q);
  if (month) {
    const index = MONTHS.indexOf(month[1]!) + 1;
    return { words: `${month[1]![0]!.toUpperCase()}${month[1]!.slice(1)} ${month[2]}`, grain: 'month', start: `${month[2]}-${String(index).padStart(2, '0')}-01` };
  }
  const year = /\b(?:in|for|during|of)\s+(\d{4})\b/.exec(q) ?? /\b(\d{4})\b/.exec(q);
  if (year) return { words: year[1]!, grain: 'year', start: `${year[1]}-01-01` };
  return undefined;
}

/** "by segment", "per quarter", "for each tier", "broken down by industry and channel". */
function groupingsOf(question: string, dimensions: readonly Term[]): Term[] {
  const found: Term[] = [];
  const clause = /\b(?:by|per|for each|across|broken down by|split by)\s+([a-z0-9 ,]+?)(?=\s+(?:in|for|during|since|as of|with|where|who|that)\b|[?.!]|$)/g;
  for (const m of question.toLowerCase().matchAll(clause)) {
    const part = words(m[1]!.replace(/\band\b/g, ','));
    for (const d of dimensions) if (matchLength(part, d) && !found.includes(d)) found.push(d);
  }
  return found;
}

export function mapQuestion(question: string, views: readonly SemanticViewDefinition[]): AskResult {
  const q = words(question);
  let best: { view: SemanticViewDefinition; metric: Term; score: number } | undefined;
  for (const view of views) {
    for (const term of termsOf(view).filter((t) => t.kind === 'metric')) {
      const score = matchLength(q, term);
      if (score > (best?.score ?? 0)) best = { view, metric: term, score };
    }
  }
  const understood: string[] = [];
  const period = periodOf(question);
  if (period) understood.push(`the period ${period.words}`);
  if (!best) {
    const all = views.flatMap((v) => termsOf(v));
    // The closest names: those sharing a word with the question.
    const shared = all.filter((t) => t.phrases.some((p) => words(p).trim().split(' ').some((w) => w.length > 3 && q.includes(` ${w} `))));
    return { declined: { understood, closest: [...new Set((shared.length ? shared : all.filter((t) => t.kind === 'metric')).map((t) => `${t.kind} ${t.name}`))].slice(0, 8) } };
  }
  const { view, metric } = best;
  const terms = termsOf(view);
  // Only dimensions the metric can be cut by: its own table's, or a table it reaches many-to-one (a derived metric,
  // of no one table, by any).
  const reach = reachable(view, metric.table);
  const dimensions = terms.filter((t) => t.kind === 'dimension' && (!metric.table || reach.has(t.table.toLowerCase())));
  const groups = groupingsOf(question, dimensions);
  const filters: string[] = [];
  const where: string[] = [];
  for (const d of dimensions) {
    for (const value of d.samples) {
      if (has(q, value) && !groups.includes(d)) {
        filters.push(`${d.name} ${value}`);
        where.push(`${d.name} = '${value.replace(/'/g, "''")}'`);
        groups.push(d);
      }
    }
  }
  if (period) {
    const time = dimensions.find((d) => d.grain === period.grain) ?? dimensions.find((d) => d.grain === 'month' && period.grain !== 'year');
    if (time && time.grain === period.grain) {
      if (!groups.includes(time)) groups.push(time);
      where.push(`${time.name} = '${period.start}'`);
    } else {
      const yearly = dimensions.find((d) => d.grain === 'year');
      if (yearly && period.grain === 'year') {
        if (!groups.includes(yearly)) groups.push(yearly);
        where.push(`${yearly.name} = '${period.start}'`);
      } else return { declined: { understood: [...understood, `the metric ${metric.name}`], closest: dimensions.filter((d) => d.grain).map((d) => `time dimension ${d.name} (${d.grain})`) } };
    }
  }
  return {
    mapped: {
      view: view.name,
      request: { metrics: [metric.name], dimensions: groups.map((g) => g.name), ...(where.length ? { where: where.join(' AND ') } : {}) },
      metric: { name: metric.name, label: labelOf(metric), ...(metric.description ? { description: metric.description } : {}) },
      ...(period ? { period: period.words } : {}),
      filters,
    },
  };
}

/** `total_arr` with synonym `ARR` reads "total ARR". */
function labelOf(term: Term): string {
  const acronyms = new Set(term.phrases.filter((p) => /^[A-Z0-9]{2,}$/.test(p)).map((p) => p.toLowerCase()));
  return term.name.split('_').map((w) => (acronyms.has(w) ? w.toUpperCase() : w)).join(' ');
}

/** The tables a table reaches along relationships (many to one), itself included; lower case. */
function reachable(view: SemanticViewDefinition, from: string): Set<string> {
  const seen = new Set([from.toLowerCase()]);
  for (let grew = true; grew;) {
    grew = false;
    for (const r of view.relationships ?? []) {
      if (seen.has(r.from.toLowerCase()) && !seen.has(r.to.toLowerCase())) {
        seen.add(r.to.toLowerCase());
        grew = true;
      }
    }
  }
  return seen;
}

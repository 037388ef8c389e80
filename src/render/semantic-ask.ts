// `charter ask`, offline: a question mapped to a semantic query by the words of the project's semantic views (metric
// and dimension names, their synonyms, dimensions' sample values) and a few time expressions. Deterministic: the
// same question always gives the same query, and a question it cannot map with confidence gives no query at all,
// only what it understood, why it stops and the closest names, so it never invents a number. Pure.
//
// How a question is read, in order: a subject the warehouse does not hold (ROI, integrations, a forecast) or a
// question of cause declines it; so does a word no view knows. The metric is the one whose name or synonym the
// question holds (the longest; between equals, the one whose kind the question asks for: "how many" a count, "what
// percentage" a rate, "average" an average); a second one joins it across an "and" ("how many customers ... and
// what's our total MRR"), from the same view. Sample values filter ("enterprise", "SOC 2" for both SOC2 types, "X vs
// Y" for two); "by/per/across/which <dimension>" and "top N <dimension>" group; "highest/most/fastest" order; a
// period filters the metric's time dimension of that grain. A dimension the metric cannot be cut by declines it.
import { bestMetric, countOfValue, INTENT, metricsIn, termsOf, type Match, type Term } from './ask-metrics.js';
import { COMMON_WORDS, blank, has, words } from './ask-words.js';
import { periodOf, unsupportedSince, type Period } from './ask-period.js';
import type { SemanticViewDefinition } from '../load/semantic-view-schema.js';
import type { SemanticRequest } from './semantic-query.js';

export { periodOf } from './ask-period.js';

export interface AskedMetric {
  readonly name: string;
  /** How a sentence names it ("total ARR": its name, with the acronyms its synonyms spell). */
  readonly label: string;
  readonly description?: string;
  /** A fraction, shown as a percentage. */
  readonly percent: boolean;
}

export interface AskMapping {
  readonly view: string;
  readonly request: SemanticRequest;
  /** The (first) metric. */
  readonly metric: AskedMetric;
  /** Every metric asked for, in the question's order. */
  readonly metrics: readonly AskedMetric[];
  /** What the question's time expression selected, in words (e.g. "Q4 2024"), if any. */
  readonly period?: string;
  /** Filters read from sample values, in words. */
  readonly filters: readonly string[];
  /** Whether groups come highest or lowest first. */
  readonly order?: 'highest' | 'lowest';
  /** How the question was read, in words. */
  readonly reading: string;
}

export interface AskDecline {
  readonly understood: readonly string[];
  readonly closest: readonly string[];
  /** Why it stops, when it is more than "no metric matches". */
  readonly reason?: string;
}

export type AskResult = { readonly mapped: AskMapping } | { readonly declined: AskDecline };

export interface MapOptions {
  /** The project's as-of date (var as_of_date, YYYY-MM-DD): relative periods count from it, and the data ends on it. */
  readonly asOf?: string;
}

/** Subjects the warehouse does not hold, and questions of cause: declined with the reason, whatever else matches. */
const ABSENT: ReadonlyArray<{ readonly pattern: RegExp; readonly reason: string }> = [
  { pattern: / (roi|return on investment|payback) /, reason: 'ROI needs the money a framework returns (a value for an hour saved, revenue or loss avoided), which the data does not hold: only implementation cost and hours saved' },
  { pattern: / (integration|integrated|integrate|connector|tool|tooling) /, reason: 'the data records no integrations: no table or column says which tools a customer connected' },
  { pattern: / (weather|forecast|predict|predicted|projection for|will be|going to|next (?:month|quarter|year)|tomorrow) /, reason: 'that asks about the future or about something outside the warehouse: it holds what happened up to the as-of date' },
  { pattern: / (why|driving|drive|drove|cause|caused|because|reason) /, reason: 'that is a question of cause: the semantic views show what happened, not why; ask for the figures (e.g. by framework) instead' },
  { pattern: / (nps|satisfaction|csat|sentiment|survey) /, reason: 'the data holds no survey or satisfaction scores' },
  { pattern: / (employee|headcount|salary|payroll|marketing spend|cac|ltv|lifetime value|profit|margin|expense) /, reason: 'the semantic views hold no such figure (no costs of Phantom Sec itself, no headcount, no lifetime value)' },
];

// A grouping word, then at most two words that only qualify the dimension ("by customer compliance maturity level").
const GROUP_BEFORE = /(?: by| per| each| across| among| which| what| rank| compare| top \d+| bottom \d+| which \d+)(?: (?:the|our|their|all|different|each|customer|compliance|company|account|client|activity|adoption|framework))*? $/;
const HIGHEST = / (highest|most|largest|biggest|best|greatest|top|maximum|max|leading|rank) /;
const LOWEST = / (lowest|least|fewest|smallest|worst|bottom|minimum|min) /;

export function mapQuestion(question: string, views: readonly SemanticViewDefinition[], options: MapOptions = {}): AskResult {
  const q = words(question);
  const understood: string[] = [];
  const declined = (reason: string | undefined, closest: readonly string[] = []): AskResult => ({ declined: { understood, closest, ...(reason ? { reason } : {}) } });
  const all = views.flatMap((v) => termsOf(v).map((t) => ({ view: v, term: t })));
  const closestTo = (text: string): string[] => {
    const shared = all.filter(({ term }) => term.phrases.some((p) => words(p).trim().split(' ').some((w) => w.length > 3 && text.includes(` ${w} `))));
    return [...new Set((shared.length ? shared : all.filter(({ term }) => term.kind === 'metric')).map(({ term }) => `${term.kind} ${term.name}`))].slice(0, 8);
  };

  const absent = ABSENT.find((a) => a.pattern.test(q));
  if (absent) return declined(absent.reason, closestTo(q));
  const period = periodOf(question, options.asOf ?? '');
  if (period) understood.push(`the period ${period.words}`);
  if (options.asOf && period && period.start > options.asOf) {
    return declined(`the data ends on the as-of date, ${options.asOf}: ${period.words} is after it, and nothing in the warehouse says what happens then`);
  }
  const since = unsupportedSince(question);
  if (since) return declined(`${since} is not a period one time dimension value holds; ask by month, quarter or year`);

  // Every word should be one the views or plain questions use: an unknown one may change the meaning.
  const vocabulary = new Set(COMMON_WORDS);
  for (const v of views) {
    const texts = [v.name, ...v.tables.flatMap((t) => [t.name, ...(t.synonyms ?? [])])];
    for (const { term } of all.filter((a) => a.view === v)) texts.push(...term.phrases, ...term.samples);
    for (const t of v.tables) for (const f of t.facts ?? []) texts.push(f.name, ...(f.synonyms ?? []));
    for (const text of texts) for (const w of words(text).trim().split(' ')) vocabulary.add(w);
  }
  const unknown = q.trim().split(' ').filter((w) => w && !vocabulary.has(w) && !/^\d+$/.test(w));
  if (unknown.length) return declined(`I do not know ${unknown.map((w) => `"${w}"`).join(', ')} in these semantic views`, closestTo(q));

  // The view whose metrics the question names best: more metrics first, then the longer phrases.
  let chosen: { view: SemanticViewDefinition; terms: Term[]; matches: Match[]; rest: string } | undefined;
  for (const view of views) {
    const terms = termsOf(view);
    const found = metricsIn(q, terms);
    if (!found) continue;
    const total = (m: readonly Match[]) => m.reduce((s, x) => s + x.score, 0);
    if (!chosen || found.matches.length > chosen.matches.length || (found.matches.length === chosen.matches.length && total(found.matches) > total(chosen.matches))) {
      chosen = { view, terms, ...found };
    }
  }
  if (!chosen) chosen = countOfValue(q, views);
  if (!chosen) return declined(undefined, closestTo(q));
  const { view, terms, matches } = chosen;
  let rest = chosen.rest;
  const metrics = matches.map((m) => m.term);
  understood.push(...metrics.map((m) => `the metric ${m.name} (${view.name})`));
  // A second metric named across an "and" that only another view holds: two views, not one query.
  if (q.includes(' and ') && matches.length === 1) {
    for (const other of views.filter((v) => v !== view)) {
      const second = bestMetric(rest, termsOf(other));
      if (second && !second.weak && q.slice(Math.min(second.at, matches[0]!.at), Math.max(second.at, matches[0]!.at) + 1).includes(' and ')) {
        return declined(`it asks for ${matches[0]!.term.name} (semantic view ${view.name}) and ${second.term.name} (semantic view ${other.name}): ask them one at a time`);
      }
    }
  }

  // Only dimensions every metric can be cut by: on its table or one it reaches many-to-one.
  // A derived metric over no table metric (none found) is cut by any dimension, as the planner decides.
  const reach = metrics.filter((m) => m.tables.length).map((m) => new Set(m.tables.flatMap((t) => [...reachable(view, t)])));
  const usable = (d: Term): boolean => reach.every((r) => d.tables.every((t) => r.has(t)));
  // A dimension is named by its own words or its table's ("enterprise customers": the customers table's segment).
  const tableWords = new Map(view.tables.map((t) => [t.name.toLowerCase(), [t.name, ...(t.synonyms ?? [])]]));
  const named = (d: Term): boolean => [...d.phrases, ...(tableWords.get(d.tables[0]!) ?? [])].some((p) => has(rest, p));
  const dimensions = terms.filter((t) => t.kind === 'dimension');
  const metricNames = metrics.map((m) => m.name).join(' and ');
  const cannot = (d: Term, viewName = view.name): AskResult =>
    declined(`${metricNames} cannot be cut by ${d.name}${viewName === view.name ? '' : ` (a dimension of semantic view ${viewName})`}: ${viewName === view.name ? 'no many-to-one path reaches it' : `${view.name} does not have it`}`);

  // Filters: sample values, by dimension; a value several dimensions hold goes to the one the question names.
  const filters: string[] = [];
  const where: string[] = [];
  const groups: Term[] = [];
  /** The dimensions the answer is broken down by (not those a single value or the period fixes). */
  const groupedBy: Term[] = [];
  const valuesOf = new Map<Term, string[]>();
  // Values with a year in them ("2024-Q4") are periods, read as such above.
  const samples = dimensions.flatMap((d) => d.samples.filter((v) => !/\d{4}/.test(v)).map((value) => ({ d, value }))).sort((a, b) => words(b.value).length - words(a.value).length);
  for (const { value } of samples) {
    if (!has(rest, value)) continue;
    // "completed in 2024": with a period, a word a time dimension answers to names the time, not a value.
    if (period && dimensions.some((d) => d.grain && d.phrases.some((p) => words(p) === words(value)))) continue;
    const holders = samples.filter((s) => words(s.value) === words(value)).map((s) => s.d);
    const pick = [...holders.filter(named), ...holders].find(usable);
    if (!pick) {
      if (COMMON_WORDS.has(words(value).trim())) continue;
      return cannot(holders[0]!);
    }
    // A common word ("other") is a value only where its dimension is named.
    if (COMMON_WORDS.has(words(value).trim()) && !pick.phrases.some((p) => has(rest, p))) continue;
    valuesOf.set(pick, [...(valuesOf.get(pick) ?? []), pick.samples.find((s) => words(s) === words(value))!]);
    rest = blank(rest, value);
  }
  // A family: the first word of several values ("SOC2" for SOC2 Type I and II), where no value is named whole.
  for (const d of dimensions.filter((x) => !valuesOf.has(x))) {
    const heads = new Set(d.samples.map((s) => s.split(/\s+/)[0]!).filter((h) => /^[A-Z0-9]{3,}$/.test(h) && /[A-Z]/.test(h)));
    for (const head of heads) {
      if (!has(rest, head)) continue;
      if (!usable(d)) return cannot(d);
      valuesOf.set(d, d.samples.filter((s) => s.split(/\s+/)[0] === head));
      rest = blank(rest, head);
    }
  }
  for (const [d, values] of valuesOf) {
    const unique = [...new Set(values)];
    filters.push(`${d.name} ${unique.join(' or ')}`);
    where.push(unique.length === 1 ? `${d.name} = ${literal(unique[0]!)}` : `${d.name} IN (${unique.map(literal).join(', ')})`);
    groups.push(d);
    if (unique.length > 1) groupedBy.push(d);
  }

  // Groupings: a dimension after by/per/across/which/top N; one no metric can be cut by, or another view's, declines.
  const otherDims = views.filter((v) => v !== view).flatMap((v) => termsOf(v).filter((t) => t.kind === 'dimension').map((t) => ({ v, t })));
  const phrases = [...dimensions.map((d) => ({ d, v: view })), ...otherDims.map(({ v, t }) => ({ d: t, v }))]
    .flatMap(({ d, v }) => d.phrases.map((p) => ({ d, v, p: words(p) })))
    .sort((a, b) => b.p.length - a.p.length);
  let limit: number | undefined;
  for (const { d, v, p } of phrases) {
    const at = rest.indexOf(p);
    const before = at < 0 ? null : GROUP_BEFORE.exec(rest.slice(0, at + 1));
    if (!before) continue;
    if (v !== view && !dimensions.some((x) => x.name === d.name)) return cannot(d, v.name);
    const own = v === view ? d : dimensions.find((x) => x.name === d.name)!;
    if (!usable(own)) return cannot(own);
    const top = / (?:top|bottom|which) (\d+)(?: the| our| their| all| different| each)? $/.exec(rest.slice(0, at + 1));
    if (top) limit = Number(top[1]);
    if (!groups.includes(own)) groups.push(own);
    if (!groupedBy.includes(own)) groupedBy.push(own);
    // The grouping words go with the dimension ("by customer compliance maturity level").
    rest = `${rest.slice(0, before.index + 1)}${' '.repeat(at + p.length - 2 - before.index)}${rest.slice(at + p.length - 1)}`;
  }
  const which = / which ([a-z0-9]+) /.exec(rest);
  if (which && !groupedBy.length) return declined(`I cannot tell which ${which[1]!.trim()}: no dimension of ${view.name} is named so`, dimensions.map((d) => `dimension ${d.name}`).slice(0, 8));

  // A figure per customer, company or account: the views hold no such dimension.
  const perEntity = / (?:by|per|for each|each) (customer|company|account|client) /.exec(rest);
  if (perEntity && !matches.some((m) => m.term.metricKind === 'average')) return declined(`I cannot break ${metricNames} down by individual ${perEntity[1]}: no dimension holds one`);
  // A rate or an average asked for, and only a count or a total found: not the figure asked for.
  const intent = INTENT.filter(([, re]) => re.test(q)).map(([k]) => k);
  if ((intent.includes('rate') || intent.includes('average')) && !intent.includes('count') && !intent.includes('total') &&
      matches.every((m) => m.term.metricKind === 'count' || m.term.metricKind === 'total')) {
    return declined(`it asks for ${intent.includes('rate') ? 'a rate' : 'an average'}, and ${metricNames} is a ${matches[0]!.term.metricKind}`, closestTo(q));
  }
  // A metric named only by everyday words ("customers") while other words of the views go unused: it may not be it.
  if (matches.every((m) => m.weak)) {
    const left = rest.trim().split(/\s+/).filter((w) => w && !COMMON_WORDS.has(w) && !/^\d+$/.test(w) && !dimensions.some((d) => d.phrases.some((p) => has(` ${w} `, p))));
    if (left.length) return declined(`"${matches[0]!.phrase}" alone names ${metricNames}, and I do not know what ${left.map((w) => `"${w}"`).join(', ')} asks of it`, closestTo(q));
  }

  // The period: the metric's time dimension of that grain, the one the question names first.
  if (period) {
    const rank = (d: Term): number => (d.phrases.some((p) => has(rest, p)) ? 0 : 2) + (metrics.every((m) => m.tables.includes(d.tables[0]!)) ? 0 : 1);
    const dim = dimensions.filter((d) => d.grain === period.grain && usable(d)).sort((a, b) => rank(a) - rank(b))[0];
    if (!dim) {
      return declined(`${metricNames} has no time dimension of grain ${period.grain}`, dimensions.filter((d) => d.grain && usable(d)).map((d) => `time dimension ${d.name} (${d.grain})`));
    }
    if (!groups.includes(dim)) groups.push(dim);
    where.push(`${dim.name} = '${period.start}'`);
  }

  // Groups ordered by the (first) metric: highest first, or lowest; "fastest" is lowest for a duration.
  const duration = /days|time|duration/.test(metrics[0]!.name);
  let order: 'highest' | 'lowest' | undefined;
  if (/ (fastest|quickest|shortest) /.test(q)) order = duration ? 'lowest' : 'highest';
  else if (/ (slowest|longest) /.test(q)) order = duration ? 'highest' : 'lowest';
  else if (HIGHEST.test(q)) order = 'highest';
  else if (LOWEST.test(q)) order = 'lowest';
  const grouped = groupedBy;
  if (!grouped.length) order = undefined;
  const orderBy = order ? [`${metrics[0]!.name} ${order === 'highest' ? 'DESC' : 'ASC'}`, ...groups.map((g) => g.name)] : undefined;

  const asked = metrics.map((m) => ({ name: m.name, label: labelOf(m), ...(m.description ? { description: m.description } : {}), percent: m.metricKind === 'rate' }));
  const reading = [
    `${metrics.map((m) => m.name).join(' and ')} from semantic view ${view.name}`,
    ...(filters.length ? [`where ${filters.join(', ')}`] : []),
    ...(period ? [`in ${period.words}`] : []),
    ...(grouped.length ? [`by ${grouped.map((g) => g.name).join(', ')}`] : []),
    ...(order ? [`${order} first`] : []),
    ...(limit !== undefined ? [`top ${limit}`] : []),
  ].join(', ');
  return {
    mapped: {
      view: view.name,
      request: {
        metrics: metrics.map((m) => m.name),
        dimensions: groups.map((g) => g.name),
        ...(where.length ? { where: where.join(' AND ') } : {}),
        ...(orderBy ? { orderBy } : {}),
        ...(limit !== undefined ? { limit } : {}),
      },
      metric: asked[0]!,
      metrics: asked,
      ...(period ? { period: period.words } : {}),
      filters,
      ...(order ? { order } : {}),
      reading,
    },
  };
}

const literal = (value: string): string => `'${value.replace(/'/g, "''")}'`;

const ACRONYMS = ['arr', 'mrr', 'acv', 'nrr', 'grr', 'arpa'];

/** `total_arr` with synonym `ARR` reads "total ARR". */
function labelOf(term: Term): string {
  const acronyms = new Set([...ACRONYMS, ...term.phrases.flatMap((p) => p.split(/\s+/)).filter((w) => /^[A-Z][A-Z0-9]+$/.test(w)).map((w) => w.toLowerCase())]);
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

export type { Period };

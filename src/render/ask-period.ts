// The period a question names, for `charter ask`: absolute ("Q4 2024", "2024 Q4", "December 2024", "Jan 2025", "in
// 2024") or relative to the project's as-of date (var as_of_date), never to today: "this month/quarter/year" is the
// calendar period holding the as-of date, "last month/quarter/year" the latest one that ended on or before it (as
// of 2024-12-31, last quarter is 2024-Q4: the as-of date closes it), "since January" the as-of date's year up to it.
// Pure.

export type Grain = 'month' | 'quarter' | 'year';

export interface Period {
  /** In words, for the answer ("Q4 2024"). */
  readonly words: string;
  readonly grain: Grain;
  /** The period's first day, YYYY-MM-DD: the value of a time dimension of that grain. */
  readonly start: string;
  /** The day after the period (exclusive end). */
  readonly end: string;
  /** The question's own words for it ("last quarter"), when relative. */
  readonly said?: string;
}

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const MONTH_WORD = `(${MONTHS.map((m) => (m.length > 3 ? `${m.slice(0, 3)}(?:${m.slice(3)})?` : m)).join('|')}|sept)`;

const ORDINALS: Readonly<Record<string, number>> = { first: 1, '1st': 1, second: 2, '2nd': 2, third: 3, '3rd': 3, fourth: 4, '4th': 4 };
const pad = (n: number): string => String(n).padStart(2, '0');
const monthIndex = (word: string): number => (word === 'sept' ? 8 : MONTHS.findIndex((m) => m.startsWith(word.slice(0, 3))));

function period(grain: Grain, year: number, first: number, said?: string): Period {
  const span = grain === 'year' ? 12 : grain === 'quarter' ? 3 : 1;
  const next = first + span;
  const end = next > 12 ? `${year + 1}-01-01` : `${year}-${pad(next)}-01`;
  const name = grain === 'year' ? String(year) : grain === 'quarter' ? `Q${(first - 1) / 3 + 1} ${year}` : `${MONTHS[first - 1]![0]!.toUpperCase()}${MONTHS[first - 1]!.slice(1)} ${year}`;
  return { words: said ? `${said} (${name})` : name, grain, start: `${year}-${pad(first)}-01`, end, ...(said ? { said } : {}) };
}

/** The period a question names, if any; `asOf` (YYYY-MM-DD) anchors relative ones. */
export function periodOf(question: string, asOf: string): Period | undefined {
  const q = question.toLowerCase();
  const qy = /\bq([1-4])\s*(?:of\s*)?(\d{4})\b/.exec(q);
  const yq = /\b(\d{4})\s*q([1-4])\b/.exec(q);
  if (qy || yq) {
    const [n, year] = qy ? [qy[1]!, qy[2]!] : [yq![2]!, yq![1]!];
    return period('quarter', Number(year), (Number(n) - 1) * 3 + 1);
  }
  const ordinal = /\b(first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter\s+(?:of\s+)?(\d{4})\b/.exec(q);
  if (ordinal) return period('quarter', Number(ordinal[2]), (ORDINALS[ordinal[1]!]! - 1) * 3 + 1);
  const month = new RegExp(`\\b${MONTH_WORD}\\.?\\s+(?:of\\s+)?(\\d{4})\\b`).exec(q);
  if (month) return period('month', Number(month[2]), monthIndex(month[1]!) + 1);
  const year = /\b(?:in|for|during|of|over)\s+(\d{4})\b/.exec(q) ?? /\b((?:19|20)\d{2})\b/.exec(q);
  // Relative periods need the as-of date; without one only a named year is read.
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf)) return year ? period('year', Number(year[1]), 1) : undefined;
  const [y, m] = asOf.split('-').map(Number) as [number, number];
  const quarterFirst = Math.floor((m - 1) / 3) * 3 + 1;
  const endsOnAsOf = (last: string): boolean => last === asOf;
  // The last day of a period starting at (year, first) with `span` months.
  const lastDay = (year: number, first: number, span: number): string => {
    const d = new Date(Date.UTC(year, first - 1 + span, 0));
    return d.toISOString().slice(0, 10);
  };
  const relative = /\b(this|current|last|previous|prior|past)\s+(month|quarter|year)\b/.exec(q) ?? (/\b(year to date|ytd)\b/.test(q) ? ['', 'this', 'year'] : undefined);
  if (relative) {
    const [said, which, grain] = [relative[0] || 'the year to date', relative[1]!, relative[2] as Grain];
    const span = grain === 'year' ? 12 : grain === 'quarter' ? 3 : 1;
    const first = grain === 'year' ? 1 : grain === 'quarter' ? quarterFirst : m;
    if (which === 'this' || which === 'current') return period(grain, y, first, said);
    // The latest calendar period that ended on or before the as-of date.
    if (endsOnAsOf(lastDay(y, first, span))) return period(grain, y, first, said);
    const back = first - span;
    return back >= 1 ? period(grain, y, back, said) : period(grain, y - 1, back + 12, said);
  }
  const since = new RegExp(`\\bsince\\s+(?:the\\s+start\\s+of\\s+)?${MONTH_WORD}\\b(?!\\s+\\d)`).exec(q);
  if (since && monthIndex(since[1]!) === 0) return { ...period('year', y, 1), words: `the year to date (${y}, since January)`, said: 'since January' };
  // A quarter without a year: the as-of date's year.
  const bare = /\bq([1-4])\b/.exec(q);
  if (bare) return period('quarter', y, (Number(bare[1]) - 1) * 3 + 1);
  if (year) return period('year', Number(year[1]), 1);
  return undefined;
}

/** "since March" (a month other than January, whose range no single time dimension value holds), if said. */
export const unsupportedSince = (question: string): string | undefined =>
  new RegExp(`\\bsince\\s+${MONTH_WORD}\\b`).exec(question.toLowerCase()) && !/\bsince\s+jan(uary)?\b/i.test(question) ? 'a range since a month other than January' : undefined;

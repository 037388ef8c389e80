// Snowflake date/time part names and their synonyms, canonicalised before translation. This matters because
// DuckDB reads some abbreviations differently (DuckDB 'm' is minute, Snowflake 'mm' is month).

const SYNONYMS: Record<string, readonly string[]> = {
  year: ['y', 'yy', 'yyy', 'yyyy', 'yr', 'years', 'yrs'],
  quarter: ['q', 'qtr', 'qtrs', 'quarters'],
  month: ['mm', 'mon', 'mons', 'months'],
  week: ['w', 'wk', 'weekofyear', 'woy', 'wy'],
  weekiso: ['week_iso', 'weekofyeariso', 'weekofyear_iso'],
  day: ['d', 'dd', 'days', 'dayofmonth'],
  dayofweek: ['weekday', 'dow', 'dw'],
  dayofweekiso: ['weekday_iso', 'dow_iso', 'dw_iso'],
  dayofyear: ['yearday', 'doy', 'dy'],
  yearofweek: [],
  yearofweekiso: [],
  hour: ['h', 'hh', 'hr', 'hours', 'hrs'],
  minute: ['m', 'mi', 'min', 'minutes', 'mins'],
  second: ['s', 'sec', 'seconds', 'secs'],
  millisecond: ['ms', 'msec', 'milliseconds'],
  microsecond: ['us', 'usec', 'microseconds'],
  nanosecond: ['ns', 'nsec', 'nanosec', 'nsecond', 'nanoseconds', 'nanosecs', 'nseconds'],
  epoch_second: ['epoch', 'epoch_seconds'],
  epoch_millisecond: ['epoch_milliseconds'],
  epoch_microsecond: ['epoch_microseconds'],
  epoch_nanosecond: ['epoch_nanoseconds'],
};

const CANONICAL = new Map<string, string>();
for (const [canonical, aliases] of Object.entries(SYNONYMS)) {
  CANONICAL.set(canonical, canonical);
  for (const alias of aliases) CANONICAL.set(alias, canonical);
}

/** The canonical Snowflake part for a name in any case, or undefined when it is not a date part. */
export function canonicalDatePart(name: string): string | undefined {
  return CANONICAL.get(name.toLowerCase());
}

/** Parts that DATEADD/DATEDIFF/DATE_TRUNC shims implement with Snowflake semantics. */
export const ARITHMETIC_PARTS: ReadonlySet<string> = new Set([
  'year', 'quarter', 'month', 'week', 'day', 'hour', 'minute', 'second', 'millisecond', 'microsecond',
]);

/** DATEADD on a DATE keeps DATE for these parts and becomes a TIMESTAMP for smaller ones. */
export const DAY_OR_LARGER_PARTS: ReadonlySet<string> = new Set(['year', 'quarter', 'month', 'week', 'day']);

/** Parts accepted by LAST_DAY. */
export const LAST_DAY_PARTS: ReadonlySet<string> = new Set(['year', 'quarter', 'month', 'week']);

// A small, read-only stand-in for Python's datetime module, for dbt's `run_started_at` and `modules.datetime`.
//
// Only what models commonly print: the parts (year ... microsecond), strftime, isoformat, date(), and str() as Python
// prints an aware UTC datetime. No arithmetic (JavaScript has no operator overloading: `a - b` would silently give a
// number), no time zones but UTC, and every value is a frozen object of plain functions, so it carries nothing a
// template could climb to reach the process. Times are always the run's clock, passed in: rendering reads no clock.

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** Python's strftime for a UTC instant; `%f` is microseconds (JavaScript keeps milliseconds, so the last 3 digits are 0). */
export function strftime(d: Date, format: string, isDate = false): string {
  return format.replace(/%(.)/g, (_all, code: string) => {
    switch (code) {
      case 'Y':
        return pad(d.getUTCFullYear(), 4);
      case 'y':
        return pad(d.getUTCFullYear() % 100);
      case 'm':
        return pad(d.getUTCMonth() + 1);
      case 'd':
        return pad(d.getUTCDate());
      case 'H':
        return pad(d.getUTCHours());
      case 'M':
        return pad(d.getUTCMinutes());
      case 'S':
        return pad(d.getUTCSeconds());
      case 'f':
        return pad(d.getUTCMilliseconds() * 1000, 6);
      case 'j':
        return pad(Math.floor((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000) + 1, 3);
      case 'a':
        return (DAYS[d.getUTCDay()] as string).slice(0, 3);
      case 'A':
        return DAYS[d.getUTCDay()] as string;
      case 'b':
        return (MONTHS[d.getUTCMonth()] as string).slice(0, 3);
      case 'B':
        return MONTHS[d.getUTCMonth()] as string;
      case 'z':
        return isDate ? '' : '+0000';
      case 'Z':
        return isDate ? '' : 'UTC';
      case '%':
        return '%';
      default:
        throw new Error(`strftime: %${code} is not supported (supported: %Y %y %m %d %H %M %S %f %j %a %A %b %B %z %Z %%)`);
    }
  });
}

export interface PyDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  strftime(format: unknown): string;
  isoformat(): string;
  toString(): string;
}

export interface PyDatetime extends Omit<PyDate, 'isoformat'> {
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly microsecond: number;
  isoformat(sep?: unknown): string;
  date(): PyDate;
  timestamp(): number;
}

export function pyDate(at: Date): PyDate {
  const d = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  const iso = strftime(d, '%Y-%m-%d', true);
  return Object.freeze({
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    strftime: (format: unknown) => strftime(d, String(format), true),
    isoformat: () => iso,
    toString: () => iso,
  });
}

/** An aware UTC datetime: str() and isoformat() end in +00:00, as Python prints dbt's run_started_at. */
export function pyDatetime(at: Date): PyDatetime {
  const d = new Date(at.getTime());
  const iso = (sep: string): string => `${strftime(d, `%Y-%m-%d${sep}%H:%M:%S.%f`)}+00:00`;
  return Object.freeze({
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    microsecond: d.getUTCMilliseconds() * 1000,
    strftime: (format: unknown) => strftime(d, String(format)),
    isoformat: (sep: unknown = 'T') => iso(String(sep)),
    date: () => pyDate(d),
    timestamp: () => d.getTime() / 1000,
    toString: () => iso(' '),
  });
}

/** `modules.datetime`: `datetime.now()`/`utcnow()` are the run's start (one clock for the whole run), and constructors. */
export function datetimeModule(runStartedAt: Date): object {
  const fromParts = (y: number, m: number, d: number, h: number, mi: number, s: number): Date => {
    const date = new Date(Date.UTC(y, m - 1, d, h, mi, s));
    if (date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) throw new Error('datetime: day is out of range for month');
    return date;
  };
  const fromIso = (text: unknown): Date => {
    const s = String(text);
    const match = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?(Z|[+-]00:?00)?$/.exec(s);
    if (!match) throw new Error(`datetime.fromisoformat: ${JSON.stringify(s)} is not an ISO date in UTC`);
    const [, y, m, d, h = '0', mi = '0', sec = '0', frac = '0'] = match;
    const date = fromParts(Number(y), Number(m), Number(d), Number(h), Number(mi), Number(sec));
    return new Date(date.getTime() + Math.floor(Number(frac.padEnd(6, '0')) / 1000));
  };
  // Objects, not callables: the guarded member lookup hands back a function's value as a bare bound wrapper, so a
  // callable `datetime` could not also carry `datetime.now`. `datetime(2024, 1, 31)` is written fromisoformat('2024-01-31').
  const datetime = Object.freeze({
    now: () => pyDatetime(runStartedAt),
    utcnow: () => pyDatetime(runStartedAt),
    fromisoformat: (text: unknown) => pyDatetime(fromIso(text)),
  });
  const date = Object.freeze({
    today: () => pyDate(runStartedAt),
    fromisoformat: (text: unknown) => pyDate(fromIso(text)),
  });
  return Object.freeze({ datetime, date });
}

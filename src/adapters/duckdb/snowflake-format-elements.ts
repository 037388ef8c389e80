// Converts Snowflake date/time format strings (TO_CHAR, TO_DATE, TO_TIMESTAMP) to DuckDB strftime/strptime formats.
// Only elements whose output is identical on both engines are converted; anything else is reported, never guessed.

export type FormatConversion = { ok: true; format: string } | { ok: false; reason: string };

// Longest elements first so that MMMM wins over MM and HH24 over anything shorter. Snowflake elements are
// case-insensitive. FF without digits means nanoseconds (9 digits); DuckDB TIMESTAMP holds microseconds, so FF9
// is rendered as the microseconds followed by three zeros (DuckDB's own %n pads incorrectly in 1.5.6).
const ELEMENTS: ReadonlyArray<readonly [string, string]> = [
  ['YYYY', '%Y'],
  ['HH24', '%H'],
  ['HH12', '%I'],
  ['MMMM', '%B'],
  ['FF9', '%f000'],
  ['FF6', '%f'],
  ['FF3', '%g'],
  ['MON', '%b'],
  ['FF', '%f000'],
  ['YY', '%y'],
  ['MM', '%m'],
  ['DD', '%d'],
  ['DY', '%a'],
  ['MI', '%M'],
  ['SS', '%S'],
  ['AM', '%p'],
  ['PM', '%p'],
];

const LITERAL_CHARS = new Set([' ', '-', '/', ':', '.', ',', ';', '_', 'T', '(', ')']);

/**
 * Converts a Snowflake datetime format. `forParsing` rejects the FF9 padding trick, which only works for output.
 */
export function convertSnowflakeDatetimeFormat(snowflakeFormat: string, forParsing: boolean): FormatConversion {
  let out = '';
  let i = 0;
  const upper = snowflakeFormat.toUpperCase();
  while (i < snowflakeFormat.length) {
    const ch = snowflakeFormat.charAt(i);
    if (ch === '"') {
      // Double-quoted text is copied literally.
      const end = snowflakeFormat.indexOf('"', i + 1);
      if (end < 0) return { ok: false, reason: `unterminated quoted text in format '${snowflakeFormat}'` };
      out += escapePercent(snowflakeFormat.slice(i + 1, end));
      i = end + 1;
      continue;
    }
    const element = ELEMENTS.find(([name]) => upper.startsWith(name, i));
    if (element) {
      const [name, duck] = element;
      if (forParsing && duck.endsWith('000')) {
        return { ok: false, reason: `format element ${name} (nanoseconds) cannot be parsed locally; use FF6 or FF3` };
      }
      out += duck;
      i += name.length;
      continue;
    }
    if (/[A-Za-z0-9]/.test(ch) && !LITERAL_CHARS.has(ch)) {
      const word = /^[A-Za-z0-9]+/.exec(snowflakeFormat.slice(i))?.[0] ?? ch;
      return { ok: false, reason: `format element '${word}' in '${snowflakeFormat}' has no exact DuckDB equivalent` };
    }
    out += escapePercent(ch);
    i += 1;
  }
  return { ok: true, format: out };
}

function escapePercent(text: string): string {
  return text.replace(/%/g, '%%');
}

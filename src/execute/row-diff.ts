// Compares expected with actual rows the way a person reads them (100 = 100.00, order ignored) and prints the difference.

export type DiffRow = Readonly<Record<string, unknown>>;

export interface ChangedRow {
  readonly expected: DiffRow;
  readonly actual: DiffRow;
  /** The compared columns whose values differ. */
  readonly columns: readonly string[];
}

export interface RowDiff {
  readonly expectedCount: number;
  readonly actualCount: number;
  readonly ordered: boolean;
  /** Columns shown when printing: those the expected rows name, in the order they first name them. */
  readonly columns: readonly string[];
  readonly missing: readonly DiffRow[];
  readonly unexpected: readonly DiffRow[];
  readonly changed: readonly ChangedRow[];
}

export interface DiffOptions {
  /** Compare only these columns; default: the columns each expected row names. */
  readonly columns?: readonly string[];
  readonly ordered?: boolean;
  /** Pairs a missing with an unexpected row as "changed" when they agree here (the model's unique_key). */
  readonly key?: readonly string[];
}

const ABSENT = '\u0000absent';

/**
 * The canonical text of a value, so that equal values of different spellings or types compare equal:
 * numbers by value (100 = 100.00 = '100'), floats to 15 significant digits (DOUBLE noise), ISO dates and
 * timestamps whatever their separator, time zone offsets converted to UTC, JSON by content.
 */
export function canonicalValue(value: unknown): string {
  if (value === undefined) return ABSENT;
  if (value === null) return 'null';
  if (typeof value === 'boolean') return `b:${value}`;
  if (typeof value === 'number' || typeof value === 'bigint') return `n:${canonicalNumber(String(value)) ?? String(value)}`;
  if (typeof value === 'object') return `j:${stableJson(value)}`;
  return canonicalText(String(value));
}

// Exact decimals arrive as text (the row convention), so numeric text counts as a number; but not text a database
// never prints for a number (leading zeros, exponents), which keeps codes like '007' or '1E5' as text.
const NUMERIC_TEXT = /^-?(0|[1-9]\d*)(\.\d+)?$/;

function canonicalText(text: string): string {
  const number = NUMERIC_TEXT.test(text) ? canonicalNumber(text) : undefined;
  if (number !== undefined) return `n:${number}`;
  if (text === 'true' || text === 'false') return `b:${text}`;
  const time = canonicalTimestamp(text);
  if (time !== undefined) return `t:${time}`;
  if (/^\s*[[{]/.test(text)) {
    try {
      return `j:${stableJson(JSON.parse(text))}`;
    } catch {
      // Not JSON after all: compare as text.
    }
  }
  return `s:${text}`;
}

const NUMBER = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** Exact decimal text of a number written in any notation: no exponent, no leading or trailing zeros. */
function canonicalNumber(text: string): string | undefined {
  const m = NUMBER.exec(text);
  if (!m || (!m[2] && !m[3])) return undefined;
  const [, sign = '', whole = '', fraction = '', exponent = '0'] = m;
  const digits = `${whole}${fraction}`;
  const point = whole.length + Number(exponent);
  const padded = point > digits.length ? digits.padEnd(point, '0') : point < 0 ? `${'0'.repeat(-point)}${digits}` : digits;
  const at = Math.max(point, 0);
  const intPart = padded.slice(0, at).replace(/^0+/, '') || '0';
  const fracPart = padded.slice(at).replace(/0+$/, '');
  if (fracPart.length && significantDigits(intPart, fracPart) > 15) {
    // Past 15 significant digits a non-integer is float noise (0.30000000000000004); integers stay exact.
    return canonicalNumber(Number(`${sign}${intPart}.${fracPart}`).toPrecision(15));
  }
  const body = fracPart ? `${intPart}.${fracPart}` : intPart;
  return body === '0' || sign !== '-' ? body : `-${body}`;
}

function significantDigits(intPart: string, fracPart: string): number {
  return intPart === '0' ? fracPart.replace(/^0+/, '').length : intPart.length + fracPart.length;
}

const TIMESTAMP = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2})(:\d{2})?(\.\d+)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/;

function canonicalTimestamp(text: string): string | undefined {
  const m = TIMESTAMP.exec(text.trim());
  if (!m) return undefined;
  const [, date = '', hm, seconds = ':00', rawFraction = '', zone] = m;
  if (!hm) return date;
  const fraction = rawFraction.replace(/0+$/, '').replace(/^\.$/, '');
  if (!zone) return `${date} ${hm}${seconds}${fraction}`;
  const offset = zone === 'Z' ? 'Z' : zone.length === 3 ? `${zone}:00` : zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const instant = new Date(`${date}T${hm}${seconds}${fraction.slice(0, 4)}${offset}`);
  if (Number.isNaN(instant.getTime())) return undefined;
  return `${instant.toISOString().replace('T', ' ').replace(/\.?0*Z$/, '')}+00`;
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Column names compare case-insensitively: Snowflake folds unquoted names to upper case, DuckDB keeps them. */
function lookup(row: DiffRow): Map<string, unknown> {
  return new Map(Object.entries(row).map(([k, v]) => [k.toLowerCase(), v]));
}

interface Prepared {
  readonly row: DiffRow;
  readonly cells: Map<string, unknown>;
}

function differing(expected: Prepared, actual: Prepared, columns: readonly string[]): string[] {
  return columns.filter((c) => canonicalValue(expected.cells.get(c.toLowerCase())) !== canonicalValue(actual.cells.get(c.toLowerCase())));
}

export function diffRows(expected: readonly DiffRow[], actual: readonly DiffRow[], options: DiffOptions = {}): RowDiff {
  const exp = expected.map((row) => ({ row, cells: lookup(row) }));
  const act = actual.map((row) => ({ row, cells: lookup(row) }));
  const compared = (e: Prepared): string[] => (options.columns ? [...options.columns] : Object.keys(e.row));
  const matches = (i: number, j: number): boolean => {
    const e = exp[i] as Prepared;
    return differing(e, act[j] as Prepared, compared(e)).length === 0;
  };
  const pairs = options.ordered ? alignInOrder(exp.length, act.length, matches) : matchUnordered(exp.length, act.length, matches);
  const matchedExp = new Set(pairs.map(([i]) => i));
  const matchedAct = new Set(pairs.map(([, j]) => j));
  const missing = exp.filter((_, i) => !matchedExp.has(i));
  const unexpected = act.filter((_, j) => !matchedAct.has(j));

  // A missing and an unexpected row that share a key are one row with a wrong value: say which value.
  const changed: ChangedRow[] = [];
  for (const e of [...missing]) {
    const named = compared(e);
    const key = options.key?.length && options.key.every((k) => e.cells.has(k.toLowerCase())) ? options.key : named.slice(0, 1);
    if (!key.length) continue;
    const j = unexpected.findIndex((a) => differing(e, a, key).length === 0);
    const a = unexpected[j];
    if (!a) continue;
    missing.splice(missing.indexOf(e), 1);
    unexpected.splice(j, 1);
    changed.push({ expected: e.row, actual: a.row, columns: differing(e, a, named) });
  }
  const columns = [...new Map([...(options.columns ?? []), ...expected.flatMap((r) => Object.keys(r))].map((c) => [c.toLowerCase(), c])).values()];
  return {
    expectedCount: expected.length,
    actualCount: actual.length,
    ordered: options.ordered ?? false,
    columns: columns.length ? columns : [...new Set(actual.flatMap((r) => Object.keys(r)))],
    missing: missing.map((e) => e.row),
    unexpected: unexpected.map((a) => a.row),
    changed,
  };
}

export function isEmptyDiff(diff: RowDiff): boolean {
  return !diff.missing.length && !diff.unexpected.length && !diff.changed.length;
}

/**
 * A maximum bipartite matching (Kuhn's augmenting paths), not a greedy one: an expected row that names few columns
 * could otherwise take the actual row a more specific expected row needs.
 */
function matchUnordered(n: number, m: number, matches: (i: number, j: number) => boolean): Array<[number, number]> {
  const candidates = Array.from({ length: n }, (_, i) => Array.from({ length: m }, (_, j) => j).filter((j) => matches(i, j)));
  const owner = new Array<number>(m).fill(-1);
  const augment = (i: number, seen: boolean[]): boolean => {
    for (const j of candidates[i] ?? []) {
      if (seen[j]) continue;
      seen[j] = true;
      const current = owner[j] ?? -1;
      if (current < 0 || augment(current, seen)) {
        owner[j] = i;
        return true;
      }
    }
    return false;
  };
  for (let i = 0; i < n; i++) augment(i, new Array<boolean>(m).fill(false));
  return owner.flatMap((i, j) => (i >= 0 ? [[i, j] as [number, number]] : []));
}

/** With order significant, the longest common subsequence: one inserted row shows as one row, not a shifted table. */
function alignInOrder(n: number, m: number, matches: (i: number, j: number) => boolean): Array<[number, number]> {
  const length = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  const cell = (i: number, j: number): number => length[i]?.[j] ?? 0;
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      (length[i] as number[])[j] = matches(i, j) ? cell(i + 1, j + 1) + 1 : Math.max(cell(i + 1, j), cell(i, j + 1));
    }
  }
  const pairs: Array<[number, number]> = [];
  for (let i = 0, j = 0; i < n && j < m; ) {
    if (matches(i, j) && cell(i, j) === cell(i + 1, j + 1) + 1) pairs.push([i++, j++]);
    else if (cell(i + 1, j) >= cell(i, j + 1)) i++;
    else j++;
  }
  return pairs;
}

function show(value: unknown): string {
  if (value === undefined) return '';
  if (value === null) return 'null';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** The diff as text: a header row, `-` expected and `+` actual lines, and `^` under each wrong value of a changed row. */
export function formatRowDiff(diff: RowDiff): string {
  const parts = [
    diff.changed.length && `${diff.changed.length} changed`,
    diff.missing.length && `${diff.missing.length} missing`,
    diff.unexpected.length && `${diff.unexpected.length} unexpected`,
  ].filter(Boolean);
  const summary = `expected ${diff.expectedCount} row${diff.expectedCount === 1 ? '' : 's'}, got ${diff.actualCount}${parts.length ? `: ${parts.join(', ')}` : ''}${diff.ordered ? ' (order compared)' : ''}`;
  if (!parts.length) return summary;
  const columns = diff.columns;
  const cellsOf = (row: DiffRow): string[] => {
    const cells = lookup(row);
    return columns.map((c) => (cells.has(c.toLowerCase()) ? show(cells.get(c.toLowerCase())) : ''));
  };
  type Line = { mark: string; cells: string[]; note?: string };
  const lines: Line[] = [{ mark: ' ', cells: [...columns] }];
  for (const c of diff.changed) {
    const wrong = new Set(c.columns.map((x) => x.toLowerCase()));
    lines.push({ mark: '-', cells: cellsOf(c.expected), note: 'expected' });
    lines.push({ mark: '+', cells: cellsOf(c.actual), note: 'actual' });
    lines.push({ mark: ' ', cells: columns.map((col) => (wrong.has(col.toLowerCase()) ? '^' : '')) });
  }
  for (const row of diff.missing) lines.push({ mark: '-', cells: cellsOf(row), note: 'missing' });
  for (const row of diff.unexpected) lines.push({ mark: '+', cells: cellsOf(row), note: 'unexpected' });
  const widths = columns.map((_, k) => Math.max(...lines.map((l) => (l.cells[k] ?? '').length)));
  const render = (l: Line): string => {
    const caret = l.cells.every((x) => x === '' || x === '^') && l.cells.includes('^');
    const cells = l.cells.map((x, k) => (caret && x === '^' ? '^'.repeat(widths[k] ?? 1) : x.padEnd(widths[k] ?? 0)));
    return `${l.mark} ${cells.join(' | ')}${l.note ? `   (${l.note})` : ''}`.trimEnd();
  };
  return [summary, ...lines.map(render)].join('\n');
}

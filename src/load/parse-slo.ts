// Turns a contract's quality_slo block (one-line strings like "null_rate(total_usd) <= 0.1%", or objects) into typed SLOs.
import type { ColumnQualitySlo, QualitySlo } from './contract-schema.js';

export type Comparator = '<' | '<=' | '>' | '>=' | '=' | '!=';
export type SloSeverity = 'error' | 'warn';

export interface Duration {
  /** As written, e.g. "36h". */
  readonly text: string;
  readonly seconds: number;
}

export interface FreshnessSlo {
  readonly kind: 'freshness';
  /** Absent when the string names no column ("<=10m"): such an SLO cannot run. */
  readonly column?: string;
  readonly maxAge: Duration;
  /** The latest value may be exactly maxAge old ("<=") or must be younger ("<"). */
  readonly inclusive: boolean;
  /** freshness_p95 and friends: the percentile the seed's wording asks for. */
  readonly percentile?: number;
  readonly asOf?: string;
  readonly severity: SloSeverity;
}

export interface CompletenessSlo {
  readonly kind: 'completeness';
  readonly column: string;
  /** A fraction: 0.001 for "0.1%". */
  readonly maxNullRate: number;
  readonly inclusive: boolean;
  readonly severity: SloSeverity;
}

export interface VolumeSlo {
  readonly kind: 'volume';
  readonly min?: number;
  readonly max?: number;
  readonly maxChangePct?: number;
  readonly severity: SloSeverity;
}

export interface DriftSlo {
  readonly kind: 'drift';
  readonly column: string;
  /** Undefined when the contract does not say; the loader infers it from the column's data_type. */
  readonly method?: 'numeric' | 'categorical';
  readonly bins: number;
  /** PSI above `warn` warns, above `fail` fails; the threshold itself passes, as "<=0.1" says. */
  readonly warn?: number;
  readonly fail: number;
}

export type Slo = FreshnessSlo | CompletenessSlo | VolumeSlo | DriftSlo;

export type SloPath = ReadonlyArray<string | number>;
export interface LocatedSlo {
  readonly slo: Slo;
  /** Where the SLO is written, from the document root. */
  readonly path: SloPath;
}
export interface SloProblem {
  readonly path: SloPath;
  readonly expected: string;
  readonly found: string;
}

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly expected: string };

export const DEFAULT_DRIFT_BINS = 10;
export const DEFAULT_PSI_WARN = 0.1;
export const DEFAULT_PSI_FAIL = 0.25;

const UNIT_SECONDS: Readonly<Record<string, number>> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86_400, w: 604_800, y: 31_536_000 };
// An SLO is one short line; refusing long input also keeps the regexes below from backtracking on garbage.
const MAX_SLO_LENGTH = 200;
const IDENT = '[A-Za-z_][A-Za-z0-9_$]*';
const CMP = '(<=|>=|==|!=|<>|<|>|=)';
const NUMBER = '(\\d+(?:\\.\\d+)?)';

/** "36h", "7d", "10m", "1h30m" (m is minutes; y is 365 days). */
export function parseDuration(text: string): Duration | undefined {
  const trimmed = text.trim();
  if (!trimmed || trimmed.length > MAX_SLO_LENGTH || !/^(\d+(ms|s|m|h|d|w|y))+$/.test(trimmed)) return undefined;
  let seconds = 0;
  for (const [, amount = '', unit = ''] of trimmed.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g)) {
    seconds += Number(amount) * (UNIT_SECONDS[unit] ?? Number.NaN);
  }
  return Number.isFinite(seconds) && seconds <= Number.MAX_SAFE_INTEGER ? { text: trimmed, seconds } : undefined;
}

/** "0.1%" to 0.001; a bare number is already a fraction. */
export function parseRate(text: string | number): number | undefined {
  if (typeof text === 'number') return text >= 0 && text <= 1 ? text : undefined;
  const m = new RegExp(`^\\s*${NUMBER}\\s*(%?)\\s*$`).exec(text.slice(0, MAX_SLO_LENGTH + 1));
  if (!m || text.length > MAX_SLO_LENGTH) return undefined;
  const rate = m[2] ? Number(m[1]) / 100 : Number(m[1]);
  return rate <= 1 ? rate : undefined;
}

const normaliseComparator = (op: string): Comparator => (op === '==' ? '=' : op === '<>' ? '!=' : (op as Comparator));

/** "<=10m", "< 36h", "36h" (read as "<="), "<=10m for loaded_at". */
export function parseFreshness(text: string, defaults: { column?: string; percentile?: number } = {}): Parsed<FreshnessSlo> {
  const expected = 'a freshness bound like "<=36h" or "<=10m for loaded_at"';
  if (text.length > MAX_SLO_LENGTH) return { ok: false, expected };
  const m = new RegExp(`^\\s*(?:${CMP}\\s*)?([0-9][0-9a-z]*)\\s*(?:for\\s+(${IDENT}))?\\s*$`).exec(text);
  if (!m) return { ok: false, expected };
  const op = normaliseComparator(m[1] ?? '<=');
  if (op !== '<' && op !== '<=') return { ok: false, expected: `an upper bound on age ("<=" or "<"), not "${op}"` };
  const maxAge = parseDuration(m[2] ?? '');
  if (!maxAge) return { ok: false, expected: 'a duration like 10m, 36h or 7d' };
  const column = m[3] ?? defaults.column;
  return {
    ok: true,
    value: { kind: 'freshness', maxAge, inclusive: op === '<=', severity: 'error', ...opt('column', column), ...opt('percentile', defaults.percentile) },
  };
}

/** "null_rate(total_usd) <= 0.1%"; on a column, "<= 0.1%" or "null_rate <= 0.1%". */
export function parseCompleteness(text: string, columnDefault?: string): Parsed<CompletenessSlo> {
  const expected = 'a null-rate bound like "null_rate(total_usd) <= 0.1%"';
  if (text.length > MAX_SLO_LENGTH) return { ok: false, expected };
  const m = new RegExp(`^\\s*(?:null_rate\\s*(?:\\(\\s*(${IDENT})\\s*\\))?\\s*)?${CMP}\\s*${NUMBER}\\s*(%?)\\s*$`).exec(text);
  if (!m) return { ok: false, expected };
  const op = normaliseComparator(m[2] ?? '');
  if (op !== '<' && op !== '<=') return { ok: false, expected: `an upper bound on the null rate ("<=" or "<"), not "${op}"` };
  const column = m[1] ?? columnDefault;
  if (!column) return { ok: false, expected: 'the column to measure: "null_rate(<column>) <= 0.1%"' };
  if (m[1] && columnDefault && m[1].toLowerCase() !== columnDefault.toLowerCase()) {
    return { ok: false, expected: `null_rate of this column (\`${columnDefault}\`), not of \`${m[1]}\`` };
  }
  const rate = Number(m[3]) / (m[4] ? 100 : 1);
  if (!(rate <= 1)) return { ok: false, expected: 'a rate between 0 and 1, or a percentage up to 100%' };
  return { ok: true, value: { kind: 'completeness', column, maxNullRate: rate, inclusive: op === '<=', severity: 'error' } };
}

/** "<=0.1 for total_usd": the PSI of the column against its baseline may not exceed 0.1. */
export function parseDriftPsi(text: string, columnDefault?: string): Parsed<DriftSlo> {
  const expected = 'a PSI bound like "<=0.1 for total_usd"';
  if (text.length > MAX_SLO_LENGTH) return { ok: false, expected };
  const m = new RegExp(`^\\s*(?:psi\\s*)?${CMP}\\s*${NUMBER}\\s*(?:for\\s+(${IDENT}))?\\s*$`).exec(text);
  if (!m) return { ok: false, expected };
  const op = normaliseComparator(m[1] ?? '');
  if (op !== '<' && op !== '<=') return { ok: false, expected: `an upper bound on PSI ("<=" or "<"), not "${op}"` };
  const column = m[3] ?? columnDefault;
  if (!column) return { ok: false, expected: 'the column to watch: "<=0.1 for <column>"' };
  return { ok: true, value: { kind: 'drift', column, bins: DEFAULT_DRIFT_BINS, fail: Number(m[2]) } };
}

/**
 * Every SLO of one quality_slo block, typed; problems carry their path for a located error.
 * `column` is set for a column-level block, whose SLOs measure that column.
 */
export function parseQualitySlo(
  block: QualitySlo | ColumnQualitySlo,
  path: SloPath,
  column?: string,
): { slos: LocatedSlo[]; problems: SloProblem[] } {
  const slos: LocatedSlo[] = [];
  const problems: SloProblem[] = [];
  const take = <T extends Slo>(parsed: Parsed<T>, at: SloPath, found: string): void => {
    if (parsed.ok) slos.push({ slo: parsed.value, path: at });
    else problems.push({ path: at, expected: parsed.expected, found });
  };
  const b = block as QualitySlo & ColumnQualitySlo;

  if (b.freshness !== undefined) {
    const at = [...path, 'freshness'];
    if (typeof b.freshness === 'string') take(parseFreshness(b.freshness, { ...opt('column', column) }), at, quote(b.freshness));
    else {
      const f = b.freshness;
      const maxAge = parseDuration(f.max_age);
      if (!maxAge) problems.push({ path: [...at, 'max_age'], expected: 'a duration like 36h', found: quote(f.max_age) });
      else {
        const col = f.column ?? column;
        slos.push({
          slo: { kind: 'freshness', maxAge, inclusive: true, severity: f.severity ?? 'error', ...opt('column', col), ...opt('asOf', f.as_of) },
          path: at,
        });
      }
    }
  }
  for (const key of ['freshness_p95', 'freshness_p99'] as const) {
    const value = b[key];
    if (value === undefined) continue;
    take(parseFreshness(value, { percentile: Number(key.slice('freshness_p'.length)), ...opt('column', column) }), [...path, key], quote(value));
  }

  const completeness = b.completeness === undefined ? [] : Array.isArray(b.completeness) ? b.completeness : [b.completeness];
  completeness.forEach((entry, i) => {
    const at = Array.isArray(b.completeness) ? [...path, 'completeness', i] : [...path, 'completeness'];
    if (typeof entry === 'string') return take(parseCompleteness(entry, column), at, quote(entry));
    const rate = parseRate(entry.max_null_rate);
    const col = ('column' in entry ? entry.column : undefined) ?? column;
    if (rate === undefined) {
      problems.push({ path: [...at, 'max_null_rate'], expected: 'a fraction from 0 to 1, or a percentage like "0.1%"', found: quote(entry.max_null_rate) });
    } else if (col) {
      slos.push({ slo: { kind: 'completeness', column: col, maxNullRate: rate, inclusive: true, severity: entry.severity ?? 'error' }, path: at });
    }
  });

  if (b.volume !== undefined) {
    const v = b.volume;
    const at = [...path, 'volume'];
    if (v.min === undefined && v.max === undefined && v.max_change_pct === undefined) {
      problems.push({ path: at, expected: 'at least one of min, max, max_change_pct', found: 'none' });
    } else if (v.min !== undefined && v.max !== undefined && v.min > v.max) {
      problems.push({ path: [...at, 'min'], expected: `min no larger than max (${v.max})`, found: String(v.min) });
    } else {
      slos.push({
        slo: { kind: 'volume', severity: v.severity ?? 'error', ...opt('min', v.min), ...opt('max', v.max), ...opt('maxChangePct', v.max_change_pct) },
        path: at,
      });
    }
  }

  const drifts = b.drift === undefined ? [] : Array.isArray(b.drift) ? b.drift : [b.drift];
  drifts.forEach((d, i) => {
    const at = Array.isArray(b.drift) ? [...path, 'drift', i] : [...path, 'drift'];
    const col = d.column ?? column;
    const warn = d.warn ?? DEFAULT_PSI_WARN;
    const fail = d.fail ?? DEFAULT_PSI_FAIL;
    if (!col) problems.push({ path: at, expected: 'a `column` to watch', found: 'none' });
    else if (warn > fail) problems.push({ path: [...at, 'warn'], expected: `warn no larger than fail (${fail})`, found: String(warn) });
    else slos.push({ slo: { kind: 'drift', column: col, bins: d.bins ?? DEFAULT_DRIFT_BINS, warn, fail, ...opt('method', d.kind) }, path: at });
  });

  const psis = b.drift_psi === undefined ? [] : Array.isArray(b.drift_psi) ? b.drift_psi : [b.drift_psi];
  psis.forEach((entry, i) => {
    const at = Array.isArray(b.drift_psi) ? [...path, 'drift_psi', i] : [...path, 'drift_psi'];
    take(parseDriftPsi(entry, column), at, quote(entry));
  });
  return { slos, problems };
}

/** `{ key: value }` when value is defined, else nothing, so absent fields stay absent in the frozen values. */
function opt<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function quote(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

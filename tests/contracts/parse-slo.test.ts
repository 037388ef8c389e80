import { describe, expect, it } from 'vitest';
import {
  parseCompleteness,
  parseDriftPsi,
  parseDuration,
  parseFreshness,
  parseQualitySlo,
  parseRate,
} from '../../src/load/parse-slo.js';

describe('durations', () => {
  it('reads the units contracts use, m being minutes and y 365 days', () => {
    expect(parseDuration('10m')).toEqual({ text: '10m', seconds: 600 });
    expect(parseDuration('36h')?.seconds).toBe(129_600);
    expect(parseDuration('7d')?.seconds).toBe(604_800);
    expect(parseDuration('2w')?.seconds).toBe(1_209_600);
    expect(parseDuration('5y')?.seconds).toBe(5 * 365 * 86_400);
    expect(parseDuration('1h30m')?.seconds).toBe(5400);
    expect(parseDuration('250ms')?.seconds).toBe(0.25);
  });

  it('refuses what is not a duration', () => {
    for (const text of ['', '36', 'h', '36 hours', '1.5h', '-1h', '10M', '9'.repeat(400) + 'y']) {
      expect(parseDuration(text), text).toBeUndefined();
    }
  });
});

describe('rates', () => {
  it('reads percentages and fractions', () => {
    expect(parseRate('0.1%')).toBeCloseTo(0.001, 12);
    expect(parseRate(' 5 % ')).toBeCloseTo(0.05, 12);
    expect(parseRate(0.02)).toBe(0.02);
    expect(parseRate('150%')).toBeUndefined();
    expect(parseRate(2)).toBeUndefined();
  });
});

describe('freshness strings', () => {
  it('reads "<=10m", a bare duration as "<=", and an optional column', () => {
    expect(parseFreshness('<=10m')).toEqual({ ok: true, value: { kind: 'freshness', maxAge: { text: '10m', seconds: 600 }, inclusive: true, severity: 'error' } });
    expect(parseFreshness('36h')).toMatchObject({ ok: true, value: { inclusive: true } });
    expect(parseFreshness('< 36h for loaded_at')).toMatchObject({ ok: true, value: { column: 'loaded_at', inclusive: false } });
    expect(parseFreshness('<=10m', { percentile: 95 })).toMatchObject({ ok: true, value: { percentile: 95 } });
  });

  it('says what is wrong', () => {
    expect(parseFreshness('>=10m')).toEqual({ ok: false, expected: 'an upper bound on age ("<=" or "<"), not ">="' });
    expect(parseFreshness('<=10 minutes')).toMatchObject({ ok: false });
    expect(parseFreshness('<=10x')).toEqual({ ok: false, expected: 'a duration like 10m, 36h or 7d' });
  });
});

describe('completeness strings', () => {
  it('reads the seed form "null_rate(total_usd) <= 0.1%"', () => {
    expect(parseCompleteness('null_rate(total_usd) <= 0.1%')).toEqual({
      ok: true,
      value: { kind: 'completeness', column: 'total_usd', maxNullRate: 0.001, inclusive: true, severity: 'error' },
    });
  });

  it('takes the column from the column a column-level SLO sits on', () => {
    expect(parseCompleteness('< 1%', 'email')).toMatchObject({ ok: true, value: { column: 'email', maxNullRate: 0.01, inclusive: false } });
    expect(parseCompleteness('null_rate <= 0.002', 'email')).toMatchObject({ ok: true, value: { maxNullRate: 0.002 } });
    expect(parseCompleteness('null_rate(phone) <= 1%', 'email')).toMatchObject({ ok: false });
  });

  it('refuses a missing column, a lower bound and an impossible rate', () => {
    expect(parseCompleteness('<= 0.1%')).toEqual({ ok: false, expected: 'the column to measure: "null_rate(<column>) <= 0.1%"' });
    expect(parseCompleteness('null_rate(x) >= 0.1%')).toMatchObject({ ok: false });
    expect(parseCompleteness('null_rate(x) <= 1.5')).toMatchObject({ ok: false });
    expect(parseCompleteness('nul_rate(x) <= 1%')).toMatchObject({ ok: false });
  });
});

describe('drift strings', () => {
  it('reads the seed form "<=0.1 for total_usd" as a PSI fail threshold', () => {
    expect(parseDriftPsi('<=0.1 for total_usd')).toEqual({ ok: true, value: { kind: 'drift', column: 'total_usd', bins: 10, fail: 0.1 } });
    expect(parseDriftPsi('psi < 0.2', 'amount')).toMatchObject({ ok: true, value: { column: 'amount', fail: 0.2 } });
  });

  it('refuses a lower bound and a missing column', () => {
    expect(parseDriftPsi('>0.1 for x')).toMatchObject({ ok: false });
    expect(parseDriftPsi('<=0.1')).toEqual({ ok: false, expected: 'the column to watch: "<=0.1 for <column>"' });
  });

  it('refuses overlong input quickly rather than backtracking', () => {
    const started = Date.now();
    expect(parseDriftPsi(`<=${' '.repeat(100_000)}x`)).toMatchObject({ ok: false });
    expect(parseCompleteness(`null_rate(${'a'.repeat(100_000)}`)).toMatchObject({ ok: false });
    expect(Date.now() - started).toBeLessThan(200);
  });
});

describe('a quality_slo block', () => {
  it('types every form and reports each problem with its path', () => {
    const { slos, problems } = parseQualitySlo(
      {
        freshness: { column: 'loaded_at', max_age: '36h', as_of: '2024-12-31', severity: 'warn' },
        completeness: ['null_rate(a) <= 1%', { column: 'b', max_null_rate: '0.5%' }, 'nonsense'],
        volume: { min: 10, max: 5 },
        drift: [{ column: 'c', kind: 'categorical', warn: 0.3, fail: 0.2 }],
      },
      ['quality_slo'],
    );
    expect(slos.map((s) => [s.slo.kind, s.path.join('/')])).toEqual([
      ['freshness', 'quality_slo/freshness'],
      ['completeness', 'quality_slo/completeness/0'],
      ['completeness', 'quality_slo/completeness/1'],
    ]);
    expect(slos[0]?.slo).toMatchObject({ severity: 'warn', asOf: '2024-12-31' });
    expect(slos[2]?.slo).toMatchObject({ column: 'b', maxNullRate: 0.005 });
    expect(problems).toEqual([
      { path: ['quality_slo', 'completeness', 2], expected: 'a null-rate bound like "null_rate(total_usd) <= 0.1%"', found: '"nonsense"' },
      { path: ['quality_slo', 'volume', 'min'], expected: 'min no larger than max (5)', found: '10' },
      { path: ['quality_slo', 'drift', 0, 'warn'], expected: 'warn no larger than fail (0.2)', found: '0.3' },
    ]);
  });
});

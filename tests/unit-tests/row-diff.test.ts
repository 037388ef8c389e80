import { describe, expect, it } from 'vitest';
import { canonicalValue, diffRows, formatRowDiff, isEmptyDiff } from '../../src/execute/row-diff.js';
import { inferDuckdbType } from '../../src/adapters/duckdb/unit-test-sandbox.js';

describe('values compare by meaning, not spelling', () => {
  it.each([
    [100, '100.00'],
    ['100.50', 100.5],
    [0.30000000000000004, 0.3],
    [1e21, '1000000000000000000000'],
    ['2024-01-15', '2024-01-15'],
    ['2024-01-15T10:00:00', '2024-01-15 10:00:00.000'],
    ['2024-01-15 10:00', '2024-01-15 10:00:00'],
    ['2024-01-15T12:00:00+02:00', '2024-01-15 10:00:00+00'],
    [true, 'true'],
    [{ b: 1, a: [1, 2] }, '{"a":[1,2],"b":1}'],
    [null, null],
  ])('%j equals %j', (a, b) => expect(canonicalValue(a)).toBe(canonicalValue(b)));

  it.each([
    [100, 101],
    ['007', 7],
    ['1E5', 100000],
    [null, 'null'],
    [null, undefined],
    ['2024-01-15', '2024-01-15 00:00:00'],
    ['12345678901234567890', '12345678901234567891'],
    [0, false],
  ])('%j differs from %j', (a, b) => expect(canonicalValue(a)).not.toBe(canonicalValue(b)));
});

describe('diffRows', () => {
  it('ignores order and compares only the columns each expected row names, whatever their case', () => {
    const diff = diffRows([{ id: 2, v: 'b' }, { ID: 1 }], [{ id: '1', v: 'a', extra: 1 }, { id: '2', V: 'b', extra: 2 }]);
    expect(isEmptyDiff(diff)).toBe(true);
  });

  it('finds the matching that a greedy pass would miss', () => {
    // {a: 1} could take either actual row; it must leave {a: 1, b: 2} to the only row that fits it.
    const diff = diffRows([{ a: 1 }, { a: 1, b: 2 }], [{ a: 1, b: 2 }, { a: 1, b: 3 }]);
    expect(isEmptyDiff(diff)).toBe(true);
  });

  it('counts duplicates: a multiset, not a set', () => {
    const diff = diffRows([{ a: 1 }, { a: 1 }], [{ a: 1 }]);
    expect(diff.missing).toEqual([{ a: 1 }]);
  });

  it('pairs a missing and an unexpected row that share the unique key as one changed row', () => {
    const diff = diffRows([{ k: 1, x: 'a', y: 1 }, { k: 2, x: 'b', y: 2 }], [{ k: 1, x: 'a', y: 1 }, { k: 2, x: 'B', y: 2 }, { k: 3, x: 'c', y: 3 }], { key: ['k'] });
    expect(diff.changed).toEqual([{ expected: { k: 2, x: 'b', y: 2 }, actual: { k: 2, x: 'B', y: 2 }, columns: ['x'] }]);
    expect(diff.unexpected).toEqual([{ k: 3, x: 'c', y: 3 }]);
    expect(diff.missing).toEqual([]);
  });

  it('pairs on the first column an expected row names when there is no unique key', () => {
    const diff = diffRows([{ name: 'a', n: 1 }], [{ name: 'a', n: 2 }]);
    expect(diff.changed.map((c) => c.columns)).toEqual([['n']]);
  });

  it('with `ordered`, aligns the rows so one inserted row is one difference', () => {
    const diff = diffRows([{ a: 1 }, { a: 2 }, { a: 3 }], [{ a: 1 }, { a: 9 }, { a: 2 }, { a: 3 }], { ordered: true });
    expect(diff.unexpected).toEqual([{ a: 9 }]);
    expect(diff.missing).toEqual([]);
    expect(isEmptyDiff(diffRows([{ a: 1 }, { a: 2 }], [{ a: 2 }, { a: 1 }], { ordered: true }))).toBe(false);
    expect(isEmptyDiff(diffRows([{ a: 1 }, { a: 2 }], [{ a: 2 }, { a: 1 }]))).toBe(true);
  });

  it('prints a table with - expected, + actual and ^ under each wrong value', () => {
    const diff = diffRows(
      [{ customer_id: 'C1', revenue: 100, tier: 'vip' }, { customer_id: 'C2', revenue: 5, tier: 'regular' }],
      [{ customer_id: 'C1', revenue: '100.00', tier: 'regular' }, { customer_id: 'C9', revenue: null, tier: 'regular' }],
      { key: ['customer_id'] },
    );
    expect(formatRowDiff(diff)).toBe(
      [
        'expected 2 rows, got 2: 1 changed, 1 missing, 1 unexpected',
        '  customer_id | revenue | tier',
        '- C1          | 100     | vip       (expected)',
        '+ C1          | 100.00  | regular   (actual)',
        '              |         | ^^^^^^^',
        '- C2          | 5       | regular   (missing)',
        '+ C9          | null    | regular   (unexpected)',
      ].join('\n'),
    );
  });
});

describe('column types inferred from YAML values', () => {
  it.each([
    [[1, 2, null], 'BIGINT'],
    [[1, 2.5, 10.25], 'DECIMAL(38,2)'],
    [[1e300], 'DOUBLE'],
    [['2024-01-15', null], 'DATE'],
    [['2024-01-15', '2024-01-15 10:00:00'], 'TIMESTAMP'],
    [['2024-01-15T10:00:00Z'], 'TIMESTAMPTZ'],
    [[true, false], 'BOOLEAN'],
    [[{ a: 1 }], 'JSON'],
    [['007', 'x'], 'VARCHAR'],
    [[1, 'x'], 'VARCHAR'],
    [[null], 'VARCHAR'],
  ])('%j is %s', (values, type) => expect(inferDuckdbType(values)).toBe(type));
});

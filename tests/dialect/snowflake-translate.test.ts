// Translation behaviour that is not about result values: unsupported constructs and their positions, token
// safety (strings, comments, quoted identifiers), statement kinds, notes and the cache.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TranslationCache, translateSnowflakeToDuckDB } from '../../src/adapters/duckdb/translate-snowflake.js';
import { convertSnowflakeDatetimeFormat } from '../../src/adapters/duckdb/snowflake-format-elements.js';
import { ParityDb } from './duckdb-parity-harness.js';

function unsupportedOf(sql: string): Array<{ construct: string; line?: number; reason: string }> {
  return translateSnowflakeToDuckDB(sql).unsupported.map((u) => ({
    construct: u.construct,
    line: u.position?.line,
    reason: u.reason,
  }));
}

describe('unsupported constructs are reported with their name and line', () => {
  it.each([
    ['FLATTEN', 'select f.seq, f.value:id::int as id\nfrom raw.events e,\n  lateral flatten(input => e.payload:items) f', 3],
    ['HASH', 'select\n  hash(customer_id) as h\nfrom t', 2],
    ['UNIFORM', 'select uniform(1, 10, random()) as r', 1],
    ['RANDOM', 'select 1 as a,\n\n random() as r', 3],
    ['REGEXP_REPLACE', "select regexp_replace(s, 'a', 'b', 2) from t", 1],
    ['TO_CHAR', "select to_char(amount, '999.99') from t", 1],
    ['TO_NUMBER', "select to_number(s, '999.99') from t", 1],
    ['OBJECT_CONSTRUCT', 'select object_construct(*) from t', 1],
    ['DATEADD', "select dateadd(day, 1, '2024-01-31') from t", 1],
    ['DATEADD', 'select dateadd(nanosecond, 1, ts) from t', 1],
    ['DATE_TRUNC', 'select date_trunc(part_col, ts) from t', 1],
    ['UUID_STRING', "select uuid_string('fe971b24-9572-4005-b22f-351e9c09274d', 'foo')", 1],
    ['MATCH_RECOGNIZE', 'select * from t\n  match_recognize (partition by a order by b pattern (x) define x as true)', 2],
    ['CONNECT BY', 'select id from t\nstart with parent is null\nconnect by prior id = parent', 3],
  ])('%s', (construct, sql, line) => {
    const found = unsupportedOf(sql).find((u) => u.construct === construct);
    expect(found, JSON.stringify(unsupportedOf(sql))).toBeDefined();
    expect(found?.line).toBe(line);
    expect(found?.reason.length).toBeGreaterThan(10);
  });

  it('reports a polyglot parse failure as a syntax error at the position in the input', () => {
    const t = translateSnowflakeToDuckDB('select a\nfrom t\nwhere x = = 1');
    expect(t.unsupported).toEqual([
      expect.objectContaining({ construct: 'syntax', position: { line: 3, column: expect.any(Number) } }),
    ]);
  });

  it('only translates SELECT bodies', () => {
    const t = translateSnowflakeToDuckDB('\n  create table x as select 1');
    expect(t.unsupported).toEqual([expect.objectContaining({ construct: 'CREATE', position: { line: 2, column: 3 } })]);
    expect(translateSnowflakeToDuckDB('').unsupported[0]?.construct).toBe('empty model');
  });

  it('reports a named window that the transpiler would lose (polyglot drops the WINDOW clause)', () => {
    const t = translateSnowflakeToDuckDB('select count(*) over w / 2 as half from t window w as (partition by g)');
    expect(t.unsupported.map((u) => u.construct)).toEqual(['WINDOW']);
    expect(translateSnowflakeToDuckDB('select count(*) over w as n from t window w as (partition by g)').unsupported).toEqual([]);
  });

  it('rejects several statements', () => {
    expect(unsupportedOf('select 1; select 2').map((u) => u.construct)).toContain('multiple statements');
  });

  it('accepts WITH and parenthesised selects, with leading comments', () => {
    expect(translateSnowflakeToDuckDB('-- header\nwith a as (select 1 as x) select x from a').unsupported).toEqual([]);
    expect(translateSnowflakeToDuckDB('(select 1 as x)').unsupported).toEqual([]);
  });

  it('a rewrite keeps the following lines on their original line numbers', () => {
    const t = translateSnowflakeToDuckDB("select dateadd(\n  day,\n  1,\n  d)\nfrom t\nwhere x = = 1");
    expect(t.unsupported[0]?.position?.line).toBe(6);
  });
});

describe('strings, comments and quoted identifiers are left alone', () => {
  let db: ParityDb;
  beforeAll(async () => {
    db = await ParityDb.open();
  });
  afterAll(() => db.close());

  it('keeps function-like text and JSON-path-like text inside strings and comments', async () => {
    const sql = [
      "select 'dateadd(day,1,x)' as s, -- dateadd(day,1,x) and a:b",
      "  'a:b' as t, /* a:b::string, 1 / 0 */ 'x / y' as u,",
      '  \'it\\\'s\' as q // also a comment: iff(a, b, c)',
    ].join('\n');
    const t = translateSnowflakeToDuckDB(sql);
    expect(t.unsupported).toEqual([]);
    expect(t.sql).toContain("'dateadd(day,1,x)'");
    expect(t.sql).toContain("'a:b'");
    expect(t.sql).toContain("'x / y'");
    expect(t.sql).not.toMatch(/__sf_div|__SF_DATEADD|->/i);
    const { rows } = await db.runSnowflake(sql);
    expect(rows).toEqual([{ s: 'dateadd(day,1,x)', t: 'a:b', u: 'x / y', q: "it's" }]);
  });

  it('does not rewrite a quoted identifier that looks like a function', async () => {
    const { rows } = await db.runSnowflake('select "DATEADD(day, 1, x)" from (select 1 as "DATEADD(day, 1, x)")');
    expect(rows).toEqual([{ 'DATEADD(day, 1, x)': 1 }]);
  });

  it('does not rewrite a schema-qualified user function with a Snowflake name', () => {
    const t = translateSnowflakeToDuckDB('select util.dateadd(1) from t');
    expect(t.sql).not.toMatch(/__SF_DATEADD/i);
  });
});

describe('every / goes through __sf_div with the operands SQL precedence gives it', () => {
  it.each([
    ['a * b / c', '__sf_div(a * b, c)'],
    ['a / b * c', '__sf_div(a, b) * c'],
    ['a + b / c - d', 'a + __sf_div(b, c) - d'],
    ['-a / b', '__sf_div(-a, b)'],
    ['(a + 1) / (b - 1) / c', '__sf_div(__sf_div((a + 1), (b - 1)), c)'],
    ['sum(x) over (partition by g order by y) / 2', '__sf_div(SUM(x) OVER (PARTITION BY g ORDER BY y), 2)'],
    ['count(*) filter (where y > 0) / 2', '__sf_div(COUNT(*) FILTER(WHERE y > 0), 2)'],
    ['percentile_cont(0.5) within group (order by x) / 2', '__sf_div(PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY x), 2)'],
    ['case when a then 1 else 2 end / 3', '__sf_div(CASE WHEN a THEN 1 ELSE 2 END, 3)'],
    ['x::number(10,2) / 3', '__sf_div(CAST(x AS DECIMAL(10, 2)), 3)'],
    ['f(x)[1] / 2', '__sf_div(F(x)[1], 2)'],
    ['s.t.col / 2', '__sf_div(s.t.col, 2)'],
    ["interval '1 day' / 2", "__sf_div(INTERVAL '1' DAY, 2)"],
  ])('%s', (expression, expected) => {
    const t = translateSnowflakeToDuckDB(`select ${expression} as v from t`);
    expect(t.unsupported).toEqual([]);
    expect(t.sql).toBe(`SELECT ${expected} AS v FROM t`);
  });
});

describe('notes record what was rewritten', () => {
  it('lists translated constructs once each', () => {
    const t = translateSnowflakeToDuckDB(
      "select iff(a, 1, 2), iff(b, 3, 4), dateadd(day, 1, d), v:x::string, x::number(10,2), a / b from t qualify 1 = 1",
    );
    const constructs = t.notes.map((n) => n.construct);
    expect(constructs).toEqual(expect.arrayContaining(['IFF', 'DATEADD', 'JSON path (:)', 'NUMBER', '/', 'QUALIFY']));
    expect(new Set(constructs).size).toBe(constructs.length);
  });

  it('a plain select needs no rewrite', () => {
    expect(translateSnowflakeToDuckDB('select a, b from t where a > 1').notes).toEqual([]);
  });
});

describe('Snowflake date formats', () => {
  it.each([
    ['YYYY-MM-DD HH24:MI:SS', '%Y-%m-%d %H:%M:%S'],
    ['yyyy/mm/dd', '%Y/%m/%d'],
    ['DY, DD MON YY HH12:MI AM', '%a, %d %b %y %I:%M %p'],
    ['MMMM "of" YYYY', '%B of %Y'],
    ['HH24:MI:SS.FF6', '%H:%M:%S.%f'],
    ['"100%" YYYY', '100%% %Y'],
  ])('%s -> %s', (snowflake, duckdb) => {
    expect(convertSnowflakeDatetimeFormat(snowflake, false)).toEqual({ ok: true, format: duckdb });
  });

  it.each(['999.99', 'YYYY-MM-DD TZH:TZM', 'HH:MI', 'YYYY-MM-DD"T'])('rejects %s', (format) => {
    expect(convertSnowflakeDatetimeFormat(format, false).ok).toBe(false);
  });

  it('FF9 can be printed but not parsed', () => {
    expect(convertSnowflakeDatetimeFormat('SS.FF9', false)).toEqual({ ok: true, format: '%S.%f000' });
    expect(convertSnowflakeDatetimeFormat('SS.FF9', true).ok).toBe(false);
  });
});

describe('TranslationCache', () => {
  it('returns the same frozen object for the same SQL', () => {
    const cache = new TranslationCache();
    const a = cache.translate('select iff(a, 1, 2) from t');
    const b = cache.translate('select iff(a, 1, 2) from t');
    expect(b).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
    expect(Object.isFrozen(a.notes)).toBe(true);
    expect(cache.translate('select iff(a, 1, 3) from t')).not.toBe(a);
  });

  it('evicts the least recently used entry beyond its size', () => {
    const cache = new TranslationCache(2);
    const first = cache.translate('select 1 as a');
    cache.translate('select 2 as a');
    cache.translate('select 1 as a'); // touch: now the most recent
    cache.translate('select 3 as a'); // evicts 'select 2'
    expect(cache.size).toBe(2);
    expect(cache.translate('select 1 as a')).toBe(first);
  });
});

describe('constructs found while modelling the showcase', async () => {
  const { translateSnowflakeToDuckDB } = await import('../../src/adapters/duckdb/translate-snowflake.js');
  const { DuckDBInstance } = await import('@duckdb/node-api');

  it('CURRENT_TIMESTAMP, with or without parentheses, runs on DuckDB', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const con = await instance.connect();
    for (const sql of ['select current_timestamp as t', 'select current_timestamp() as t']) {
      const t = translateSnowflakeToDuckDB(sql);
      expect(t.unsupported).toEqual([]);
      const rows = (await con.runAndReadAll(`select t is not null as ok from (${t.sql})`)).getRowObjectsJson();
      expect(rows).toEqual([{ ok: true }]);
    }
    con.closeSync();
    instance.closeSync();
  });

  it.each([
    ['select * from a asof join b match_condition (a.d >= b.d) on a.k = b.k', 'MATCH_CONDITION'],
    ['select conditional_true_event(x > 1) over (order by y) from t', 'CONDITIONAL_TRUE_EVENT'],
    ['select approx_count_distinct(x) from t', 'APPROX_COUNT_DISTINCT'],
  ])('%s is refused by name rather than failing or differing at run time', (sql, construct) => {
    expect(translateSnowflakeToDuckDB(sql).unsupported.map((u) => u.construct)).toEqual([construct]);
  });
});

// Snowflake functions real dbt projects use (LIKE/ILIKE ANY|ALL, TO_TIMESTAMP of an epoch, IDENTIFIER, OBJECT_KEYS,
// SPLIT_TO_TABLE), run on DuckDB through charter's translation and compared with Snowflake's documented results.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translateSnowflakeToDuckDB } from '../../src/adapters/duckdb/translate-snowflake.js';
import { ParityDb, type ParityCase } from './duckdb-parity-harness.js';

let db: ParityDb;
beforeAll(async () => {
  db = await ParityDb.open();
});
afterAll(() => db.close());

const FRUIT = "(values ('Apple'), ('banana'), ('Cherry'), (null)) t(x)";

const CASES: ParityCase[] = [
  { name: 'ILIKE ANY', snowflake: "select 'abc' ilike any ('A%', 'x%') as v", expected: true, rule: 'true when any pattern matches, case-insensitively' },
  { name: 'ILIKE ANY', snowflake: "select 'abc' ilike any ('x%', 'y%') as v", expected: false, rule: 'false when no pattern matches' },
  { name: 'ILIKE ANY', snowflake: "select null ilike any ('x%', 'y%') as v", expected: null, rule: 'a NULL subject gives NULL' },
  {
    name: 'ILIKE ANY', snowflake: `select x from ${FRUIT} where x ilike any ('a%', 'c%') order by x`,
    expectedRows: [{ x: 'Apple' }, { x: 'Cherry' }], rule: 'in WHERE: rows matching any pattern',
  },
  {
    name: 'ILIKE ANY', snowflake: `select x from ${FRUIT} where not x ilike any ('a%', 'c%') order by x`,
    expectedRows: [{ x: 'banana' }], rule: 'NOT before the subject negates the whole test (NULL rows stay out)',
  },
  { name: 'LIKE ANY', snowflake: "select 'abc' like any ('A%', 'x%') as v", expected: false, rule: 'LIKE ANY is case-sensitive' },
  { name: 'LIKE ALL', snowflake: "select 'abc' like all ('a%', '%c') as v", expected: true, rule: 'LIKE ALL: every pattern matches' },
  { name: 'LIKE ALL', snowflake: "select 'abc' like all ('a%', '%x') as v", expected: false, rule: 'LIKE ALL: one pattern fails' },
  { name: 'ILIKE ALL', snowflake: "select upper('abc') || 'd' ilike all ('a%', '%D') as v", expected: true, rule: 'the subject is the whole expression before ILIKE' },
  {
    name: 'ILIKE ANY', snowflake: "select case when 1 = 1 then 'Yes' else 'no' end ilike any ('y%') as v", expected: true,
    rule: 'a CASE expression as the subject',
  },
  {
    name: 'LIKE ANY', snowflake: "select 'a%c' like any ('a\\\\%c', 'zz') escape '\\\\' as v", expected: true,
    rule: 'ESCAPE makes % literal',
  },
  { name: 'LIKE ANY', snowflake: "select 'abc' like any ('a\\\\%c') escape '\\\\' as v", expected: false, rule: 'an escaped % matches only %' },
  {
    name: 'TO_TIMESTAMP', snowflake: 'select to_timestamp(1700000000) as v', expected: '2023-11-14 22:13:20', expectedType: 'TIMESTAMP',
    rule: 'an integer is seconds since the epoch (TIMESTAMP_NTZ)',
  },
  {
    name: 'TO_TIMESTAMP', snowflake: 'select to_timestamp(1700000000123, 3) as v', expected: '2023-11-14 22:13:20.123',
    rule: 'scale 3: milliseconds since the epoch',
  },
  { name: 'TO_TIMESTAMP', snowflake: 'select to_timestamp(1.5) as v', expected: '1970-01-01 00:00:01.5', rule: 'a decimal keeps its fraction' },
  {
    name: 'TO_TIMESTAMP', snowflake: 'select to_timestamp(ts) as v from (select 86400 as ts)', expected: '1970-01-02 00:00:00',
    rule: 'a numeric column is seconds too',
  },
  {
    name: 'TO_TIMESTAMP', snowflake: "select to_timestamp('2024-01-05 10:00:00') as v", expected: '2024-01-05 10:00:00',
    rule: 'a string is still parsed as a timestamp',
  },
  {
    name: 'IDENTIFIER', snowflake: "with orders as (select 7 as id) select id as v from identifier('orders')", expected: 7,
    rule: "IDENTIFIER('name') is the object name",
  },
  {
    name: 'OBJECT_KEYS', snowflake: `select object_keys(parse_json('{"zip": 1, "age": 2, "name": 3}'))::string as v`,
    expected: '["age","name","zip"]', rule: 'the keys of the top level, in the sorted order Snowflake stores them',
  },
  { name: 'OBJECT_KEYS', snowflake: 'select object_keys(null) as v', expected: null, rule: 'NULL input gives NULL' },
  {
    name: 'OBJECT_AGG', rule: 'one object per group, keys sorted (the docs: {"age": 21, "name": "Joe"}), NULL pairs ignored',
    snowflake: `select g, object_agg(k, v)::string as o from (
        select 0 as g, 'name' as k, parse_json('"Joe"') as v union all select 0, 'age', parse_json('21')
        union all select 0, null, parse_json('5') union all select 0, 'x', null
        union all select 1, 'name', parse_json('"Sue"') union all select 1, 'zip', parse_json('94401')) group by g order by g`,
    expectedRows: [{ g: 0, o: '{"age":21,"name":"Joe"}' }, { g: 1, o: '{"name":"Sue","zip":94401}' }],
  },
  {
    name: 'OBJECT_AGG', rule: 'a group whose pairs are all NULL gives an empty object',
    snowflake: "select object_agg(k, v)::string as v from (select null as k, 1 as v)", expected: '{}',
  },
  {
    name: 'OBJECT_AGG', rule: 'the result is a VARIANT object: a path reads a member',
    snowflake: "select object_agg(k, v):b::int as v from (select 'a' as k, 1 as v union all select 'b', 2)", expected: 2,
  },
  {
    name: 'SPLIT_TO_TABLE', snowflake: "select seq, index, value from table(split_to_table('a.b.c', '.')) order by index",
    expectedRows: [{ SEQ: 1, INDEX: '1', VALUE: 'a' }, { SEQ: 1, INDEX: '2', VALUE: 'b' }, { SEQ: 1, INDEX: '3', VALUE: 'c' }],
    rule: 'one row per part; INDEX is 1-based',
  },
  {
    name: 'SPLIT_TO_TABLE', snowflake: `select t.id, s.index, s.value
      from (select 1 as id, 'x,y' as tags union all select 2, null union all select 3, 'z') t,
      lateral split_to_table(t.tags, ',') s order by t.id, s.index`,
    expectedRows: [{ id: 1, INDEX: '1', VALUE: 'x' }, { id: 1, INDEX: '2', VALUE: 'y' }, { id: 3, INDEX: '1', VALUE: 'z' }],
    rule: 'correlated: input columns repeat per part; a NULL string gives no row',
  },
];

describe('functions real projects use give Snowflake results', () => {
  it.each(CASES.map((c) => [`${c.name}: ${c.rule}`, c] as const))('%s', async (_label, c) => {
    const { rows, types, sql } = await db.runSnowflake(c.snowflake);
    const context = `${c.rule}\n  translated: ${sql}`;
    if (c.expectedRows) expect(rows, context).toEqual(c.expectedRows);
    else expect(rows[0]?.['v'], context).toEqual(c.expected);
    if (typeof c.expectedType === 'string') expect(types[0], context).toBe(c.expectedType);
  });
});

describe('forms that cannot be reproduced are refused by name, at their line', () => {
  it.each([
    ['NOT ILIKE ANY', "select x\nfrom t\nwhere x not ilike any ('a%')", 'ILIKE ANY', 3],
    ['LIKE ANY over a subquery', 'select x from t where x like any (select p from ps)', 'LIKE ANY', 1],
    ['IDENTIFIER of a session variable', 'select *\nfrom identifier($table_name)', 'IDENTIFIER', 2],
    ['OBJECT_AGG as a window function', 'select g,\n  object_agg(k, v) over (partition by g) as o\nfrom t', 'OBJECT_AGG', 2],
    ['SEQ of a correlated SPLIT_TO_TABLE', 'select s.seq from t, lateral split_to_table(t.x, \',\') s', 'SPLIT_TO_TABLE', 1],
    ['TO_TIMESTAMP with a scale past 9', 'select to_timestamp(x, 12) from t', 'TO_TIMESTAMP', 1],
  ])('%s', (_label, sql, construct, line) => {
    expect(translateSnowflakeToDuckDB(sql).unsupported).toEqual([
      expect.objectContaining({ construct, position: expect.objectContaining({ line }) }),
    ]);
  });
});

describe('a DuckDB VARIANT (from ::variant) is refused at run time rather than expanded wrongly', () => {
  it.each([
    ['FLATTEN', 'select f.value from table(flatten(input => array_construct(1, 2)::variant)) f'],
    ['OBJECT_AGG', "select object_agg(k, v) as o from (select 'a' as k, 1::variant as v)"],
  ])('%s', async (_label, sql) => {
    await expect(db.runSnowflake(sql)).rejects.toThrow(/DuckDB VARIANT/);
  });

  it('a duplicate key in OBJECT_AGG is an error, as in Snowflake', async () => {
    await expect(db.runSnowflake("select object_agg(k, v) as o from (select 'a' as k, 1 as v union all select 'a', 2)"))
      .rejects.toThrow(/Duplicate field key/);
  });
});

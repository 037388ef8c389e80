// FLATTEN, run on DuckDB through charter's translation, against the results Snowflake's documentation gives
// (docs.snowflake.com sql-reference/functions/flatten). JSON values compare as minified JSON text.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translateSnowflakeToDuckDB } from '../../src/adapters/duckdb/translate-snowflake.js';
import { ParityDb, type ParityCase } from './duckdb-parity-harness.js';

let db: ParityDb;
beforeAll(async () => {
  db = await ParityDb.open();
});
afterAll(() => db.close());

const DOC = `parse_json('{"a":1, "b":[77,88], "c": {"d":"X"}}')`;
const WHOLE = '{"a":1,"b":[77,88],"c":{"d":"X"}}';
const EVENTS = `(select 1 as id, parse_json('{"items":[{"sku":"A1","qty":2},{"sku":"B2","qty":1}]}') as payload
  union all select 2, parse_json('{"items":[]}')
  union all select 3, parse_json('{"other":1}')
  union all select 4, parse_json('{"items":[{"sku":"A1","qty":2},{"sku":"B2","qty":1}]}'))`;

const CASES: ParityCase[] = [
  {
    name: 'FLATTEN', rule: 'an object: one row per member, KEY and PATH the member name, INDEX NULL, THIS the object',
    snowflake: `select seq, key, path, index, value, this from table(flatten(input => ${DOC})) f order by path`,
    expectedRows: [
      { SEQ: 1, KEY: 'a', PATH: 'a', INDEX: null, VALUE: '1', THIS: WHOLE },
      { SEQ: 1, KEY: 'b', PATH: 'b', INDEX: null, VALUE: '[77,88]', THIS: WHOLE },
      { SEQ: 1, KEY: 'c', PATH: 'c', INDEX: null, VALUE: '{"d":"X"}', THIS: WHOLE },
    ],
  },
  {
    name: 'FLATTEN', rule: 'PATH => b: array elements with 0-based INDEX, NULL KEY, PATH b[i], THIS the array',
    snowflake: `select * from table(flatten(input => ${DOC}, path => 'b')) f order by index`,
    expectedRows: [
      { SEQ: 1, KEY: null, PATH: 'b[0]', INDEX: '0', VALUE: '77', THIS: '[77,88]' },
      { SEQ: 1, KEY: null, PATH: 'b[1]', INDEX: '1', VALUE: '88', THIS: '[77,88]' },
    ],
  },
  {
    name: 'FLATTEN', rule: 'RECURSIVE => TRUE lists every descendant; THIS is the compound being flattened at that level',
    snowflake: `select key, path, index, value, this from table(flatten(input => ${DOC}, recursive => true)) f order by path`,
    expectedRows: [
      { KEY: 'a', PATH: 'a', INDEX: null, VALUE: '1', THIS: WHOLE },
      { KEY: 'b', PATH: 'b', INDEX: null, VALUE: '[77,88]', THIS: WHOLE },
      { KEY: null, PATH: 'b[0]', INDEX: '0', VALUE: '77', THIS: '[77,88]' },
      { KEY: null, PATH: 'b[1]', INDEX: '1', VALUE: '88', THIS: '[77,88]' },
      { KEY: 'c', PATH: 'c', INDEX: null, VALUE: '{"d":"X"}', THIS: WHOLE },
      { KEY: 'd', PATH: 'c.d', INDEX: null, VALUE: '"X"', THIS: '{"d":"X"}' },
    ],
  },
  {
    name: 'FLATTEN', rule: 'an empty array gives no row',
    snowflake: `select * from table(flatten(input => parse_json('[]'))) f`, expectedRows: [],
  },
  {
    name: 'FLATTEN', rule: "OUTER => TRUE on an empty array: one row, SEQ 1, KEY NULL, PATH '', INDEX NULL, VALUE NULL, THIS []",
    snowflake: `select * from table(flatten(input => parse_json('[]'), outer => true)) f`,
    expectedRows: [{ SEQ: 1, KEY: null, PATH: '', INDEX: null, VALUE: null, THIS: '[]' }],
  },
  {
    name: 'FLATTEN', rule: 'a scalar input has nothing to expand: no row',
    snowflake: `select * from table(flatten(input => parse_json('5'))) f`, expectedRows: [],
  },
  {
    name: 'FLATTEN', rule: "MODE => 'ARRAY' does not expand an object",
    snowflake: `select * from table(flatten(input => ${DOC}, mode => 'array')) f`, expectedRows: [],
  },
  {
    name: 'FLATTEN', rule: "MODE => 'OBJECT' expands an object",
    snowflake: `select key from table(flatten(input => ${DOC}, mode => 'object')) f order by key`,
    expectedRows: [{ KEY: 'a' }, { KEY: 'b' }, { KEY: 'c' }],
  },
  {
    name: 'FLATTEN', rule: 'an ARRAY (not a VARIANT) input flattens the same way',
    snowflake: 'select f.index, f.value::int as v from table(flatten(input => array_construct(10, 20, 30))) f order by f.index',
    expectedRows: [{ INDEX: '0', v: 10 }, { INDEX: '1', v: 20 }, { INDEX: '2', v: 30 }],
  },
  {
    name: 'LATERAL FLATTEN', rule: 'a correlated cross join: input columns repeat per element; rows with nothing to expand drop out',
    snowflake: `select e.id, f.index, f.value:sku::string as sku, f.value:qty::int as qty
      from ${EVENTS} e, lateral flatten(input => e.payload:items) f order by e.id, f.index`,
    expectedRows: [
      { id: 1, INDEX: '0', sku: 'A1', qty: 2 }, { id: 1, INDEX: '1', sku: 'B2', qty: 1 },
      { id: 4, INDEX: '0', sku: 'A1', qty: 2 }, { id: 4, INDEX: '1', sku: 'B2', qty: 1 },
    ],
  },
  {
    name: 'LATERAL FLATTEN', rule: 'OUTER => TRUE keeps an input row with an empty array or a missing path, with NULL columns',
    snowflake: `select e.id, f.index, f.value:sku::string as sku
      from ${EVENTS} e, lateral flatten(input => e.payload:items, outer => true) f order by e.id, f.index`,
    expectedRows: [
      { id: 1, INDEX: '0', sku: 'A1' }, { id: 1, INDEX: '1', sku: 'B2' }, { id: 2, INDEX: null, sku: null },
      { id: 3, INDEX: null, sku: null }, { id: 4, INDEX: '0', sku: 'A1' }, { id: 4, INDEX: '1', sku: 'B2' },
    ],
  },
  {
    name: 'LATERAL FLATTEN', rule: 'a chained FLATTEN over the VALUE of another',
    snowflake: `select o.id, g.value::string as tag
      from (select 1 as id, parse_json('{"lines":[{"tags":["x","y"]},{"tags":["z"]}]}') as v) o,
      lateral flatten(input => o.v:lines) l, lateral flatten(input => l.value:tags) g order by tag`,
    expectedRows: [{ id: 1, tag: 'x' }, { id: 1, tag: 'y' }, { id: 1, tag: 'z' }],
  },
  {
    name: 'LATERAL FLATTEN', rule: 'KEY of object members in a correlated FLATTEN',
    snowflake: `select t.id, f.key, f.value::int as v
      from (select 7 as id, parse_json('{"x":1,"y":2}') as attrs) t, lateral flatten(input => t.attrs) f order by f.key`,
    expectedRows: [{ id: 7, KEY: 'x', v: 1 }, { id: 7, KEY: 'y', v: 2 }],
  },
  {
    name: 'FLATTEN VALUE', rule: 'VALUE::string is the string without JSON quotes; a JSON null is NULL',
    snowflake: `select f.value::string as s from table(flatten(input => parse_json('["a", null, 3]'))) f order by f.index`,
    expectedRows: [{ s: 'a' }, { s: null }, { s: '3' }],
  },
  {
    name: 'FLATTEN VALUE', rule: 'VALUE::varchar(5) also drops the JSON quotes',
    snowflake: `select f.value::varchar(5) as s, cast(f.value as string) as t from table(flatten(input => parse_json('["ab"]'))) f`,
    expectedRows: [{ s: 'ab', t: 'ab' }],
  },
  {
    name: 'FLATTEN VALUE', rule: 'VALUE::int rounds a variant 12.5 to 13, like a path cast',
    snowflake: `select f.value::int as n from table(flatten(input => parse_json('[12.5]'))) f`, expectedRows: [{ n: 13 }],
  },
  {
    name: 'FLATTEN VALUE', rule: 'aggregating flattened values',
    snowflake: `select sum(f.value:qty::int) as total from ${EVENTS} e, lateral flatten(input => e.payload:items) f`,
    expectedRows: [{ total: '6' }],
  },
];

describe('FLATTEN gives Snowflake results', () => {
  it.each(CASES.map((c) => [`${c.name}: ${c.rule}`, c] as const))('%s', async (_label, c) => {
    const { rows, sql } = await db.runSnowflake(c.snowflake);
    expect(rows, `${c.rule}\n  translated: ${sql}`).toEqual(c.expectedRows);
  });

  it('a document with a key that is not a plain identifier makes PATH an error, not a guess', async () => {
    await expect(db.runSnowflake(`select path from table(flatten(input => parse_json('{"a b": 1}'))) f`))
      .rejects.toThrow(/FLATTEN PATH/);
    const { rows } = await db.runSnowflake(`select key, value::int as v from table(flatten(input => parse_json('{"a b": 1}'))) f`);
    expect(rows).toEqual([{ KEY: 'a b', v: 1 }]);
  });
});

describe('FLATTEN arguments that cannot be reproduced are refused by name, at their line', () => {
  it.each([
    ['positional arguments', 'select f.value\nfrom t,\n  lateral flatten(t.v) f', 3, /named arguments/],
    ['SEQ of a correlated input', 'select f.seq, f.value\nfrom t,\n  lateral flatten(input => t.v) f', 3, /SEQ/],
    ['* over a correlated input', 'select *\nfrom t, lateral flatten(input => t.v) f', 2, /SEQ/],
    ['a computed PATH', "select f.value from t, lateral flatten(input => t.v, path => t.p) f", 1, /PATH/],
    ['MODE with RECURSIVE', "select f.value from t,\nlateral flatten(input => t.v, recursive => true, mode => 'array') f", 2, /MODE/],
    ['a non-literal OUTER', 'select f.value from t, lateral flatten(input => t.v, outer => t.o) f', 1, /OUTER/],
  ])('%s', (_label, sql, line, reason) => {
    const issues = translateSnowflakeToDuckDB(sql).unsupported;
    expect(issues).toEqual([expect.objectContaining({ construct: 'FLATTEN', position: expect.objectContaining({ line }) })]);
    expect(issues[0]?.reason).toMatch(reason);
  });

  it('SEQ of a constant input is 1, as Snowflake numbers its one input row', () => {
    expect(translateSnowflakeToDuckDB("select seq from table(flatten(input => parse_json('[1]'))) f").unsupported).toEqual([]);
  });
});

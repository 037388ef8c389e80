// VALUES as a table source and `$n` positional columns, run on DuckDB through charter's translation and compared
// with Snowflake's documented results (docs.snowflake.com sql-reference/constructs/values).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translateSnowflakeToDuckDB } from '../../src/adapters/duckdb/translate-snowflake.js';
import { ParityDb, type ParityCase } from './duckdb-parity-harness.js';

let db: ParityDb;
beforeAll(async () => {
  db = await ParityDb.open();
});
afterAll(() => db.close());

const CASES: ParityCase[] = [
  {
    name: 'VALUES', rule: 'FROM VALUES without an alias: columns COLUMN1, COLUMN2 (SELECT * headers upper case)',
    snowflake: "select * from values (1, 'one'), (2, 'two') order by column1",
    expectedRows: [{ COLUMN1: 1, COLUMN2: 'one' }, { COLUMN1: 2, COLUMN2: 'two' }],
  },
  {
    name: 'VALUES', rule: 'FROM (VALUES ...) with an alias: alias.column1',
    snowflake: "select v.column2 as name from (values (1, 'one'), (2, 'two')) v where v.column1 = 2",
    expectedRows: [{ name: 'two' }],
  },
  {
    name: 'VALUES', rule: 'FROM VALUES ... AS alias without a column list',
    snowflake: "select t.column1 + 1 as n from values (41) as t", expectedRows: [{ n: 42 }],
  },
  {
    name: 'VALUES', rule: 'an explicit column list names the columns',
    snowflake: "select b from (values (1, 'x')) as t(a, b)", expectedRows: [{ b: 'x' }],
  },
  {
    name: 'VALUES $n', rule: '$1, $2 read the columns by position; a bare $n item is named $n',
    snowflake: "select $1, $2 from values (1, 'one'), (2, 'two') order by $1",
    expectedRows: [{ $1: 1, $2: 'one' }, { $1: 2, $2: 'two' }],
  },
  {
    name: 'VALUES $n', rule: 'alias.$2, and $n in WHERE and with an alias',
    snowflake: "select t.$2 as s from (values (1, 'a'), (2, 'b')) t where $1 > 1", expectedRows: [{ s: 'b' }],
  },
  {
    name: 'VALUES $n', rule: '$n inside calls and expressions',
    snowflake: "select upper($2) || '-' || ($1 + 1) as s from values (1, 'a')", expectedRows: [{ s: 'A-2' }],
  },
  {
    name: 'VALUES $n', rule: '$n follows an explicit column list by position',
    snowflake: "select $2 as s from (values (1, 'x')) as t(a, b)", expectedRows: [{ s: 'x' }],
  },
  {
    name: 'VALUES $n', rule: 'VALUES in a CTE, divided like Snowflake NUMBERs',
    snowflake: 'with v as (select $1 as a, $2 as b from values (1, 4), (3, 4)) select a / b as r from v order by r',
    expectedRows: [{ r: '0.250000' }, { r: '0.750000' }],
  },
  {
    name: 'VALUES', rule: 'VALUES joined to another source',
    snowflake: "select s.id, m.column2 as label from (select 2 as id) s join (values (1, 'one'), (2, 'two')) m on m.column1 = s.id",
    expectedRows: [{ id: 2, label: 'two' }],
  },
];

describe('VALUES gives Snowflake results', () => {
  it.each(CASES.map((c) => [`${c.name}: ${c.rule}`, c] as const))('%s', async (_label, c) => {
    const { rows, sql } = await db.runSnowflake(c.snowflake);
    expect(rows, `${c.rule}\n  translated: ${sql}`).toEqual(c.expectedRows);
  });
});

describe('$n over a source whose columns are not known by position is refused', () => {
  it.each([
    ['a table', 'select a.x,\n  $1\nfrom t a', '$1', 2],
    ['a join with VALUES', 'select $1 from t, values (1)', '$1', 1],
    ['a position past the VALUES width', 'select $3 from values (1, 2)', '$3', 1],
  ])('%s', (_label, sql, construct, line) => {
    expect(translateSnowflakeToDuckDB(sql).unsupported).toEqual([
      expect.objectContaining({ construct, position: expect.objectContaining({ line }) }),
    ]);
  });

  it('$n in a string or a $$ string is not a column', () => {
    const t = translateSnowflakeToDuckDB("select '$1' as a, $$ $2 $$ as b from t");
    expect(t.unsupported).toEqual([]);
  });
});

describe('notes', () => {
  it('a VALUES that already names its columns, with no $n, needs no rewrite', () => {
    expect(translateSnowflakeToDuckDB('select x from (values (1), (2)) t(x)').notes).toEqual([]);
    expect(translateSnowflakeToDuckDB('select $1 from values (1)').notes.map((n) => n.construct)).toEqual(['VALUES']);
  });
});

import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { compareColumns, renderColumnMismatches, typesMatch } from '../../src/validate/check-contracts.js';

describe('type equivalence on Snowflake', () => {
  it.each([
    ['NUMBER(18,2)', 'NUMBER(18,2)'],
    ['DECIMAL(18,2)', 'NUMBER(18,2)'],
    ['NUMBER', 'NUMBER(38,0)'],
    ['INTEGER', 'NUMBER(38,0)'],
    ['BIGINT', 'NUMBER(38,0)'],
    ['VARCHAR', 'VARCHAR(16777216)'],
    ['STRING', 'TEXT'],
    ['VARCHAR(20)', 'VARCHAR(20)'],
    ['TIMESTAMP', 'TIMESTAMP_NTZ(9)'],
    ['TIMESTAMP_TZ', 'TIMESTAMP_TZ(9)'],
    ['FLOAT', 'DOUBLE'],
    ['boolean', 'BOOLEAN'],
    ['DATE', 'DATE'],
  ])('%s is %s', (declared, actual) => {
    expect(typesMatch(declared, actual, 'snowflake')).toBe(true);
  });

  it.each([
    ['NUMBER(18,2)', 'NUMBER(38,0)'],
    ['NUMBER(10,0)', 'NUMBER(38,0)'],
    ['VARCHAR(20)', 'VARCHAR(30)'],
    ['TIMESTAMP_TZ', 'TIMESTAMP_LTZ(9)'],
    ['TIMESTAMP_NTZ', 'TIMESTAMP_TZ(9)'],
    ['DATE', 'TIMESTAMP_NTZ(9)'],
    ['NUMBER', 'FLOAT'],
    ['VARIANT', 'OBJECT'],
  ])('%s is not %s', (declared, actual) => {
    expect(typesMatch(declared, actual, 'snowflake')).toBe(false);
  });
});

describe('type equivalence on DuckDB', () => {
  it.each([
    ['NUMBER(18,2)', 'DECIMAL(18,2)'],
    ['NUMBER', 'DECIMAL(38,0)'],
    ['NUMBER(38,0)', 'BIGINT'],
    ['NUMBER', 'INTEGER'],
    ['INTEGER', 'HUGEINT'],
    ['VARCHAR(20)', 'VARCHAR'],
    ['TEXT', 'VARCHAR'],
    ['TIMESTAMP_NTZ', 'TIMESTAMP'],
    ['TIMESTAMP_TZ', 'TIMESTAMP WITH TIME ZONE'],
    ['TIMESTAMP_LTZ', 'TIMESTAMPTZ'],
    ['FLOAT', 'DOUBLE'],
    ['BINARY', 'BLOB'],
    ['VARIANT', 'JSON'],
    ['OBJECT', 'STRUCT(a INTEGER, b STRUCT(c VARCHAR))'],
    ['ARRAY', 'INTEGER[]'],
  ])('%s is %s', (declared, actual) => {
    expect(typesMatch(declared, actual, 'duckdb')).toBe(true);
  });

  it.each([
    ['NUMBER(18,2)', 'DECIMAL(18,3)'],
    ['NUMBER(18,2)', 'BIGINT'],
    ['NUMBER', 'DOUBLE'],
    ['VARCHAR', 'INTEGER'],
    ['TIMESTAMP_NTZ', 'TIMESTAMP WITH TIME ZONE'],
    ['DATE', 'TIMESTAMP'],
    ['ARRAY', 'STRUCT(a INTEGER)'],
  ])('%s is not %s', (declared, actual) => {
    expect(typesMatch(declared, actual, 'duckdb')).toBe(false);
  });

  it('agrees with the types DuckDB reports for a built relation', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const con = await instance.connect();
    await con.run(`create table built as select
      cast(1 as integer) as order_id, count(*) over () as n, cast(12.5 as decimal(18,2)) as total_usd,
      'a' as status, current_date as order_date, cast('2024-01-01' as timestamp) as updated_at,
      cast('2024-01-01' as timestamptz) as seen_at, 1.5::double as score, true as paid`);
    const actual = (await con.runAndReadAll('describe built')).getRowObjectsJson().map((r) => ({ name: String(r['column_name']), type: String(r['column_type']) }));
    const declared = [
      { name: 'ORDER_ID', data_type: 'NUMBER' },
      { name: 'n', data_type: 'NUMBER(38,0)' },
      { name: 'total_usd', data_type: 'NUMBER(18,2)' },
      { name: 'status', data_type: 'VARCHAR(10)' },
      { name: 'order_date', data_type: 'DATE' },
      { name: 'updated_at', data_type: 'TIMESTAMP_NTZ' },
      { name: 'seen_at', data_type: 'TIMESTAMP_LTZ' },
      { name: 'score', data_type: 'FLOAT' },
      { name: 'paid', data_type: 'BOOLEAN' },
    ];
    expect(compareColumns(declared, actual, 'duckdb')).toEqual([]);
    instance.closeSync();
  });
});

describe('column mismatches', () => {
  const declared = [
    { name: 'order_id', data_type: 'NUMBER(38,0)' },
    { name: 'total_usd', data_type: 'NUMBER(18,2)' },
    { name: 'region', data_type: 'VARCHAR' },
    { name: 'note' },
  ];
  const actual = [
    { name: 'ORDER_ID', type: 'VARCHAR(16777216)' },
    { name: 'TOTAL_USD', type: 'NUMBER(18,2)' },
    { name: 'NOTE', type: 'VARIANT' },
    { name: 'LOADED_AT', type: 'TIMESTAMP_NTZ(9)' },
  ];

  it('finds wrong types, missing and extra columns, ignoring name case; an untyped column matches any type', () => {
    expect(compareColumns(declared, actual, 'snowflake')).toEqual([
      { kind: 'type', column: 'order_id', expected: 'NUMBER(38,0)', actual: 'VARCHAR(16777216)' },
      { kind: 'missing', column: 'region', expected: 'VARCHAR' },
      { kind: 'extra', column: 'LOADED_AT', actual: 'TIMESTAMP_NTZ(9)' },
    ]);
  });

  it('renders them as an expected-versus-actual table', () => {
    expect(renderColumnMismatches(compareColumns(declared, actual, 'snowflake'))).toBe(
      [
        'column     expected        actual             problem',
        'order_id   NUMBER(38,0)    VARCHAR(16777216)  type differs',
        'region     VARCHAR         (missing)          not in the built relation',
        'LOADED_AT  (not declared)  TIMESTAMP_NTZ(9)   not in the contract',
      ].join('\n'),
    );
  });
});

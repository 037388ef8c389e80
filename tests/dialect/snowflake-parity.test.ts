// Each case runs the translated Snowflake SQL on DuckDB (shims installed) and checks the documented Snowflake
// result. Values are in getRowObjectsJson() form: DECIMAL/BIGINT/HUGEINT as strings, INTEGER/DOUBLE as numbers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ParityDb, type ParityCase } from './duckdb-parity-harness.js';

let db: ParityDb;
beforeAll(async () => {
  db = await ParityDb.open();
});
afterAll(() => db.close());

async function check(c: ParityCase): Promise<void> {
  const { rows, types, sql } = await db.runSnowflake(c.snowflake);
  const context = `${c.rule}\n  translated: ${sql}`;
  if (c.expectedRows) expect(rows, context).toEqual(c.expectedRows);
  else expect(rows[0]?.['v'], context).toEqual(c.expected);
  if (typeof c.expectedType === 'string') expect(types[0], context).toBe(c.expectedType);
  else if (c.expectedType) expect(types[0], context).toMatch(c.expectedType);
}

function table(title: string, cases: ParityCase[]): void {
  describe(title, () => {
    it.each(cases.map((c) => [`${c.name}: ${c.snowflake}`, c] as const))('%s', async (_label, c) => check(c));
  });
}

table('conditional functions', [
  { name: 'IFF', snowflake: "select iff(1 > 0, 'y', 'n') as v", expected: 'y', rule: 'IFF(cond, a, b) = a when cond is true' },
  { name: 'IFF', snowflake: "select iff(null, 'y', 'n') as v", expected: 'n', rule: 'a NULL condition takes the ELSE branch' },
  { name: 'NVL', snowflake: 'select nvl(null, 5) as v', expected: 5, rule: 'NVL returns the second argument for NULL' },
  { name: 'NVL2', snowflake: "select nvl2(null, 'a', 'b') as v", expected: 'b', rule: 'NVL2(x, a, b) = b when x is NULL' },
  { name: 'NVL2', snowflake: "select nvl2(1, 'a', 'b') as v", expected: 'a', rule: 'NVL2(x, a, b) = a when x is not NULL' },
  { name: 'ZEROIFNULL', snowflake: 'select zeroifnull(null) as v', expected: 0, rule: 'ZEROIFNULL(NULL) = 0' },
  { name: 'COALESCE', snowflake: 'select coalesce(null, null, 3) as v', expected: 3, rule: 'first non-NULL argument' },
  { name: 'DIV0', snowflake: 'select div0(10, 0) as v', expected: '0.000000', rule: 'DIV0 returns 0 (of the quotient type) for a zero divisor' },
  {
    name: 'DIV0', snowflake: 'select div0(1, 3) as v', expected: '0.333333', expectedType: /^DECIMAL\(\d+,6\)$/,
    rule: 'DIV0 otherwise divides like /: NUMBER(38,0) / NUMBER(38,0) has scale 6',
  },
  {
    name: 'DECODE', snowflake: "select decode(x, 1, 'one', null, 'none', 'other') as v from (select null as x)",
    expected: 'none', rule: 'DECODE, unlike CASE, matches a NULL expression with a NULL search value',
  },
  {
    name: 'DECODE', snowflake: "select decode(x, y, 'match', 'no match') as v from (select null as x, null as y)",
    expected: 'match', rule: 'DECODE matches NULL with NULL also when the search value is a column',
  },
  { name: 'DECODE', snowflake: "select decode(2, 1, 'one', 2, 'two') as v", expected: 'two', rule: 'DECODE picks the matching pair' },
  { name: 'DECODE', snowflake: "select decode(3, 1, 'one') as v", expected: null, rule: 'DECODE without default returns NULL' },
  { name: 'EQUAL_NULL', snowflake: 'select equal_null(null, null) as v', expected: true, rule: 'EQUAL_NULL treats NULLs as equal' },
  { name: 'EQUAL_NULL', snowflake: 'select equal_null(1, null) as v', expected: false, rule: 'EQUAL_NULL(1, NULL) is false, not NULL' },
  { name: 'GREATEST', snowflake: 'select greatest(1, null, 3) as v', expected: null, rule: 'GREATEST returns NULL if any argument is NULL' },
  { name: 'GREATEST', snowflake: 'select greatest(1, 7, 3) as v', expected: 7, rule: 'GREATEST of non-NULL values' },
  { name: 'LEAST', snowflake: 'select least(2, null) as v', expected: null, rule: 'LEAST returns NULL if any argument is NULL' },
  { name: 'LEAST', snowflake: 'select least(2, 1) as v', expected: 1, rule: 'LEAST of non-NULL values' },
]);

table('division and numbers', [
  { name: '/', snowflake: 'select 7 / 2 as v', expected: '3.500000', expectedType: /^DECIMAL\(\d+,6\)$/, rule: 'integer / integer is NUMBER with scale 6' },
  { name: '/', snowflake: 'select 1 / 3 as v', expected: '0.333333', rule: 'scale max(s1, min(s1 + 6, 12)) = 6 for integers' },
  { name: '/', snowflake: 'select 2 / 3 as v', expected: '0.666667', rule: 'division rounds (half away from zero) to the scale' },
  { name: '/', snowflake: 'select -2 / 3 as v', expected: '-0.666667', rule: 'rounding is symmetric for negatives' },
  { name: '/', snowflake: 'select 1 / 100000000 as v', expected: '0.000000', rule: '1/100000000 is 0.000000 at scale 6' },
  { name: '/', snowflake: 'select 1.0 / 3 as v', expected: '0.3333333', rule: 'NUMBER(2,1) dividend: scale 1 + 6 = 7' },
  { name: '/', snowflake: 'select 10.5 / 4 as v', expected: '2.6250000', rule: 'exact quotients keep their value, at scale 7' },
  { name: '/', snowflake: 'select 1::float / 3 as v', expected: 1 / 3, rule: 'FLOAT division is not rounded' },
  { name: '/', snowflake: 'select 2 * 3 / 4 as v', expected: '1.500000', rule: '* and / are left-associative: (2 * 3) / 4' },
  {
    name: '/', snowflake: 'select 1 / 4 / 2 as v', expected: '0.125000000000',
    rule: '(1 / 4) / 2: 0.250000 (scale 6) / 2 has scale min(6 + 6, 12) = 12',
  },
  { name: '/', snowflake: 'select 1 / 7 / 3 as v', expected: '0.047619000000', rule: '1/7 = 0.142857 (scale 6, rounded) then / 3 at scale 12' },
  {
    name: '/', snowflake: 'select sum(x) / count(*) as v from (values (1), (2)) t(x)', expected: '1.500000',
    rule: 'aggregate integer division (HUGEINT sums) is exact at scale 6',
  },
  { name: '/', snowflake: 'select null / 0 as v', expected: null, rule: 'NULL / 0 is NULL' },
  {
    name: '/', snowflake: 'select sum(x) / 3 as v from (values (121.00::number(18,2)), (0.50)) t(x)', expected: '40.50000000',
    expectedType: 'DECIMAL(38,8)', rule: 'NUMBER(38,2) / NUMBER has scale 2 + 6 = 8 (an aggregate dividend)',
  },
  {
    name: '/', snowflake: 'select 121::number(18,2) / 7 as v', expected: '17.28571429', rule: 'scale 8, rounded half away from zero',
  },
  {
    name: '/', snowflake: 'select 1 / 2 / 3 / 4 / 5 / 6 as v', expected: '0.001388888889',
    rule: 'each step rounds; scales grow by 6 up to 12 (0.5, 0.166666666667, ...)',
  },
  {
    name: '/', snowflake: 'select 1 / 2 / 3 / 4 / 5 / 6 / 7 / 8 / 9 as v', expected: '0.000002755732',
    rule: 'a long chain stays at scale 12 (and binds in linear time: each operand is bound once)',
  },
  {
    name: '/', snowflake: 'select g from (values (1), (1), (2)) t(g) group by g having count(*) / 2 >= 1 order by g',
    expectedRows: [{ g: 1 }], rule: 'division of aggregates inside HAVING',
  },
  { name: '/', snowflake: 'select 1 / 2000000 as v', expected: '0.000001', rule: 'an exact half (0.0000005) rounds away from zero' },
  {
    name: '/', snowflake: 'select 10000000000000 / 3 as v', expected: '3333333333333.333333',
    rule: 'large integers are divided exactly (no DOUBLE rounding)',
  },
  { name: 'ROUND', snowflake: 'select round(2.5) as v', expected: '3', rule: 'ROUND is half away from zero' },
  { name: 'ROUND', snowflake: 'select round(-2.5) as v', expected: '-3', rule: 'ROUND is half away from zero (negative)' },
  { name: 'ROUND', snowflake: 'select round(1.005, 2) as v', expected: '1.01', rule: 'exact decimal rounding of NUMBER' },
  { name: 'ROUND', snowflake: 'select round(2.5::float) as v', expected: 3, rule: 'FLOAT 2.5 rounds away from zero' },
  { name: 'TRUNC', snowflake: 'select trunc(12.345, 1) as v', expected: '12.3', rule: 'TRUNC(number, scale) truncates' },
  { name: 'TRUNC', snowflake: 'select trunc(-12.345, 2) as v', expected: '-12.34', rule: 'TRUNC truncates toward zero' },
  { name: 'MOD', snowflake: 'select mod(-7, 3) as v', expected: -1, rule: 'MOD has the sign of the dividend' },
  { name: 'MOD', snowflake: 'select mod(7.5, 2) as v', expected: '1.5', rule: 'MOD of a decimal' },
  { name: 'FLOOR', snowflake: 'select floor(-1.5) as v', expected: '-2', rule: 'FLOOR rounds down' },
  { name: 'CEIL', snowflake: 'select ceil(1.2) as v', expected: '2', rule: 'CEIL rounds up' },
  { name: 'ABS', snowflake: 'select abs(-3) as v', expected: 3, rule: 'absolute value' },
  { name: 'POWER', snowflake: 'select power(2, 10) as v', expected: 1024, rule: 'POWER returns FLOAT' },
  { name: 'SQRT', snowflake: 'select sqrt(16) as v', expected: 4, rule: 'square root' },
  { name: 'LN', snowflake: 'select ln(1) as v', expected: 0, rule: 'natural logarithm' },
  {
    name: 'NUMBER(p,s)', snowflake: "select '12.345'::number(18,2) as v", expected: '12.35', expectedType: 'DECIMAL(18,2)',
    rule: 'casting to NUMBER(18,2) rounds half away from zero and keeps precision/scale',
  },
  { name: 'NUMBER', snowflake: "select '12'::number as v", expected: '12', expectedType: 'DECIMAL(38,0)', rule: 'NUMBER is NUMBER(38,0)' },
  { name: '::', snowflake: "select '42'::int as v", expected: 42, rule: ':: casts' },
  {
    name: 'TO_NUMBER', snowflake: "select to_number('12.5') as v", expected: '13', expectedType: 'DECIMAL(38,0)',
    rule: 'TO_NUMBER defaults to NUMBER(38,0) and rounds',
  },
  {
    name: 'TO_NUMBER', snowflake: "select to_number('12.345', 10, 2) as v", expected: '12.35', expectedType: 'DECIMAL(10,2)',
    rule: 'TO_NUMBER(x, p, s)',
  },
  { name: 'TO_DECIMAL', snowflake: "select to_decimal('1.005', 18, 2) as v", expected: '1.01', rule: 'TO_DECIMAL is TO_NUMBER' },
  { name: 'TRY_TO_NUMBER', snowflake: "select try_to_number('12x') as v", expected: null, rule: 'TRY_TO_NUMBER returns NULL on error' },
  { name: 'TRY_TO_NUMBER', snowflake: "select try_to_number('7.55', 10, 1) as v", expected: '7.6', rule: 'TRY_TO_NUMBER(x, p, s)' },
]);

table('dates and times', [
  {
    name: 'DATEADD', snowflake: "select dateadd(day, 30, '2024-01-15'::date) as v", expected: '2024-02-14', expectedType: 'DATE',
    rule: 'DATEADD on a DATE with a day-or-larger part returns a DATE',
  },
  {
    name: 'DATEADD', snowflake: "select dateadd(month, 1, '2024-01-31'::date) as v", expected: '2024-02-29', expectedType: 'DATE',
    rule: 'adding months clamps to the last day of the resulting month',
  },
  {
    name: 'DATEADD', snowflake: "select dateadd(mm, -1, '2024-03-31'::date) as v", expected: '2024-02-29',
    rule: "'mm' is month in Snowflake (DuckDB reads 'm' as minute)",
  },
  {
    name: 'DATEADD', snowflake: "select dateadd(hour, 3, '2024-01-01'::date) as v", expected: '2024-01-01 03:00:00',
    expectedType: 'TIMESTAMP', rule: 'DATEADD with an hour part treats a DATE as midnight and returns a TIMESTAMP',
  },
  {
    name: 'DATEADD', snowflake: "select dateadd(minute, 90, '2024-01-01 10:00:00'::timestamp_ntz) as v",
    expected: '2024-01-01 11:30:00', expectedType: 'TIMESTAMP', rule: 'DATEADD on a timestamp',
  },
  {
    name: 'TIMESTAMPADD', snowflake: "select timestampadd(year, 1, '2024-02-29'::date) as v", expected: '2025-02-28',
    rule: 'TIMESTAMPADD is DATEADD; Feb 29 + 1 year = Feb 28',
  },
  {
    name: 'DATEDIFF', snowflake: "select datediff(hour, '2024-01-01 10:59:00'::timestamp, '2024-01-01 11:01:00'::timestamp) as v",
    expected: '1', rule: 'DATEDIFF counts hour boundaries crossed on timestamps',
  },
  {
    name: 'DATEDIFF', snowflake: "select datediff(minute, '2024-01-01 10:00:59'::timestamp, '2024-01-01 10:01:00'::timestamp) as v",
    expected: '1', rule: 'DATEDIFF counts minute boundaries',
  },
  {
    name: 'DATEDIFF', snowflake: "select datediff(day, '2024-01-01 23:59:00'::timestamp, '2024-01-02 00:01:00'::timestamp) as v",
    expected: '1', rule: 'DATEDIFF(day) counts midnights crossed',
  },
  {
    name: 'DATEDIFF', snowflake: "select datediff(week, '2024-01-06'::date, '2024-01-08'::date) as v", expected: '1',
    rule: 'DATEDIFF(week) counts week starts: Saturday to Monday is 1',
  },
  {
    name: 'DATEDIFF', snowflake: "select datediff(month, '2024-01-31'::date, '2024-02-01'::date) as v", expected: '1',
    rule: 'DATEDIFF(month) counts month boundaries',
  },
  {
    name: 'DATEDIFF', snowflake: "select datediff(year, '2024-01-01', '2023-12-31') as v", expected: '-1',
    rule: 'DATEDIFF accepts string literals and can be negative',
  },
  {
    name: 'DATE_TRUNC', snowflake: "select date_trunc(month, '2024-05-17'::date) as v", expected: '2024-05-01', expectedType: 'DATE',
    rule: 'DATE_TRUNC returns the input type: DATE for a DATE',
  },
  {
    name: 'DATE_TRUNC', snowflake: "select date_trunc('week', '2024-05-17'::date) as v", expected: '2024-05-13',
    rule: 'weeks start on Monday by default',
  },
  {
    name: 'DATE_TRUNC', snowflake: "select date_trunc('hour', '2024-05-17 10:11:12'::timestamp) as v", expected: '2024-05-17 10:00:00',
    expectedType: 'TIMESTAMP', rule: 'DATE_TRUNC on a timestamp',
  },
  {
    name: 'TRUNC(date)', snowflake: "select trunc('2024-05-17'::date, 'quarter') as v", expected: '2024-04-01', expectedType: 'DATE',
    rule: 'TRUNC(date, part) is DATE_TRUNC',
  },
  { name: 'LAST_DAY', snowflake: "select last_day('2024-02-10'::date) as v", expected: '2024-02-29', expectedType: 'DATE', rule: 'last day of the month' },
  { name: 'LAST_DAY', snowflake: "select last_day('2024-02-10'::date, 'year') as v", expected: '2024-12-31', rule: 'LAST_DAY(d, year)' },
  { name: 'LAST_DAY', snowflake: "select last_day('2024-02-10'::date, quarter) as v", expected: '2024-03-31', rule: 'LAST_DAY(d, quarter)' },
  { name: 'LAST_DAY', snowflake: "select last_day('2024-02-07'::date, 'week') as v", expected: '2024-02-11', rule: 'LAST_DAY(d, week) is Sunday' },
  {
    name: 'ADD_MONTHS', snowflake: "select add_months('2023-02-28'::date, 1) as v", expected: '2023-03-31', expectedType: 'DATE',
    rule: 'ADD_MONTHS: the last day of a month maps to the last day of the resulting month',
  },
  { name: 'ADD_MONTHS', snowflake: "select add_months('2024-01-31'::date, 1) as v", expected: '2024-02-29', rule: 'ADD_MONTHS clamps' },
  { name: 'ADD_MONTHS', snowflake: "select add_months('2024-01-15'::date, -1) as v", expected: '2023-12-15', rule: 'ADD_MONTHS backwards' },
  {
    name: 'ADD_MONTHS', snowflake: "select add_months('2024-02-29 10:30:00'::timestamp, 1) as v", expected: '2024-03-31 10:30:00',
    expectedType: 'TIMESTAMP', rule: 'ADD_MONTHS on a timestamp keeps the time and the month end',
  },
  { name: 'DATE_FROM_PARTS', snowflake: 'select date_from_parts(2024, 1, 31) as v', expected: '2024-01-31', rule: 'builds a DATE' },
  { name: 'DATE_FROM_PARTS', snowflake: 'select date_from_parts(2024, 13, 1) as v', expected: '2025-01-01', rule: 'month 13 overflows into the next year' },
  { name: 'DATE_FROM_PARTS', snowflake: 'select date_from_parts(2024, 3, 0) as v', expected: '2024-02-29', rule: 'day 0 is the last day of the previous month' },
  { name: 'YEAR', snowflake: "select year('2024-05-19'::date) as v", expected: '2024', rule: 'YEAR()' },
  { name: 'MONTH', snowflake: "select month('2024-05-19'::date) as v", expected: '5', rule: 'MONTH()' },
  { name: 'QUARTER', snowflake: "select quarter('2024-05-19'::date) as v", expected: '2', rule: 'QUARTER()' },
  { name: 'DAYOFWEEK', snowflake: "select dayofweek('2024-05-19'::date) as v", expected: '0', rule: 'DAYOFWEEK: Sunday = 0 (WEEK_START 0)' },
  { name: 'DAYOFWEEKISO', snowflake: "select dayofweekiso('2024-05-19'::date) as v", expected: '7', rule: 'DAYOFWEEKISO: Sunday = 7' },
  { name: 'DATE_PART', snowflake: "select date_part(mm, '2024-05-19'::date) as v", expected: '5', rule: "DATE_PART(mm) is the month" },
  { name: 'EXTRACT', snowflake: "select extract(dow from '2024-05-20'::date) as v", expected: '1', rule: 'EXTRACT(dow): Monday = 1' },
  { name: 'TO_DATE', snowflake: "select to_date('2024-03-15') as v", expected: '2024-03-15', expectedType: 'DATE', rule: 'TO_DATE(string)' },
  { name: 'TO_DATE', snowflake: "select to_date('15/03/2024', 'DD/MM/YYYY') as v", expected: '2024-03-15', expectedType: 'DATE', rule: 'TO_DATE with a format' },
  { name: 'TO_DATE', snowflake: "select to_date('Mar 05, 2024', 'MON DD, YYYY') as v", expected: '2024-03-05', rule: 'MON parses a month abbreviation' },
  { name: 'TRY_TO_DATE', snowflake: "select try_to_date('garbage') as v", expected: null, rule: 'TRY_TO_DATE returns NULL on error' },
  { name: 'TRY_TO_DATE', snowflake: "select try_to_date('2024-13-45', 'YYYY-MM-DD') as v", expected: null, rule: 'TRY_TO_DATE with a format returns NULL on error' },
  { name: 'TRY_TO_DATE', snowflake: "select try_to_date('2024.03.15', 'YYYY.MM.DD') as v", expected: '2024-03-15', rule: 'TRY_TO_DATE with a format' },
  {
    name: 'TO_TIMESTAMP', snowflake: "select to_timestamp('2024-03-15 10:11:12', 'YYYY-MM-DD HH24:MI:SS') as v",
    expected: '2024-03-15 10:11:12', expectedType: 'TIMESTAMP', rule: 'TO_TIMESTAMP with a format is TIMESTAMP_NTZ',
  },
  {
    name: 'TIMESTAMP_NTZ', snowflake: "select '2024-01-05 10:11:12'::timestamp_ntz as v", expected: '2024-01-05 10:11:12',
    expectedType: 'TIMESTAMP', rule: 'TIMESTAMP_NTZ is a timestamp without time zone',
  },
  { name: 'CURRENT_DATE', snowflake: 'select current_date() as v', expectedType: 'DATE', expected: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), rule: 'CURRENT_DATE is a DATE' },
  { name: 'TO_CHAR', snowflake: "select to_char('2024-03-05'::date, 'YYYY-MM') as v", expected: '2024-03', rule: 'YYYY-MM format elements' },
  {
    name: 'TO_CHAR', snowflake: "select to_char('2024-03-05 14:07:09'::timestamp, 'DD/MM/YY HH24:MI:SS') as v",
    expected: '05/03/24 14:07:09', rule: 'DD, MM, YY, HH24, MI, SS elements',
  },
  {
    name: 'TO_CHAR', snowflake: "select to_char('2024-03-05 14:07:09'::timestamp, 'MON DD, YYYY HH12 AM') as v",
    expected: 'Mar 05, 2024 02 PM', rule: 'MON, HH12 and AM elements',
  },
  {
    name: 'TO_CHAR', snowflake: "select to_char('2024-03-05'::date, 'DY MMMM') as v", expected: 'Tue March',
    rule: 'DY is the abbreviated weekday, MMMM the full month name',
  },
  {
    name: 'TO_CHAR', snowflake: `select to_char('2024-03-05 14:07:09.123456'::timestamp, 'YYYY-MM-DD"T"HH24:MI:SS.FF3') as v`,
    expected: '2024-03-05T14:07:09.123', rule: 'quoted literal text and FF3 (milliseconds)',
  },
  {
    name: 'TO_VARCHAR', snowflake: "select to_varchar('2024-03-05 14:07:09.123456'::timestamp) as v", expected: '2024-03-05 14:07:09.123',
    rule: "default TIMESTAMP_NTZ output format 'YYYY-MM-DD HH24:MI:SS.FF3'",
  },
  { name: 'TO_VARCHAR', snowflake: "select to_varchar(12.50::number(10,2)) as v", expected: '12.50', rule: 'numbers keep their scale' },
  {
    name: '::string', snowflake: "select '2024-01-05 10:00:00'::timestamp::string as v", expected: '2024-01-05 10:00:00.000',
    rule: "a TIMESTAMP_NTZ cast to text uses TIMESTAMP_NTZ_OUTPUT_FORMAT 'YYYY-MM-DD HH24:MI:SS.FF3'",
  },
  { name: '::string', snowflake: "select cast('2024-01-05'::date as varchar) as v", expected: '2024-01-05', rule: "DATE_OUTPUT_FORMAT 'YYYY-MM-DD'" },
  {
    name: 'DATEADD', snowflake: "select dateadd(day, 1, max(d)) as v from (values ('2024-01-31'::date)) t(d)", expected: '2024-02-01',
    expectedType: 'DATE', rule: 'DATEADD of an aggregate DATE is still a DATE',
  },
  {
    name: 'DATE_TRUNC', snowflake: "select date_trunc(month, min(d)) as v from (values ('2024-01-31'::date)) t(d)", expected: '2024-01-01',
    expectedType: 'DATE', rule: 'DATE_TRUNC of an aggregate DATE is still a DATE',
  },
  {
    name: 'ADD_MONTHS', snowflake: "select add_months(max(d), 1) as v from (values ('2024-04-30'::date)) t(d)", expected: '2024-05-31',
    expectedType: 'DATE', rule: 'ADD_MONTHS of an aggregate keeps month ends and the DATE type',
  },
  {
    name: 'TO_VARCHAR', snowflake: "select to_varchar(max(ts)) as v from (values ('2024-01-05 10:00:00'::timestamp)) t(ts)",
    expected: '2024-01-05 10:00:00.000', rule: 'default output format also for an aggregate argument',
  },
]);

table('strings', [
  { name: 'CONCAT', snowflake: "select concat('a', null, 'b') as v", expected: null, rule: 'CONCAT returns NULL if any argument is NULL' },
  { name: 'CONCAT', snowflake: "select concat('x', 1, 'y') as v", expected: 'x1y', rule: 'CONCAT converts arguments to text' },
  { name: '||', snowflake: "select 'a' || null as v", expected: null, rule: '|| returns NULL if any operand is NULL' },
  { name: '||', snowflake: "select 'a' || 'b' || 'c' as v", expected: 'abc', rule: '|| concatenates' },
  {
    name: 'CONCAT', snowflake: "select concat('t=', '2024-01-05 10:00:00'::timestamp) as v", expected: 't=2024-01-05 10:00:00.000',
    rule: 'timestamps convert with the default output format (FF3)',
  },
  { name: 'CONCAT', snowflake: "select concat(max(s), '!') as v from (values ('a'), ('b')) t(s)", expected: 'b!', rule: 'CONCAT of an aggregate' },
  { name: 'CONCAT_WS', snowflake: "select concat_ws(',', 'a', null) as v", expected: null, rule: 'CONCAT_WS does not skip NULLs: result NULL' },
  { name: 'CONCAT_WS', snowflake: "select concat_ws('-', 'a', 'b', 'c') as v", expected: 'a-b-c', rule: 'separator between values only' },
  { name: 'REGEXP_REPLACE', snowflake: "select regexp_replace('aaa', 'a', 'b') as v", expected: 'bbb', rule: 'REGEXP_REPLACE replaces every match by default' },
  { name: 'REGEXP_REPLACE', snowflake: "select regexp_replace('a1b22', '[0-9]') as v", expected: 'ab', rule: 'the default replacement is empty' },
  { name: 'REGEXP_REPLACE', snowflake: "select regexp_replace('aaa', 'a', 'b', 1, 1) as v", expected: 'baa', rule: 'occurrence 1 replaces the first match only' },
  { name: 'REGEXP_SUBSTR', snowflake: "select regexp_substr('abc123def', '[0-9]+') as v", expected: '123', rule: 'first match' },
  { name: 'REGEXP_SUBSTR', snowflake: "select regexp_substr('abc', '[0-9]+') as v", expected: null, rule: 'REGEXP_SUBSTR returns NULL when there is no match' },
  { name: 'RLIKE', snowflake: "select 'abc' rlike 'b' as v", expected: false, rule: 'RLIKE matches the whole string' },
  { name: 'RLIKE', snowflake: "select 'abc' rlike 'a.c' as v", expected: true, rule: 'RLIKE whole-string match' },
  { name: 'REGEXP_LIKE', snowflake: "select regexp_like('abc', 'b') as v", expected: false, rule: 'REGEXP_LIKE matches the whole string' },
  { name: 'REGEXP_LIKE', snowflake: "select regexp_like('ABC', 'a.c', 'i') as v", expected: true, rule: "parameter 'i' is case-insensitive" },
  { name: 'ILIKE', snowflake: "select 'ABC' ilike 'a%' as v", expected: true, rule: 'ILIKE is case-insensitive' },
  { name: 'SPLIT_PART', snowflake: "select split_part('a,b,c', ',', 0) as v", expected: 'a', rule: 'SPLIT_PART position 0 is treated as 1' },
  { name: 'SPLIT_PART', snowflake: "select split_part('a,b,c', ',', -1) as v", expected: 'c', rule: 'negative positions count from the end' },
  { name: 'SPLIT_PART', snowflake: "select split_part('a,b,c', ',', 5) as v", expected: '', rule: 'out of range is an empty string' },
  { name: 'CHARINDEX', snowflake: "select charindex('b', 'abcb') as v", expected: '2', rule: '1-based position' },
  { name: 'CHARINDEX', snowflake: "select charindex('b', 'abcb', 3) as v", expected: '4', rule: 'search from a start position' },
  { name: 'CHARINDEX', snowflake: "select charindex('z', 'abc') as v", expected: '0', rule: '0 when not found' },
  { name: 'STARTSWITH', snowflake: "select startswith('abc', 'ab') as v", expected: true, rule: 'prefix test' },
  { name: 'CONTAINS', snowflake: "select contains('abc', 'bc') as v", expected: true, rule: 'substring test' },
  { name: 'TRIM', snowflake: "select trim('  a  ') as v", expected: 'a', rule: 'TRIM removes spaces' },
  { name: 'TRIM', snowflake: "select trim('--a--', '-') as v", expected: 'a', rule: 'TRIM with characters' },
  { name: 'LTRIM', snowflake: "select ltrim('xxa', 'x') as v", expected: 'a', rule: 'LTRIM with characters' },
  { name: 'RTRIM', snowflake: "select rtrim('a  ') as v", expected: 'a', rule: 'RTRIM removes trailing spaces' },
  {
    name: 'INITCAP', snowflake: "select initcap('hello wORLD-foo o''neil') as v", expected: "Hello World-Foo O'neil",
    rule: "INITCAP lower-cases the rest; '-' is a delimiter, the apostrophe is not",
  },
  { name: 'INITCAP', snowflake: "select initcap('a_b c', '_') as v", expected: 'A_B c', rule: 'INITCAP with explicit delimiters' },
  { name: 'INITCAP', snowflake: "select initcap('a\\\\b[c') as v", expected: 'A\\B[C', rule: 'backslash and [ are default delimiters' },
  { name: 'LPAD', snowflake: "select lpad('7', 3, '0') as v", expected: '007', rule: 'left padding' },
  { name: 'LPAD', snowflake: "select lpad('abcd', 2, '0') as v", expected: 'ab', rule: 'LPAD truncates to the length' },
  { name: 'MD5', snowflake: "select md5('abc') as v", expected: '900150983cd24fb0d6963f7d28e17f72', rule: 'lower-case hex MD5' },
  {
    name: 'SHA2', snowflake: "select sha2('abc') as v", expected: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    rule: 'SHA2 defaults to SHA-256, lower-case hex',
  },
  {
    name: 'SHA2', snowflake: "select sha2('abc', 256) as v", expected: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    rule: 'SHA2(x, 256)',
  },
  { name: 'UUID_STRING', snowflake: 'select length(uuid_string()) as v', expected: '36', rule: 'UUID_STRING() is a 36-character string' },
]);

table('aggregates and windows', [
  {
    name: 'BOOLAND_AGG/BOOLOR_AGG', snowflake: 'select booland_agg(b) as a, boolor_agg(b) as o from (values (true), (false)) t(b)',
    expectedRows: [{ a: false, o: true }], rule: 'logical AND / OR over the group',
  },
  { name: 'COUNT_IF', snowflake: 'select count_if(x > 1) as v from (values (1), (2), (3)) t(x)', expected: '2', rule: 'counts true rows' },
  { name: 'MEDIAN', snowflake: 'select median(x) as v from (values (1), (2), (3), (10)) t(x)', expected: 2.5, rule: 'MEDIAN interpolates' },
  {
    name: 'PERCENTILE_CONT', snowflake: 'select percentile_cont(0.25) within group (order by x) as v from (values (1), (2), (3), (4)) t(x)',
    expected: 1.75, rule: 'continuous percentile',
  },
  {
    name: 'LISTAGG', snowflake: "select listagg(x, ',') within group (order by x) as v from (values ('b'), ('a'), ('c')) t(x)",
    expected: 'a,b,c', rule: 'LISTAGG ... WITHIN GROUP orders the values',
  },
  {
    name: 'LISTAGG', snowflake: "select listagg(x) within group (order by x desc) as v from (values ('b'), ('a'), ('c')) t(x)",
    expected: 'cba', rule: "LISTAGG's default delimiter is the empty string",
  },
  {
    name: 'RATIO_TO_REPORT', snowflake: 'select x, ratio_to_report(x) over () as v from (values (1), (3)) t(x) order by x',
    expectedRows: [{ x: 1, v: '0.250000' }, { x: 3, v: '0.750000' }], rule: 'value / sum over the partition',
  },
  {
    name: 'RATIO_TO_REPORT', snowflake: 'select x, ratio_to_report(x) over (order by x) as v from (values (1), (3)) t(x) order by x',
    expectedRows: [{ x: 1, v: '0.250000' }, { x: 3, v: '0.750000' }], rule: 'ORDER BY in the window does not affect the result',
  },
  {
    name: 'RATIO_TO_REPORT', snowflake: 'select ratio_to_report(x) over () as v from (values (0), (0)) t(x)', expected: null,
    rule: 'RATIO_TO_REPORT is NULL when the sum is 0',
  },
  {
    name: 'LAG/LEAD', snowflake: 'select x, lag(x) over (order by x) as p, lead(x, 1, 0) over (order by x) as n from (values (1), (2)) t(x) order by x',
    expectedRows: [{ x: 1, p: null, n: 2 }, { x: 2, p: 1, n: 0 }], rule: 'LAG/LEAD with offset and default',
  },
  {
    name: 'window frame', snowflake: 'select x, sum(x) over (order by x rows between 1 preceding and current row) as s from (values (1), (2), (3)) t(x) order by x',
    expectedRows: [{ x: 1, s: '1' }, { x: 2, s: '3' }, { x: 3, s: '5' }], rule: 'ROWS BETWEEN frame',
  },
  {
    name: 'QUALIFY', snowflake: "select x from (values (1, 'a'), (2, 'a'), (3, 'b')) t(x, g) qualify row_number() over (partition by g order by x desc) = 1 order by x",
    expectedRows: [{ x: 2 }, { x: 3 }], rule: 'QUALIFY filters on a window function',
  },
  {
    name: 'ORDER BY DESC', snowflake: 'select x from (values (1), (null), (2)) t(x) order by x desc',
    expectedRows: [{ x: null }, { x: 2 }, { x: 1 }], rule: 'Snowflake sorts NULLs first for DESC',
  },
]);

table('semi-structured data', [
  {
    name: 'JSON path', snowflake: `select parse_json('{"a": {"b": "bob"}}'):a.b::string as v`, expected: 'bob',
    rule: 'v:a.b::string is the string value, without JSON quotes',
  },
  { name: 'JSON path', snowflake: `select parse_json('{"n": 12.5}'):n::int as v`, expected: 13, rule: 'variant 12.5 cast to INT rounds' },
  {
    name: 'JSON path', snowflake: `select parse_json('{"items": [{"sku": "A1"}, {"sku": "B2"}]}'):items[1].sku::string as v`,
    expected: 'B2', rule: 'array subscripts are 0-based',
  },
  { name: 'JSON path', snowflake: `select parse_json('{"d": "2024-01-05"}'):d::date as v`, expected: '2024-01-05', rule: 'variant string cast to DATE' },
  { name: 'JSON path', snowflake: `select parse_json('{"z": null}'):z::string as v`, expected: null, rule: 'JSON null cast to string is NULL' },
  { name: 'PARSE_JSON', snowflake: `select parse_json('{"x": 1}'):x::number as v`, expected: '1', rule: 'PARSE_JSON then path' },
  {
    name: 'OBJECT_CONSTRUCT', snowflake: "select object_construct('a', 1, 'b', null)::string as v", expected: '{"a":1}',
    rule: 'OBJECT_CONSTRUCT omits keys whose value is NULL',
  },
  { name: 'OBJECT_CONSTRUCT', snowflake: "select object_construct('a', 1, 'b', 'x'):b::string as v", expected: 'x', rule: 'path into a constructed object' },
  { name: 'ARRAY_CONTAINS', snowflake: 'select array_contains(2, array_construct(1, 2, 3)) as v', expected: true, rule: 'ARRAY_CONTAINS(value, array)' },
  { name: 'ARRAY_CONTAINS', snowflake: 'select array_contains(5, array_construct(1, 2, 3)) as v', expected: false, rule: 'value not in array' },
]);

describe('session roles', () => {
  it('CURRENT_ROLE and IS_ROLE_IN_SESSION read the connection variables', async () => {
    await db.connection.run("SET VARIABLE charter_role = 'ANALYST'");
    await db.connection.run("SET VARIABLE charter_roles = ['ANALYST', 'PUBLIC']");
    try {
      const { rows } = await db.runSnowflake(
        "select current_role() as r, is_role_in_session('public') as p, is_role_in_session('ADMIN') as a",
      );
      expect(rows).toEqual([{ r: 'ANALYST', p: true, a: false }]);
    } finally {
      await db.connection.run('RESET VARIABLE charter_role');
      await db.connection.run('RESET VARIABLE charter_roles');
    }
  });

  it('without a session role nothing is in session', async () => {
    const { rows } = await db.runSnowflake("select current_role() as r, is_role_in_session('ANALYST') as p");
    expect(rows).toEqual([{ r: null, p: false }]);
  });
});

describe('errors Snowflake raises', () => {
  it('division by zero is an error, not Infinity', async () => {
    await expect(db.runSnowflake('select 1 / 0 as v')).rejects.toThrow(/Division by zero/);
  });

  it('SHA2 with a digest size DuckDB lacks fails loudly', async () => {
    await expect(db.runSnowflake("select sha2('abc', 512) as v")).rejects.toThrow(/SHA2 digest size 512/);
  });
});

// The parity report's "runs as written" must mean the translated SQL binds on DuckDB: every call is checked against
// DuckDB's own catalog (duckdb_functions(), with charter's shims), and a function DuckDB lacks is reported with the
// model's file and line.
import { describe, expect, it } from 'vitest';
import { loadFunctionCatalog, unboundCalls } from '../../src/adapters/duckdb/function-catalog.js';
import { translateSnowflakeToDuckDB } from '../../src/adapters/duckdb/translate-snowflake.js';
import { charter, fixtureCopy } from '../helpers/project.js';

async function unbound(snowflakeSql: string): Promise<ReturnType<typeof unboundCalls>> {
  const t = translateSnowflakeToDuckDB(snowflakeSql);
  expect(t.unsupported).toEqual([]);
  return unboundCalls(t.sql, snowflakeSql, await loadFunctionCatalog());
}

describe('calls are checked against DuckDB\'s catalog', () => {
  it('flags a Snowflake function DuckDB lacks, at the line of the call', async () => {
    expect(await unbound('select id,\n  soundex(s) as sx, my_udf(s) as u\nfrom t')).toEqual([
      expect.objectContaining({ construct: 'SOUNDEX', line: 2, reason: expect.stringContaining('DuckDB has no function') }),
      expect.objectContaining({ construct: 'MY_UDF', line: 2 }),
    ]);
  });

  it('passes built-ins, shims, table macros, keywords, casts, aliases and CTE column lists', async () => {
    const sql = [
      "with v(a, b) as (select $1, $2 from values (1, 'x'))",
      'select iff(a > 0, 1, 2) as i, a / 2 as h, b::varchar(10) as s, cast(a as number(10, 2)) as n,',
      "  f.value::string as e, coalesce(a, 0) as c, count(*) over (partition by b) as w, a in (1, 2) as k",
      "from v, lateral flatten(input => parse_json('[1]')) f",
      'where exists (select 1) and b ilike any (\'x%\', \'y\')',
    ].join('\n');
    expect(await unbound(sql)).toEqual([]);
  });

  it('reads the catalog once per process', async () => {
    expect(await loadFunctionCatalog()).toBe(await loadFunctionCatalog());
  });
});

describe('compile --parity', () => {
  it('reports a function DuckDB lacks as unsupported with file and line, and fails', async () => {
    const dir = fixtureCopy('shop', {
      'models/platinum/tokens.sql': "select 1 as id,\n  my_udf('a b') as parts",
      'models/platinum/flattened.sql': "select f.index, f.value::int as v\nfrom table(flatten(input => parse_json('[1, 2]'))) f",
    });
    const out = await charter(['compile', '--parity'], dir);
    expect(out.stdout).toMatch(/model\.shop\.tokens: runs as written; UNSUPPORTED: MY_UDF \(models\/platinum\/tokens\.sql:2\)/);
    expect(out.stdout).toMatch(/model\.shop\.flattened: rewrote .*FLATTEN/);
    expect(out.stdout).not.toMatch(/flattened:.*UNSUPPORTED/);
    expect(out.code).toBe(1);
  });
});

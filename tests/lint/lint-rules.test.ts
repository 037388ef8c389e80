// charter lint: each rule catches a violation planted in a copy of the shop fixture, at the exact file:line:col.
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { lintProject } from '../../src/pipeline/lint.js';
import { charter, fixtureCopy } from '../helpers/project.js';

const SOURCES = 'sources:\n  - name: legacy\n    schema: BRONZE\n    tables:\n      - name: customers\n        identifier: raw_customers\n';

async function lint(files: Record<string, string>): Promise<Diagnostic[]> {
  return (await lintProject({ projectDir: fixtureCopy('shop', files) })).diagnostics;
}
const where = (d: Diagnostic): string => `${d.location?.file}:${d.location?.line}:${d.location?.column}`;
const found = (ds: readonly Diagnostic[], code: string) => ds.filter((d) => d.code === code).map((d) => [where(d), d.severity, d.message]);

describe('lint rules on planted violations', () => {
  it('the shop fixture as it is: only its two PLATINUM models without a contract', async () => {
    const ds = await lint({});
    expect(ds.map((d) => [d.code, where(d)])).toEqual([
      ['lint.platinum_contract', 'models/platinum/order_facts.sql:1:1'],
      ['lint.platinum_contract', 'models/platinum/customer_revenue.sql:1:1'],
    ]);
    expect(ds[0]?.hint).toContain('contracts/order_facts.yml');
  });

  it('sql_parse: SQL that does not parse as Snowflake is an error at the place in the template', async () => {
    const ds = await lint({ 'models/silver/broken.sql': "-- planted\nselect\n    order_id,\n    (amount_usd + 1 as x\nfrom {{ ref('orders') }}\n" });
    expect(found(ds, 'lint.sql_parse')).toEqual([
      // The parser reads `1 as x` as an aliased expression and stops at the FROM the missing ) leaves inside the parentheses.
      ['models/silver/broken.sql:5:1', 'error', "broken does not parse as Snowflake SQL: Expected RParen, got From ('from') near [1 as x from shop.SILVER] at `from`"],
    ]);
  });

  it('sql_parse: a construct the parser does not know is "could not check" (info), never an error', async () => {
    const ds = await lint({ 'models/silver/some_columns.sql': "select * ilike '%_id' from {{ ref('orders') }}\n" });
    expect(found(ds, 'lint.sql_parse')).toEqual([]);
    expect(found(ds, 'lint.unchecked')).toEqual([
      ['models/silver/some_columns.sql:1:1', 'info', 'could not check that some_columns parses as Snowflake SQL: it uses SELECT * ILIKE, which the Snowflake parser does not know yet'],
      // ref_hardcoded's parser cannot read it either, and says so.
      ['models/silver/some_columns.sql:1:1', 'info', 'could not check whether some_columns names tables outside ref() and source(): the table parser cannot read its SQL'],
    ]);
    expect(ds.some((d) => d.severity === 'error' && d.location?.file === 'models/silver/some_columns.sql')).toBe(false);
  });

  it('ref_hardcoded: a model naming a physical table warns where the name is written', async () => {
    const ds = await lint({
      'models/silver/sneaky.sql': "select o.order_id\nfrom {{ ref('orders') }} o\njoin SILVER.customers c on c.customer_id = o.customer_id\n",
    });
    expect(found(ds, 'ref.hardcoded')).toEqual([
      ['models/silver/sneaky.sql:3:13', 'warning', 'sneaky reads SILVER.customers by name, so the DAG does not know it depends on model.shop.customers'],
    ]);
  });

  it('select_star: * in the outermost select list of a PLATINUM model, not inside a CTE or count(*)', async () => {
    const ds = await lint({
      'models/platinum/star_mart.sql': "with o as (select * from {{ ref('orders') }})\nselect count(*) as n, 1 * 2 as two, o.*\nfrom o\ngroup by all\n",
      'models/platinum/union_mart.sql': "select order_id from {{ ref('orders') }}\nunion all\nselect distinct * from {{ ref('orders') }}\n",
      'models/silver/star_silver.sql': "select * from {{ ref('orders') }}\n",
    });
    expect(found(ds, 'lint.select_star')).toEqual([
      ['models/platinum/star_mart.sql:2:37', 'error', 'PLATINUM model star_mart selects * in its outermost select list'],
      ['models/platinum/union_mart.sql:3:17', 'error', 'PLATINUM model union_mart selects * in its outermost select list'],
    ]);
  });

  it('platinum_contract: a PLATINUM model without a contract is an error at its first line', async () => {
    const ds = await lint({});
    expect(found(ds, 'lint.platinum_contract')).toContainEqual(['models/platinum/order_facts.sql:1:1', 'error', 'PLATINUM model order_facts has no contract']);
  });

  it('layer_skip: a PLATINUM model reading BRONZE is an error only when project.yml forbids skipping', async () => {
    const skipping = { 'models/platinum/skip.sql': "select order_id\nfrom {{ ref('orders_landed') }}\n" };
    expect(found(await lint(skipping), 'lint.layer_skip')).toEqual([]);
    const project = (await import('node:fs')).readFileSync(new URL('../fixtures/shop/project.yml', import.meta.url), 'utf8');
    const ds = await lint({ ...skipping, 'project.yml': `${project}lint: {layers: {no_skip: true}}\n` });
    expect(found(ds, 'lint.layer_skip')).toEqual([
      ['models/platinum/skip.sql:2:9', 'error', 'platinum model skip refs bronze model orders_landed, skipping the silver layer'],
    ]);
  });

  it('unused_macro: a macro nothing calls warns at its definition; dispatched macros count as called', async () => {
    const ds = await lint({ 'macros/unused.sql': '-- planted\n{% macro never_called(x) %}{{ x }}{% endmacro %}\n' });
    expect(found(ds, 'lint.unused_macro')).toEqual([['macros/unused.sql:2:1', 'warning', 'macro never_called is called by no model, macro or test']]);
  });

  it('unused_source: a declared source nothing reads warns at its declaration', async () => {
    const ds = await lint({ 'models/sources.yml': `${SOURCES}      - name: leads\n        identifier: raw_leads\n` });
    expect(found(ds, 'lint.unused_source')).toEqual([
      ['models/sources.yml:7:15', 'warning', 'source legacy.leads is declared but no model or test reads it with source()'],
    ]);
  });
});

describe('sql_parse is sure before it reports an error', () => {
  it('a parse failure without a position, or one another parser reads, is "could not check"', async () => {
    const { loadProject } = await import('../../src/load/load-project.js');
    const { compileProject } = await import('../../src/render/compile-project.js');
    const { runLint } = await import('../../src/validate/lint/run-lint.js');
    const { sqlParse } = await import('../../src/validate/lint/sql-parse.js');
    const loaded = await loadProject({ projectDir: fixtureCopy('shop') });
    const context = { loaded, project: compileProject(loaded), contractTests: [], governed: new Set<string>() };
    const failing = { ok: false as const, message: 'Parse error at line 1, column 1: Unexpected token', line: 1, column: 1, start: 0, end: 6 };
    const severities = (parse: typeof failing | { ok: false; message: string }, elsewhere: boolean) =>
      [...new Set(runLint({ ...context, parseSnowflake: () => parse, parsesElsewhere: () => elsewhere }, [sqlParse]).map((d) => `${d.code} ${d.severity}`))];
    expect(severities({ ok: false, message: 'no position' }, false)).toEqual(['lint.unchecked info']);
    expect(severities(failing, true)).toEqual(['lint.unchecked info']);
    expect(severities(failing, false)).toEqual(['lint.sql_parse error']);
  });
});

describe('lint configuration', () => {
  it('a rule id project.yml names that no rule has is a warning, not silence', async () => {
    const project = (await import('node:fs')).readFileSync(new URL('../fixtures/shop/project.yml', import.meta.url), 'utf8');
    const ds = await lint({ 'project.yml': `${project}lint: {rules: {select_stars: 'off'}}\n` });
    expect(found(ds, 'project.invalid')).toEqual([['project.yml:1:1', 'warning', 'project.yml lint.rules names `select_stars`, which is no lint rule']]);
  });


  it('project.yml turns a rule off or changes its severity', async () => {
    const project = (await import('node:fs')).readFileSync(new URL('../fixtures/shop/project.yml', import.meta.url), 'utf8');
    const ds = await lint({
      'project.yml': `${project}lint: {rules: {platinum_contract: 'off', unused_macro: error}}\n`,
      'macros/unused.sql': '{% macro never_called(x) %}{{ x }}{% endmacro %}\n',
    });
    expect(found(ds, 'lint.platinum_contract')).toEqual([]);
    expect(found(ds, 'lint.unused_macro').map((f) => f[1])).toEqual(['error']);
  });

  it('charter lint exits 1 on an error and 0 when only warnings remain', async () => {
    const project = (await import('node:fs')).readFileSync(new URL('../fixtures/shop/project.yml', import.meta.url), 'utf8');
    const failing = await charter(['lint'], fixtureCopy('shop'));
    expect(failing.code).toBe(1);
    expect(failing.stdout).toContain('models/platinum/order_facts.sql:1:1 error[lint.platinum_contract]');
    const passing = await charter(['lint'], fixtureCopy('shop', { 'project.yml': `${project}lint: {rules: {platinum_contract: warn}}\n` }));
    expect(passing.code).toBe(0);
    expect(passing.stdout).toMatch(/lint: passed, 0 errors, 2 warnings/);
  });
});

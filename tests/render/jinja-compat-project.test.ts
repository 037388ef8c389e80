// dbt Jinja in a whole project: project.yml's env_vars.allow, this/target from the real relations, no secret anywhere.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../src/load/load-project.js';
import { compileProject } from '../../src/render/compile-project.js';
import { RenderCache } from '../../src/render/render-cache.js';
import { UserError } from '../../src/diagnostics/diagnostic.js';
import type { ModelNode } from '../../src/project/nodes.js';
import { charter, fixtureCopy } from '../helpers/project.js';
import { buildDir, queryWarehouse, statusOf } from '../helpers/warehouse.js';

const SECRET = 'sekrit-env-var-project-test';
const MODEL = 'models/silver/compat.sql';

function withEnvVars(allow: string[], files: Record<string, string>): string {
  const dir = fixtureCopy('shop', files);
  const project = readFileSync(path.join(dir, 'project.yml'), 'utf8');
  return fixtureCopy('shop', { ...files, 'project.yml': `${project}\nenv_vars:\n  allow: [${allow.join(', ')}]\n` });
}

const model = (nodes: ReadonlyMap<string, unknown>, name: string): ModelNode => nodes.get(`model.shop.${name}`) as ModelNode;

describe('a project using dbt Jinja', () => {
  it('compiles env_var, this, target and execute against the real relations', async () => {
    const dir = withEnvVars(['DBT_ENV_NAME'], {
      [MODEL]: [
        "{{ config(alias='compat_alias') }}",
        "{% if execute %}select '{{ env_var('DBT_ENV_NAME') }}' as env, '{{ this.schema }}.{{ this.name }}' as me,",
        "  '{{ target.database }}/{{ target.schema }}/{{ target.type }}' as t{% endif %}",
      ].join('\n'),
    });
    const loaded = await loadProject({ projectDir: dir, target: 'prod' });
    const compiled = compileProject(loaded, new RenderCache(), { DBT_ENV_NAME: 'ci', SNOWFLAKE_PASSWORD: SECRET });
    expect(model(compiled.nodes, 'compat').compiledSql).toBe("select 'ci' as env, 'SILVER.COMPAT_ALIAS' as me,\n  'SHOP/SILVER/snowflake' as t");
  });

  it('refuses a secret-looking name in env_vars.allow, at project.yml, and never reads it', async () => {
    const dir = withEnvVars(['DBT_ENV_NAME', 'SNOWFLAKE_PASSWORD'], { [MODEL]: "select '{{ env_var('SNOWFLAKE_PASSWORD') }}' as x" });
    const loaded = await loadProject({ projectDir: dir });
    let errors: unknown[] = [];
    try {
      compileProject(loaded, new RenderCache(), { SNOWFLAKE_PASSWORD: SECRET });
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      errors = [...e.diagnostics];
    }
    expect(errors).toContainEqual(expect.objectContaining({ code: 'env_var.refused', location: expect.objectContaining({ file: 'project.yml' }) }));
    expect(errors).toContainEqual(expect.objectContaining({ code: 'env_var.refused', location: expect.objectContaining({ file: MODEL, line: 1 }) }));
    expect(JSON.stringify(errors)).not.toContain(SECRET);
  });

  it('renders a model that reads the clock again on the next compile, and caches the others', async () => {
    const dir = fixtureCopy('shop', { [MODEL]: "select '{{ run_started_at }}' as started" });
    const loaded = await loadProject({ projectDir: dir });
    const cache = new RenderCache();
    compileProject(loaded, cache, {}, new Date(Date.UTC(2026, 0, 1)));
    const saved = cache.entriesToSave() ?? new Map();
    const second = compileProject(loaded, new RenderCache(saved), {}, new Date(Date.UTC(2026, 0, 2)));
    expect(model(second.nodes, 'compat').compiledSql).toBe("select '2026-01-02 00:00:00.000000+00:00' as started");
  });

  it("log() reaches `charter compile`'s notes as template.log, at the model's file", async () => {
    const dir = fixtureCopy('shop', { [MODEL]: "{% do log('compat says hi', info=true) %}select 1 as x" });
    const result = await charter(['compile'], dir);
    expect(result.code).toBe(0);
    const output = `${result.stdout}${result.stderr}`;
    expect(output).toContain('template.log');
    expect(output).toContain('compat says hi');
    expect(output).toContain(MODEL);
  });

  it('the shipped dbt_utils macros build on the local target, with the values dbt gives', async () => {
    const dir = fixtureCopy('shop', {
      [MODEL]: [
        "{% set ns = namespace(cols=[]) %}{% for c in ['order_id', 'customer_id'] %}{% do ns.cols.append(c) %}{% endfor %}",
        'select',
        '  {{ dbt_utils.star(ref(\'orders\'), except=[\'is_paid\', \'amount_usd\']) }},',
        "  {{ dbt_utils.generate_surrogate_key(ns.cols) }} as order_key,",
        "  {{ dbt_utils.generate_surrogate_key(['order_id', 'null']) }} as null_key,",
        "  {{ dbt.dateadd('month', 1, 'order_date') }} as next_month,",
        "  {{ dbt.datediff(\"'2024-11-01'::date\", 'order_date', 'day') }} as days_in",
        "from {{ ref('orders') }}",
        'where order_id = 1',
      ].join('\n'),
      'models/silver/compat_pivot.sql': "select {{ dbt_utils.pivot('status', ['paid', 'refunded']) }} from {{ ref('orders_landed') }}",
    });
    expect(Object.values(statusOf(await buildDir(dir))).every((s) => s === 'success')).toBe(true);
    const [row] = await queryWarehouse(dir, 'select * from "shop"."SILVER"."compat"');
    const md5 = (text: string): string => createHash('md5').update(text).digest('hex');
    expect(row).toEqual({
      // star() quotes names as the engine stores them: as written on DuckDB, upper-case on Snowflake.
      order_id: '1',
      customer_id: 'c1',
      order_date: '2024-11-02',
      order_key: md5('1-c1'),
      null_key: md5('1-_dbt_utils_surrogate_key_null_'),
      next_month: expect.stringMatching(/^2024-12-02/),
      days_in: '1',
    });
    const [pivot] = await queryWarehouse(dir, 'select * from "shop"."SILVER"."compat_pivot"');
    expect(Object.keys(pivot ?? {})).toEqual(['paid', 'refunded']);
  });

  it('charter format formats a model that uses this, target and dbt_utils.star', async () => {
    const dir = fixtureCopy('shop', { [MODEL]: "select {{ dbt_utils.star(ref('orders')) }}, '{{ this.name }}' as n, '{{ target.schema }}' as s from {{ ref('orders') }}" });
    const result = await charter(['format'], dir);
    expect(`${result.stdout}${result.stderr}`).not.toContain('format.unsafe');
    expect(result.code).toBe(0);
    expect(readFileSync(path.join(dir, MODEL), 'utf8')).toContain("dbt_utils.star(ref('orders'))");
  });
});

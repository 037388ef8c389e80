// dbt's context on charter: target, this, adapter.quote, run_started_at, modules.datetime, log, env_var.
import { describe, expect, it } from 'vitest';
import type { Relation } from '../../src/project/relation.js';
import { allowedEnvironment } from '../../src/render/env-vars.js';
import { environment, modelFile, render, renderErrors } from './jinja-compat-helpers.js';

const relationOf = (model: { name: string }, config: Readonly<Record<string, unknown>>): Relation => ({
  database: 'ANALYTICS',
  schema: typeof config['schema'] === 'string' ? config['schema'].toUpperCase() : 'SILVER',
  identifier: (typeof config['alias'] === 'string' ? config['alias'] : model.name).toUpperCase(),
});
const context = { database: 'ANALYTICS', relationOf };
const START = new Date(Date.UTC(2026, 10, 29, 7, 5, 9, 123));

describe('target', () => {
  it('has name, type, database and schema (where the model lands without a config(schema=))', () => {
    expect(render("{{ config(schema='ops') }}select '{{ target.name }}', '{{ target.type }}', '{{ target.database }}', '{{ target.schema }}'", {}, context)).toBe(
      "select 'dev', 'snowflake', 'ANALYTICS', 'SILVER'",
    );
  });
});

describe('this', () => {
  it('still renders as the model relation, and its parts follow config() calls before them', () => {
    const sql = render("{{ config(alias='facts', schema='mart') }}select '{{ this.name }}', '{{ this.identifier }}', '{{ this.schema }}', '{{ this.database }}' from {{ this }}", {}, context);
    expect(sql).toBe("select 'FACTS', 'FACTS', 'MART', 'ANALYTICS' from \u0001this\u0002");
  });

  it('fails clearly where relations are not known', () => {
    const [e] = renderErrors("select '{{ this.schema }}'");
    expect(e?.message).toContain('this.schema is only known while a model renders');
  });
});

describe('adapter.quote', () => {
  it('double-quotes an identifier as Snowflake does, doubling quotes inside', () => {
    expect(render('select {{ adapter.quote("Order Id") }}, {{ adapter.quote(\'a"b\') }}')).toBe('select "Order Id", "a""b"');
  });
});

describe('run_started_at and modules.datetime', () => {
  it('print the run start in UTC, as Python prints an aware datetime', () => {
    const sql = render(
      "select '{{ run_started_at }}', '{{ run_started_at.isoformat() }}', '{{ run_started_at.strftime('%Y%m%d_%H%M%S') }}', {{ run_started_at.year }}",
      {},
      { runStartedAt: START },
    );
    expect(sql).toBe("select '2026-11-29 07:05:09.123000+00:00', '2026-11-29T07:05:09.123000+00:00', '20261129_070509', 2026");
  });

  it('modules.datetime: now(), date.today(), fromisoformat, strftime', () => {
    const sql = render(
      "select '{{ modules.datetime.datetime.now().strftime('%Y-%m-%d') }}', '{{ modules.datetime.date.today() }}', '{{ modules.datetime.datetime.fromisoformat('2024-02-29T10:00:00').strftime('%d %b %Y %H:%M') }}', '{{ modules.datetime.date.fromisoformat('2024-03-01').isoformat() }}'",
      {},
      { runStartedAt: START },
    );
    expect(sql).toBe("select '2026-11-29', '2026-11-29', '29 Feb 2024 10:00', '2024-03-01'");
  });

  it('mark the render volatile, so a later compile renders it again', () => {
    const env = environment({}, { runStartedAt: START });
    expect(env.render(modelFile("select '{{ run_started_at }}'")).capture.volatile).toBe(true);
    expect(env.render(modelFile("select '{{ modules.datetime.date.today() }}'")).capture.volatile).toBe(true);
    expect(env.render(modelFile('select 1')).capture.volatile).toBe(false);
  });
});

describe('log()', () => {
  it("goes to the environment's log with the model's file, and prints nothing", () => {
    const env = environment();
    const out = env.render(modelFile("{% do log('hello ' ~ 1, info=true) %}select 1{{ log('again') }}"));
    expect(out.sql).toBe('select 1');
    expect(env.logs).toEqual([
      { file: 'models/silver/m.sql', message: 'hello 1' },
      { file: 'models/silver/m.sql', message: 'again' },
    ]);
  });
});

describe('env_var()', () => {
  const environ = { DBT_ENV_NAME: 'ci', SNOWFLAKE_PASSWORD: 'hunter2-secret-value', MY_API_TOKEN: 'tok-secret-value', UNLISTED: 'x' };
  const allowed = allowedEnvironment(['DBT_ENV_NAME', 'DBT_MISSING', 'SNOWFLAKE_PASSWORD', 'MY_API_TOKEN'], environ);

  it('reads a variable project.yml allows, with a default for an unset one', () => {
    expect(render("select '{{ env_var('DBT_ENV_NAME') }}', '{{ env_var('DBT_MISSING', 'dflt') }}'", {}, { environment: allowed })).toBe("select 'ci', 'dflt'");
  });

  it('refuses a secret-looking name even when listed, and never reads its value', () => {
    expect(allowed.refused).toEqual(['SNOWFLAKE_PASSWORD', 'MY_API_TOKEN']);
    expect([...allowed.values.values()]).toEqual(['ci']);
    for (const name of ['SNOWFLAKE_PASSWORD', 'MY_API_TOKEN', 'DBT_ENV_SECRET_KEY', 'GIT_PRIVATE_KEY']) {
      const errors = renderErrors(`select 1 as a,\n  '{{ env_var('${name}', 'd') }}' as b`, {}, { environment: allowed });
      expect(errors[0]).toMatchObject({ code: 'env_var.refused', location: { line: 2, column: 7 } });
      expect(errors[0]?.message).toContain('looks like a secret');
      expect(JSON.stringify(errors)).not.toContain('secret-value');
    }
  });

  it('refuses a variable project.yml does not list, and an allowed one unset without default', () => {
    const [refused] = renderErrors("select '{{ env_var('UNLISTED') }}'", {}, { environment: allowed });
    expect(refused).toMatchObject({ code: 'env_var.refused' });
    expect(refused?.hint).toContain('env_vars: {allow: [UNLISTED]}');
    expect(JSON.stringify(refused)).not.toContain("'x'");
    const [missing] = renderErrors("select '{{ env_var('DBT_MISSING') }}'", {}, { environment: allowed });
    expect(missing).toMatchObject({ code: 'env_var.missing' });
  });
});

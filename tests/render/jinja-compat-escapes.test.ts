// The dbt compatibility globals reopen no route out of the sandbox: each payload through them is refused, runs nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allowedEnvironment } from '../../src/render/env-vars.js';
import { marked } from '../helpers/marker.js';
import { MODEL_PATH, render, renderErrors } from './jinja-compat-helpers.js';

const SECRET = 'sekrit-jinja-compat-escape';
const STEAL = '"globalThis.charterCompatPwned = 1; return process.env.SNOWFLAKE_PASSWORD"';

beforeAll(() => {
  process.env['SNOWFLAKE_PASSWORD'] = SECRET;
});
afterAll(() => {
  delete process.env['SNOWFLAKE_PASSWORD'];
});

const inputs = {
  runStartedAt: new Date(0),
  environment: allowedEnvironment(['DBT_ENV_NAME'], { DBT_ENV_NAME: 'ci' }),
  database: 'DB',
  relationOf: () => ({ database: 'DB', schema: 'S', identifier: 'M' }),
};

/** `text` with a « where the refusal must point: refused there, as template.forbidden, having run nothing. */
function refused(text: string, macros: Record<string, string> = {}): void {
  const src = marked(text);
  const errors = renderErrors(src.text, macros, inputs).sort(
    (a, b) => (a.location?.line ?? 0) - (b.location?.line ?? 0) || (a.location?.column ?? 0) - (b.location?.column ?? 0),
  );
  expect(errors.length).toBeGreaterThan(0);
  expect(errors[0]).toMatchObject({ code: 'template.forbidden', location: { file: MODEL_PATH, line: src.line, column: src.column } });
  expect(JSON.stringify(errors)).not.toContain(SECRET);
  expect((globalThis as Record<string, unknown>)['charterCompatPwned']).toBeUndefined();
}

describe('constructor through each new global', () => {
  it.each([
    ['namespace()', `select '{{ namespace().«constructor.constructor(${STEAL})() }}'`],
    ['namespace', `select '{{ namespace.«constructor(${STEAL})() }}'`],
    ['a namespace attribute', `{% set ns = namespace(f=range) %}select '{{ ns.f.«constructor(${STEAL})() }}'`],
    ['env_var', `select '{{ env_var.«constructor(${STEAL})() }}'`],
    ['env_var()', `select '{{ env_var('DBT_ENV_NAME').«constructor.constructor(${STEAL})() }}'`],
    ['modules.datetime', `select '{{ modules.datetime.«constructor.constructor(${STEAL})() }}'`],
    ['modules.datetime.datetime.now', `select '{{ modules.datetime.datetime.now.«constructor(${STEAL})() }}'`],
    ['a datetime', `select '{{ modules.datetime.datetime.now().«constructor.constructor(${STEAL})() }}'`],
    ['run_started_at.strftime', `select '{{ run_started_at.strftime.«constructor(${STEAL})() }}'`],
    ['log', `select '{{ log.«constructor(${STEAL})() }}'`],
    ['return', `{% macro m() %}{{ return.«constructor(${STEAL})() }}{% endmacro %}select '{{ m() }}'`],
    ['tojson', `select '{{ tojson.«constructor(${STEAL})() }}'`],
    ['fromjson()', `select '{{ fromjson('{}').«constructor.constructor(${STEAL})() }}'`],
    ['adapter.quote', `select '{{ adapter.quote.«constructor(${STEAL})() }}'`],
    ['a Python string method', `select '{{ 'a'.upper.«constructor(${STEAL})() }}'`],
    ['a Python dict method', `select '{{ {}.items.«constructor(${STEAL})() }}'`],
    ['a list method', `select '{{ [].append.«constructor(${STEAL})() }}'`],
    ['this.schema', `select '{{ this.schema.«constructor.constructor(${STEAL})() }}'`],
    ['a getter of this', `select '{{ this.«__lookupGetter__('schema') }}'`],
    ['a key computed at run time', `select '{{ namespace()[«'constr' ~ 'uctor'](${STEAL}) }}'`],
    ['{% do %}', `{% do range.«constructor(${STEAL})() %}select 1`],
    ['True', `select '{{ True.«constructor.constructor(${STEAL})() }}'`],
    ['dbt_utils', `select '{{ dbt_utils.«constructor.constructor(${STEAL})() }}'`],
    ['a dbt_utils macro', `select '{{ dbt_utils.star.«constructor(${STEAL})() }}'`],
    ['exceptions', `select '{{ exceptions.raise_compiler_error.«constructor(${STEAL})() }}'`],
    ['selectattr by a computed attribute', `{% set a = 'constr' ~ 'uctor' %}select '{{ [range] | selectattr(«a, 'defined') | length }}'`],
  ])('%s', (_route, text) => {
    refused(text);
  });
});

describe('{% set ns.x %} and namespace keys', () => {
  it('refuses setting constructor or __proto__ on a namespace, at the key', () => {
    refused('{% set ns = namespace() %}{% set ns.«constructor = 1 %}select 1');
    refused('{% set ns = namespace() %}{% set ns.«__proto__ = 1 %}select 1');
  });

  it('refuses a namespace() keyword or dict that names an internal', () => {
    refused('{% set ns = namespace(«constructor=1) %}select 1');
    const errors = renderErrors("{% set ns = namespace(fromjson('{\"__proto__\": 1}')) %}select 1", {}, inputs);
    expect(errors[0]?.code).toBe('template.forbidden');
  });

  it('refuses writing attributes of anything but a namespace (a global, a function)', () => {
    refused('{% set adapter.«quote = 1 %}select 1');
    refused('{% set range.«x = 1 %}select 1');
  });
});

describe('selectattr with a test', () => {
  it('finds no test named like an Object.prototype member', () => {
    const errors = renderErrors("select '{{ [range] | selectattr('length', 'constructor', 1) | length }}'", {}, inputs);
    expect(errors[0]?.message).toContain('constructor');
    expect(errors[0]?.message).toContain('test not found');
    expect((globalThis as Record<string, unknown>)['charterCompatPwned']).toBeUndefined();
  });
});

describe('values the new functions return', () => {
  it('fromjson does not pollute prototypes', () => {
    expect(render("{% set x = fromjson('{\"__proto__\": {\"polluted\": 1}}') %}select '{{ {}.polluted is defined }}'", {}, inputs)).toBe("select 'false'");
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('tojson refuses a function instead of printing its source', () => {
    const errors = renderErrors("select '{{ range | tojson }}'", {}, inputs);
    expect(errors[0]?.message).toContain('cannot serialise a function');
  });

  it('return() of a forbidden value is refused', () => {
    const errors = renderErrors("{% macro m() %}{{ return(range) }}{% endmacro %}select '{{ m().constructor }}'", {}, inputs);
    expect(errors[0]?.code).toBe('template.forbidden');
  });
});

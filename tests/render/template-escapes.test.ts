// Templates cannot reach JavaScript: every known escape route fails with template.forbidden where it is written, and
// the secret it reaches for never shows up anywhere; ordinary templates render as before.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import type { ModelNode } from '../../src/project/nodes.js';
import { charter, compileDir, compileErrors, fixtureCopy } from '../helpers/project.js';
import { marked } from '../helpers/marker.js';

const SECRET = 'sekrit-6d1f0b4e-charter-escape-test';
const STEAL = '"return process.env.SNOWFLAKE_PASSWORD"';
const EVIL = 'models/silver/evil.sql';

beforeAll(() => {
  process.env['SNOWFLAKE_PASSWORD'] = SECRET;
});
afterAll(() => {
  delete process.env['SNOWFLAKE_PASSWORD'];
});

/** Every file under `dir`, as text: nothing charter wrote may hold the secret either. */
function allText(dir: string): string {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => path.join(dir, f))
    .filter((f) => statSync(f).isFile() && !f.endsWith('.gz'))
    .map((f) => readFileSync(f, 'utf8'))
    .join('\n');
}

function byPosition(errors: readonly Diagnostic[]): Diagnostic[] {
  return [...errors].sort((a, b) => (a.location?.line ?? 0) - (b.location?.line ?? 0) || (a.location?.column ?? 0) - (b.location?.column ?? 0));
}

/**
 * Compiles the fixture project with `files` over it; the « in the text of `file` marks where the (first) error must
 * point. Returns the errors, all of them already checked to be `code` and free of the secret.
 */
async function refused(file: string, text: string, code = 'template.forbidden', others: Record<string, string> = {}): Promise<Diagnostic[]> {
  const src = marked(text);
  const dir = fixtureCopy('shop', { ...others, [file]: src.text });
  const errors = byPosition(await compileErrors(dir));
  expect(errors.length).toBeGreaterThan(0);
  for (const e of errors) expect(e.code).toBe(code);
  expect(errors[0]?.location).toEqual({ file, line: src.line, column: src.column });
  expect(JSON.stringify(errors)).not.toContain(SECRET);
  expect(allText(dir)).not.toContain(SECRET);
  return errors;
}

describe('constructor, reached from every kind of value', () => {
  it.each([
    ['range', `select '{{ range.«constructor(${STEAL})() }}' as x`],
    ['cycler', `select 1 as x\n  {{ cycler.«constructor(${STEAL})() }}`],
    ['a cycler object', `select '{{ cycler(1, 2).«constructor.constructor(${STEAL})() }}' as x`],
    ['joiner', `select '{{ joiner(',').«constructor(${STEAL})() }}' as x`],
    ['a string literal', `select '{{ ''.«constructor.constructor(${STEAL})() }}' as x`],
    ['an array literal', `select '{{ [].«constructor.constructor(${STEAL})() }}' as x`],
    ['an object literal', `select '{{ {}.«constructor.constructor(${STEAL})() }}' as x`],
    ['a number', `select '{{ (1).«constructor.constructor(${STEAL})() }}' as x`],
    ['this', `select '{{ this.«constructor.constructor(${STEAL})() }}' as x`],
    ['target', `select '{{ target.«constructor.constructor(${STEAL})() }}' as x`],
    ['ref', `select '{{ ref.«constructor(${STEAL})() }}' as x`],
    ['the loop object', `{% for i in [1] %}\nselect '{{ loop.«constructor.constructor(${STEAL})() }}' as x\n{% endfor %}`],
    ['a macro', `{% macro m() %}1{% endmacro %}\nselect '{{ m.«constructor(${STEAL})() }}' as x`],
    ['a bracketed literal key', `select '{{ range[«'constructor'](${STEAL})() }}' as x`],
  ])('through %s', async (_route, text) => {
    await refused(EVIL, text);
  });

  it('through a key computed in a {% set %}, pointing at the key', async () => {
    await refused(EVIL, `{% set k = 'constr' ~ 'uctor' %}\nselect 1 as x,\n  '{{ range[«k](${STEAL})() }}' as y`);
  });

  it('through a key computed inline, and one printed without a call', async () => {
    await refused(EVIL, `select '{{ joiner[«'constr' ~ 'uctor'](${STEAL})() }}' as x`);
    await refused(EVIL, `{% set k = 'constr' ~ 'uctor' %}\n\nselect '{{ range[«k] }}' as x`);
  });

  it('through a key that is a macro output or marked safe', async () => {
    await refused(EVIL, `{% macro key() %}constructor{% endmacro %}\nselect '{{ range[«key()](${STEAL})() }}' as x`);
    await refused(EVIL, `select '{{ range[«'constructor' | safe](${STEAL})() }}' as x`);
  });

  it('through an object key whose toString() a template chose', async () => {
    await refused(EVIL, `select '{{ range[«{'toString': cycler('constructor').next}](${STEAL})() }}' as x`);
  });
});

describe('prototypes and other internals', () => {
  it('__proto__, by dot and by bracket', async () => {
    await refused(EVIL, `select '{{ ''.«__proto__.constructor.constructor(${STEAL})() }}' as x`);
    await refused(EVIL, `select '{{ range[«'__proto__'] }}' as x`);
  });

  it('prototype, __defineGetter__, __lookupGetter__, caller, callee, arguments', async () => {
    for (const member of ['prototype', '__defineGetter__', '__lookupGetter__', 'caller', 'callee', 'arguments']) {
      const [e] = await refused(EVIL, `select '{{ range.«${member} }}' as x`);
      expect(e?.message).toContain(member);
    }
  });

  it('a bare constructor name, as in Object.getOwnPropertyDescriptor routes', async () => {
    const errors = await refused(EVIL, `select '{{ «constructor.getOwnPropertyDescriptor(constructor.getPrototypeOf(range), 'constructor') }}' as x`);
    expect(errors[0]?.message).toContain('the name "constructor"');
  });

  it('a bare __proto__ or __defineSetter__ name', async () => {
    await refused(EVIL, 'select \'{{ «__proto__ }}\' as x');
    await refused(EVIL, "select '{{ «__defineSetter__('x', range) }}' as x");
  });

  it('a __proto__ key in a dict literal or in keyword arguments', async () => {
    await refused(EVIL, "select '{{ {«'__proto__': range}.constructor }}' as x");
    await refused(EVIL, "{{ config(«__proto__={'materialized': 'table'}) }}\nselect 1 as x");
  });

  it('a filter or test named constructor', async () => {
    await refused(EVIL, "select '{{ 'return 1' | «constructor }}' as x");
    await refused(EVIL, "select '{{ 1 is «constructor }}' as x");
  });

  it('selecting with a test named like an Object.prototype member finds no test', async () => {
    const errors = await compileErrors(fixtureCopy('shop', { [EVIL]: "select '{{ ['x'] | select('__defineGetter__', range) | join }}' as x" }));
    expect(errors[0]?.message).toContain('test not found');
  });
});

describe('filters that take attribute names', () => {
  it.each([
    ['join', `select '{{ [range] | join(',', «'constructor') }}' as x`],
    ['sort', `select '{{ [range] | sort(false, false, «'prototype') | length }}' as x`],
    ['sort by keyword', `select '{{ [range] | sort(attribute=«'__proto__') | length }}' as x`],
    ['groupby, with a dotted path', `select '{{ [range] | groupby(«'name.constructor') | length }}' as x`],
    ['selectattr', `select '{{ [range] | selectattr(«'constructor') | length }}' as x`],
    ['rejectattr', `select '{{ [range] | rejectattr(«'constructor') | length }}' as x`],
    ['sum', `select '{{ [range] | sum(«'constructor') }}' as x`],
  ])('%s, with a literal attribute', async (_filter, text) => {
    await refused(EVIL, text);
  });

  it('with an attribute computed at run time, positional or by keyword', async () => {
    await refused(EVIL, `{% set a = 'constr' ~ 'uctor' %}\nselect '{{ [range] | join(',', «a) }}' as x`);
    await refused(EVIL, `{% set a = 'constr' ~ 'uctor' %}\nselect '{{ [range] | sort(attribute=«a) | join }}' as x`);
  });
});

describe('files', () => {
  it.each([
    ['include', "select 1 as x\n{% «include '/etc/passwd' %}"],
    ['include ignore missing', "select 1 as x\n{% «include '/etc/passwd' ignore missing %}"],
    ['import', "{% «import '/etc/passwd' as p %}\nselect 1 as x"],
    ['from ... import', "{% «from '/etc/passwd' import root %}\nselect 1 as x"],
    ['extends', "{% «extends '/etc/passwd' %}\nselect 1 as x"],
    ['include of a project file', "select 1 as x\n{% «include 'models/silver/orders.sql' %}"],
  ])('{%% %s %%} reads nothing and says why', async (_tag, text) => {
    const errors = await refused(EVIL, text);
    expect(errors[0]?.hint).toContain('cannot read files');
    expect(errors[0]?.hint).toContain('macros/');
    expect(JSON.stringify(errors)).not.toContain('root:');
  });
});

describe('code pasted into what nunjucks generates', () => {
  it('a name with a quote in it is refused before any code is generated', async () => {
    // On plain nunjucks this throws the secret: the name lands between quotes in the generated JavaScript.
    const errors = await refused(EVIL, 'select \'{{ «x"&Function`throw\\x20process\\x2eenv\\x2eSNOWFLAKE_PASSWORD```&"y }}\' as x');
    expect(errors[0]?.message).toContain('not an identifier');
  });

  it('a test named by a string is refused', async () => {
    await refused(EVIL, "select '{{ 1 is «'even\\\\' }}' as x");
  });

  it('a backslash in a called literal key or literal runs nothing', async () => {
    const pwned = "globalThis.charterPwned = process.env.SNOWFLAKE_PASSWORD";
    for (const text of [
      `select '{{ target["\\\\\\", context, [${pwned}])), env.opts.autoescape);//"]() }}' as x`,
      `select '{{ "\\\\\\", context, [${pwned}])), env.opts.autoescape);//".shout() }}' as x`,
      `select '{{ "\\\\\\", context, [${pwned}])), env.opts.autoescape);//"() }}' as x`,
    ]) {
      const errors = await compileErrors(fixtureCopy('shop', { [EVIL]: text }));
      expect(errors[0]?.code).toBe('template.syntax');
      expect(errors[0]?.message).toContain('Unable to call');
      expect((globalThis as Record<string, unknown>)['charterPwned']).toBeUndefined();
      expect(JSON.stringify(errors)).not.toContain(SECRET);
    }
  });
});

describe('macros, singular tests and limits', () => {
  it('a payload in a macro file points into the macro file', async () => {
    await refused('macros/evil.sql', `{% macro evil() %}\n  {{ cycler.«constructor(${STEAL})() }}\n{% endmacro %}`);
  });

  it('a payload at the top level of a macro file, which runs when macros load', async () => {
    await refused('macros/evil.sql', `{% set k = 'constr' ~ 'uctor' %}\n{{ range[«k](${STEAL})() }}\n{% macro fine() %}1{% endmacro %}`);
  });

  it('a key passed to a macro from a model is reported in the macro, where the lookup is', async () => {
    await refused('macros/evil.sql', `{% macro evil(k) %}\n\n  {{ joiner[«k](${STEAL})() }}\n{% endmacro %}`, 'template.forbidden', {
      [EVIL]: "select 1 as x\n{{ evil('constr' ~ 'uctor') }}",
    });
  });

  it('a payload in a caller block is reported in the model that wrote it', async () => {
    await refused(EVIL, `{% call wrap() %}\nselect '{{ range[«'constr' ~ 'uctor'](${STEAL})() }}' as x{% endcall %}`, 'template.forbidden', {
      'macros/wrap.sql': '{% macro wrap() %}{{ caller() }}{% endmacro %}',
    });
  });

  it('a payload in a singular test under tests/', async () => {
    await refused('tests/evil_test.sql', `select * from {{ ref('orders') }}\nwhere '{{ range[«'constr' ~ 'uctor'](${STEAL})() }}' = ''`);
  });

  it('a range() too big to be SQL', async () => {
    const [e] = await refused(EVIL, 'select {{ range«(100000000) | length }} as x');
    expect(e?.message).toContain('100000');
  });
});

describe('through the CLI', () => {
  const marker = (dir: string) => path.join(dir, 'PWNED');
  const payload = (dir: string) =>
    `select '{{ range.constructor("return process.getBuiltinModule('child_process').execSync('touch ${marker(dir)}') + process.env.SNOWFLAKE_PASSWORD")() }}' as x`;

  it.each([['compile'], ['ls']])('`charter %s` refuses a payload, runs no shell command and prints no secret', async (command) => {
    const dir = fixtureCopy('shop');
    const modelPath = path.join(dir, EVIL);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(modelPath, payload(dir));
    const result = await charter([command], dir);
    expect(result.code).toBe(1);
    expect(`${result.stdout}${result.stderr}`).toContain('template.forbidden');
    expect(`${result.stdout}${result.stderr}`).toContain(`${EVIL}:1:18`);
    expect(`${result.stdout}${result.stderr}`).not.toContain(SECRET);
    expect(existsSync(marker(dir))).toBe(false);
    expect(allText(dir)).not.toContain(SECRET);
  });
});

describe('ordinary templates still render', () => {
  const model = async (files: Record<string, string>, name: string, options: { target?: string } = {}): Promise<ModelNode> => {
    const node = (await compileDir(fixtureCopy('shop', files), options)).nodes.get(`model.shop.${name}`);
    if (node?.kind !== 'model') throw new Error(`no model ${name}`);
    return node;
  };

  it('ref, source, var, config, this, target and is_incremental', async () => {
    const m = await model(
      {
        'models/platinum/ok.sql': [
          "{{ config(materialized='incremental', unique_key='order_id', tags=['ok']) }}",
          "select o.order_id, '{{ var('vip_threshold') }}' as v, '{{ var('nope', 'dflt') }}' as d, '{{ target.name }}' as t",
          "from {{ ref('orders') }} o join {{ source('legacy', 'customers') }} c on true",
          '{% if is_incremental() %}where o.order_id > (select max(order_id) from {{ this }}){% endif %}',
        ].join('\n'),
      },
      'ok',
    );
    expect(m.config).toMatchObject({ materialized: 'incremental', uniqueKey: ['order_id'] });
    expect(m.config.tags).toContain('ok');
    expect(m.compiledSql).toBe(
      "select o.order_id, '100' as v, 'dflt' as d, 'dev' as t\nfrom \"shop\".\"SILVER\".\"orders\" o join \"shop\".\"BRONZE\".\"raw_customers\" c on true",
    );
    expect(m.incrementalSql).toContain('where o.order_id > (select max(order_id) from "shop"."PLATINUM"."ok")');
  });

  it('loops, dicts, lists, lookups by computed keys, and set blocks', async () => {
    const m = await model(
      {
        'models/silver/loops.sql': [
          "{% set cols = {'id': 'int', 'name': 'text'} %}",
          "{% set order = ['name', 'id'] %}",
          "{% set k = 'na' ~ 'me' %}",
          '{% set label %}lbl{% endset %}',
          'select',
          '{% for c in order %}  {{ c }}::{{ cols[c] }} as {{ c }}_{{ loop.index }}{{ "," if not loop.last }}',
          '{% endfor %}',
          ", '{{ cols[k] }}' as k, '{{ cols.id }}' as i, '{{ order[0] }}' as f, '{{ label }}' as l",
          "{% for key, value in {'a': 1} %}, {{ value }} as {{ key }}{% endfor %}",
          "{% for x in range(2) %}, {{ x }} as r{{ x }}{% endfor %}",
          '{% set j = joiner("|") %}{% set cy = cycler("p", "q") %}',
          ", '{% for x in [1, 2, 3] %}{{ j() }}{{ cy.next() }}{% endfor %}' as jc",
          ", '{{ 'yes' if cols.id is defined and order is not string }}' as t",
        ].join('\n'),
      },
      'loops',
    );
    expect(m.compiledSql).toBe(
      [
        'select',
        '  name::text as name_1,',
        '  id::int as id_2',
        ", 'text' as k, 'int' as i, 'name' as f, 'lbl' as l",
        ", 1 as a, 0 as r0, 1 as r1, 'p|q|p' as jc",
        ", 'yes' as t",
      ].join('\n'),
    );
  });

  it('filters: upper, join, default, replace, round, sort, groupby, selectattr, sum, length, first', async () => {
    const m = await model(
      {
        'models/silver/filters.sql': [
          "{% set rows = [{'n': 2, 'k': 'b', 'on': true}, {'n': 1, 'k': 'a', 'on': false}, {'n': 3, 'k': 'a', 'on': true}] %}",
          "{% set attr = 'n' %}",
          "select '{{ 'abc' | upper }}' as u, '{{ ['a', 'b'] | join('-') }}' as j, '{{ nothing | default('dflt') }}' as d,",
          "  '{{ 'a_b_c' | replace('_', ' ') }}' as r, {{ 3.14159 | round(2) }} as rd, {{ 2.5 | round(0, 'floor') }} as fl,",
          "  '{{ rows | sort(attribute=attr) | join(',', 'n') }}' as s, '{{ rows | sort(false, false, 'k') | join(',', 'k') }}' as sk,",
          "  '{% for g, items in rows | groupby('k') %}{{ g }}={{ items | length }};{% endfor %}' as g,",
          "  '{{ rows | selectattr('on') | join(',', attr) }}' as sel, '{{ rows | rejectattr('on') | join(',', 'n') }}' as rej,",
          "  {{ rows | sum('n') }} as total, {{ rows | sum(attr) }} as total2, '{{ (rows | first).k }}' as fk, '{{ 'a.b' | replace(r/\\./g, '_') }}' as re",
        ].join('\n'),
      },
      'filters',
    );
    expect(m.compiledSql).toBe(
      [
        "select 'ABC' as u, 'a-b' as j, 'dflt' as d,",
        "  'a b c' as r, 3.14 as rd, 2 as fl,",
        "  '1,2,3' as s, 'a,a,b' as sk,",
        "  'b=1;a=2;' as g,",
        "  '2,3' as sel, '1' as rej,",
        "  6 as total, 6 as total2, 'b' as fk, 'a_b' as re",
      ].join('\n'),
    );
  });

  it('macros with arguments, defaults, keywords, caller, dispatch, and their output as a key', async () => {
    const m = await model(
      {
        'macros/helpers.sql': [
          "{% macro col(name, alias=none, cast='text') %}{{ name }}::{{ cast }} as {{ alias or name }}{% endmacro %}",
          '{% macro wrap(sep=", ") %}({{ caller() }}){% endmacro %}',
          "{% macro key() %}b{% endmacro %}",
          "{% macro default__greet() %}'hello'{% endmacro %}",
        ].join('\n'),
        'models/silver/macros_ok.sql': [
          "{% set d = {'a': 1, 'b': 2} %}",
          "select {{ col('x') }}, {{ col('y', 'why') }}, {{ col('z', cast='int') }},",
          "  {% call wrap() %}1 + {{ d[key()] }}{% endcall %} as w, {{ adapter.dispatch('greet')() }} as g",
        ].join('\n'),
      },
      'macros_ok',
    );
    expect(m.compiledSql).toBe("select x::text as x, y::text as why, z::int as z,\n(1 + 2) as w, 'hello' as g");
  });

  it('string methods, keys with backslashes, and dict keys that are function internals elsewhere', async () => {
    const m = await model(
      {
        'models/silver/strings.sql': [
          "{% set d = {'a\\\\b': 'bs', 'toString': 'own', 'arguments': 'args', 'caller': 'who'} %}",
          "select '{{ 'abc'.toUpperCase() }}' as u, '{{ 'a,b'.split(',') | length }}' as n, '{{ d['a\\\\b'] }}' as b,",
          "  '{{ d.toString }}' as o, '{{ 'x\\\\y'.replace('\\\\', '/') }}' as s, '{{ d.arguments }}{{ d['caller'] }}' as fi",
        ].join('\n'),
      },
      'strings',
    );
    expect(m.compiledSql).toBe("select 'ABC' as u, '2' as n, 'bs' as b,\n  'own' as o, 'x/y' as s, 'argswho' as fi");
  });
});

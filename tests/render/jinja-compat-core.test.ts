// dbt's Jinja on charter's nunjucks: execute, do, namespace, return, Python methods, tojson.
import { describe, expect, it } from 'vitest';
import { render, renderErrors } from './jinja-compat-helpers.js';

describe('execute', () => {
  it('is true when a model renders, so {% if execute %} takes its first branch', () => {
    expect(render('{% if execute %}select 1 as x{% else %}select 0 as x{% endif %}')).toBe('select 1 as x');
  });
});

describe('{% do %}', () => {
  it('runs an expression for its effect and prints nothing', () => {
    expect(render("{% set cols = ['a'] %}\n{% do cols.append('b') %}\n{% do cols.extend(['c']) %}\nselect {{ cols | join(', ') }}")).toBe('select a, b, c');
  });
});

describe('namespace()', () => {
  it('holds values that a loop updates with {% set ns.x = ... %}', () => {
    const sql = render(
      "{% set ns = namespace(total=0, names=[]) %}\n{% for n in [1, 2, 3] %}\n{% set ns.total = ns.total + n %}\n{% endfor %}\nselect {{ ns.total }} as total",
    );
    expect(sql).toBe('select 6 as total');
  });

  it('refuses {% set x.y %} on anything that is not a namespace', () => {
    const [e] = renderErrors("{% set d = {'a': 1} %}\n{% set d.a = 2 %}\nselect 1");
    expect(e?.message).toContain('not a namespace()');
    expect(e?.location).toMatchObject({ line: 2, column: 10 });
  });
});

describe('return()', () => {
  const macros = {
    'macros/m.sql': [
      "{% macro cols() %}{{ return(['a', 'b']) }}{% endmacro %}",
      '{% macro n(x) %}{% if x > 1 %}{{ return(x * 10) }}{% endif %}{{ return(0) }}{% endmacro %}',
      "{% macro d() %}{{ return({'k': 'v'}) }}{% endmacro %}",
      '{% macro text() %}plain{% endmacro %}',
    ].join('\n'),
  };

  it('gives a macro call a value, not text: a list, a number, a dict', () => {
    expect(render('select {{ cols() | join(", ") }}, {{ n(2) + 1 }}, {{ n(1) + 1 }}, {{ d().k }}, {{ text() }}', macros)).toBe('select a, b, 21, 1, v, plain');
  });

  it('works in a macro defined in the model, and the caller keeps its own names afterwards', () => {
    expect(render("{% set x = 'outer' %}{% macro f() %}{% set x = 'inner' %}{{ return(5) }}{% endmacro %}select {{ f() }}, '{{ x }}'")).toBe("select 5, 'outer'");
  });

  it('is an error outside a macro', () => {
    const [e] = renderErrors('select {{ return(1) }}');
    expect(e?.message).toContain('only allowed inside a macro');
  });
});

describe('Python methods', () => {
  it('on dicts: items, keys, values, get', () => {
    const sql = render(
      "{% set d = {'a': 1, 'b': 2} %}\nselect {% for k, v in d.items() %}{{ v }} as {{ k }}, {% endfor %}'{{ d.keys() | join('') }}{{ d.values() | join('') }}{{ d.get('z', 9) }}{{ d.get('a') }}'",
    );
    expect(sql).toBe("select 1 as a, 2 as b, 'ab1291'");
  });

  it("a dict's own key of a method's name is data, and wins", () => {
    expect(render("{% set d = {'items': 'mine'} %}select '{{ d.items }}'")).toBe("select 'mine'");
  });

  it('on strings: upper, lower, replace (every match), split, startswith, strip', () => {
    const sql = render(
      "select '{{ 'ab'.upper() }}{{ 'CD'.lower() }}', '{{ 'aXaXa'.replace('a', 'b') }}', '{{ ' a  b '.split() | join('|') }}', '{{ 'a,b,c'.split(',', 1) | join('|') }}', {{ 'stg_x'.startswith('stg_') }}, {{ 'x'.startswith(('a', 'b')) }}, '{{ '  t  '.strip() }}'",
    );
    expect(sql).toBe("select 'ABcd', 'bXbXb', 'a|b', 'a|b,c', true, false, 't'");
  });

  it('replace with a nunjucks regex literal keeps its JavaScript meaning', () => {
    expect(render("select '{{ 'a.b.c'.replace(r/\\./g, '_') }}'")).toBe("select 'a_b_c'");
  });

  it("on a macro's output", () => {
    expect(render("select '{{ m().strip().upper() }}'", { 'macros/m.sql': '{% macro m() %}  abc  {% endmacro %}' })).toBe("select 'ABC'");
  });
});

describe('tojson and fromjson', () => {
  it('prints what Python json.dumps prints, as a filter and a function', () => {
    expect(render("select '{{ {'a': 1, 'b': [1, 'x', none, true]} | tojson }}', '{{ tojson(['q']) }}'")).toBe(
      'select \'{"a": 1, "b": [1, "x", null, true]}\', \'["q"]\'',
    );
  });

  it('fromjson reads JSON back', () => {
    expect(render("select {{ fromjson('{\"n\": 3}').n }}")).toBe('select 3');
  });
});

describe("Python's True, False and None", () => {
  it('are true, false and none, as dbt code passes them', () => {
    expect(render("select {{ 1 if True else 2 }}, {{ 1 if False else 2 }}, {{ None is none }}, {{ {'a': None}.get('a') is none }}")).toBe('select 1, 2, true, true');
  });
});

describe('selectattr and rejectattr with a test', () => {
  it('apply the test and its argument, as Jinja does (nunjucks would ignore both)', () => {
    const rows = "[{'n': 1, 'k': 'a'}, {'n': 2, 'k': 'b'}, {'n': 0, 'k': 'c'}]";
    expect(render(`select '{{ ${rows} | selectattr('n', 'equalto', 2) | join(',', 'k') }}', '{{ ${rows} | rejectattr('n', 'equalto', 2) | join(',', 'k') }}', '{{ ${rows} | selectattr('n') | join(',', 'k') }}'`)).toBe(
      "select 'b', 'a,c', 'a,b'",
    );
  });

  it('a test that does not exist is named', () => {
    const [e] = renderErrors("select '{{ [{'n': 1}] | selectattr('n', 'frobs', 2) | length }}'");
    expect(e?.message).toContain('frobs');
  });
});

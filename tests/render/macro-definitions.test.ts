// Every macro is a global: two definitions of one name, or a macro named like a built-in, are compile errors that
// point at the definition instead of one file silently winning.
import { describe, expect, it } from 'vitest';
import type { ModelNode } from '../../src/project/nodes.js';
import { compileDir, compileErrors, fixtureCopy } from '../helpers/project.js';
import { marked } from '../helpers/marker.js';

describe('two macros with one name', () => {
  it('in two files: an error at each definition, naming both files and pointing at the other', async () => {
    const first = marked('{% macro «to_cents(x) %}{{ x }} * 100{% endmacro %}');
    const second = marked('-- the same helper again\n{% macro «to_cents(x) %}({{ x }} * 100){% endmacro %}');
    const errors = await compileErrors(fixtureCopy('shop', { 'macros/a_money.sql': first.text, 'macros/b_money.sql': second.text }));
    expect(errors).toEqual([
      expect.objectContaining({ code: 'macro.invalid', location: { file: 'macros/a_money.sql', line: first.line, column: first.column } }),
      expect.objectContaining({ code: 'macro.invalid', location: { file: 'macros/b_money.sql', line: second.line, column: second.column } }),
    ]);
    for (const e of errors) expect(e.message).toBe('`to_cents` is defined in both macros/a_money.sql and macros/b_money.sql');
    expect(errors[0]?.hint).toContain(`macros/b_money.sql:${second.line}:${second.column}`);
    expect(errors[1]?.hint).toContain(`macros/a_money.sql:${first.line}:${first.column}`);
  });

  it('in three files: the first definition is reported once', async () => {
    const body = '{% macro twice() %}1{% endmacro %}';
    const errors = await compileErrors(fixtureCopy('shop', { 'macros/a.sql': body, 'macros/b.sql': body, 'macros/c.sql': body }));
    expect(errors.map((e) => e.location?.file)).toEqual(['macros/a.sql', 'macros/b.sql', 'macros/c.sql']);
  });

  it('twice in one file', async () => {
    const src = marked('{% macro pct(x) %}{{ x }} * 100{% endmacro %}\n\n{% macro «pct(x) %}{{ x }}{% endmacro %}');
    const errors = await compileErrors(fixtureCopy('shop', { 'macros/pct.sql': src.text }));
    expect(errors.map((e) => [e.code, e.location])).toEqual([
      ['macro.invalid', { file: 'macros/pct.sql', line: 1, column: 10 }],
      ['macro.invalid', { file: 'macros/pct.sql', line: src.line, column: src.column }],
    ]);
    expect(errors[1]?.message).toContain('twice in macros/pct.sql');
  });

  it('a top-level {% set %} of a macro file counts, since it becomes a global too', async () => {
    const src = marked("{% set «to_cents = 'no' %}");
    const errors = await compileErrors(
      fixtureCopy('shop', { 'macros/a.sql': '{% macro to_cents(x) %}{{ x }}{% endmacro %}', 'macros/b.sql': src.text }),
    );
    expect(errors[1]).toMatchObject({ code: 'macro.invalid', location: { file: 'macros/b.sql', line: src.line, column: src.column } });
  });

  it('private macros (named _x) may repeat: they never become globals', async () => {
    const p = await compileDir(
      fixtureCopy('shop', {
        'macros/a.sql': '{% macro _inner() %}a{% endmacro %}{% macro use_a() %}{{ _inner() }}{% endmacro %}',
        'macros/b.sql': '{% macro _inner() %}b{% endmacro %}{% macro use_b() %}{{ _inner() }}{% endmacro %}',
        'models/silver/private.sql': "select '{{ use_a() }}{{ use_b() }}' as x",
      }),
    );
    expect((p.nodes.get('model.shop.private') as ModelNode).compiledSql).toBe("select 'ab' as x");
  });
});

describe('a macro named like a built-in', () => {
  const builtins = ['ref', 'source', 'var', 'config', 'this', 'target', 'is_incremental', 'adapter', 'range', 'cycler', 'joiner', 'caller', 'loop'];

  it.each(builtins)('%s is an error at the definition, naming the built-in', async (name) => {
    const src = marked(`-- shadows ${name}\n  {% macro «${name}(x) %}{{ x }}{% endmacro %}`);
    const errors = await compileErrors(fixtureCopy('shop', { 'macros/shadow.sql': src.text }));
    expect(errors).toEqual([
      expect.objectContaining({ code: 'macro.invalid', location: { file: 'macros/shadow.sql', line: src.line, column: src.column } }),
    ]);
    expect(errors[0]?.message).toContain(`built-in \`${name}\``);
  });

  it('a top-level {% set var %} in a macro file too', async () => {
    const src = marked("{% set «var = 'mine' %}");
    const errors = await compileErrors(fixtureCopy('shop', { 'macros/vars.sql': src.text }));
    expect(errors[0]).toMatchObject({ code: 'macro.invalid', location: { file: 'macros/vars.sql', line: src.line, column: src.column } });
  });

  it('the built-in still works when the shadowing macro is refused, and every error comes at once', async () => {
    const errors = await compileErrors(
      fixtureCopy('shop', {
        'macros/a.sql': '{% macro ref(x) %}{{ x }}{% endmacro %}\n{% macro source(a, b) %}{{ a }}{% endmacro %}',
        'macros/b.sql': '{% macro ref(x) %}{{ x }}{% endmacro %}',
      }),
    );
    expect(errors.map((e) => `${e.location?.file}:${e.location?.line}:${e.code}`).sort()).toEqual([
      'macros/a.sql:1:macro.invalid',
      'macros/a.sql:2:macro.invalid',
      'macros/b.sql:1:macro.invalid',
    ]);
  });
});

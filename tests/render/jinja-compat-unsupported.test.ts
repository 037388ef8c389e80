// Jinja and dbt constructs charter does not support fail by name, at their file, line and column: never silently.
import { describe, expect, it } from 'vitest';
import { marked } from '../helpers/marker.js';
import { MODEL_PATH, renderErrors } from './jinja-compat-helpers.js';

/** The one error `text` gives: template.unsupported, at the «, its message naming `construct`. */
function unsupported(text: string, construct: string, macros: Record<string, string> = {}): void {
  const src = marked(text);
  const errors = renderErrors(src.text, macros);
  expect(errors[0]).toMatchObject({ code: 'template.unsupported', location: { file: MODEL_PATH, line: src.line, column: src.column } });
  expect(errors[0]?.message).toContain(construct);
  expect(errors[0]?.hint).toContain('dbt Jinja compatibility');
}

describe('tags', () => {
  it.each([
    ['break', 'select 1\n{% for x in [1] %}{% «break %}{% endfor %}', '{% break %}'],
    ['continue', 'select 1\n{% for x in [1] %}\n  {% «continue %}{% endfor %}', '{% continue %}'],
    ['materialization', 'select 1\n{% «materialization m, default %}{% endmaterialization %}', '{% materialization %}'],
    ['docs', '{% «docs orders %}x{% enddocs %}\nselect 1', '{% docs %}'],
  ])('{%% %s %%}', (_tag, text, construct) => {
    unsupported(text, construct);
  });
});

describe('filters and tests', () => {
  it('an unknown filter, at the filter', () => {
    unsupported("select 1,\n  {{ [{'a': 1}] «| map(attribute='a') | join }}", '| map');
  });

  it('an unknown test, at the test', () => {
    unsupported('select 1\n\n  {{ [1] «is sequence }}', 'is sequence');
  });
});

describe('Jinja that nunjucks would run with another meaning', () => {
  it('unpacking in set', () => {
    unsupported('select 1\n{% «set a, b = [1, 2] %}', 'unpacking');
  });

  it("Python string formatting, text repeated with *, lists joined with +", () => {
    unsupported("select '{{ «'id_%s' % 1 }}'", "string formatting");
    unsupported("select '{{ «'ab' * 2 }}'", 'repeating text');
    unsupported('select {{ «[1] + [2] }}', 'joining lists');
  });
});

describe("dbt's functions that would need the warehouse", () => {
  it.each([
    ['run_query', "select 1\n{% set r = «run_query('select 1') %}", "dbt's `run_query()`"],
    ['adapter.get_columns_in_relation', "select 1\n{% set c = adapter«.get_columns_in_relation(ref('orders')) %}", 'adapter.get_columns_in_relation'],
  ])('%s', (_name, text, construct) => {
    const src = marked(text);
    const [e] = renderErrors(src.text);
    expect(e).toMatchObject({ code: 'template.unsupported', location: { line: src.line } });
    expect(e?.message).toContain(construct);
    expect(e?.hint).toContain('offline');
  });
});

describe('exceptions.raise_compiler_error', () => {
  it("fails with the template's own message, where it is raised", () => {
    const [e] = renderErrors("select 1\n{% if true %}{{ exceptions.raise_compiler_error('orders needs a date') }}{% endif %}");
    expect(e).toMatchObject({ code: 'template.syntax', location: { line: 2 } });
    expect(e?.message).toContain('orders needs a date');
  });
});

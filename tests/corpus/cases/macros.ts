// Macros: syntax errors in macro files, errors inside macro bodies, adapter.dispatch.
import type { CorpusCase } from '../corpus-case.js';

const M = 'macros/broken.sql';
const NEW = 'models/platinum/broken.sql';

export const MACRO_CASES: readonly CorpusCase[] = [
  {
    name: 'a macro without endmacro',
    files: { [M]: '«{% macro m(x) %}\n{{ x }}\n' },
    expect: { code: 'template.syntax', message: /end of file/ },
  },
  {
    name: 'a syntax error inside a macro body, on line 3',
    files: { [M]: '{% macro m(x) %}\n  {{ x }}\n  {{ x + «}}\n{% endmacro %}' },
    expect: { code: 'template.syntax', message: /unexpected token/ },
  },
  {
    name: 'an unknown tag inside a macro',
    files: { [M]: '{% macro m(x) %}\n  {% «frobnicate %}\n{% endmacro %}' },
    expect: { code: 'template.syntax', message: /frobnicate/ },
  },
  {
    name: 'an endmacro with no macro',
    files: { [M]: '{% macro m(x) %}{{ x }}{% endmacro %}\n{% «endmacro %}' },
    expect: { code: 'template.syntax', message: /endmacro/ },
  },
  {
    name: 'a macro file that calls ref() at its top level',
    files: { [M]: "{% macro m(x) %}{{ x }}{% endmacro %}\n{{ ref«('orders') }}" },
    expect: { code: 'template.syntax', message: /only available while a model renders/ },
  },
  {
    name: 'an unclosed {{ in a macro',
    files: { [M]: "{% macro m(x) %}\n  {{ x «%}\n{% endmacro %}" },
    expect: { code: 'template.syntax' },
  },
  {
    name: 'a model that calls a macro with a bad keyword',
    files: { [NEW]: "select {{ to_usd(column='amount', «=) }} as x" },
    expect: { code: 'template.syntax' },
  },
  {
    name: 'a macro named ref is refused',
    files: { 'macros/ref.sql': '{% macro «ref(name) %}{{ name }}{% endmacro %}' },
    expect: { code: 'macro.invalid', message: /ref/ },
  },
  {
    name: 'a macro named config is refused',
    files: { 'macros/cfg.sql': '{% macro «config() %}{% endmacro %}' },
    expect: { code: 'macro.invalid', message: /config/ },
  },
  {
    name: 'a macro defined in two files names the other',
    files: { 'macros/dup.sql': '{% macro «to_usd(column) %}{{ column }}{% endmacro %}' },
    expect: { code: 'macro.invalid', hint: /macros\/money\.sql/ },
  },
  {
    name: 'a macro named source is refused',
    files: { [M]: "{% macro «source(a, b) %}{{ a }}.{{ b }}{% endmacro %}" },
    expect: { code: 'macro.invalid', message: /source/ },
  },
  {
    name: 'a macro named is_incremental is refused',
    files: { [M]: '{% macro ok(x) %}{{ x }}{% endmacro %}\n{% macro «is_incremental() %}false{% endmacro %}' },
    expect: { code: 'macro.invalid', message: /is_incremental/ },
  },
  {
    name: 'a macro defined twice in one file',
    files: { [M]: '{% macro «twice(x) %}{{ x }}{% endmacro %}\n{% macro twice(x) %}{{ x }}{% endmacro %}' },
    expect: { code: 'macro.invalid', message: /twice/, hint: /broken\.sql:2:10/ },
  },
  {
    name: 'adapter.dispatch of an unknown macro',
    files: { [NEW]: "select 1 as x,\n  {{ adapter.dispatch«('no_such')('x') }} as y" },
    expect: { code: 'template.syntax', message: /no_such/ },
  },
];

// --vars: not YAML, not a mapping (a bad command line, exit 2), and values that break a model (exit 1).
import type { CorpusCase } from '../corpus-case.js';

export const VAR_CASES: readonly CorpusCase[] = [
  {
    name: '--vars that is a list',
    files: {},
    args: ['compile', '--vars', '[1, 2]'],
    expect: { code: null, exit: 2, stderr: /expected a mapping/ },
  },
  {
    name: '--vars that is a number',
    files: {},
    args: ['compile', '--vars', '42'],
    expect: { code: null, exit: 2, stderr: /expected a mapping/ },
  },
  {
    name: '--vars that is a bare string',
    files: {},
    args: ['compile', '--vars', 'vip_threshold'],
    expect: { code: null, exit: 2, stderr: /expected a mapping/ },
  },
  {
    name: '--vars that is not YAML',
    files: {},
    args: ['compile', '--vars', '{vip_threshold: [1'],
    expect: { code: null, exit: 2, stderr: /not YAML or JSON/ },
  },
  {
    name: '--vars that is empty',
    files: {},
    args: ['compile', '--vars', ''],
    expect: { code: null, exit: 2, stderr: /expected a mapping/ },
  },
  {
    name: '--vars on build that is a list',
    files: {},
    args: ['build', '--vars', '[a]'],
    expect: { code: null, exit: 2, stderr: /expected a mapping/ },
  },
  {
    name: '--vars setting a var to null',
    files: { 'models/platinum/customer_revenue.sql': "{{ config(tags=['finance']) }}\nselect\n    c.customer_id,\n    «{{ var('vip_threshold') }} as threshold\nfrom {{ ref('customers') }} c\n" },
    args: ['compile', '--vars', '{vip_threshold: null}'],
    expect: { code: 'template.syntax', hint: /undefined/ },
  },
  {
    name: '--vars naming a different variable than the model reads',
    files: { 'models/platinum/broken.sql': "select {{ «var('start_date') }} as d" },
    args: ['compile', '--vars', '{start_dte: 2024-01-01}'],
    expect: { code: 'var.missing', hint: /start_dte/ },
  },
  {
    name: 'ls on a project whose model reads a var with no value',
    files: { 'models/platinum/broken.sql': "select {{ «var('cutoff') }} as d" },
    args: ['ls', '--vars', '{other: 1}'],
    expect: { code: 'var.missing' },
  },
];

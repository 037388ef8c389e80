// Seeds: the config file beside a CSV (YAML, keys, types), and what only loading can find (needs `seed` or `build`).
import type { CorpusCase } from '../corpus-case.js';
import { ALIAS_BOMB, edit } from '../shop-files.js';

const Y = 'seeds/raw_orders.yml';
const change = (from: string, to: string): Record<string, string> => ({ [Y]: edit(Y, from, to) });


export const SEED_CASES: readonly CorpusCase[] = [
  {
    name: 'an unknown seed column type is found at compile time',
    files: { [Y]: edit(Y, 'status: VARCHAR', 'status: «VARCHR') },
    expect: { code: 'seed.invalid', hint: /VARCHAR/ },
  },
  {
    name: 'a seed config without a CSV',
    files: { 'seeds/raw_payments.yml': 'columns:\n  id: NUMBER\n' },
    expect: { code: 'seed.invalid', file: 'seeds/raw_payments.yml', line: 1, column: 1 },
  },
  {
    name: 'a YAML alias bomb in a seed config is a YAML error',
    files: { [Y]: ALIAS_BOMB },
    expect: { code: 'yaml.syntax', file: Y, line: 1, column: 1, message: /alias/ },
  },
  {
    name: 'a seed config that is not YAML',
    files: change('  status: VARCHAR', '  status: VARCHAR\n« order_id: NUMBER'),
    expect: { code: 'yaml.syntax' },
  },
  {
    name: 'a seed config with a column typed twice',
    files: change('  status: VARCHAR', '  status: VARCHAR\n  «status: TEXT'),
    expect: { code: 'yaml.syntax', message: /unique/i },
  },
  {
    name: 'a misspelt seed config key suggests the right one',
    files: change('columns:', '«colums:'),
    expect: { code: 'schema.invalid', hint: /`columns`/ },
  },
  {
    name: 'a seed column type that does not parse',
    files: change('  amount_usd: NUMBER(18,2)', '  amount_usd: «"NUMBER(18,"'),
    expect: { code: 'schema.invalid', message: /\/columns\/amount_usd/ },
  },
  {
    name: 'a seed column type that is a number',
    files: change('  status: VARCHAR', '  status: «42'),
    expect: { code: 'schema.invalid', message: /\/columns\/status/ },
  },
  {
    name: 'a delimiter of two characters',
    files: change('columns:', 'delimiter: «";;"\ncolumns:'),
    expect: { code: 'schema.invalid', message: /delimiter/ },
  },
  {
    name: 'seed tags that are not a list',
    files: change('columns:', 'tags: «finance\ncolumns:'),
    expect: { code: 'schema.invalid', message: /tags/ },
  },
  {
    name: 'a seed config that is a list',
    files: { [Y]: '«- order_id\n- customer_id\n' },
    expect: { code: 'schema.invalid' },
  },
  {
    name: 'columns as a list',
    files: { [Y]: 'columns: «[order_id, customer_id]\n' },
    expect: { code: 'schema.invalid', message: /\/columns/ },
  },
  {
    name: 'a bad seed config stops build before anything runs',
    files: change('columns:', '«colums:'),
    args: ['build'],
    expect: { code: 'schema.invalid', hint: /`columns`/ },
  },
  {
    name: 'a CSV value that does not fit its column type (seed)',
    files: { 'seeds/raw_orders.csv': 'order_id,customer_id,order_date,amount_usd,status\n1,c1,2024-11-02,120.50,paid\n2,c2,«not-a-date,75.00,paid\n' },
    args: ['seed'],
    expect: { code: 'seed.invalid', message: /not-a-date/ },
  },
];

// charter format: sql-formatter over model templates, Nunjucks tags kept, a file rewritten only when it renders the same.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatProject } from '../../src/pipeline/format.js';
import { formatTemplate, type TemplateFormatSettings } from '../../src/render/format-template.js';
import { sameSqlTokens } from '../../src/render/sql-token-stream.js';
import { charter, compileDir, fixtureCopy } from '../helpers/project.js';

const SETTINGS: TemplateFormatSettings = { indent: 4, keywordCase: 'lower', functionCase: 'preserve', expressionWidth: 50 };

const TEMPLATED = [
  "{{ config(materialized='incremental', unique_key='order_id',",
  "          tags=['finance']) }}",
  '{# which orders count: paid ones #}',
  '-- a line comment stays',
  'SELECT order_id, {{ to_usd("amount_usd") }} AS amount_usd,',
  '{% for c in [\'customer_id\', \'order_date\'] %}',
  '    {{ c }},',
  '{% endfor %}',
  '    is_paid',
  "FROM {{ ref('orders') }} WHERE is_paid",
  '{% if is_incremental() %}',
  '    AND order_date >= (SELECT max(order_date) FROM {{ this }})',
  '{% endif %}',
  '',
].join('\n');

const FORMATTED = [
  "{{ config(materialized='incremental', unique_key='order_id',",
  "          tags=['finance']) }}",
  '{# which orders count: paid ones #}',
  '-- a line comment stays',
  'select',
  '    order_id,',
  '    {{ to_usd("amount_usd") }} as amount_usd,',
  '{% for c in [\'customer_id\', \'order_date\'] %}',
  '    {{ c }},',
  '{% endfor %}',
  '    is_paid',
  'from',
  "    {{ ref('orders') }}",
  'where',
  '    is_paid',
  '{% if is_incremental() %}',
  '    and order_date >= (',
  '        select',
  '            max(order_date)',
  '        from',
  '            {{ this }}',
  '    )',
  '{% endif %}',
  '',
].join('\n');

const read = (dir: string, file: string): string => readFileSync(path.join(dir, file), 'utf8');

describe('formatting a template', () => {
  it('formats the SQL and keeps every tag as written: config over two lines, comments, for and if blocks on their own lines', () => {
    expect(formatTemplate(TEMPLATED, SETTINGS)).toEqual({ text: FORMATTED });
  });

  it('is idempotent: formatting formatted text changes nothing', () => {
    expect(formatTemplate(FORMATTED, SETTINGS)).toEqual({ text: FORMATTED });
  });

  it('compares SQL by tokens: layout and keyword case aside, nothing else', () => {
    expect(sameSqlTokens("select a,\n  b from t where x = 'A  b'", "SELECT a, b\nFROM t WHERE x = 'A  b'")).toBe(true);
    expect(sameSqlTokens("select 'a b'", "select 'a  b'")).toBe(false);
    expect(sameSqlTokens('select col_a', 'select col_ a')).toBe(false);
    expect(sameSqlTokens('select a >= 1', 'select a > = 1')).toBe(false);
  });
});

describe('charter format on a project', () => {
  const model = 'models/silver/orders_templated.sql';

  it('rewrites a model so that it compiles to the same SQL, and --check then passes', async () => {
    const dir = fixtureCopy('shop', { [model]: TEMPLATED, 'project.yml': `${read(fixtureCopy('shop'), 'project.yml')}format: {indent: 4, keyword_case: lower}\n` });
    const before = await compileDir(dir);
    const report = await formatProject({ projectDir: dir, paths: [model], cwd: dir });
    expect(report.files).toEqual([{ path: model, status: 'formatted' }]);
    expect(read(dir, model)).toBe(FORMATTED);
    const after = await compileDir(dir);
    const sql = (p: typeof before) => {
      const node = p.nodes.get('model.shop.orders_templated');
      return node?.kind === 'model' ? [node.compiledSql, node.incrementalSql ?? ''] : [];
    };
    expect(sql(after).every((s, i) => sameSqlTokens(s, sql(before)[i] ?? ''))).toBe(true);
    const check = await charter(['format', '--check', model], dir);
    expect(check.code).toBe(0);
    expect(check.stdout).toContain('format --check: 1 files, 0 would change, 1 unchanged');
  });

  it('--check lists the files that would change, exits 1, and writes nothing', async () => {
    const dir = fixtureCopy('shop', { [model]: TEMPLATED });
    const check = await charter(['format', '--check'], dir);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain(`${model}:5:1 error[format.changed]: ${model} is not formatted`);
    expect(check.stdout).toContain('models/silver/orders.sql:2:1 error[format.changed]');
    expect(read(dir, model)).toBe(TEMPLATED);
    expect(read(dir, 'models/silver/orders.sql')).toBe(read(fixtureCopy('shop'), 'models/silver/orders.sql'));
  });

  it('refuses to rewrite a model whose formatted text would render differently, and says so', async () => {
    // The formatter cannot know that `col_{{ c }}` is one identifier: it would write `col_ {{ c }}`.
    const unsafe = "select\n{% for c in ['a', 'b'] %}\n    order_id as col_{{ c }},\n{% endfor %}\n    1 as one\nfrom {{ ref('orders') }}\n";
    const dir = fixtureCopy('shop', { [model]: unsafe });
    const report = await formatProject({ projectDir: dir, paths: [model], cwd: dir });
    expect(report.files).toEqual([{ path: model, status: 'unsafe', reason: 'the formatted template would render to different SQL' }]);
    expect(report.diagnostics.map((d) => [d.code, d.severity, d.message])).toEqual([
      ['format.unsafe', 'warning', `could not format ${model} safely: the formatted template would render to different SQL; left as it is`],
    ]);
    expect(read(dir, model)).toBe(unsafe);
  });
});

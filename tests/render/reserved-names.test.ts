// Names with `__charter_` belong to charter's own relations (staging tables, ephemeral CTEs): a model or seed may not
// take one, by its file name or by its alias.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileDir, compileErrors, fixtureCopy } from '../helpers/project.js';
import { marked } from '../helpers/marker.js';

describe('reserved node names', () => {
  it.each([
    ['a model with the staging suffix', 'models/silver/orders__charter_staged.sql'],
    ['a model with the prefix', 'models/silver/__charter_scratch.sql'],
    ['a model in another case', 'models/silver/ORDERS__CHARTER_STAGED.sql'],
  ])('%s is an error naming its file', async (_case, file) => {
    const errors = await compileErrors(fixtureCopy('shop', { [file]: 'select 1 as x' }));
    expect(errors).toEqual([expect.objectContaining({ code: 'node.invalid', location: { file, line: 1, column: 1 } })]);
    expect(errors[0]?.message).toContain('__charter_');
  });

  it('a seed with the staging suffix', async () => {
    const dir = fixtureCopy('shop');
    writeFileSync(path.join(dir, 'seeds', 'raw_orders__charter_staged.csv'), 'a\n1\n');
    const errors = await compileErrors(dir);
    expect(errors).toEqual([
      expect.objectContaining({ code: 'node.invalid', location: { file: 'seeds/raw_orders__charter_staged.csv', line: 1, column: 1 } }),
    ]);
  });

  it('an alias, pointing at it', async () => {
    const src = marked("select 1 as x\n{{ config(«alias='orders__charter_staged') }}");
    const errors = await compileErrors(fixtureCopy('shop', { 'models/silver/aliased.sql': src.text }));
    expect(errors).toEqual([
      expect.objectContaining({ code: 'node.invalid', location: { file: 'models/silver/aliased.sql', line: src.line, column: src.column } }),
    ]);
    expect(errors[0]?.message).toContain('alias');
  });

  it('names that only mention charter are fine', async () => {
    const p = await compileDir(fixtureCopy('shop', { 'models/silver/charter_summary.sql': 'select 1 as x', 'models/silver/x_charter__y.sql': 'select 2 as x' }));
    expect(p.nodes.has('model.shop.charter_summary')).toBe(true);
    expect(p.nodes.has('model.shop.x_charter__y')).toBe(true);
  });
});

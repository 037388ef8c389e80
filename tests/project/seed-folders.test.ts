// Seeds in subfolders load as dbt loads them (seeds/raw/orders.csv is the seed `orders`), configs beside them.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileDir, compileErrors, fixtureCopy } from '../helpers/project.js';

/** The shop fixture with raw_orders (its CSV and its config) moved into seeds/<folder>/. */
function shopWithSeedIn(folder: string): string {
  const dir = fixtureCopy('shop');
  mkdirSync(path.join(dir, 'seeds', folder), { recursive: true });
  for (const file of ['raw_orders.csv', 'raw_orders.yml']) renameSync(path.join(dir, 'seeds', file), path.join(dir, 'seeds', folder, file));
  return dir;
}

describe('seeds in subfolders', () => {
  it('load by their file name, with the config beside them', async () => {
    const dir = shopWithSeedIn('raw/2024');
    const project = await compileDir(dir);
    const seed = project.nodes.get('seed.shop.raw_orders');
    expect(seed?.kind === 'seed' ? seed.path : undefined).toBe('seeds/raw/2024/raw_orders.csv');
    expect(seed?.kind === 'seed' ? Object.keys(seed.columns).length : 0).toBeGreaterThan(0);
  });

  it('refuse two files of one name, and a config beside no CSV of its name', async () => {
    const dir = shopWithSeedIn('raw');
    writeFileSync(path.join(dir, 'seeds', 'raw_orders.csv'), readFileSync(path.join(dir, 'seeds', 'raw', 'raw_orders.csv')));
    writeFileSync(path.join(dir, 'seeds', 'raw', 'raw_order.yml'), readFileSync(path.join(dir, 'seeds', 'raw', 'raw_orders.yml')));
    const problems = await compileErrors(dir);
    expect(problems.map((d) => [d.code, d.message, d.location?.file])).toEqual(expect.arrayContaining([
      ['seed.invalid', 'seed `raw_orders` is defined by 2 files: seeds/raw/raw_orders.csv, seeds/raw_orders.csv', 'seeds/raw_orders.csv'],
      ['seed.invalid', 'seeds/raw/raw_order.yml configures a seed, but there is no raw_order.csv or .csv.gz beside it', 'seeds/raw/raw_order.yml'],
    ]));
  });
});

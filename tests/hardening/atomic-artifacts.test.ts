// A disk that fills up while charter writes an artifact leaves the previous artifact whole, never a truncated one,
// and no temporary file behind.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { charter, fixtureCopy, writeFiles } from '../helpers/project.js';
import { disk } from './fake-disk.js';

vi.mock('node:fs', async (importOriginal) => (await import('./fake-disk.js')).fakeFs(await importOriginal()));
vi.mock('node:fs/promises', async (importOriginal) => (await import('./fake-disk.js')).fakeFsPromises(await importOriginal()));

afterEach(() => disk.reset());

const readJson = (file: string): unknown => JSON.parse(readFileSync(file, 'utf8'));
const edit = (dir: string): void => writeFiles(dir, { 'models/silver/orders.sql': "select order_id, 1 as edited from {{ ref('orders_landed') }}" });
const leftovers = (dir: string): string[] =>
  (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.charter-tmp') || /\.tmp$/.test(f));

describe('artifacts are written whole or not at all', () => {
  it.each([
    ['manifest.json', 'target/manifest.json', 'kept'],
    ['compile state', 'target/.charter/compile-state.json', 'kept'],
    // A compile forgets the last fingerprint before it writes anything: absent (a full compile next time), not torn.
    ['fingerprint', 'target/.charter/fingerprint.json', 'absent'],
  ])('compile on a full disk leaves the previous %s readable', async (_name, file, outcome) => {
    const dir = fixtureCopy('shop');
    expect((await charter(['compile'], dir)).code).toBe(0);
    const before = readFileSync(path.join(dir, file), 'utf8');
    edit(dir);
    disk.full = new RegExp(path.basename(file).replace('.', '\\.'));
    const out = await charter(['compile'], dir);
    disk.reset();
    expect(out.code).toBe(1);
    if (outcome === 'kept') expect(readFileSync(path.join(dir, file), 'utf8')).toBe(before);
    else expect(existsSync(path.join(dir, file))).toBe(false);
    expect(leftovers(path.join(dir, 'target'))).toEqual([]);
  });

  it('a compiled SQL file cut short by a full disk is written again, even once the model is reverted', async () => {
    const dir = fixtureCopy('shop');
    expect((await charter(['compile'], dir)).code).toBe(0);
    const file = path.join(dir, 'target/compiled/models/silver/orders.sql');
    const model = path.join(dir, 'models/silver/orders.sql');
    const [before, original] = [readFileSync(file, 'utf8'), readFileSync(model, 'utf8')];
    edit(dir);
    disk.full = /compiled\/models\/silver\/orders\.sql/;
    const out = await charter(['compile'], dir);
    disk.reset();
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('orders.sql');
    writeFiles(dir, { 'models/silver/orders.sql': original });
    expect((await charter(['compile'], dir)).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('run_results.json, the translation cache and the JUnit file survive a full disk whole', async () => {
    const dir = fixtureCopy('shop');
    expect((await charter(['build', '--junit', 'junit.xml'], dir)).code).toBe(0);
    const files = ['target/run_results.json', 'target/.charter/translations.json'];
    const before = files.map((f) => readFileSync(path.join(dir, f), 'utf8'));
    const junit = readFileSync(path.join(dir, 'junit.xml'), 'utf8');

    disk.full = /run_results\.json/;
    expect((await charter(['build'], dir)).code).toBe(1);
    disk.full = /translations\.json/;
    edit(dir); // a new model: a new translation to save
    expect((await charter(['run', '-s', 'orders'], dir)).code).toBe(1);
    disk.full = /junit\.xml/;
    expect((await charter(['test', '--junit', 'junit.xml'], dir)).code).toBe(1);
    disk.reset();

    readJson(path.join(dir, files[0] as string));
    expect(readFileSync(path.join(dir, files[1] as string), 'utf8')).toBe(before[1]);
    expect(readFileSync(path.join(dir, 'junit.xml'), 'utf8')).toBe(junit);
    expect(leftovers(dir)).toEqual([]);
    expect(existsSync(path.join(dir, 'target', 'shop.duckdb'))).toBe(true);
  });
});

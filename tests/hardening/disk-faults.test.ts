// Faults of the machine, on a fake disk (node:fs replaced, so this file has a module cache of its own):
// - a disk that fills up while charter writes an artifact leaves the previous artifact whole, never a truncated one,
//   and no temporary file behind;
// - a full disk, a refused permission, a bad --junit path or an unreadable database file is the user's to fix: exit 1
//   with an io.error naming the path and the cause, never exit 70 "charter bug".
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
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

function expectIoError(out: { code: number; stderr: string }, ...mentions: string[]): void {
  expect(out.stderr).not.toContain('charter bug');
  expect(out.code).toBe(1);
  expect(out.stderr).toContain('io.error');
  for (const m of mentions) expect(out.stderr).toContain(m);
}

describe('environment errors', () => {
  it('a full disk while writing the manifest', async () => {
    const dir = fixtureCopy('shop');
    disk.full = /manifest\.json/;
    expectIoError(await charter(['compile'], dir), path.join(dir, 'target', 'manifest.json'), 'no space left');
  });

  it('a full disk under the statement log', async () => {
    const dir = fixtureCopy('shop');
    disk.full = /statements-.*\.jsonl/;
    expectIoError(await charter(['seed'], dir), 'statements-', '.jsonl', 'no space left');
  });

  it('permission denied on the compile state', async () => {
    const dir = fixtureCopy('shop');
    disk.denied = /compile-state\.json/;
    expectIoError(await charter(['compile'], dir), 'compile-state.json', 'permission denied');
  });

  it('a --junit path in a missing folder, or under a file, fails before anything is built', async () => {
    const dir = fixtureCopy('shop');
    expectIoError(await charter(['build', '--junit', 'no/such/dir/junit.xml'], dir), 'no/such/dir/junit.xml', 'does not exist');
    expectIoError(await charter(['test', '--junit', 'project.yml/junit.xml'], dir), 'project.yml/junit.xml', 'not a folder');
  });

  it('a --junit device that is full (/dev/full) is written in place and reported', async () => {
    const dir = fixtureCopy('shop');
    expectIoError(await charter(['test', '--unit', '--junit', '/dev/full'], dir), '/dev/full', 'no space left');
  });

  it('a database file that is not a database, or is a folder', async () => {
    const dir = fixtureCopy('shop');
    writeFiles(dir, { 'target/shop.duckdb': 'not a database, just text' });
    expectIoError(await charter(['seed'], dir), path.join(dir, 'target', 'shop.duckdb'), 'not a valid DuckDB database');
    const other = fixtureCopy('shop');
    mkdirSync(path.join(other, 'target', 'shop.duckdb'), { recursive: true });
    expectIoError(await charter(['seed'], other), path.join(other, 'target', 'shop.duckdb'));
  });

  it('a project.yml that is a folder is named, at project.yml', async () => {
    const dir = fixtureCopy('shop');
    const { rmSync } = await import('node:fs');
    rmSync(path.join(dir, 'project.yml'));
    mkdirSync(path.join(dir, 'project.yml'));
    const out = await charter(['compile'], dir);
    expectIoError(out, 'project.yml:1:1', path.join(dir, 'project.yml'), 'it is a folder');
  });

  it('a target folder that is a file', async () => {
    const dir = fixtureCopy('shop');
    writeFileSync(path.join(dir, 'target'), 'a file where the target folder should be');
    expectIoError(await charter(['compile'], dir), path.join(dir, 'target'));
  });
});

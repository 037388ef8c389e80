// A full disk, a refused permission, a bad --junit path or an unreadable database file is the user's to fix: exit 1
// with an io.error naming the path and the cause, never exit 70 "charter bug".
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { charter, fixtureCopy, writeFiles } from '../helpers/project.js';
import { disk } from './fake-disk.js';

vi.mock('node:fs', async (importOriginal) => (await import('./fake-disk.js')).fakeFs(await importOriginal()));
vi.mock('node:fs/promises', async (importOriginal) => (await import('./fake-disk.js')).fakeFsPromises(await importOriginal()));

afterEach(() => disk.reset());

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

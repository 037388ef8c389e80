// `charter clean` deletes only charter's own artifacts, and only from a folder charter has marked as its own.
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { charter, fixtureCopy, writeFiles } from '../helpers/project.js';

describe('charter clean', () => {
  it('removes compiled files, manifest, results, logs and caches, and nothing of the user in the target folder', async () => {
    const dir = fixtureCopy('shop');
    expect((await charter(['build'], dir)).code).toBe(0);
    writeFiles(dir, { 'target/notes.md': 'mine', 'target/exports/report.csv': 'a,b' });
    const out = await charter(['clean'], dir);
    expect(out.code).toBe(0);
    // Evidence bundles are an audit trail: clean never deletes them.
    expect(readdirSync(path.join(dir, 'target')).sort()).toEqual(['.charter-target', 'evidence', 'exports', 'notes.md', 'shop.duckdb']);
    expect((await charter(['clean', '--database'], dir)).code).toBe(0);
    expect(readdirSync(path.join(dir, 'target')).sort()).toEqual(['.charter-target', 'evidence', 'exports', 'notes.md']);
    // A cleaned folder stays charter's: cleaning again is no error.
    expect((await charter(['clean'], dir)).code).toBe(0);
  });

  it('refuses a target folder charter never marked, deleting nothing', async () => {
    const dir = fixtureCopy('shop');
    writeFiles(dir, { 'target/manifest.json': '{}', 'target/compiled/x.sql': 'select 1', 'target/shop.duckdb': 'db' });
    const out = await charter(['clean', '--database'], dir);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('clean.refused');
    expect(out.stderr).toContain('not marked as charter');
    expect(existsSync(path.join(dir, 'target', 'manifest.json'))).toBe(true);
    expect(existsSync(path.join(dir, 'target', 'shop.duckdb'))).toBe(true);
  });

  it.each(['.', '/', '../'])('with paths.target %j deletes nothing of the project (nor above it)', async (target) => {
    // The project sits in a folder of its own, so that even a wrong `../` could only reach a sentinel.
    const outer = mkdtempSync(path.join(tmpdir(), 'charter-clean-'));
    const dir = path.join(outer, 'project');
    cpSync(fixtureCopy('shop'), dir, { recursive: true });
    writeFiles(outer, { 'sentinel.txt': 'keep me' });
    writeFiles(dir, { '.git/HEAD': 'ref: refs/heads/main\n' });
    writeFileSync(path.join(dir, 'project.yml'), `${readFileSync(path.join(dir, 'project.yml'), 'utf8')}paths:\n  target: '${target}'\n`);
    const before = readdirSync(dir).sort();
    const out = await charter(['clean', '--database'], dir);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('project.invalid');
    expect(readdirSync(dir).sort()).toEqual(before);
    expect(existsSync(path.join(dir, 'models', 'silver', 'orders.sql'))).toBe(true);
    expect(existsSync(path.join(dir, '.git', 'HEAD'))).toBe(true);
    expect(existsSync(path.join(outer, 'sentinel.txt'))).toBe(true);
  });

  it('every command that writes into the target folder marks it', async () => {
    const dir = fixtureCopy('shop');
    expect((await charter(['compile'], dir)).code).toBe(0);
    expect(existsSync(path.join(dir, 'target', '.charter-target'))).toBe(true);
  });
});

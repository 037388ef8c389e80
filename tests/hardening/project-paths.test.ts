// Every path in project.yml stays inside the project: an escape is a located error, found before anything is read.
import { readFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError, type Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { loadProject } from '../../src/load/load-project.js';
import { charter, fixtureCopy, repoRoot, writeFiles } from '../helpers/project.js';
import { marked } from '../helpers/marker.js';

const shopYml = readFileSync(path.join(repoRoot, 'tests/fixtures/shop/project.yml'), 'utf8');

async function loadErrors(dir: string): Promise<readonly Diagnostic[]> {
  try {
    await loadProject({ projectDir: dir });
  } catch (e) {
    if (e instanceof UserError) return e.diagnostics;
    throw e;
  }
  throw new Error('expected load to fail');
}

describe('project paths', () => {
  it('paths.macros: / is a fast, located error, not a 300 s glob of the whole disk', async () => {
    const src = marked(`${shopYml}paths:\n  macros: «/\n`);
    const dir = fixtureCopy('shop', { 'project.yml': src.text });
    const t0 = performance.now();
    const [e, ...rest] = await loadErrors(dir);
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(rest).toEqual([]);
    expect(e).toMatchObject({ code: 'project.invalid', location: { file: 'project.yml', line: src.line, column: src.column } });
    expect(e?.message).toContain('paths.macros `/` is outside the project directory');
  }, 10_000);

  it('reports every escaping path at once, each as given', async () => {
    const src = marked(`${shopYml}paths:\n  models: ../elsewhere\n  seeds: «/etc\n  tests: models/../../x\n`);
    const errors = await loadErrors(fixtureCopy('shop', { 'project.yml': src.text }));
    expect(errors.map((e) => e.message.split(' is ')[0])).toEqual(['paths.models `../elsewhere`', 'paths.seeds `/etc`', 'paths.tests `models/../../x`']);
    expect(errors[1]?.location).toMatchObject({ line: src.line, column: src.column });
  });

  it('an absolute paths.target inside the project is that folder, not a copy of it under the project', async () => {
    const dir = fixtureCopy('shop');
    writeFiles(dir, { 'project.yml': `${shopYml}paths:\n  target: ${path.join(dir, 'build', 'out')}\n` });
    const loaded = await loadProject({ projectDir: dir });
    expect(loaded.paths.target).toBe('build/out');
    expect((await charter(['compile'], dir)).code).toBe(0);
    expect(readFileSync(path.join(dir, 'build', 'out', 'manifest.json'), 'utf8')).toContain('"run_id"');
  });

  it('refuses an absolute paths.target outside the project', async () => {
    const src = marked(`${shopYml}paths:\n  target: «/tmp/charter-elsewhere\n`);
    const [e] = await loadErrors(fixtureCopy('shop', { 'project.yml': src.text }));
    expect(e).toMatchObject({ code: 'project.invalid', location: { line: src.line, column: src.column } });
    expect(e?.message).toContain('`/tmp/charter-elsewhere`');
  });

  it.each(['.', './', '../', '/', 'models/..'])('refuses paths.target %j: the project or above it', async (target) => {
    const src = marked(`${shopYml}paths:\n  target: «'${target}'\n`);
    const [e] = await loadErrors(fixtureCopy('shop', { 'project.yml': src.text }));
    expect(e).toMatchObject({ code: 'project.invalid', location: { line: src.line, column: src.column } });
  });

  it('refuses a paths.target that leads to the project through a symbolic link', async () => {
    const dir = fixtureCopy('shop', { 'project.yml': `${shopYml}paths:\n  target: out\n` });
    symlinkSync(dir, path.join(dir, 'out'));
    const [e] = await loadErrors(dir);
    expect(e).toMatchObject({ code: 'project.invalid' });
    expect(e?.message).toContain('holds the project');
  });

  it('refuses a target folder inside a folder charter reads (its compiled SQL would load as models)', async () => {
    const [e] = await loadErrors(fixtureCopy('shop', { 'project.yml': `${shopYml}paths:\n  target: models/out\n` }));
    expect(e?.message).toContain('overlaps paths.models');
    // Seeds are read from their folder alone, not below it: seeds at the project's top level are fine.
    const seedsAtTop = fixtureCopy('shop', { 'project.yml': `${shopYml}paths:\n  seeds: .\n` });
    expect((await loadProject({ projectDir: seedsAtTop })).paths).toMatchObject({ seeds: '.', target: 'target' });
  });

  it('a folder named in project.yml must exist and be a folder (a misspelt one is not an empty one)', async () => {
    const src = marked(`${shopYml}paths:\n  models: «modles\n  seeds: seeds/raw_orders.csv\n`);
    const [missing, file] = await loadErrors(fixtureCopy('shop', { 'project.yml': src.text }));
    expect(missing).toMatchObject({ code: 'project.invalid', location: { line: src.line, column: src.column } });
    expect(missing?.message).toContain('paths.models `modles` does not exist');
    expect(missing?.hint).toContain('`models`');
    expect(file?.message).toContain('is a file, not a folder');
  });

  it("refuses a duckdb target's path outside the project, pointing at it", async () => {
    const src = marked(shopYml.replace('path: target/shop.duckdb', 'path: «../shop.duckdb'));
    const [e] = await loadErrors(fixtureCopy('shop', { 'project.yml': src.text }));
    expect(e).toMatchObject({ code: 'project.invalid', location: { line: src.line, column: src.column } });
    expect(e?.message).toContain('targets.dev.path `../shop.duckdb` is outside the project directory');
  });

  it('prints the error with its place through the CLI, exit 1', async () => {
    const dir = fixtureCopy('shop', { 'project.yml': `${shopYml}paths:\n  macros: /\n` });
    const out = await charter(['compile'], dir);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('project.yml:');
    expect(out.stderr).toContain('project.invalid');
  }, 10_000);
});

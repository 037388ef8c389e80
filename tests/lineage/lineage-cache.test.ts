// Column lineage traces persist in target/.charter/lineage.json between runs; an entry that was edited, or written by
// another charter version, is not trusted.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lineageCacheFile, readLineageCache } from '../../src/artifacts/lineage-cache.js';
import { loadProject } from '../../src/load/load-project.js';
import { projectLineage } from '../../src/pipeline/lineage.js';
import { compileProject } from '../../src/render/compile-project.js';
import { fixtureCopy } from '../helpers/project.js';

describe('the lineage cache', () => {
  it('keeps each model trace with a checksum, gives the same lineage back, and drops an entry edited by hand', async () => {
    const dir = fixtureCopy('tiny');
    const loaded = await loadProject({ projectDir: dir });
    const compiled = compileProject(loaded);
    const file = lineageCacheFile(loaded.rootDir, loaded.paths.target);
    const first = projectLineage(compiled, loaded.contracts, undefined, file);
    const models = Object.keys(first.models);
    expect(models.length).toBeGreaterThanOrEqual(3);
    const saved = readLineageCache(file);
    expect(saved.size).toBe(models.length);
    expect(projectLineage(compiled, loaded.contracts, undefined, file)).toEqual(first);

    const data = JSON.parse(readFileSync(file, 'utf8')) as { charter: string; entries: Record<string, { lineage: { columns: Array<{ column: string }> } }> };
    const [key] = Object.keys(data.entries);
    data.entries[key!]!.lineage.columns[0]!.column = 'forged';
    writeFileSync(file, JSON.stringify(data));
    expect(readLineageCache(file).has(key!)).toBe(false);
    expect(readLineageCache(file).size).toBe(models.length - 1);
    writeFileSync(file, JSON.stringify({ ...data, charter: '0.0.0-other' }));
    expect(readLineageCache(file).size).toBe(0);
    // Traced again where the cache could not be trusted, and the file is whole once more.
    expect(projectLineage(compiled, loaded.contracts, undefined, file)).toEqual(first);
    expect(readLineageCache(path.join(file)).size).toBe(models.length);
  });
});

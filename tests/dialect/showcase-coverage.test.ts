// Every Snowflake construct the showcase's models need translated must be pinned by a parity test, so a new model
// cannot quietly rely on an untested translation.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DuckDBAdapter } from '../../src/adapters/duckdb/adapter.js';
import { loadFunctionCatalog, unboundCalls } from '../../src/adapters/duckdb/function-catalog.js';
import { localParity } from '../../src/render/local-parity.js';
import { compileDir, repoRoot } from '../helpers/project.js';

/** Construct names the parity tests check, read from the `name:` fields of every snowflake-parity*.test.ts. */
function pinnedConstructs(): Set<string> {
  const dir = path.join(repoRoot, 'tests/dialect');
  const files = readdirSync(dir).filter((f) => /^snowflake-parity.*\.test\.ts$/.test(f));
  const text = files.map((f) => readFileSync(path.join(dir, f), 'utf8')).join('\n');
  return new Set([...text.matchAll(/\bname: '([^']+)'/g)].map((m) => (m[1] as string).split(/[ (:]/)[0] as string));
}

describe('the showcase', () => {
  it('uses only translated constructs that a parity test pins', async () => {
    const project = await compileDir(repoRoot);
    const adapter = new DuckDBAdapter({ file: ':memory:' });
    const parity = localParity(project, (sql) => adapter.translate(sql));
    const used = new Set(Object.values(parity).flatMap((p) => p.translated));
    const unsupported = Object.entries(parity).flatMap(([id, p]) => p.unsupported.map((u) => `${id}: ${u.construct}`));
    expect(unsupported).toEqual([]);
    expect(used.size).toBeGreaterThan(5);
    const pinned = pinnedConstructs();
    expect([...used].filter((c) => !pinned.has(c.split(/[ (:]/)[0] as string)).sort()).toEqual([]);
  });

  it('calls only functions DuckDB binds, checked against its catalog', async () => {
    const project = await compileDir(repoRoot);
    const adapter = new DuckDBAdapter({ file: ':memory:' });
    const catalog = await loadFunctionCatalog();
    const parity = localParity(project, (sql) => adapter.translate(sql), undefined, (sql, original) => unboundCalls(sql, original, catalog));
    expect(Object.entries(parity).flatMap(([id, p]) => p.unsupported.map((u) => `${id}: ${u.construct}`))).toEqual([]);
  });
});

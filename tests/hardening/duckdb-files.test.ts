// A target's DuckDB file: the catalog name charter derives is the one DuckDB gives it, and ':memory:' is a database
// in memory, not a file of that name.
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { duckdbCatalog } from '../../src/adapters/duckdb/database-file.js';
import { charter, fixtureCopy } from '../helpers/project.js';
import { queryWarehouse } from '../helpers/warehouse.js';

describe('the catalog of a DuckDB file', () => {
  it('is the name DuckDB itself gives the file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'charter-catalog-'));
    const names = ['dev.local.duckdb', 'plain', 'x.db', '.hidden.duckdb', 'a..b.duckdb', 'Mixed.Case.DB', 'main.duckdb', 'temp.db', 'system.x', 'my file.duckdb'];
    for (const name of names) {
      const file = path.join(dir, name);
      const instance = await DuckDBInstance.create(file);
      const connection = await instance.connect();
      const [[actual]] = (await connection.runAndReadAll('select current_database()')).getRows() as [[string]];
      connection.closeSync();
      instance.closeSync();
      expect(duckdbCatalog(file), name).toBe(actual);
    }
    expect(duckdbCatalog(':memory:')).toBe('memory');
  });

  it('a file name with dots builds (target/dev.local.duckdb, catalog "dev")', async () => {
    const dir = fixtureCopy('shop');
    const yml = path.join(dir, 'project.yml');
    const { readFileSync, writeFileSync } = await import('node:fs');
    writeFileSync(yml, readFileSync(yml, 'utf8').replace('path: target/shop.duckdb', 'path: target/dev.local.duckdb'));
    const out = await charter(['build'], dir);
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    const [row] = await queryWarehouse(dir, 'select count(*) as n from "dev"."PLATINUM"."customer_revenue"', 'target/dev.local.duckdb');
    expect(Number(row?.['n'])).toBeGreaterThan(0);
  });
});

describe("path: ':memory:'", () => {
  it('builds in memory and leaves no file named :memory:', async () => {
    const dir = fixtureCopy('shop');
    const yml = path.join(dir, 'project.yml');
    const { readFileSync, writeFileSync } = await import('node:fs');
    writeFileSync(yml, readFileSync(yml, 'utf8').replace('path: target/shop.duckdb', "path: ':memory:'"));
    const out = await charter(['build'], dir);
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('"memory"."PLATINUM"."customer_revenue"');
    const files = [...readdirSync(dir, { recursive: true })].map(String);
    expect(files.filter((f) => f.includes(':memory:') || f.endsWith('.duckdb'))).toEqual([]);
    expect(existsSync(path.join(dir, 'target', 'run_results.json'))).toBe(true);
    expect((await charter(['clean', '--database'], dir)).code).toBe(0);
  });
});

// The compile shortcut and the translation cache are trusted only while the files they stand for are intact.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { charter, fixtureCopy } from '../helpers/project.js';
import { queryWarehouse } from '../helpers/warehouse.js';

describe('the compile shortcut', () => {
  it('does not re-stamp a truncated manifest: it compiles again', async () => {
    const dir = fixtureCopy('shop');
    expect((await charter(['compile'], dir)).code).toBe(0);
    const manifest = path.join(dir, 'target', 'manifest.json');
    const text = readFileSync(manifest, 'utf8');
    writeFileSync(manifest, text.slice(0, text.length >> 1));
    expect((await charter(['compile'], dir)).code).toBe(0);
    const after = JSON.parse(readFileSync(manifest, 'utf8'));
    expect(Object.keys(after.nodes)).toHaveLength(Object.keys(JSON.parse(text).nodes).length);
  });

  it('does not trust a manifest edited in place (same size)', async () => {
    const dir = fixtureCopy('shop');
    expect((await charter(['compile'], dir)).code).toBe(0);
    const manifest = path.join(dir, 'target', 'manifest.json');
    const text = readFileSync(manifest, 'utf8');
    writeFileSync(manifest, text.replace('"model.shop.orders":{', '"model.shop.ORDERS":{'));
    expect((await charter(['compile'], dir)).code).toBe(0);
    expect(JSON.parse(readFileSync(manifest, 'utf8')).nodes['model.shop.orders']).toBeDefined();
  });

  it('writes target/compiled/ again when it was deleted', async () => {
    const dir = fixtureCopy('shop');
    expect((await charter(['compile'], dir)).stdout).toMatch(/13 files written/);
    rmSync(path.join(dir, 'target', 'compiled'), { recursive: true });
    expect((await charter(['compile'], dir)).stdout).toMatch(/13 files written, 0 unchanged/);
    expect(readFileSync(path.join(dir, 'target/compiled/models/silver/orders.sql'), 'utf8')).toContain('-- source: models/silver/orders.sql');
    // And with everything in place, the shortcut still applies.
    expect((await charter(['compile'], dir)).stdout).toMatch(/0 files written, 13 unchanged/);
  });
});

describe('the translation cache', () => {
  it('translates again an entry edited by hand instead of running it', async () => {
    const dir = fixtureCopy('shop');
    expect((await charter(['build'], dir)).code).toBe(0);
    const cacheFile = path.join(dir, 'target', '.charter', 'translations.json');
    const cache = JSON.parse(readFileSync(cacheFile, 'utf8'));
    // Whatever the layout, every cached translation now says the same wrong thing.
    for (const entry of Object.values(cache.entries) as Array<{ sql?: string; translation?: { sql: string } }>) {
      if (entry.translation) entry.translation.sql = "SELECT 'tampered' AS tampered";
      else entry.sql = "SELECT 'tampered' AS tampered";
    }
    writeFileSync(cacheFile, JSON.stringify(cache));
    const run = await charter(['build', '--full-refresh'], dir);
    expect(run.code).toBe(0);
    const [row] = await queryWarehouse(dir, 'select count(*) as n from "shop"."PLATINUM"."customer_revenue" where true');
    expect(Number(row?.['n'])).toBeGreaterThan(0);
    const columns = await queryWarehouse(dir, "select column_name from information_schema.columns where table_name = 'customer_revenue'");
    expect(columns.map((c) => c['column_name'])).not.toContain('tampered');
  });
});

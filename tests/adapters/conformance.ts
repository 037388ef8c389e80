// The adapter conformance suite: what every engine must do for charter, as one test body. DuckDB runs it in
// duckdb-conformance.test.ts; the Snowflake adapter will be held to the same body.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { positional, type Adapter } from '../../src/adapters/adapter.js';
import { closeEngine, openEngine } from '../../src/execute/engine.js';
import { buildModel, loadSeed } from '../../src/execute/materialize.js';
import { measureSlos } from '../../src/execute/measure-slos.js';
import type { RunContext } from '../../src/execute/run-context.js';
import { runDataTests } from '../../src/execute/run-data-test.js';
import { SessionPool } from '../../src/execute/session-pool.js';
import { StatementLog, type StatementRunner } from '../../src/execute/statement-runner.js';
import type { ModelConfig } from '../../src/project/model-config.js';
import type { ModelNode, SeedNode } from '../../src/project/nodes.js';
import type { Relation } from '../../src/project/relation.js';
import type { BoundSlo } from '../../src/render/bind-contracts.js';
import type { DataTest } from '../../src/render/render-contract-tests.js';

export interface ConformanceTarget {
  /** A new adapter on an empty database (not yet opened). */
  readonly create: () => Adapter;
  /** The database relations go in. */
  readonly database: string;
}

export function adapterConformance(name: string, target: ConformanceTarget): void {
  describe(`adapter conformance: ${name}`, () => {
    const log = new StatementLog();
    let adapter: Adapter;
    let pool: SessionPool;
    let ctx: RunContext;
    const rel = (identifier: string, schema = 'CONFORMANCE'): Relation => {
      const d = adapter.dialect;
      return { database: d.normalizeIdentifier(target.database), schema: d.normalizeIdentifier(schema), identifier: d.normalizeIdentifier(identifier) };
    };
    const model = (identifier: string, sql: string, config: Partial<ModelConfig> = {}): ModelNode => {
      const relation = rel(identifier);
      return {
        kind: 'model', uniqueId: `model.conformance.${identifier}`, name: identifier, path: `models/${identifier}.sql`, folders: [],
        config: { materialized: 'table', tags: [], enabled: true, ...config }, refs: [], sources: [], relation,
        relationName: adapter.dialect.renderRelation(relation), dependsOn: [], location: { file: `models/${identifier}.sql`, line: 1, column: 1 },
        compiledSql: sql, rawSql: sql, rawHash: '', compiledHash: '', dataHash: '', metadataHash: '',
      };
    };
    const query = async (sql: string): Promise<unknown[][]> => positional(await ctx.runner.run(sql, { purpose: 'test' }));
    const kind = (r: Relation): Promise<string | undefined> => adapter.relationKind(ctx.runner.run, r);

    beforeAll(async () => {
      adapter = target.create();
      await openEngine(adapter, log);
      pool = await SessionPool.open(adapter, 1, log);
      // One session for the whole suite: its context, as the executor builds it.
      ctx = await pool.with(async (runner: StatementRunner) => ({
        adapter, runner, fullRefresh: false, storeFailures: true, unredactedFailures: false, resetBaselines: false, contracts: new Map(),
        ops: { database: rel('x').database, schema: rel('x', 'OPS').schema },
        ensureSchema: (r: Relation) => pool.ensureSchema(runner, r), now: () => new Date('2025-01-01T00:00:00Z'),
      }));
    });
    afterAll(async () => {
      await pool?.close();
      if (adapter) await closeEngine(adapter, log);
    });

    it('installs what charter needs through the statement log, and may do so again', async () => {
      expect(log.records.filter((r) => r.purpose === 'setup').length).toBeGreaterThan(0);
      await adapter.prepare(ctx.runner.run);
    });

    it('returns values by the one row convention', async () => {
      const [row] = await query(
        "SELECT CAST(7 AS BIGINT), CAST(12.50 AS DECIMAL(18,2)), CAST(0.25 AS DOUBLE), TRUE, CAST('2024-03-01' AS DATE), CAST(NULL AS VARCHAR), 'x', count(*)",
      );
      expect(row).toEqual([7, '12.50', 0.25, true, '2024-03-01', null, 'x', 1]);
    });

    it('runs a statement once per row of bound values, and reads numbers, text and NULLs back', async () => {
      const bound = adapter.dialect.renderRelation(rel('bound'));
      await ctx.ensureSchema(rel('bound'));
      await ctx.runner.run(`CREATE OR REPLACE TABLE ${bound} (id INTEGER, label VARCHAR, amount DECIMAL(10,2))`, { purpose: 'setup' });
      const inserted = await ctx.runner.run(`INSERT INTO ${bound} VALUES (?, ?, ?)`, { purpose: 'seed' }, [[1, 'one', '1.50'], [2, null, null], [3, "it's", '-0.25']]);
      expect(inserted.rowsAffected).toBe(3);
      expect(await query(`SELECT id, label, amount FROM ${bound} ORDER BY id`)).toEqual([[1, 'one', '1.50'], [2, null, null], [3, "it's", '-0.25']]);
      expect(log.records.at(-2)).toMatchObject({ purpose: 'seed', boundRows: 3 });
    });

    it('builds a table, introspects it, counts it, and swaps a rebuild in', async () => {
      const orders = model('orders', "SELECT 1 AS order_id, CAST(10.5 AS NUMBER(18,2)) AS amount UNION ALL SELECT 2, 20");
      expect(await buildModel(ctx, orders)).toMatchObject({ rowsAffected: 2 });
      expect(await kind(orders.relation)).toBe('table');
      const columns = await adapter.describeRelation(ctx.runner.run, orders.relation);
      expect(columns.map((c) => c.name.toLowerCase())).toEqual(['order_id', 'amount']);
      expect(columns[1]?.type).toMatch(/^(DECIMAL|NUMBER)\(18,\s?2\)$/);
      expect(await adapter.countRows(ctx.runner.run, orders.relation)).toBe(2);
      await buildModel(ctx, { ...orders, compiledSql: 'SELECT 3 AS order_id, CAST(1 AS NUMBER(18,2)) AS amount' });
      expect(await query(`SELECT order_id FROM ${orders.relationName}`)).toEqual([[3]]);
      expect(await kind({ ...orders.relation, identifier: `${orders.relation.identifier}__charter_staged` })).toBeUndefined();
    });

    it('leaves the last good table in place when a rebuild fails, with nothing staged left behind', async () => {
      const good = model('stable', 'SELECT 1 AS id');
      await buildModel(ctx, good);
      await expect(buildModel(ctx, { ...good, compiledSql: 'SELECT id FROM no_such_relation_anywhere' })).rejects.toThrow();
      expect(await query(`SELECT id FROM ${good.relationName}`)).toEqual([[1]]);
      expect(await kind({ ...good.relation, identifier: `${good.relation.identifier}__charter_staged` })).toBeUndefined();
    });

    it('turns a table into a view and back', async () => {
      const shape = model('shape', 'SELECT 1 AS id');
      await buildModel(ctx, shape);
      await buildModel(ctx, { ...shape, config: { ...shape.config, materialized: 'view' } });
      expect(await kind(shape.relation)).toBe('view');
      await buildModel(ctx, shape);
      expect(await kind(shape.relation)).toBe('table');
    });

    it('merges an incremental model on its unique key, and appends without one', async () => {
      const events = model('events', "SELECT 1 AS id, 'a' AS v UNION ALL SELECT 2, 'b'", { materialized: 'incremental', uniqueKey: ['id'], incrementalStrategy: 'merge' });
      expect(await buildModel(ctx, events)).toMatchObject({ mode: 'full' });
      expect(await buildModel(ctx, { ...events, compiledSql: "SELECT 2 AS id, 'B' AS v UNION ALL SELECT 3, 'c'" })).toMatchObject({ mode: 'incremental', rowsAffected: 2 });
      expect(await query(`SELECT id, v FROM ${events.relationName} ORDER BY id`)).toEqual([[1, 'a'], [2, 'B'], [3, 'c']]);
      const log2 = model('log', 'SELECT 1 AS id', { materialized: 'incremental' });
      await buildModel(ctx, log2);
      await buildModel(ctx, log2);
      expect(await query(`SELECT count(*) FROM ${log2.relationName}`)).toEqual([[2]]);
    });

    it('loads a seed from a local CSV file with the declared types', async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'charter-conformance-'));
      const file = path.join(dir, 'prices.csv');
      writeFileSync(file, 'sku,price,on_sale\nA-1,10.50,true\nB-2,3.00,false\n');
      const relation = rel('prices');
      const seed: SeedNode = {
        kind: 'seed', uniqueId: 'seed.conformance.prices', name: 'prices', path: 'seeds/prices.csv', absolutePath: file, compressed: false,
        contentHash: '', tags: [], columns: { price: 'NUMBER(18,2)', on_sale: 'BOOLEAN' }, relation,
        relationName: adapter.dialect.renderRelation(relation), dependsOn: [], location: { file: 'seeds/prices.csv', line: 1, column: 1 },
        dataHash: '', metadataHash: '',
      };
      expect(await loadSeed(ctx, seed)).toEqual({ rowsAffected: 2 });
      expect(await query(`SELECT sku, price, on_sale FROM ${seed.relationName} ORDER BY sku`)).toEqual([['A-1', '10.50', true], ['B-2', '3.00', false]]);
    });

    it('runs failing-rows tests, keeping the failing rows when asked', async () => {
      const orders = model('tested', 'SELECT 1 AS id UNION ALL SELECT 1 UNION ALL SELECT 2');
      await buildModel(ctx, orders);
      const test = (id: string, sql: string): DataTest => ({
        id: `test.conformance.tested.${id}`, name: id, contract: 'c', modelId: orders.uniqueId, kind: 'expression', severity: 'error',
        errorIf: '!=0', warnIf: '!=0', sql, location: { file: 'contracts/c.yml', line: 1, column: 1 }, dependsOn: [],
      });
      const results = await runDataTests(ctx, [
        test('unique_id', `SELECT id FROM ${orders.relationName} GROUP BY id HAVING count(*) > 1`),
        test('positive', `SELECT * FROM ${orders.relationName} WHERE id <= 0`),
      ]);
      expect(results.map((r) => [r.name, r.status, r.failures])).toEqual([['unique_id', 'fail', 1], ['positive', 'pass', 0]]);
      expect(results[0]?.storedIn).toBeTruthy();
    });

    it('measures SLOs and keeps drift baselines in the OPS schema', async () => {
      const facts = model('facts', "SELECT 1 AS id, CAST('2024-12-30' AS DATE) AS d UNION ALL SELECT 2, NULL");
      await buildModel(ctx, facts);
      const at = { file: 'contracts/c.yml', line: 1, column: 1 };
      const slos: BoundSlo[] = [
        { slo: { kind: 'completeness', column: 'd', maxNullRate: 0.5, inclusive: true, severity: 'error' }, path: [], location: at },
        { slo: { kind: 'volume', min: 1, severity: 'error' }, path: [], location: at },
        { slo: { kind: 'drift', column: 'id', fail: 0.25, bins: 2, method: 'numeric', severity: 'error' }, path: [], location: at },
      ] as BoundSlo[];
      const measured = await measureSlos(ctx, facts, slos);
      expect(measured.map((m) => [m.kind, m.measured, m.status])).toEqual([['completeness', 0.5, 'pass'], ['volume', 2, 'pass'], ['drift', 0, 'pass']]);
      const again = await measureSlos(ctx, facts, slos.slice(2));
      expect(again[0]?.detail).toMatch(/^baseline of 2 rows/);
    });

    it('tags every statement it was sent', () => {
      expect(log.records.length).toBeGreaterThan(20);
      expect(log.records.every((r) => r.purpose)).toBe(true);
      expect(new Set(log.records.map((r) => r.purpose))).toEqual(new Set(['setup', 'schema', 'introspect', 'build', 'count', 'swap', 'cleanup', 'merge', 'seed', 'test']));
    });
  });
}

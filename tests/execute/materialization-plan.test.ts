// Materializations planned as data: the statements each kind of build sends, read without any database.
import { describe, expect, it } from 'vitest';
import type { DdlRenderer, RelationKind } from '../../src/adapters/ddl.js';
import { duckdbDdl } from '../../src/adapters/duckdb/ddl.js';
import { snowflakeDdl } from '../../src/adapters/snowflake/ddl.js';
import { planModel, planSeed, type BuildStep, type MaterializationPlan } from '../../src/execute/materialization-plan.js';
import type { ModelConfig } from '../../src/project/model-config.js';
import type { ModelNode, SeedNode } from '../../src/project/nodes.js';

const relation = { database: 'shop', schema: 'SILVER', identifier: 'orders' };

function model(config: Partial<ModelConfig>): ModelNode {
  return {
    kind: 'model', uniqueId: 'model.shop.orders', name: 'orders', path: 'models/silver/orders.sql', folders: ['silver'],
    config: { materialized: 'table', tags: [], enabled: true, ...config },
    refs: [], sources: [], relation, relationName: '"shop"."SILVER"."orders"', dependsOn: [],
    location: { file: 'models/silver/orders.sql', line: 1, column: 1 },
    compiledSql: 'select 1 as order_id', rawSql: '', rawHash: '', compiledHash: '', dataHash: '', metadataHash: '',
  };
}

const duckdb = (existing?: RelationKind, extra: { fullRefresh?: boolean; enforced?: boolean } = {}) => ({
  ddl: duckdbDdl, capabilities: { transactionalDdl: true }, existing, fullRefresh: extra.fullRefresh ?? false, enforced: extra.enforced ?? false,
});

/** A plan in one line per step, as a reviewer would read it. */
function show(plan: MaterializationPlan): string[] {
  const line = (s: BuildStep): string => {
    switch (s.kind) {
      case 'statement': return `${s.purpose}: ${s.sql.split('\n')[0]}`;
      case 'transaction': return `${s.purpose} transaction: ${s.statements.join('; ')}`;
      case 'ensure_schema': return `ensure schema ${s.relation.schema}`;
      case 'ensure_governance': return 'ensure governance';
      case 'load_csv': return `load ${s.seed.file} into ${s.relation.identifier}`;
      case 'check_contract': return `check contract on ${s.relation.identifier}`;
      case 'check_seed_columns': return `check ${s.declared.join(', ')} in ${s.relation.identifier}`;
      case 'count_rows': return `count ${s.relation.identifier}`;
      case 'protect': return `protect ${s.relation.identifier} over ${s.physical.identifier}`;
      case 'merge': return `merge ${s.staged.identifier} into ${s.target.identifier}${s.how.kind === 'append' ? ' (append)' : ` on ${s.how.key.join(', ')}${s.how.kind === 'replace' ? ' (replace)' : ''}`}`;
    }
  };
  return [...plan.steps.map(line), ...plan.onFailure.map((s) => `on failure, ${line(s)}`)];
}

describe('materialization plans', () => {
  it('a new view is created in place', () => {
    expect(show(planModel(model({ materialized: 'view' }), 'select 1', duckdb()))).toEqual([
      'ensure schema SILVER',
      'build: CREATE OR REPLACE VIEW "shop"."SILVER"."orders" AS',
    ]);
  });

  it('a view that replaces a table, or that a contract governs, is tried staged first', () => {
    expect(show(planModel(model({ materialized: 'view' }), 'select 1', duckdb('table', { enforced: true })))).toEqual([
      'ensure schema SILVER',
      'build: CREATE OR REPLACE VIEW "shop"."SILVER"."orders__charter_staged" AS',
      'check contract on orders__charter_staged',
      'cleanup: DROP VIEW IF EXISTS "shop"."SILVER"."orders__charter_staged"',
      'swap: DROP TABLE IF EXISTS "shop"."SILVER"."orders"',
      'build: CREATE OR REPLACE VIEW "shop"."SILVER"."orders" AS',
      'on failure, cleanup: DROP VIEW IF EXISTS "shop"."SILVER"."orders__charter_staged"',
    ]);
  });

  it('a table is built staged and swapped in, in one transaction where DDL is transactional', () => {
    expect(show(planModel(model({}), 'select 1', duckdb('view')))).toEqual([
      'ensure schema SILVER',
      'build: CREATE OR REPLACE TABLE "shop"."SILVER"."orders__charter_staged" AS',
      'count orders__charter_staged',
      'swap transaction: DROP VIEW IF EXISTS "shop"."SILVER"."orders"; ALTER TABLE "shop"."SILVER"."orders__charter_staged" RENAME TO "orders"',
      'on failure, cleanup: DROP TABLE IF EXISTS "shop"."SILVER"."orders__charter_staged"',
    ]);
  });

  it('where DDL commits on its own, the swap runs as separate statements', () => {
    const ddl: DdlRenderer = { ...duckdbDdl, swapTable: (staged, target) => [`ALTER TABLE ${staged.identifier} SWAP WITH ${target.identifier}`, `DROP TABLE ${staged.identifier}`] };
    const plan = planModel(model({}), 'select 1', { ...duckdb('table'), ddl, capabilities: { transactionalDdl: false } });
    expect(plan.steps.filter((s) => s.kind === 'transaction')).toEqual([]);
    expect(show(plan).slice(-3, -1)).toEqual(['swap: ALTER TABLE orders__charter_staged SWAP WITH orders', 'swap: DROP TABLE orders__charter_staged']);
  });

  it('an incremental model merges on its unique key into an existing table, appends without one, and is rebuilt on full refresh', () => {
    const merged = planModel(model({ materialized: 'incremental', uniqueKey: ['order_id'], incrementalStrategy: 'merge' }), 'select 1', duckdb('table'));
    expect(merged.mode).toBe('incremental');
    expect(show(merged).slice(2)).toEqual([
      'count orders__charter_staged',
      'merge orders__charter_staged into orders on order_id',
      'cleanup: DROP TABLE IF EXISTS "shop"."SILVER"."orders__charter_staged"',
      'on failure, cleanup: DROP TABLE IF EXISTS "shop"."SILVER"."orders__charter_staged"',
    ]);
    expect(show(planModel(model({ materialized: 'incremental' }), 'select 1', duckdb('table')))).toContain('merge orders__charter_staged into orders (append)');
    const first = planModel(model({ materialized: 'incremental', uniqueKey: ['order_id'], incrementalStrategy: 'merge' }), 'select 1', duckdb(undefined));
    const refreshed = planModel(model({ materialized: 'incremental', uniqueKey: ['order_id'], incrementalStrategy: 'merge' }), 'select 1', duckdb('table', { fullRefresh: true }));
    for (const plan of [first, refreshed]) {
      expect(plan.mode).toBe('full');
      expect(plan.steps.some((s) => s.kind === 'merge')).toBe(false);
      expect(show(plan)).toContainEqual(expect.stringMatching(/^swap transaction: /));
    }
  });

  it('a seed is loaded staged, its typed columns checked against the header, then swapped in', () => {
    const seed: SeedNode = {
      kind: 'seed', uniqueId: 'seed.shop.raw_orders', name: 'raw_orders', path: 'seeds/raw_orders.csv', absolutePath: '/p/seeds/raw_orders.csv',
      compressed: false, contentHash: '', tags: [], columns: { order_id: 'NUMBER(38,0)' }, dependsOn: [],
      relation: { database: 'shop', schema: 'BRONZE', identifier: 'raw_orders' }, relationName: '"shop"."BRONZE"."raw_orders"',
      location: { file: 'seeds/raw_orders.csv', line: 1, column: 1 }, dataHash: '', metadataHash: '',
    };
    expect(show(planSeed(seed, { ddl: duckdbDdl, capabilities: { transactionalDdl: true }, existing: undefined }))).toEqual([
      'ensure schema BRONZE',
      'load /p/seeds/raw_orders.csv into raw_orders__charter_staged',
      'check order_id in raw_orders__charter_staged',
      'count raw_orders__charter_staged',
      'swap transaction: ALTER TABLE "shop"."BRONZE"."raw_orders__charter_staged" RENAME TO "raw_orders"',
      'on failure, cleanup: DROP TABLE IF EXISTS "shop"."BRONZE"."raw_orders__charter_staged"',
    ]);
  });
});

describe("a governed model's plan", () => {
  // What attaches governance, as a stand-in: one statement naming the relation and how it is addressed.
  const governance = (relation: { identifier: string }, kind: string) => [`GOVERN ${kind} ${relation.identifier}`];
  const snowflakeLike = (existing?: RelationKind, extra: { fullRefresh?: boolean; enforced?: boolean } = {}) =>
    ({ ...duckdb(existing, extra), ddl: snowflakeDdl, capabilities: { transactionalDdl: false }, governance });

  it('a table gets its governance under its staged name, after its checks and before the swap; the project first', () => {
    expect(show(planModel(model({}), 'select 1', snowflakeLike('table', { enforced: true })))).toEqual([
      'ensure schema SILVER',
      'ensure governance',
      'build: CREATE OR REPLACE TABLE "SHOP"."SILVER"."ORDERS__CHARTER_STAGED" AS',
      'check contract on orders__charter_staged',
      'count orders__charter_staged',
      'governance: GOVERN table orders__charter_staged',
      'swap: ALTER TABLE "SHOP"."SILVER"."ORDERS__CHARTER_STAGED" SWAP WITH "SHOP"."SILVER"."ORDERS"',
      'swap: DROP TABLE IF EXISTS "SHOP"."SILVER"."ORDERS__CHARTER_STAGED"',
      'on failure, cleanup: DROP TABLE IF EXISTS "SHOP"."SILVER"."ORDERS__CHARTER_STAGED"',
    ]);
  });

  it('a merge leaves the governance the table has; a full build of an incremental model governs its staged table', () => {
    const incremental = model({ materialized: 'incremental', uniqueKey: ['order_id'], incrementalStrategy: 'merge' });
    expect(show(planModel(incremental, 'select 1', snowflakeLike('table'))).filter((l) => /governance/.test(l))).toEqual([]);
    expect(show(planModel(incremental, 'select 1', snowflakeLike('table', { fullRefresh: true })))).toContain('governance: GOVERN table orders__charter_staged');
  });

  it('a view is governed under its staged name and renamed into place: its name is never bare', () => {
    expect(show(planModel(model({ materialized: 'view' }), 'select 1', snowflakeLike('view', { enforced: true })))).toEqual([
      'ensure schema SILVER',
      'ensure governance',
      'build: CREATE OR REPLACE VIEW "SHOP"."SILVER"."ORDERS__CHARTER_STAGED" COPY GRANTS AS',
      'check contract on orders__charter_staged',
      'governance: GOVERN view orders__charter_staged',
      'swap: DROP VIEW IF EXISTS "SHOP"."SILVER"."ORDERS"',
      'swap: ALTER VIEW "SHOP"."SILVER"."ORDERS__CHARTER_STAGED" RENAME TO "SHOP"."SILVER"."ORDERS"',
      'on failure, cleanup: DROP VIEW IF EXISTS "SHOP"."SILVER"."ORDERS__CHARTER_STAGED"',
    ]);
    // Without a way to rename a view, the engine's view is governed right after it is replaced.
    expect(show(planModel(model({ materialized: 'view' }), 'select 1', { ...duckdb(), governance }))).toEqual([
      'ensure schema SILVER',
      'ensure governance',
      'build: CREATE OR REPLACE VIEW "shop"."SILVER"."orders" AS',
      'governance: GOVERN view orders',
    ]);
  });

  it('a dynamic table is governed right after it is created; nothing to attach, nothing changes', () => {
    const dynamic = model({ materialized: 'dynamic_table', targetLag: '1 hour', snowflakeWarehouse: 'WH' });
    expect(show(planModel(dynamic, 'select 1', snowflakeLike(undefined))).slice(1)).toEqual([
      'ensure governance',
      'build: CREATE OR REPLACE DYNAMIC TABLE "SHOP"."SILVER"."ORDERS"',
      'governance: GOVERN dynamic_table orders',
      'count orders',
    ]);
    const ungoverned = { ...snowflakeLike('table'), governance: () => [] };
    expect(planModel(model({}), 'select 1', ungoverned)).toEqual(planModel(model({}), 'select 1', { ...ungoverned, governance: undefined }));
  });
});

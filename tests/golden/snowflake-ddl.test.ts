// Golden file: every statement charter's materialization plans would send to Snowflake for the showcase (target
// prod), for a first build and for a rebuild over existing tables (swaps, and the incremental models' delete and
// insert on their contract's columns). Each statement must also parse as Snowflake SQL. After an intended change,
// UPDATE_GOLDEN=1 npx vitest run tests/golden rewrites the file; review its diff like code.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Dialect, parse } from '@polyglot-sql/sdk';
import { describe, expect, it } from 'vitest';
import type { Adapter } from '../../src/adapters/adapter.js';
import { duckdbDdl } from '../../src/adapters/duckdb/ddl.js';
import { snowflakeCapabilities, snowflakeDdl } from '../../src/adapters/snowflake/ddl.js';
import { snowflakeDialect } from '../../src/adapters/snowflake/dialect.js';
import { snowflakeGovernanceDdl } from '../../src/adapters/snowflake/governance-ddl.js';
import { planChange } from '../../src/execute/deploy-steps.js';
import { planModel, type BuildStep } from '../../src/execute/materialization-plan.js';
import { purgeOf } from '../../src/execute/retention-purge.js';
import type { NodeChange } from '../../src/plan/deploy-diff.js';
import type { ModelNode } from '../../src/project/nodes.js';
import type { Relation } from '../../src/project/relation.js';
import type { GovernedKind } from '../../src/adapters/governance.js';
import { compile } from '../../src/pipeline/compile.js';
import { showcaseCopy } from '../helpers/showcase.js';
import { parsesAsSnowflake } from '../helpers/snowflake-parse.js';

const GOLDEN = path.join(path.dirname(new URL(import.meta.url).pathname), 'snowflake-showcase.sql');

function statementsOf(steps: readonly BuildStep[], contractColumns: readonly string[]): string[] {
  return steps.flatMap((step): string[] => {
    switch (step.kind) {
      case 'statement':
        return [step.sql];
      case 'transaction':
        return [...step.statements];
      case 'ensure_schema':
        return [snowflakeDdl.createSchema(step.relation.database, step.relation.schema)];
      case 'merge':
        // On a table with the contract's columns, as a governed incremental model's table has.
        return step.how.kind === 'upsert' ? snowflakeDdl.mergeInto(step.target, step.staged, step.how.key, contractColumns)
          : step.how.kind === 'replace' ? snowflakeDdl.replaceRows(step.target, step.staged, step.how.key, contractColumns)
            : [snowflakeDdl.appendInto(step.target, step.staged, contractColumns)];
      default:
        // Checks and counts read the warehouse; they send no statement of their own here. The project's governance
        // (ensure_governance) is sent once per run, not per model.
        return [];
    }
  });
}

describe('the Snowflake SQL of the showcase', async () => {
  const session = await compile({ projectDir: showcaseCopy({ contracts: true }), target: 'prod', format: false });
  const models = [...session.compiled.nodes.values()].filter((n): n is ModelNode => n.kind === 'model').sort((a, b) => a.name.localeCompare(b.name));
  const sections = models.flatMap((model) => {
    const governed = session.contracts.byModel.get(model.uniqueId);
    const columns = governed?.governed.columns.map((c) => c.name) ?? [];
    // What a governed model's relation gets attached, as a build on the prod target attaches it (the project's
    // policies, created once per run, are pinned in snowflake-governance.sql).
    const governance = session.governance.relations.get(model.uniqueId);
    const at = { database: session.compiled.target.database, schema: session.governance.schema };
    const attach = governance ? { governance: (relation: Relation, kind: GovernedKind) => snowflakeGovernanceDdl.attach(governance, relation, kind, at) } : {};
    // The rows its contract's retention says must not be kept, deleted as a build deletes them.
    const purge = purgeOf({ dialect: snowflakeDialect, engine: 'snowflake' }, governed);
    const plan = (existing: 'table' | undefined, body: string) =>
      statementsOf(planModel(model, body, { ddl: snowflakeDdl, capabilities: snowflakeCapabilities, existing, fullRefresh: false, enforced: Boolean(governed), ...attach, ...(purge ? { purge } : {}) }).steps, columns);
    const first = { title: `${model.name}: first build`, statements: plan(undefined, model.compiledSql) };
    if (model.config.materialized === 'view') return [first];
    const body = model.config.materialized === 'incremental' ? (model.incrementalSql ?? model.compiledSql) : model.compiledSql;
    return [first, { title: `${model.name}: over an existing table`, statements: plan('table', body) }];
  });
  const text = sections.map((s) => `-- ==== ${s.title}\n${s.statements.map((sql) => `${sql};`).join('\n\n')}\n`).join('\n');

  it('is the golden file', () => {
    if (process.env['UPDATE_GOLDEN'] || !existsSync(GOLDEN)) writeFileSync(GOLDEN, text);
    expect(text).toBe(readFileSync(GOLDEN, 'utf8'));
    expect(models).toHaveLength(19);
  });

  it('parses as Snowflake SQL, statement by statement', () => {
    const failures = sections.flatMap((s) => s.statements.filter((sql) => !parsesAsSnowflake(sql)).map((sql) => `${s.title}: ${sql.slice(0, 120)}`));
    expect(failures).toEqual([]);
  });

  it('swaps tables atomically, governs what it stages before it takes the name, and loads the incremental models by key', () => {
    expect(text).toContain('ALTER TABLE "PHANTOM_SEC"."PLATINUM"."DIM_CUSTOMER_360__CHARTER_STAGED" SWAP WITH "PHANTOM_SEC"."PLATINUM"."DIM_CUSTOMER_360"');
    // A governed view is built staged, governed there, and renamed into place (a replace would drop its policies).
    expect(text).toMatch(/MASK_PII" FORCE;\n\nGRANT SELECT ON VIEW "PHANTOM_SEC"\."BRONZE"\."BRZ_CUSTOMERS__CHARTER_STAGED" TO ROLE "DATA_ENGINEER";\n\nALTER VIEW "PHANTOM_SEC"\."BRONZE"\."BRZ_CUSTOMERS__CHARTER_STAGED" RENAME TO "PHANTOM_SEC"\."BRONZE"\."BRZ_CUSTOMERS";/);
    expect(text).not.toMatch(/CREATE OR REPLACE VIEW "PHANTOM_SEC"\."BRONZE"\."BRZ_CUSTOMERS" /);
    expect(text).toContain('DELETE FROM "PHANTOM_SEC"."PLATINUM"."FCT_MRR_MONTHLY" WHERE ("MONTH_START") IN (SELECT "MONTH_START" FROM "PHANTOM_SEC"."PLATINUM"."FCT_MRR_MONTHLY__CHARTER_STAGED")');
    expect(text).not.toMatch(/BEGIN TRANSACTION/);
  });
});

describe("Snowflake's own kinds of relation", () => {
  const relation = { database: 'PHANTOM_SEC', schema: 'PLATINUM', identifier: 'ARR_FRESH' };
  const model = (config: Partial<ModelNode['config']>): ModelNode => ({
    kind: 'model', uniqueId: 'model.phantom_sec.arr_fresh', name: 'arr_fresh', path: 'models/platinum/arr_fresh.sql', folders: ['platinum'],
    config: { materialized: 'table', tags: [], enabled: true, ...config }, refs: [], sources: [], relation,
    relationName: '"PHANTOM_SEC"."PLATINUM"."ARR_FRESH"', dependsOn: [], location: { file: 'models/platinum/arr_fresh.sql', line: 1, column: 1 },
    compiledSql: 'select 1 as id', rawSql: '', rawHash: '', compiledHash: '', dataHash: '', metadataHash: '',
  });
  const sent = (config: Partial<ModelNode['config']>, existing?: 'table' | 'view', enforced = false) =>
    statementsOf(planModel(model(config), 'select 1 as id', { ddl: snowflakeDdl, capabilities: snowflakeCapabilities, existing, fullRefresh: false, enforced }).steps, ['id', 'v']);

  it('a dynamic table is created in place with its lag and warehouse; a contract is checked first on a staged view', () => {
    expect(sent({ materialized: 'dynamic_table', targetLag: '15 minutes', snowflakeWarehouse: 'transform_wh', transient: true }, 'view', true)).toEqual([
      'CREATE SCHEMA IF NOT EXISTS "PHANTOM_SEC"."PLATINUM"',
      'CREATE OR REPLACE VIEW "PHANTOM_SEC"."PLATINUM"."ARR_FRESH__CHARTER_STAGED" COPY GRANTS AS\nselect 1 as id',
      'DROP VIEW IF EXISTS "PHANTOM_SEC"."PLATINUM"."ARR_FRESH__CHARTER_STAGED"',
      'DROP VIEW IF EXISTS "PHANTOM_SEC"."PLATINUM"."ARR_FRESH"',
      'CREATE OR REPLACE TRANSIENT DYNAMIC TABLE "PHANTOM_SEC"."PLATINUM"."ARR_FRESH"\nTARGET_LAG = \'15 minutes\' WAREHOUSE = "TRANSFORM_WH" COPY GRANTS AS\nselect 1 as id',
    ]);
    expect(sent({ materialized: 'dynamic_table', targetLag: 'downstream', snowflakeWarehouse: 'WH' }).at(-1)).toContain('TARGET_LAG = DOWNSTREAM WAREHOUSE = "WH"');
  });

  it('secure views, transient tables and a MERGE on the unique key', () => {
    expect(sent({ materialized: 'view', secure: true })).toContain('CREATE OR REPLACE SECURE VIEW "PHANTOM_SEC"."PLATINUM"."ARR_FRESH" COPY GRANTS AS\nselect 1 as id');
    expect(sent({ transient: true })[1]).toBe('CREATE OR REPLACE TRANSIENT TABLE "PHANTOM_SEC"."PLATINUM"."ARR_FRESH__CHARTER_STAGED" AS\nselect 1 as id');
    const merge = sent({ materialized: 'incremental', uniqueKey: ['id'], incrementalStrategy: 'merge' }, 'table');
    expect(merge).toContain([
      'MERGE INTO "PHANTOM_SEC"."PLATINUM"."ARR_FRESH" AS "CHARTER_TARGET" USING "PHANTOM_SEC"."PLATINUM"."ARR_FRESH__CHARTER_STAGED" AS "CHARTER_STAGED"',
      'ON "CHARTER_TARGET"."ID" = "CHARTER_STAGED"."ID"',
      'WHEN MATCHED THEN UPDATE SET "V" = "CHARTER_STAGED"."V"',
      'WHEN NOT MATCHED THEN INSERT ("ID", "V") VALUES ("CHARTER_STAGED"."ID", "CHARTER_STAGED"."V")',
    ].join('\n'));
    for (const sql of [...merge, ...sent({ materialized: 'dynamic_table', targetLag: '1 hour', snowflakeWarehouse: 'WH' })]) expect(parse(sql, Dialect.Snowflake).success, sql).toBe(true);
  });

  // A deploy plan's changes, on an adapter that is only its SQL (nothing here connects).
  const snowflake = { engine: 'snowflake', dialect: snowflakeDialect, ddl: snowflakeDdl, capabilities: snowflakeCapabilities } as unknown as Adapter;
  const change = (kind: NodeChange['kind'], materialized: NodeChange['materialized'], extra: Partial<NodeChange> = {}): NodeChange => ({
    kind, node: 'model.phantom_sec.arr_fresh', name: 'arr_fresh', nodeKind: 'model', materialized, relationName: '"PHANTOM_SEC"."PLATINUM"."ARR_FRESH"', reasons: [], breaking: [], ...extra,
  });

  it('a deployed dynamic table is dropped as one (DROP TABLE refuses it); DuckDB drops the table it built', () => {
    const previous = { relation: { schema: 'PLATINUM', identifier: 'ARR_FRESH' }, relationName: '"PHANTOM_SEC"."PLATINUM"."ARR_FRESH"' };
    const dropped = (materialized: NodeChange['materialized']) =>
      planChange(change('drop', materialized, { previous: { ...previous, materialized } }), undefined, { adapter: snowflake, database: 'PHANTOM_SEC', existing: 'table', enforced: false }).sql;
    expect(dropped('dynamic_table')).toEqual(['DROP DYNAMIC TABLE IF EXISTS "PHANTOM_SEC"."PLATINUM"."ARR_FRESH"']);
    expect(dropped('table')).toEqual(['DROP TABLE IF EXISTS "PHANTOM_SEC"."PLATINUM"."ARR_FRESH"']);
    expect(dropped('view')).toEqual(['DROP VIEW IF EXISTS "PHANTOM_SEC"."PLATINUM"."ARR_FRESH"']);
    // Snowflake's DROP DYNAMIC TABLE [IF EXISTS] <name>; the SQL parser used here knows no DROP DYNAMIC at all.
    expect(duckdbDdl.dropDynamicTable(relation)).toBe('DROP TABLE IF EXISTS "PHANTOM_SEC"."PLATINUM"."ARR_FRESH"');
  });

  it("an alter adds the contract's column by its Snowflake type, on its own (DDL commits implicitly), then merges", () => {
    const contract = { name: 'arr', version: '1.0.0', columns: [{ name: 'id', dataType: 'NUMBER(38,0)' }, { name: 'v', dataType: 'VARCHAR' }, { name: 'risk_score', dataType: 'NUMBER(10,2)' }] };
    const node = model({ materialized: 'incremental', uniqueKey: ['id'], incrementalStrategy: 'merge' });
    const deployment = { node: node.uniqueId, kind: 'model' as const, materialized: 'incremental' as const, relation, relationName: node.relationName, dataChecksum: 'd2', metadataChecksum: 'm2', contract };
    const { sql } = planChange(change('alter', 'incremental', { deployment, added: [{ name: 'risk_score', dataType: 'NUMBER(10,2)' }] }), node, {
      adapter: snowflake, database: 'PHANTOM_SEC', existing: 'table', enforced: true,
    });
    expect(sql.slice(3)).toEqual([
      'ALTER TABLE "PHANTOM_SEC"."PLATINUM"."ARR_FRESH" ADD COLUMN IF NOT EXISTS "RISK_SCORE" NUMBER(10,2)',
      'BEGIN TRANSACTION',
      [
        'MERGE INTO "PHANTOM_SEC"."PLATINUM"."ARR_FRESH" AS "CHARTER_TARGET" USING "PHANTOM_SEC"."PLATINUM"."ARR_FRESH__CHARTER_STAGED" AS "CHARTER_STAGED"',
        'ON "CHARTER_TARGET"."ID" = "CHARTER_STAGED"."ID"',
        'WHEN MATCHED THEN UPDATE SET "V" = "CHARTER_STAGED"."V", "RISK_SCORE" = "CHARTER_STAGED"."RISK_SCORE"',
        'WHEN NOT MATCHED THEN INSERT ("ID", "V", "RISK_SCORE") VALUES ("CHARTER_STAGED"."ID", "CHARTER_STAGED"."V", "CHARTER_STAGED"."RISK_SCORE")',
      ].join('\n'),
      'COMMIT',
      'DROP TABLE IF EXISTS "PHANTOM_SEC"."PLATINUM"."ARR_FRESH__CHARTER_STAGED"',
    ]);
    for (const statement of sql.filter((s) => !s.startsWith('--'))) expect(parse(statement, Dialect.Snowflake).success, statement).toBe(true);
  });
});

// Decide, then do: what building a node takes, as data. Given the node, what exists in the warehouse now and
// the engine's DDL, a plan lists the steps in order and what to undo if one fails. Pure; materialize.ts runs it.
import type { AdapterCapabilities, CsvSeed, StatementPurpose } from '../adapters/adapter.js';
import type { DdlRenderer, RelationKind } from '../adapters/ddl.js';
import type { GovernedKind } from '../adapters/governance.js';
import type { SchemaChangePolicy } from '../project/model-config.js';
import type { ModelNode, SeedNode } from '../project/nodes.js';
import { stagedRelation, type Relation } from '../project/relation.js';
import type { Column, SchemaResolution } from './schema-change.js';

export type BuildStep =
  | { readonly kind: 'ensure_schema'; readonly relation: Relation }
  /** The project's policies, tags and roles, created once per run, before the first governed relation is built. */
  | { readonly kind: 'ensure_governance' }
  | { readonly kind: 'statement'; readonly sql: string; readonly purpose: StatementPurpose }
  /** BEGIN ... COMMIT around the statements; ROLLBACK when one fails. */
  | { readonly kind: 'transaction'; readonly statements: readonly string[]; readonly purpose: 'swap' | 'merge' }
  | { readonly kind: 'load_csv'; readonly relation: Relation; readonly seed: CsvSeed; readonly path: string }
  /** The relation's columns against the model's contract; a breach fails the build before anything is replaced. */
  | { readonly kind: 'check_contract'; readonly relation: Relation }
  /** Every column typed in a seed's config is in its CSV header. */
  | { readonly kind: 'check_seed_columns'; readonly relation: Relation; readonly declared: readonly string[]; readonly seed: string; readonly file: string }
  /**
   * On an engine without policies of its own (DuckDB): the public name `relation` becomes the view that masks and
   * filters `physical`, where the model was built, in one transaction with dropping what was there. The view selects
   * the physical relation's columns as built, so its SQL is made when the step runs.
   */
  | { readonly kind: 'protect'; readonly relation: Relation; readonly physical: Relation }
  /** The rows the build writes, reported as rows affected. */
  | { readonly kind: 'count_rows'; readonly relation: Relation }
  /**
   * Into `target` from `staged`: a MERGE on the unique key (`upsert`), the rows of the covered partitions replaced
   * (`replace`, keyed on the partition column), or appended. Both relations' columns are read first, and a
   * difference is settled by `onSchemaChange` before anything is written.
   */
  | {
    readonly kind: 'merge'; readonly target: Relation; readonly staged: Relation; readonly how: MergeHow;
    readonly onSchemaChange: SchemaChangePolicy; readonly model: { readonly name: string; readonly path: string };
    /**
     * A deploy's alter: columns added to `target` first (in the merge's transaction where DDL is transactional),
     * typed as the contract declares them; IF NOT EXISTS, since an alter resumed after a kill may find them there.
     */
    readonly addColumns?: readonly Column[];
    /**
     * The columns it inserts when both relations have exactly these (a governed model's contract's), so that the
     * statements are known, and shown, before the build.
     */
    readonly columns?: readonly string[];
  };

export type MergeHow =
  | { readonly kind: 'upsert' | 'replace'; readonly key: readonly string[] }
  | { readonly kind: 'append' };

export interface MaterializationPlan {
  readonly node: string;
  readonly steps: readonly BuildStep[];
  /** Best-effort clean-up when a step fails: drop whatever the plan staged. */
  readonly onFailure: readonly BuildStep[];
  /** For incremental models: merge into the existing table, or build it afresh. */
  readonly mode?: 'full' | 'incremental';
}

export interface PlanContext {
  readonly ddl: DdlRenderer;
  readonly capabilities: AdapterCapabilities;
  /** What the target relation is now, if it exists. */
  readonly existing: RelationKind | undefined;
  readonly fullRefresh: boolean;
  /** A contract with declared columns governs the model. */
  readonly enforced: boolean;
  /**
   * The statements that attach the model's governance (tags, masking, row access, grants) to `relation`, a relation
   * of it just built; none for an ungoverned model, or on an engine that enforces governance otherwise. A table or
   * view gets them under its staged name, before it takes the target's, so the target's name never shows it bare.
   */
  readonly governance?: (relation: Relation, kind: GovernedKind) => readonly string[];
  /**
   * The statements that delete from `relation`, a table of the model just built or merged into, the rows its
   * contract's retention says must not be kept (purge: true); none otherwise. A full build purges its staged table,
   * so the target's name never shows them; an incremental run purges the table after its merge.
   */
  readonly purge?: (relation: Relation) => readonly string[];
}

/** Whether an incremental model merges into what exists (otherwise it is built in full). */
export const mergesIncrementally = (model: ModelNode, existing: RelationKind | undefined, fullRefresh: boolean): boolean =>
  model.config.materialized === 'incremental' && existing === 'table' && !fullRefresh;

/** `body` is the model's SELECT as the engine runs it (translated where the engine needs it). */
export function planModel(model: ModelNode, body: string, ctx: PlanContext): MaterializationPlan {
  const { ddl } = ctx;
  const target = model.relation;
  const staged = stagedRelation(target);
  const statement = (sql: string, purpose: StatementPurpose): BuildStep => ({ kind: 'statement', sql, purpose });
  const ensure: BuildStep = { kind: 'ensure_schema', relation: target };
  // The project's policies exist before anything of a governed model is built: attaching names them, and a run that
  // cannot create them fails the governed model before its build, not after.
  const attach = (relation: Relation, kind: GovernedKind): BuildStep[] => (ctx.governance?.(relation, kind) ?? []).map((sql) => statement(sql, 'governance'));
  const setup = (governed: readonly BuildStep[]): BuildStep[] => (governed.length ? [ensure, { kind: 'ensure_governance' }] : [ensure]);

  if (model.config.materialized === 'dynamic_table') return planDynamicTable(model, body, ctx);

  if (model.config.materialized === 'view') {
    const view = { secure: model.config.secure ?? false };
    const create = statement(ddl.createView(target, body, view), 'build');
    const dropStaged = statement(ddl.dropRelation(staged, 'view'), 'cleanup');
    const check: BuildStep[] = ctx.enforced ? [{ kind: 'check_contract', relation: staged }] : [];
    const governed = attach(staged, 'view');
    if (governed.length && ddl.renameView) {
      // CREATE OR REPLACE VIEW makes a new view without the old one's policies, so a governed view is built under
      // its staged name, governed there, and renamed into place: the name is briefly absent (a query fails), never
      // bare. COPY GRANTS has nothing to copy onto a new name; the contract's roles_allowed are the grants it gets.
      return {
        node: model.uniqueId,
        steps: [...setup(governed), statement(ddl.createView(staged, body, view), 'build'), ...check, ...governed,
          ...ddl.renameView(staged, target, ctx.existing).map((sql) => statement(sql, 'swap'))],
        onFailure: [dropStaged],
      };
    }
    // Governance after the final CREATE OR REPLACE (an engine that cannot rename a view) leaves the view bare until
    // the statements after it run.
    const after = governed.length ? attach(target, 'view') : [];
    // A view that replaces a table, or that a contract governs, is built staged first, so a bad query or a
    // contract breach fails before anything is replaced.
    if (ctx.existing !== 'table' && !ctx.enforced) return { node: model.uniqueId, steps: [...setup(after), create, ...after], onFailure: [] };
    return {
      node: model.uniqueId,
      steps: [
        ...setup(after),
        statement(ddl.createView(staged, body, view), 'build'),
        ...check,
        dropStaged,
        ...(ctx.existing === 'table' ? [statement(ddl.dropRelation(target, 'table'), 'swap')] : []),
        create,
        ...after,
      ],
      onFailure: [dropStaged],
    };
  }

  const incremental = mergesIncrementally(model, ctx.existing, ctx.fullRefresh);
  // A merge writes into the target as it is, governance and all; a full build governs its staged table before the
  // swap, which moves the table object, and what is attached to it, under the target's name.
  const governed = incremental ? [] : attach(staged, 'table');
  const purge = (relation: Relation): BuildStep[] => (ctx.purge?.(relation) ?? []).map((sql) => statement(sql, 'retention'));
  const build: BuildStep[] = [
    ...setup(governed),
    statement(ddl.createTableAs(staged, body, { transient: model.config.transient ?? false }), 'build'),
    ...(ctx.enforced ? [{ kind: 'check_contract', relation: staged } as const] : []),
    // A merge brings the new rows into the table with the old: it is purged after the merge, as a whole.
    ...(incremental ? [] : purge(staged)),
    { kind: 'count_rows', relation: staged },
  ];
  const dropStaged = statement(ddl.dropRelation(staged, 'table'), 'cleanup');
  if (incremental) {
    // insert_overwrite is a merge keyed on the partition column: every row of a covered partition is replaced.
    const { incrementalStrategy: strategy, uniqueKey, partitionBy } = model.config;
    const how: MergeHow =
      strategy === 'insert_overwrite' && partitionBy ? { kind: 'replace', key: [partitionBy] }
        : strategy === 'merge' && uniqueKey?.length ? { kind: 'upsert', key: uniqueKey }
          : { kind: 'append' };
    return {
      node: model.uniqueId,
      mode: 'incremental',
      // A governed model's table must keep its contract's shape: its columns never change silently.
      steps: [...build, { kind: 'merge', target, staged, how, onSchemaChange: model.config.onSchemaChange ?? (ctx.enforced ? 'fail' : 'ignore'), model: { name: model.name, path: model.path } }, ...purge(target), dropStaged],
      onFailure: [dropStaged],
    };
  }
  return {
    node: model.uniqueId,
    ...(model.config.materialized === 'incremental' ? { mode: 'full' as const } : {}),
    steps: [...build, ...governed, ...swap(ctx, staged, target)],
    onFailure: [dropStaged],
  };
}

/**
 * A dynamic table is created in place (the warehouse fills and refreshes it); a contract is checked first on a
 * staged view of its query, so a breach fails before anything is replaced. Its governance is attached right after
 * the CREATE OR REPLACE, which leaves it bare until then: closing that window takes the policies inline in the
 * CREATE DYNAMIC TABLE (WITH MASKING POLICY per column, WITH ROW ACCESS POLICY, WITH TAG), not done yet.
 */
function planDynamicTable(model: ModelNode, body: string, ctx: PlanContext): MaterializationPlan {
  const { ddl } = ctx;
  const target = model.relation;
  const staged = stagedRelation(target);
  const { targetLag, snowflakeWarehouse, transient } = model.config;
  if (!targetLag || !snowflakeWarehouse) throw new Error(`dynamic table ${model.uniqueId} without target_lag and snowflake_warehouse (compile checks this)`);
  const dropStaged: BuildStep = { kind: 'statement', sql: ddl.dropRelation(staged, 'view'), purpose: 'cleanup' };
  const governed = (ctx.governance?.(target, 'dynamic_table') ?? []).map((sql): BuildStep => ({ kind: 'statement', sql, purpose: 'governance' }));
  return {
    node: model.uniqueId,
    steps: [
      { kind: 'ensure_schema', relation: target },
      ...(governed.length ? [{ kind: 'ensure_governance' } as const] : []),
      ...(ctx.enforced ? [{ kind: 'statement', sql: ddl.createView(staged, body), purpose: 'build' } as const, { kind: 'check_contract', relation: staged } as const, dropStaged] : []),
      ...(ctx.existing === 'view' ? [{ kind: 'statement', sql: ddl.dropRelation(target, 'view'), purpose: 'swap' } as const] : []),
      { kind: 'statement', sql: ddl.createDynamicTable(target, body, { targetLag, warehouse: snowflakeWarehouse, transient: transient ?? false }), purpose: 'build' },
      ...governed,
      { kind: 'count_rows', relation: target },
    ],
    onFailure: ctx.enforced ? [dropStaged] : [],
  };
}

export function planSeed(seed: SeedNode, ctx: Omit<PlanContext, 'fullRefresh' | 'enforced'>): MaterializationPlan {
  const staged = stagedRelation(seed.relation);
  const declared = Object.keys(seed.columns);
  return {
    node: seed.uniqueId,
    steps: [
      { kind: 'ensure_schema', relation: seed.relation },
      { kind: 'load_csv', relation: staged, path: seed.path, seed: { file: seed.absolutePath, compressed: seed.compressed, delimiter: seed.delimiter, columns: seed.columns } },
      ...(declared.length ? [{ kind: 'check_seed_columns', relation: staged, declared, seed: seed.name, file: seed.path } as const] : []),
      { kind: 'count_rows', relation: staged },
      ...swap(ctx, staged, seed.relation),
    ],
    onFailure: [{ kind: 'statement', sql: ctx.ddl.dropRelation(staged, 'table'), purpose: 'cleanup' }],
  };
}

/**
 * The statements a merge step runs once `resolution` has settled the two relations' columns: an alter's new
 * columns, the schema changes, then the MERGE, the partition replacement or the append, in one transaction. Where
 * DDL commits implicitly (Snowflake) an alter's columns are added before it, as what they are: steps of their own.
 */
export function mergeStatements(
  ddl: DdlRenderer,
  capabilities: AdapterCapabilities,
  step: Extract<BuildStep, { kind: 'merge' }>,
  resolution: SchemaResolution,
): { readonly before: string[]; readonly transaction: string[] } {
  const { target, staged, how } = step;
  const same = (a: readonly string[], b: readonly string[]): boolean =>
    a.length === b.length && a.every((c) => b.some((d) => d.toLowerCase() === c.toLowerCase()));
  const settled = !resolution.add.length && !resolution.drop.length && !resolution.retype.length;
  const insert = step.columns && settled && same(step.columns, resolution.insert) ? step.columns : resolution.insert;
  const added = (step.addColumns ?? []).map((c) => ddl.addColumn(target, c.name, c.type, { ifNotExists: true }));
  const transaction = [
    ...resolution.add.map((c) => ddl.addColumn(target, c.name, c.type)),
    ...resolution.drop.map((c) => ddl.dropColumn(target, c)),
    ...resolution.retype.map((c) => ddl.alterColumnType(target, c.name, c.to)),
    ...(how.kind === 'upsert' ? ddl.mergeInto(target, staged, how.key, insert)
      : how.kind === 'replace' ? ddl.replaceRows(target, staged, how.key, insert)
        : [ddl.appendInto(target, staged, insert)]),
  ];
  return capabilities.transactionalDdl ? { before: [], transaction: [...added, ...transaction] } : { before: added, transaction };
}

/** Where DDL is transactional the swap is one transaction; elsewhere the engine's swap statements are atomic themselves. */
function swap(ctx: Pick<PlanContext, 'ddl' | 'capabilities' | 'existing'>, staged: Relation, target: Relation): BuildStep[] {
  const statements = ctx.ddl.swapTable(staged, target, ctx.existing);
  return ctx.capabilities.transactionalDdl
    ? [{ kind: 'transaction', statements, purpose: 'swap' }]
    : statements.map((sql) => ({ kind: 'statement', sql, purpose: 'swap' }));
}

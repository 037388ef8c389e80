// A deploy plan's changes made concrete: the materialization plan each change runs on this target, and the SQL a
// reviewer reads. Given what exists in the warehouse now; pure apart from the model's translation for the engine.
//
// A create or replace builds the node as a build would, with one difference: an incremental model is built in full.
// A changed incremental model's rows were computed by its old SQL, and a node not yet in the state may have been
// built by anything; routine incremental loads stay with `charter run`. An alter is the exception the diff allows:
// the new columns are added to the table, and the model's incremental run (as `charter run` does it) merges into
// it, leaving the rows already there as they were. Re-applying governance rebuilds nothing: a governed relation is
// checked against its new contract as it stands, and its governance is put on it again (on Snowflake, the
// statements that replace what it had; locally, its masking view made afresh).
//
// A model the local engine protects is built under its physical name, and its public name becomes a masking view
// (the `protect` step); a model no longer protected drops the physical relation a protected build left.
import type { Adapter } from '../adapters/adapter.js';
import type { RelationKind } from '../adapters/ddl.js';
import type { GovernedKind, PolicyReplacement, PreviousGovernance } from '../adapters/governance.js';
import type { Deployed } from '../plan/deployed-state.js';
import type { NodeChange } from '../plan/deploy-diff.js';
import type { ModelNode, SeedNode } from '../project/nodes.js';
import { physicalRelation, type Engine, type Relation } from '../project/relation.js';
import { mergeStatements, planModel, planSeed, type BuildStep, type MaterializationPlan } from './materialization-plan.js';
import { translateBody } from './materialize.js';

export interface PlannedChange extends NodeChange {
  /** What the node's relation was when the plan was made; the build's statements depend on it. */
  readonly existing: RelationKind | null;
  /** `existing` is the model's physical relation's (a model the local engine protects), not its public name's. */
  readonly physical?: true;
  /** The steps apply runs for this change, as they are. */
  readonly build: MaterializationPlan;
  /** The same steps as SQL, for people: what the engine checks by itself is a comment. */
  readonly sql: readonly string[];
}

export interface ChangeContext {
  readonly adapter: Adapter;
  /** The target's database, where dropped and moved-from relations live. */
  readonly database: string;
  readonly existing: RelationKind | undefined;
  /** A contract with columns governs the node. */
  readonly enforced: boolean;
  /** The model's governance statements on this engine (Snowflake): what attaches, and what re-applies on a live relation. */
  readonly governance?: {
    attach(relation: Relation, kind: GovernedKind): readonly string[];
    reattach(relation: Relation, kind: GovernedKind, previous: PreviousGovernance): readonly string[];
  };
  /** What deletes the rows its contract's retention says must not be kept from a table of it (see PlanContext.purge). */
  readonly purge?: (relation: Relation) => readonly string[];
  /** The local engine protects the model: it is built under its physical name, its public name a masking view. */
  readonly protect?: boolean;
  /** An unprotected model's physical relation, left by a protected build: dropped (or, for a governance change, renamed into place). */
  readonly leftover?: RelationKind;
}

const kindOf = (materialized: Deployed): RelationKind => (materialized === 'view' ? 'view' : 'table');

/** Snowflake drops a dynamic table only as one. */
const dropStatement = (ddl: Adapter['ddl'], relation: Relation, materialized: Deployed): string =>
  materialized === 'dynamic_table' ? ddl.dropDynamicTable(relation) : ddl.dropRelation(relation, kindOf(materialized));

/** `node` is the compiled node; absent only for a drop. */
export function planChange(change: NodeChange, node: ModelNode | SeedNode | undefined, ctx: ChangeContext): PlannedChange {
  const build = buildOf(change, node, ctx);
  return { ...change, existing: ctx.existing ?? null, ...(ctx.protect ? { physical: true as const } : {}), build, sql: describeSteps(build.steps, ctx.adapter) };
}

const governedKind = (materialized: Deployed): GovernedKind => (materialized === 'view' ? 'view' : materialized === 'dynamic_table' ? 'dynamic_table' : 'table');

/** What the deployed contract says the live relation was governed with (grants, tags, projection: none if unrecorded). */
const previousOf = (change: NodeChange): PreviousGovernance => {
  const columns = change.from?.columns ?? [];
  return {
    masked: columns.flatMap((c) => (c.maskingPolicy ? [c.name] : [])),
    ...(change.from?.rowAccess ? { rowAccess: change.from.rowAccess.policy } : {}),
    grants: change.from?.grants ?? [],
    tags: columns.flatMap((c) => (c.tags ?? []).map((tag) => ({ column: c.name, tag }))),
    projected: columns.flatMap((c) => (c.projectionPolicy ? [c.name] : [])),
  };
};

function buildOf(change: NodeChange, node: ModelNode | SeedNode | undefined, ctx: ChangeContext): MaterializationPlan {
  const { adapter } = ctx;
  const dropPrevious = (): BuildStep[] => {
    const previous = change.previous;
    if (!previous) return [];
    const relation: Relation = { database: ctx.database, ...previous.relation };
    return [{ kind: 'statement', sql: dropStatement(adapter.ddl, relation, previous.materialized), purpose: 'cleanup' }];
  };
  if (change.kind === 'drop') return { node: change.node, steps: dropPrevious(), onFailure: [] };
  if (!node) throw new Error(`${change.kind} of ${change.node}, which the project does not have`);
  if (node.kind === 'model' && ctx.protect) return protectedOf(change, node, ctx);
  if (change.kind === 'governance') return regovernOf(change, node, ctx);
  const built = change.kind === 'alter' ? alterOf(change, node, ctx) : fullBuildOf(node, ctx);
  const plan = { ...built, steps: [...built.steps, ...dropLeftover(node, ctx)] };
  return change.dropPrevious ? { ...plan, steps: [...plan.steps, ...dropPrevious()] } : plan;
}

function fullBuildOf(node: ModelNode | SeedNode, ctx: ChangeContext): MaterializationPlan {
  const { adapter } = ctx;
  return node.kind === 'seed'
    ? planSeed(node, { ddl: adapter.ddl, capabilities: adapter.capabilities, existing: ctx.existing })
    : planModel(node, translateBody(adapter, node, node.compiledSql).sql, {
        ddl: adapter.ddl,
        capabilities: adapter.capabilities,
        existing: ctx.existing,
        fullRefresh: true,
        enforced: ctx.enforced,
        ...(ctx.governance ? { governance: ctx.governance.attach } : {}),
        ...(ctx.purge ? { purge: ctx.purge } : {}),
      });
}

/**
 * The relation as it stands, checked against its new contract; on Snowflake, its governance replaced (the project's
 * policies first: an edited body is set there). A relation a protected build left in private is renamed back into
 * place over the masking view: no rows are rebuilt.
 */
function regovernOf(change: NodeChange, node: ModelNode | SeedNode, ctx: ChangeContext): MaterializationPlan {
  if (node.kind !== 'model') return { node: change.node, steps: [], onFailure: [] };
  const check: BuildStep[] = ctx.enforced ? [{ kind: 'check_contract', relation: ctx.leftover ? physicalRelation(node.relation) : node.relation }] : [];
  if (ctx.leftover) {
    // A view is cheap to make again; a table keeps its rows and takes its public name back.
    if (ctx.leftover !== 'table') {
      const view = fullBuildOf(node, ctx);
      return { ...view, steps: [...view.steps, ...dropLeftover(node, ctx)] };
    }
    const statements = ctx.adapter.ddl.swapTable(physicalRelation(node.relation), node.relation, ctx.existing);
    const swap: BuildStep[] = ctx.adapter.capabilities.transactionalDdl
      ? [{ kind: 'transaction', statements, purpose: 'swap' }]
      : statements.map((sql) => ({ kind: 'statement', sql, purpose: 'swap' }));
    return { node: change.node, steps: [...check, ...swap], onFailure: [] };
  }
  const governed = (ctx.governance?.reattach(node.relation, governedKind(change.materialized), previousOf(change)) ?? []).map(
    (sql): BuildStep => ({ kind: 'statement', sql, purpose: 'governance' }),
  );
  return { node: change.node, steps: [...check, ...(governed.length ? [{ kind: 'ensure_governance' } as const] : []), ...governed], onFailure: [] };
}

/**
 * A model the local engine protects: built (or altered) under its physical name, `existing` being that relation's,
 * then its public name made the masking view; a governance change makes only the view again.
 */
function protectedOf(change: NodeChange, node: ModelNode, ctx: ChangeContext): MaterializationPlan {
  const physical = physicalRelation(node.relation);
  const protect: BuildStep = { kind: 'protect', relation: node.relation, physical };
  if (change.kind === 'governance') {
    return { node: change.node, steps: [...(ctx.enforced ? [{ kind: 'check_contract', relation: physical } as const] : []), protect], onFailure: [] };
  }
  const inPrivate: ModelNode = { ...node, relation: physical, relationName: ctx.adapter.dialect.renderRelation(physical) };
  const built = change.kind === 'alter' ? alterOf(change, inPrivate, ctx) : fullBuildOf(inPrivate, ctx);
  return { ...built, steps: [...built.steps, protect] };
}

/** The physical relation a protected build left, when the model is no longer protected. */
function dropLeftover(node: ModelNode | SeedNode, ctx: ChangeContext): BuildStep[] {
  if (!ctx.leftover) return [];
  return [{ kind: 'statement', sql: ctx.adapter.ddl.dropRelation(physicalRelation(node.relation), ctx.leftover), purpose: 'cleanup' }];
}

/**
 * The model's incremental run on its table as it is (a staged build of its incremental SQL, checked against the
 * contract), with the new columns added to the table just before the merge, typed as the engine types the
 * contract's Snowflake types. The merge inserts the contract's columns, so the plan shows its statements.
 */
function alterOf(change: NodeChange, node: ModelNode | SeedNode, ctx: ChangeContext): MaterializationPlan {
  const { adapter } = ctx;
  const contract = change.deployment?.contract;
  if (node.kind !== 'model' || !change.added?.length || !contract) throw new Error(`alter of ${change.node} without a model, a contract or columns to add`);
  const plan = planModel(node, translateBody(adapter, node, node.incrementalSql ?? node.compiledSql).sql, {
    ddl: adapter.ddl,
    capabilities: adapter.capabilities,
    existing: ctx.existing,
    fullRefresh: false,
    enforced: ctx.enforced,
    ...(ctx.governance ? { governance: ctx.governance.attach } : {}),
    ...(ctx.purge ? { purge: ctx.purge } : {}),
  });
  if (plan.mode !== 'incremental') throw new Error(`alter of ${change.node}, whose table is not there to merge into`);
  const addColumns = change.added.map((c) => {
    if (!c.dataType) throw new Error(`alter of ${change.node}: column ${c.name} has no type`);
    return { name: c.name, type: adapter.ddl.columnType(c.dataType) };
  });
  const columns = contract.columns.map((c) => c.name);
  return { ...plan, steps: plan.steps.map((s) => (s.kind === 'merge' ? { ...s, addColumns, columns } : s)) };
}

/** Each step as a statement (or, for what an adapter runs by itself, a comment saying what it does). */
export function describeSteps(steps: readonly BuildStep[], adapter: Pick<Adapter, 'ddl' | 'dialect' | 'capabilities'>): string[] {
  const name = (r: Relation): string => adapter.dialect.renderRelation(r);
  return steps.flatMap((step): string[] => {
    switch (step.kind) {
      case 'ensure_schema':
        return [adapter.ddl.createSchema(step.relation.database, step.relation.schema)];
      case 'ensure_governance':
        return ["-- the project's policies, tags and roles, once per run"];
      case 'statement':
        return [step.sql];
      case 'transaction':
        return [adapter.ddl.begin(), ...step.statements, adapter.ddl.commit()];
      case 'load_csv':
        return [`-- load ${step.path} into ${name(step.relation)} with the engine's CSV reader`];
      case 'check_contract':
        return [`-- check the columns of ${name(step.relation)} against its contract`];
      case 'check_seed_columns':
        return [`-- check that ${name(step.relation)} has the typed columns ${step.declared.join(', ')}`];
      case 'count_rows':
        return [];
      case 'protect':
        return [`-- make ${name(step.relation)} the view that masks and filters ${name(step.physical)} for the role in session, from its columns as built`];
      case 'merge': {
        // With its columns known, a merge runs exactly these (when the two relations have them, as it checks then).
        if (!step.columns) return [`-- merge ${name(step.staged)} into ${name(step.target)}`];
        const { before, transaction } = mergeStatements(adapter.ddl, adapter.capabilities, step, { add: [], drop: [], retype: [], insert: step.columns });
        return [...before, adapter.ddl.begin(), ...transaction, adapter.ddl.commit()];
      }
    }
  });
}

/** A whole deploy plan: the frozen value `charter plan --out` saves and `charter apply <file>` runs. */
export interface DeployPlan {
  readonly format: 'charter-plan';
  readonly version: 1;
  readonly charterVersion: string;
  readonly createdAt: string;
  readonly runId: string;
  readonly project: string;
  readonly target: { readonly name: string; readonly engine: Engine; readonly database: string };
  /** The --vars it was compiled with: apply compiles with them again. */
  readonly vars: Readonly<Record<string, unknown>>;
  readonly selectors: { readonly select?: readonly string[]; readonly exclude?: readonly string[] };
  readonly allowDrop: boolean;
  /** The deployed state it was made against (plan/deployed-state.ts: stateFingerprint). */
  readonly state: { readonly fingerprint: string; readonly nodes: number };
  readonly changes: readonly PlannedChange[];
  /**
   * Policies the warehouse has with another signature, replaced without a window (with their statements) in the
   * project's governance setup, before the first change.
   */
  readonly policies: readonly PolicyReplacement[];
  /** Drops it lists but does not make (no --allow-drop). */
  readonly withheld: readonly NodeChange[];
  readonly unchanged: number;
}

// A deploy plan's changes made concrete: the materialization plan each change runs on this target, and the SQL a
// reviewer reads. Given what exists in the warehouse now; pure apart from the model's translation for the engine.
//
// A create or replace builds the node as a build would, with one difference: an incremental model is built in full.
// A changed incremental model's rows were computed by its old SQL, and a node not yet in the state may have been
// built by anything; routine incremental loads stay with `charter run`. An alter is the exception the diff allows:
// the new columns are added to the table, and the model's incremental run (as `charter run` does it) merges into
// it, leaving the rows already there as they were. Re-applying governance rebuilds nothing: a governed relation is
// checked against its new contract as it stands.
import type { Adapter } from '../adapters/adapter.js';
import type { RelationKind } from '../adapters/ddl.js';
import type { Deployed } from '../plan/deployed-state.js';
import type { NodeChange } from '../plan/deploy-diff.js';
import type { ModelNode, SeedNode } from '../project/nodes.js';
import type { Engine, Relation } from '../project/relation.js';
import { mergeStatements, planModel, planSeed, type BuildStep, type MaterializationPlan } from './materialization-plan.js';
import { translateBody } from './materialize.js';

export interface PlannedChange extends NodeChange {
  /** What the node's relation was when the plan was made; the build's statements depend on it. */
  readonly existing: RelationKind | null;
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
}

const kindOf = (materialized: Deployed): RelationKind => (materialized === 'view' ? 'view' : 'table');

/** Snowflake drops a dynamic table only as one. */
const dropStatement = (ddl: Adapter['ddl'], relation: Relation, materialized: Deployed): string =>
  materialized === 'dynamic_table' ? ddl.dropDynamicTable(relation) : ddl.dropRelation(relation, kindOf(materialized));

/** `node` is the compiled node; absent only for a drop. */
export function planChange(change: NodeChange, node: ModelNode | SeedNode | undefined, ctx: ChangeContext): PlannedChange {
  const build = buildOf(change, node, ctx);
  return { ...change, existing: ctx.existing ?? null, build, sql: describeSteps(build.steps, ctx.adapter) };
}

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
  if (change.kind === 'governance') {
    const steps: BuildStep[] = node.kind === 'model' && ctx.enforced ? [{ kind: 'check_contract', relation: node.relation }] : [];
    return { node: change.node, steps, onFailure: [] };
  }
  if (change.kind === 'alter') return alterOf(change, node, ctx);
  const plan =
    node.kind === 'seed'
      ? planSeed(node, { ddl: adapter.ddl, capabilities: adapter.capabilities, existing: ctx.existing })
      : planModel(node, translateBody(adapter, node, node.compiledSql).sql, {
          ddl: adapter.ddl,
          capabilities: adapter.capabilities,
          existing: ctx.existing,
          fullRefresh: true,
          enforced: ctx.enforced,
        });
  return change.dropPrevious ? { ...plan, steps: [...plan.steps, ...dropPrevious()] } : plan;
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
  /** Drops it lists but does not make (no --allow-drop). */
  readonly withheld: readonly NodeChange[];
  readonly unchanged: number;
}

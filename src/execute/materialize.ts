// Builds one model or seed: looks at what exists, plans the build (materialization-plan.ts), and runs the plan.
// Tables are built beside the target and swapped in, so a failure leaves the previous relation untouched.
import { enforcesColumnsOf } from '../load/load-contracts.js';
import { canTranslate, CsvRejected, type Adapter } from '../adapters/adapter.js';
import { error, type Diagnostic } from '../diagnostics/diagnostic.js';
import { resolveSchemaChange, type Column } from './schema-change.js';
import { describeLateDays, lateDays, seal } from './late-arrival.js';
import type { RelationKind } from '../adapters/ddl.js';
import type { GovernedKind } from '../adapters/governance.js';
import { firstLine, indentSql } from '../diagnostics/text.js';
import type { ModelNode, SeedNode } from '../project/nodes.js';
import { physicalRelation, type Relation } from '../project/relation.js';
import { protectedViewSql } from '../render/governance-sql.js';
import { columnMismatchDiagnostic, compareColumns } from '../validate/check-contracts.js';
import { mergesIncrementally, mergeStatements, planModel, planSeed, type BuildStep, type MaterializationPlan } from './materialization-plan.js';
import { NodeFailure } from './node-result.js';
import { purgeOf } from './retention-purge.js';
import type { RunContext } from './run-context.js';
import { StatementError } from './statement-runner.js';

export interface BuildOutcome {
  readonly rowsAffected?: number;
  readonly mode?: 'full' | 'incremental';
  readonly translated?: readonly string[];
  /** An incremental model rebuilt in full because rows arrived later than its window. */
  readonly lateRebuild?: boolean;
}

export type MaterializeContext = Pick<RunContext, 'adapter' | 'runner' | 'fullRefresh' | 'ensureSchema' | 'contracts' | 'ops' | 'now' | 'governance' | 'ensureGovernance' | 'localProtection'>;

export async function buildModel(ctx: MaterializeContext, model: ModelNode): Promise<BuildOutcome> {
  const protection = ctx.localProtection?.relations.get(model.uniqueId);
  if (!protection) {
    const { outcome, existing } = await buildRelation(ctx, model);
    // The local engine may hold a private relation from when the model was protected: its public name was a view then.
    if (existing === 'view' && canTranslate(ctx.adapter)) await dropPhysical(ctx, model);
    return outcome;
  }
  // Built as usual, under a private name; then the public name becomes the view that enforces its policies.
  const physical = physicalRelation(model.relation);
  const { outcome } = await buildRelation(ctx, { ...model, relation: physical, relationName: ctx.adapter.dialect.renderRelation(physical) });
  await guardNode(model.uniqueId, model.path, () => protect(ctx, model, physical).then(() => outcome));
  return outcome;
}

/**
 * Puts the protecting view under the model's public name, in one transaction with dropping what was there: no
 * moment exists where the public name reads the physical rows unmasked.
 */
async function protect(ctx: MaterializeContext, model: ModelNode, physical: Relation): Promise<void> {
  const { adapter, runner } = ctx;
  const governance = ctx.localProtection?.relations.get(model.uniqueId);
  if (!governance) throw new Error(`${model.uniqueId}: protected without local protection for it`);
  const columns = await adapter.describeRelation(runner.run, physical, model.uniqueId);
  const select = protectedViewSql(governance, ctx.localProtection!.policies, adapter.dialect.renderRelation(physical), columns.map((c) => c.name));
  const body = translateBody(adapter, model, select);
  const existing = await adapter.relationKind(runner.run, model.relation, model.uniqueId);
  await inTransaction(ctx, model.uniqueId, [
    ...(existing === 'table' ? [adapter.ddl.dropRelation(model.relation, 'table')] : []),
    adapter.ddl.createView(model.relation, body.sql),
  ], 'swap');
}

/** A model no longer protected leaves no private relation behind. */
async function dropPhysical(ctx: MaterializeContext, model: ModelNode): Promise<void> {
  const physical = physicalRelation(model.relation);
  const kind = await ctx.adapter.relationKind(ctx.runner.run, physical, model.uniqueId);
  if (kind) await ctx.runner.run(ctx.adapter.ddl.dropRelation(physical, kind), { node: model.uniqueId, purpose: 'cleanup' });
}

/** Builds the model's relation; `existing` is what stood under its name before. */
async function buildRelation(ctx: MaterializeContext, model: ModelNode): Promise<{ outcome: BuildOutcome; existing: RelationKind | undefined }> {
  let existing: RelationKind | undefined;
  const outcome = await guardNode(model.uniqueId, model.path, async () => {
    existing = await ctx.adapter.relationKind(ctx.runner.run, model.relation, model.uniqueId);
    const fullRefresh = ctx.fullRefresh || (await lateRowsForceRebuild(ctx, model, existing));
    const incremental = mergesIncrementally(model, existing, fullRefresh);
    const body = translateBody(ctx.adapter, model, incremental ? (model.incrementalSql ?? model.compiledSql) : model.compiledSql);
    const contract = ctx.contracts.get(model.uniqueId);
    const purge = purgeOf(ctx.adapter, contract);
    const plan = planModel(model, body.sql, {
      ddl: ctx.adapter.ddl,
      capabilities: ctx.adapter.capabilities,
      existing,
      fullRefresh,
      enforced: enforcesColumnsOf(contract?.governed),
      ...(ctx.governance ? { governance: governanceOf(ctx.governance, model) } : {}),
      ...(purge ? { purge } : {}),
    });
    const rows = await runPlan(ctx, plan);
    await seal(ctx, model);
    return { rowsAffected: rows, mode: plan.mode, translated: body.translated, ...(fullRefresh && !ctx.fullRefresh ? { lateRebuild: true } : {}) };
  });
  return { outcome, existing };
}

/** The model's governance statements for a relation of it, as its plan asks for them. */
const governanceOf = (governance: NonNullable<MaterializeContext['governance']>, model: ModelNode) =>
  (relation: Relation, kind: GovernedKind): readonly string[] => governance.attach(model.uniqueId, relation, kind);

/**
 * Whether rows arrived too late for this incremental run to merge them: then the model is rebuilt in full (its
 * window widened to everything, for this run), or the run fails, as its late_arrival says.
 */
async function lateRowsForceRebuild(ctx: MaterializeContext, model: ModelNode, existing: RelationKind | undefined): Promise<boolean> {
  const late = model.lateArrival;
  if (!late || !mergesIncrementally(model, existing, ctx.fullRefresh)) return false;
  const days = await lateDays(ctx, model);
  if (!days.length) return false;
  if (late.onLate === 'fail') {
    throw new NodeFailure(
      error('data.late', `\`${model.name}\`: rows of ${late.input} arrived for ${days.length} day${days.length === 1 ? '' : 's'} older than its ${late.windowDays}-day late-arrival window`, {
        location: { file: model.path, line: 1, column: 1 },
        detail: describeLateDays(days),
        hint: `an incremental run would miss them: rebuild with --full-refresh --select ${model.name}, or set late_arrival on_late='rebuild'`,
      }),
    );
  }
  return true;
}

export async function loadSeed(ctx: MaterializeContext, seed: SeedNode): Promise<BuildOutcome> {
  return guardNode(seed.uniqueId, seed.path, async () => {
    const existing = await ctx.adapter.relationKind(ctx.runner.run, seed.relation, seed.uniqueId);
    const plan = planSeed(seed, { ddl: ctx.adapter.ddl, capabilities: ctx.adapter.capabilities, existing });
    return { rowsAffected: await runPlan(ctx, plan) };
  });
}

/**
 * A build planned earlier, as a deploy plan holds it: its steps run as they are (no new look at the warehouse), with
 * a build's guard, and a model's late-arrival seal after. `node` is absent for a drop of a node the project lost.
 */
export async function runPlannedBuild(ctx: MaterializeContext, plan: MaterializationPlan, node: ModelNode | SeedNode | undefined): Promise<BuildOutcome> {
  return guardNode(plan.node, node?.path, async () => {
    const rows = await runPlan(ctx, plan, node?.kind === 'model' ? node : undefined);
    if (node?.kind === 'model') await seal(ctx, node);
    return { rowsAffected: rows, mode: plan.mode };
  });
}

/** Runs the steps in order; on a failure, the clean-up steps (best effort), then the failure. Returns rows counted. */
export async function runPlan(ctx: MaterializeContext, plan: MaterializationPlan, model?: ModelNode): Promise<number | undefined> {
  let rows: number | undefined;
  try {
    for (const step of plan.steps) rows = (await runStep(ctx, plan.node, step, model)) ?? rows;
  } catch (e) {
    for (const step of plan.onFailure) await runStep(ctx, plan.node, step).catch(() => undefined);
    throw e;
  }
  return rows;
}

/** `model`: the model the plan builds, which a protect step needs (its view is translated as the model is). */
async function runStep(ctx: MaterializeContext, node: string, step: BuildStep, model?: ModelNode): Promise<number | undefined> {
  const { adapter, runner } = ctx;
  switch (step.kind) {
    case 'ensure_schema':
      await ctx.ensureSchema(step.relation);
      return undefined;
    case 'ensure_governance':
      await ctx.ensureGovernance?.();
      return undefined;
    case 'statement':
      await runner.run(step.sql, { node, purpose: step.purpose });
      return undefined;
    case 'transaction':
      await inTransaction(ctx, node, step.statements, step.purpose);
      return undefined;
    case 'load_csv':
      await adapter.loadCsv(runner.run, step.relation, step.seed, node).catch((e: unknown) => {
        throw e instanceof CsvRejected ? new NodeFailure(csvProblem(step.path, step.seed.columns, e)) : e;
      });
      return undefined;
    case 'check_contract':
      await enforceContract(ctx, node, step.relation);
      return undefined;
    case 'check_seed_columns':
      await checkSeedColumns(ctx, node, step);
      return undefined;
    case 'count_rows':
      return adapter.countRows(runner.run, step.relation, node);
    case 'protect':
      if (!model) throw new Error(`${node}: a protect step without its model`);
      await protect(ctx, { ...model, relation: step.relation }, step.physical);
      return undefined;
    case 'merge': {
      const [table, staged] = await Promise.all([adapter.describeRelation(runner.run, step.target, node), adapter.describeRelation(runner.run, step.staged, node)]);
      const added = addedBy(step, table, staged);
      const { resolution, problem } = resolveSchemaChange(step.model, step.onSchemaChange, added.table, added.staged);
      if (!resolution) throw new NodeFailure(problem as Diagnostic);
      const { before, transaction } = mergeStatements(adapter.ddl, adapter.capabilities, step, resolution);
      for (const sql of before) await runner.run(sql, { node, purpose: 'merge' });
      // DML is transactional on every engine charter runs on.
      await inTransaction(ctx, node, transaction, 'merge');
      return undefined;
    }
  }
}

/**
 * The columns as they are once an alter's new columns are in the table. The staged build has passed the contract's
 * check, so where the engine spells a new column's type otherwise (INTEGER for NUMBER(38,0)) its values fit the
 * column the contract's type made, and the two compare as the same.
 */
function addedBy(step: Extract<BuildStep, { kind: 'merge' }>, table: readonly Column[], staged: readonly Column[]): { table: Column[]; staged: Column[] } {
  if (!step.addColumns?.length) return { table: [...table], staged: [...staged] };
  const key = (c: Column): string => c.name.toLowerCase();
  const have = new Set(table.map(key));
  const after = [...table, ...step.addColumns.filter((c) => !have.has(key(c)))];
  const typeOf = new Map(after.map((c) => [key(c), c.type]));
  const added = new Set(step.addColumns.map(key));
  return { table: after, staged: staged.map((c) => (added.has(key(c)) ? { ...c, type: typeOf.get(key(c)) ?? c.type } : c)) };
}

async function inTransaction(ctx: MaterializeContext, node: string, statements: readonly string[], purpose: 'swap' | 'merge'): Promise<void> {
  const { runner, adapter } = ctx;
  await runner.run(adapter.ddl.begin(), { node, purpose });
  try {
    for (const sql of statements) await runner.run(sql, { node, purpose });
    await runner.run(adapter.ddl.commit(), { node, purpose });
  } catch (e) {
    await runner.run(adapter.ddl.rollback(), { node, purpose }).catch(() => undefined);
    throw e;
  }
}

/** The staged relation's columns against the contract's; a breach fails the model before the swap. */
async function enforceContract(ctx: MaterializeContext, node: string, staged: Relation): Promise<void> {
  const bound = ctx.contracts.get(node);
  if (!bound) return;
  const actual = await ctx.adapter.describeRelation(ctx.runner.run, staged, node);
  const declared = bound.governed.columns.map((c) => ({ name: c.name, data_type: c.data_type }));
  const problem = columnMismatchDiagnostic(bound.contract, bound.governed, compareColumns(declared, actual, ctx.adapter.engine));
  if (problem) throw new NodeFailure(problem);
}

/** A value the engine would not load: the seed's file, line and column, the value, and the type it had to fit. */
function csvProblem(file: string, columns: Readonly<Record<string, string>>, e: CsvRejected): Diagnostic {
  const declared = e.column ? Object.entries(columns).find(([c]) => c.toLowerCase() === e.column?.toLowerCase())?.[1] : undefined;
  const what = e.column && e.value !== undefined ? `column ${e.column}: "${e.value}" is not ${declared ? `a ${declared}` : 'of its type'}` : 'a row does not load';
  return error('seed.invalid', `seed ${file}: line ${e.line ?? '?'}, ${what}`, {
    location: { file, line: e.line ?? 1, column: e.position ?? 1 },
    detail: e.engineMessage,
    hint: declared ? `fix the value, or change the type of ${e.column} in the seed's .yml` : undefined,
  });
}

/** A typed column that the CSV header lacks is a config mistake, not something to load silently. */
async function checkSeedColumns(ctx: MaterializeContext, node: string, step: Extract<BuildStep, { kind: 'check_seed_columns' }>): Promise<void> {
  const actual = (await ctx.adapter.describeRelation(ctx.runner.run, step.relation, node)).map((c) => c.name);
  const have = new Set(actual.map((c) => c.toLowerCase()));
  const missing = step.declared.filter((c) => !have.has(c.toLowerCase()));
  if (missing.length) {
    throw new NodeFailure(
      error('seed.invalid', `seed ${step.seed}: columns typed in its config are not in the CSV header: ${missing.join(', ')}`, {
        location: { file: step.file, line: 1, column: 1 },
        hint: `CSV columns: ${actual.join(', ')}`,
      }),
    );
  }
}

/** A model's SQL as the engine runs it: translated where the engine needs it; a construct it cannot run is a located failure. */
export function translateBody(adapter: Adapter, model: ModelNode, sql: string): { sql: string; translated?: string[] } {
  if (!canTranslate(adapter)) return { sql };
  const t = adapter.translate(sql);
  const first = t.unsupported[0];
  // Not a construct DuckDB lacks: the SQL the user wrote does not parse, wherever it would run.
  if (first?.construct === 'syntax') {
    throw new NodeFailure(
      error('sql.syntax', `syntax error in ${model.name}: ${first.reason}`, {
        location: { file: model.path, line: templateLine(model, first.construct, first.line), column: first.column ?? 1 },
        hint: 'the SQL does not parse as Snowflake SQL here; if Snowflake itself runs it, charter\'s parser lacks the construct: build this model on Snowflake',
      }),
    );
  }
  if (first) {
    const others = t.unsupported.slice(1).map((u) => u.construct);
    throw new NodeFailure(
      error('translate.unsupported', `${first.construct} cannot run faithfully on ${adapter.engine}: ${first.reason}`, {
        location: { file: model.path, line: templateLine(model, first.construct, first.line), column: first.column ?? 1 },
        hint: others.length
          ? `also unsupported here: ${others.join(', ')}; build this model on Snowflake, or rewrite it`
          : 'build this model on Snowflake, or rewrite it with a construct both engines share',
      }),
    );
  }
  return { sql: t.sql, translated: [...new Set(t.notes.map((n) => n.construct))] };
}

/** The compiled SQL's line rarely equals the template's; prefer the template line that names the construct. */
function templateLine(model: ModelNode, construct: string, compiledLine: number | undefined): number {
  const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(construct)?.[0];
  if (word) {
    const lines = model.rawSql.split('\n');
    const pattern = new RegExp(`\\b${word}\\b`, 'i');
    const found = lines.findIndex((l) => pattern.test(l));
    if (found >= 0) return found + 1;
  }
  return compiledLine ?? 1;
}

/** The lines after an engine message's first, up to its first blank line: the part that explains it. */
function engineDetail(message: string): string {
  const rest = message.split('\n').slice(1);
  const end = rest.findIndex((l) => l.trim() === '');
  return (end < 0 ? rest : rest.slice(0, end)).slice(0, 8).join('\n').trim();
}

/** Engine errors become a located failure naming the file (if the node still has one) and showing the failing statement. */
async function guardNode(node: string, file: string | undefined, build: () => Promise<BuildOutcome>): Promise<BuildOutcome> {
  try {
    return await build();
  } catch (e) {
    if (e instanceof StatementError) {
      throw new NodeFailure(
        error('engine.error', `${node}: ${firstLine(e.message)}`, {
          ...(file ? { location: { file, line: 1, column: 1 } } : {}),
          // The engine's own explanation often continues past its first line (the column, the value, a candidate).
          detail: [engineDetail(e.message), `failing statement:\n${indentSql(e.sql)}`].filter(Boolean).join('\n'),
        }),
      );
    }
    throw e;
  }
}

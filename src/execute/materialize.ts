// Builds one model or seed. Tables are built beside the target and swapped in, so a failure
// leaves the previous relation untouched.
import type { Adapter } from '../adapters/adapter.js';
import type { RelationKind } from '../adapters/ddl.js';
import type { Relation } from '../project/relation.js';
import { duckdbTypeOf } from '../adapters/duckdb/types.js';
import { error } from '../diagnostics/diagnostic.js';
import { firstLine, indentSql } from '../diagnostics/text.js';
import type { ModelNode, SeedNode } from '../project/nodes.js';
import { NodeFailure } from './node-result.js';
import { StatementError, type StatementRunner } from './statement-runner.js';
import type { BoundContract } from '../render/bind-contracts.js';
import { columnMismatchDiagnostic, compareColumns } from '../validate/check-contracts.js';
import { stagedRelation } from '../project/relation.js';

export interface BuildOutcome {
  readonly rowsAffected?: number;
  readonly mode?: 'full' | 'incremental';
  readonly translated?: readonly string[];
}

export interface MaterializeContext {
  readonly adapter: Adapter;
  readonly runner: StatementRunner;
  readonly fullRefresh: boolean;
  /** Creates a schema once per run, however many threads ask. */
  readonly ensureSchema: (relation: Relation) => Promise<void>;
  /** The contract governing a model, whose columns a staged build must match before it replaces anything. */
  readonly contractFor?: (modelId: string) => BoundContract | undefined;
}


export async function buildModel(ctx: MaterializeContext, model: ModelNode): Promise<BuildOutcome> {
  const tag = { node: model.uniqueId };
  const { adapter, runner } = ctx;
  await ctx.ensureSchema(model.relation);
  const existing = await relationKind(ctx, model.relation, model.uniqueId);
  const materialized = model.config.materialized;
  const incremental = materialized === 'incremental' && existing === 'table' && !ctx.fullRefresh;
  const body = translateBody(adapter, model, incremental ? (model.incrementalSql ?? model.compiledSql) : model.compiledSql);

  const contract = ctx.contractFor?.(model.uniqueId);
  const enforced = contract && contract.governed.columns.length > 0 ? contract : undefined;

  if (materialized === 'view') {
    return guard(model, async () => {
      if (existing === 'table' || enforced) {
        // Build the view staged first, so a bad query or a contract breach fails before anything is replaced.
        const staged = stagedRelation(model.relation);
        await runner.run(adapter.ddl.createView(staged, body.sql), { ...tag, purpose: 'build' });
        try {
          if (enforced) await enforceContract(ctx, model, staged, enforced);
        } finally {
          await runner.run(adapter.ddl.dropRelation(staged, 'view'), { ...tag, purpose: 'cleanup' });
        }
        if (existing === 'table') await runner.run(adapter.ddl.dropRelation(model.relation, 'table'), { ...tag, purpose: 'swap' });
      }
      await runner.run(adapter.ddl.createView(model.relation, body.sql), { ...tag, purpose: 'build' });
      return { translated: body.translated };
    });
  }

  const staged = stagedRelation(model.relation);
  return guard(model, async () => {
    try {
      await runner.run(adapter.ddl.createTableAs(staged, body.sql), { ...tag, purpose: 'build' });
      if (enforced) await enforceContract(ctx, model, staged, enforced);
      const count = await countRows(ctx, staged, model.uniqueId);
      if (incremental) {
        const columns = (await runner.run(adapter.ddl.describeColumns(staged), { ...tag, purpose: 'introspect' })).rows.map((r) =>
          String(r['column_name']),
        );
        const key = model.config.uniqueKey;
        const statements =
          model.config.incrementalStrategy === 'merge' && key?.length
            ? adapter.ddl.mergeInto(model.relation, staged, key, columns)
            : [adapter.ddl.appendInto(model.relation, staged, columns)];
        await inTransaction(ctx, statements, model.uniqueId, 'merge');
        await runner.run(adapter.ddl.dropRelation(staged, 'table'), { ...tag, purpose: 'cleanup' });
        return { rowsAffected: count, mode: 'incremental', translated: body.translated };
      }
      await inTransaction(ctx, adapter.ddl.swapTable(staged, model.relation, existing), model.uniqueId, 'swap');
      return { rowsAffected: count, mode: materialized === 'incremental' ? 'full' : undefined, translated: body.translated };
    } catch (e) {
      await runner.run(adapter.ddl.dropRelation(staged, 'table'), { ...tag, purpose: 'cleanup' }).catch(() => undefined);
      throw e;
    }
  });
}

export async function loadSeed(ctx: MaterializeContext, seed: SeedNode): Promise<BuildOutcome> {
  const { adapter, runner } = ctx;
  if (!adapter.capabilities.readsLocalCsv) {
    throw new NodeFailure(error('seed.invalid', `the ${adapter.engine} engine cannot load local seed files yet`));
  }
  await ctx.ensureSchema(seed.relation);
  const existing = await relationKind(ctx, seed.relation, seed.uniqueId);
  const staged = stagedRelation(seed.relation);
  const columnTypes = Object.fromEntries(Object.entries(seed.columns).map(([c, t]) => [c, duckdbTypeOf(t)]));
  const sql = adapter.ddl.createTableFromCsv(staged, {
    file: seed.absolutePath,
    compressed: seed.compressed,
    delimiter: seed.delimiter,
    columnTypes,
  });
  return guardNode(seed.uniqueId, seed.path, async () => {
    try {
      await runner.run(sql, { node: seed.uniqueId, purpose: 'seed' });
      await checkSeedColumns(ctx, seed, staged);
      const count = await countRows(ctx, staged, seed.uniqueId);
      await inTransaction(ctx, adapter.ddl.swapTable(staged, seed.relation, existing), seed.uniqueId, 'swap');
      return { rowsAffected: count };
    } catch (e) {
      await runner.run(adapter.ddl.dropRelation(staged, 'table'), { node: seed.uniqueId, purpose: 'cleanup' }).catch(() => undefined);
      throw e;
    }
  });
}

/** The staged relation's columns against the contract's; a breach fails the model before the swap. */
async function enforceContract(ctx: MaterializeContext, model: ModelNode, staged: Relation, bound: BoundContract): Promise<void> {
  const { rows } = await ctx.runner.run(ctx.adapter.ddl.describeColumns(staged), { node: model.uniqueId, purpose: 'introspect' });
  const actual = rows.map((r) => ({ name: String(r['column_name']), type: String(r['data_type']) }));
  const declared = bound.governed.columns.map((c) => ({ name: c.name, data_type: c.data_type }));
  const problem = columnMismatchDiagnostic(bound.contract, bound.governed, compareColumns(declared, actual, ctx.adapter.engine));
  if (problem) throw new NodeFailure(problem);
}

/** A typed column that the CSV header lacks is a config mistake, not something to load silently. */
async function checkSeedColumns(ctx: MaterializeContext, seed: SeedNode, staged: Relation): Promise<void> {
  const declared = Object.keys(seed.columns);
  if (!declared.length) return;
  const { rows } = await ctx.runner.run(ctx.adapter.ddl.describeColumns(staged), { node: seed.uniqueId, purpose: 'introspect' });
  const actual = new Set(rows.map((r) => String(r['column_name']).toLowerCase()));
  const missing = declared.filter((c) => !actual.has(c.toLowerCase()));
  if (missing.length) {
    throw new NodeFailure(
      error('seed.invalid', `seed ${seed.name}: columns typed in its config are not in the CSV header: ${missing.join(', ')}`, {
        location: { file: seed.path, line: 1, column: 1 },
        hint: `CSV columns: ${[...actual].join(', ')}`,
      }),
    );
  }
}

function translateBody(adapter: Adapter, model: ModelNode, sql: string): { sql: string; translated?: string[] } {
  if (!adapter.capabilities.needsTranslation) return { sql };
  const t = adapter.translate(sql);
  const first = t.unsupported[0];
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

async function relationKind(ctx: MaterializeContext, relation: Relation, node: string): Promise<RelationKind | undefined> {
  const { rows } = await ctx.runner.run(ctx.adapter.ddl.relationKind(relation), { node, purpose: 'introspect' });
  const kind = rows[0]?.['kind'];
  if (kind === undefined) return undefined;
  return String(kind).toUpperCase().includes('VIEW') ? 'view' : 'table';
}

async function countRows(ctx: MaterializeContext, relation: Relation, node: string): Promise<number> {
  const { rows } = await ctx.runner.run(ctx.adapter.ddl.countRows(relation), { node, purpose: 'count' });
  return Number(rows[0]?.['n'] ?? 0);
}

async function inTransaction(ctx: MaterializeContext, statements: readonly string[], node: string, purpose: 'swap' | 'merge'): Promise<void> {
  try {
    for (const sql of statements) await ctx.runner.run(sql, { node, purpose });
  } catch (e) {
    if (statements[0] === ctx.adapter.ddl.begin()) {
      await ctx.runner.run(ctx.adapter.ddl.rollback(), { node, purpose }).catch(() => undefined);
    }
    throw e;
  }
}

function guard(model: ModelNode, build: () => Promise<BuildOutcome>): Promise<BuildOutcome> {
  return guardNode(model.uniqueId, model.path, build);
}

/** Engine errors become a located failure naming the file and showing the failing statement. */
async function guardNode(node: string, file: string, build: () => Promise<BuildOutcome>): Promise<BuildOutcome> {
  try {
    return await build();
  } catch (e) {
    if (e instanceof StatementError) {
      throw new NodeFailure(
        error('engine.error', `${node}: ${firstLine(e.message)}`, {
          location: { file, line: 1, column: 1 },
          detail: `failing statement:\n${indentSql(e.sql)}`,
        }),
      );
    }
    throw e;
  }
}

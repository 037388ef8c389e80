// Late rows for incremental models: days of an input older than the model's window are sealed once built, by
// their row counts in OPS.charter_watermarks. A later run that finds a sealed day's count changed has seen rows
// arrive too late for an incremental merge to pick up: it rebuilds the model in full, or fails, as configured.
import { positional } from '../adapters/adapter.js';
import { quoteLiteral as literal } from '../adapters/dialect.js';
import type { ModelNode } from '../project/nodes.js';
import type { Relation } from '../project/relation.js';
import { oncePerRun, type RunContext } from './run-context.js';

export type LateContext = Pick<RunContext, 'adapter' | 'runner' | 'ops' | 'ensureSchema' | 'now'>;

export interface LateDay {
  readonly day: string;
  readonly before: number;
  readonly now: number;
}

const watermarkRelation = (ctx: LateContext): Relation => ({ ...ctx.ops, identifier: 'charter_watermarks' });

async function ensureTable(ctx: LateContext): Promise<string> {
  const relation = watermarkRelation(ctx);
  await ctx.ensureSchema(relation);
  const name = ctx.adapter.dialect.renderRelation(relation);
  await oncePerRun(ctx.adapter, `table ${name}`, async () => {
    await ctx.runner.run(`CREATE TABLE IF NOT EXISTS ${name} (model VARCHAR, day VARCHAR, row_count BIGINT, sealed_at VARCHAR)`, { purpose: 'setup' });
  });
  return name;
}

/** Row counts per day of the input's column, for days on or before `through` (all days when absent). */
async function dayCounts(ctx: LateContext, model: ModelNode, through?: string): Promise<Map<string, number>> {
  const late = model.lateArrival;
  if (!late) return new Map();
  const day = `CAST(CAST(${ctx.adapter.dialect.quoteIdentifier(late.column)} AS DATE) AS VARCHAR)`;
  const sql = `SELECT ${day} AS day, count(*) AS n FROM ${late.inputRelation}${through ? ` WHERE ${day} <= ${literal(through)}` : ''} GROUP BY 1`;
  const rows = positional(await ctx.runner.run(sql, { node: model.uniqueId, purpose: 'test' }));
  return new Map(rows.filter(([d]) => d !== null && d !== undefined).map(([d, n]) => [String(d), Number(n)]));
}

/** Sealed days whose row count changed since they were sealed; empty on a model's first run. */
export async function lateDays(ctx: LateContext, model: ModelNode): Promise<LateDay[]> {
  const table = await ensureTable(ctx);
  const sealed = positional(await ctx.runner.run(`SELECT day, row_count FROM ${table} WHERE model = ${literal(model.uniqueId)}`, { node: model.uniqueId, purpose: 'test' }));
  if (!sealed.length) return [];
  const last = sealed.map(([d]) => String(d)).sort().at(-1);
  const now = await dayCounts(ctx, model, last);
  const before = new Map(sealed.map(([d, n]) => [String(d), Number(n)]));
  const days = new Set([...before.keys(), ...now.keys()]);
  return [...days]
    .sort()
    .flatMap((day) => ((before.get(day) ?? 0) === (now.get(day) ?? 0) ? [] : [{ day, before: before.get(day) ?? 0, now: now.get(day) ?? 0 }]));
}

/** After a build: seal every day older than the window, as of the newest day in the input. */
export async function seal(ctx: LateContext, model: ModelNode): Promise<void> {
  const late = model.lateArrival;
  if (!late) return;
  const table = await ensureTable(ctx);
  const counts = await dayCounts(ctx, model);
  const newest = [...counts.keys()].sort().at(-1);
  await ctx.runner.run(`DELETE FROM ${table} WHERE model = ${literal(model.uniqueId)}`, { node: model.uniqueId, purpose: 'test' });
  if (!newest) return;
  const cutoff = new Date(Date.parse(`${newest}T00:00:00Z`) - late.windowDays * 86_400_000).toISOString().slice(0, 10);
  const sealedAt = ctx.now().toISOString();
  const rows = [...counts].filter(([day]) => day < cutoff).map(([day, n]) => `(${literal(model.uniqueId)}, ${literal(day)}, ${n}, ${literal(sealedAt)})`);
  // In chunks: a long history is a few thousand days.
  for (let i = 0; i < rows.length; i += 500) {
    await ctx.runner.run(`INSERT INTO ${table} VALUES ${rows.slice(i, i + 500).join(', ')}`, { node: model.uniqueId, purpose: 'test' });
  }
}

export function describeLateDays(days: readonly LateDay[]): string {
  const shown = days.slice(0, 10).map((d) => `${d.day}: ${d.before} rows when sealed, ${d.now} now`);
  return [...shown, ...(days.length > 10 ? [`... and ${days.length - 10} more days`] : [])].join('\n');
}

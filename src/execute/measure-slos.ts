// Measures a model's SLOs (freshness, completeness, volume, drift) and records value, threshold and outcome.
// Drift compares the column's distribution with a baseline kept in the warehouse's OPS schema.
import { quoteLiteral as literal } from '../adapters/dialect.js';
import type { SourceLocation } from '../diagnostics/diagnostic.js';
import type { Slo } from '../load/parse-slo.js';
import type { BoundSlo } from '../render/bind-contracts.js';
import { canTranslate, positional } from '../adapters/adapter.js';
import { baselineRelation, oncePerRun, type RunContext } from './run-context.js';
import type { ModelNode } from '../project/nodes.js';
import {
  categoricalBinsFromCounts,
  categoricalProportionsFromCounts,
  classifyPsi,
  edgesFromQuantiles,
  NULL_CATEGORY,
  psi,
  type CategoricalBinning,
  type NumericBinning,
} from './drift.js';
import { sloId } from '../project/node-id.js';

export type SloStatus = 'pass' | 'warn' | 'fail' | 'error';

export interface SloResult {
  readonly id: string;
  readonly modelId: string;
  readonly kind: Slo['kind'];
  readonly column?: string;
  /** What was measured: age in hours, null rate, row count or PSI. */
  readonly measured: number | null;
  readonly unit: string;
  /** The threshold as the contract states it. */
  readonly threshold: string;
  readonly status: SloStatus;
  readonly detail?: string;
  readonly location: SourceLocation;
}

export type SloContext = Pick<RunContext, 'adapter' | 'runner' | 'ops' | 'ensureSchema' | 'resetBaselines' | 'now'>;

type Binning = NumericBinning | CategoricalBinning;

/** Where the volume SLO keeps the last run's row count. */
const ROW_COUNT_KEY = '__row_count__';

export async function measureSlos(
  ctx: SloContext,
  model: ModelNode,
  slos: readonly BoundSlo[],
): Promise<SloResult[]> {
  const results: SloResult[] = [];
  for (const { slo, location } of slos) {
    const id = sloId(model.uniqueId, slo.kind, 'column' in slo ? slo.column : undefined);
    const base = { id, modelId: model.uniqueId, kind: slo.kind, column: 'column' in slo ? slo.column : undefined, location };
    try {
      results.push({ ...base, ...(await measureOne(ctx, model, slo)) });
    } catch (e) {
      const message = e instanceof Error ? e.message.split('\n')[0] : String(e);
      results.push({ ...base, measured: null, unit: '', threshold: '', status: 'error', detail: message });
    }
  }
  return results;
}

type Measurement = Pick<SloResult, 'measured' | 'unit' | 'threshold' | 'status' | 'detail'>;

async function measureOne(ctx: SloContext, model: ModelNode, slo: Slo): Promise<Measurement> {
  const rel = model.relationName;
  const q = (c: string): string => ctx.adapter.dialect.quoteIdentifier(c);
  const one = async (sql: string): Promise<unknown[]> =>
    positional(await ctx.runner.run(sql, { node: model.uniqueId, purpose: 'test' }))[0] ?? [];
  switch (slo.kind) {
    case 'freshness': {
      if (!slo.column) return { measured: null, unit: 'hours', threshold: `<= ${slo.maxAge.text}`, status: 'error', detail: 'the SLO names no column' };
      const row = await one(`SELECT CAST(max(${q(slo.column)}) AS VARCHAR) AS latest FROM ${rel}`);
      const asOf = slo.asOf ? parseTimestamp(slo.asOf) : ctx.now();
      const latest = row[0] == null ? undefined : parseTimestamp(String(row[0]));
      const threshold = `${slo.inclusive ? '<=' : '<'} ${slo.maxAge.text}${slo.asOf ? ` as of ${slo.asOf}` : ''}`;
      if (!latest) return { measured: null, unit: 'hours', threshold, status: fail(slo.severity), detail: 'no rows: nothing is fresh' };
      const ageSeconds = (asOf.getTime() - latest.getTime()) / 1000;
      const ok = slo.inclusive ? ageSeconds <= slo.maxAge.seconds : ageSeconds < slo.maxAge.seconds;
      return { measured: round(ageSeconds / 3600), unit: 'hours', threshold, status: ok ? 'pass' : fail(slo.severity), detail: `latest ${String(row[0])}` };
    }
    case 'completeness': {
      const row = await one(`SELECT count(*) AS total, count(${q(slo.column)}) AS filled FROM ${rel}`);
      const [total = 0, filled = 0] = row.map(Number);
      const rate = total ? (total - filled) / total : 0;
      const ok = slo.inclusive ? rate <= slo.maxNullRate : rate < slo.maxNullRate;
      return { measured: round(rate, 6), unit: 'null rate', threshold: `${slo.inclusive ? '<=' : '<'} ${slo.maxNullRate}`, status: ok ? 'pass' : fail(slo.severity) };
    }
    case 'volume': {
      const row = await one(`SELECT count(*) AS n FROM ${rel}`);
      const n = Number(row[0] ?? 0);
      const bounds = [
        slo.min === undefined ? undefined : `>= ${slo.min}`,
        slo.max === undefined ? undefined : `<= ${slo.max}`,
        slo.maxChangePct === undefined ? undefined : `within ${slo.maxChangePct}% of the last run`,
      ].filter(Boolean);
      let ok = (slo.min === undefined || n >= slo.min) && (slo.max === undefined || n <= slo.max);
      let detail: string | undefined;
      if (slo.maxChangePct !== undefined) {
        // The last run's count is kept beside the drift baselines, under a reserved column name.
        await ensureBaselineTable(ctx);
        const last = await readBaseline(ctx, model, ROW_COUNT_KEY);
        await writeBaseline(ctx, model, ROW_COUNT_KEY, { kind: 'numeric', edges: [] }, [n], n);
        if (last) {
          const change = last.rows === 0 ? (n === 0 ? 0 : Infinity) : (Math.abs(n - last.rows) / last.rows) * 100;
          ok &&= change <= slo.maxChangePct;
          detail = `${last.rows} rows at ${last.createdAt}: ${Number.isFinite(change) ? `${round(change, 2)}%` : 'from zero'} change`;
        } else detail = 'first run: no previous count to compare with';
      }
      return { measured: n, unit: 'rows', threshold: bounds.join(' and ') || 'any', status: ok ? 'pass' : fail(slo.severity), detail };
    }
    case 'drift':
      return measureDrift(ctx, model, slo);
  }
}

async function measureDrift(ctx: SloContext, model: ModelNode, slo: Extract<Slo, { kind: 'drift' }>): Promise<Measurement> {
  const threshold = `PSI <= ${slo.fail}${slo.warn !== undefined ? ` (warn above ${slo.warn})` : ''}, ${slo.bins} bins`;
  await ensureBaselineTable(ctx);
  const stored = ctx.resetBaselines ? undefined : await readBaseline(ctx, model, slo.column);
  // Distributions are binned in SQL: only bin counts travel, never the column's values.
  const current = await distribution(ctx, model, slo, stored?.binning);
  if (!stored) {
    await writeBaseline(ctx, model, slo.column, current.binning, current.proportions, current.rows);
    return { measured: 0, unit: 'PSI', threshold, status: 'pass', detail: `baseline recorded from ${current.rows} rows` };
  }
  const value = psi(stored.proportions, current.proportions);
  const outcome = classifyPsi(value, slo.warn ?? slo.fail, slo.fail);
  return { measured: round(value, 6), unit: 'PSI', threshold, status: outcome, detail: `baseline of ${stored.rows} rows from ${stored.createdAt}` };
}

/** The column's proportions per bin: the baseline's bins when there is one, else bins made from today's data. */
async function distribution(
  ctx: SloContext,
  model: ModelNode,
  slo: Extract<Slo, { kind: 'drift' }>,
  baseline: Binning | undefined,
): Promise<{ binning: Binning; proportions: number[]; rows: number }> {
  if ((baseline?.kind ?? slo.method ?? 'numeric') === 'numeric') {
    const binning = (baseline as NumericBinning | undefined) ?? (await quantileEdges(ctx, model, slo.column, slo.bins));
    const counts = await numericCounts(ctx, model, slo.column, binning);
    const rows = counts.reduce((a, b) => a + b, 0);
    return { binning, proportions: rows ? counts.map((c) => c / rows) : counts, rows };
  }
  const counts = await categoryCounts(ctx, model, slo.column);
  const binning = (baseline as CategoricalBinning | undefined) ?? categoricalBinsFromCounts(counts, slo.bins);
  const rows = [...counts.values()].reduce((a, b) => a + b, 0);
  return { binning, proportions: categoricalProportionsFromCounts(counts, binning), rows };
}

/** Snowflake SQL, translated for the engine when it needs it. */
async function query(ctx: SloContext, model: ModelNode, sql: string): Promise<unknown[][]> {
  const runnable = canTranslate(ctx.adapter) ? ctx.adapter.translate(sql).sql : sql;
  return positional(await ctx.runner.run(runnable, { node: model.uniqueId, purpose: 'test' }));
}

async function quantileEdges(ctx: SloContext, model: ModelNode, column: string, bins: number): Promise<NumericBinning> {
  const c = ctx.adapter.dialect.quoteIdentifier(column);
  const ps = Array.from({ length: bins - 1 }, (_, k) => (k + 1) / bins);
  const select = ps.map((p, k) => `percentile_cont(${p}) within group (order by cast(${c} as double)) as q${k}`).join(', ');
  const [row] = await query(ctx, model, `select ${select} from ${model.relationName}`);
  return edgesFromQuantiles(ps.map((_p, k) => Number(row?.[k])));
}

async function numericCounts(ctx: SloContext, model: ModelNode, column: string, binning: NumericBinning): Promise<number[]> {
  const c = ctx.adapter.dialect.quoteIdentifier(column);
  // bin i holds (edges[i-1], edges[i]], as numericBinIndex counts edges strictly below the value
  const cases = binning.edges.map((e, i) => `when v <= ${e} then ${i}`).join(' ');
  const bin = binning.edges.length ? `case ${cases} else ${binning.edges.length} end` : '0';
  const rows = await query(ctx, model, `select ${bin} as bin, count(*) as n from (select cast(${c} as double) as v from ${model.relationName} where ${c} is not null) as t group by 1`);
  const counts = new Array<number>(binning.edges.length + 1).fill(0);
  for (const [bin, n] of rows) counts[Number(bin)] = Number(n);
  return counts;
}

async function categoryCounts(ctx: SloContext, model: ModelNode, column: string): Promise<Map<string, number>> {
  const c = ctx.adapter.dialect.quoteIdentifier(column);
  const rows = await query(ctx, model, `select cast(${c} as varchar) as v, count(*) as n from ${model.relationName} group by 1`);
  return new Map(rows.map(([v, n]) => [v === null || v === undefined ? NULL_CATEGORY : String(v), Number(n)]));
}


function ensureBaselineTable(ctx: SloContext): Promise<void> {
  const relation = baselineRelation(ctx.ops);
  return oncePerRun(ctx.adapter, `table ${ctx.adapter.dialect.renderRelation(relation)}`, async () => {
    await ctx.ensureSchema(relation);
    await ctx.runner.run(
      `CREATE TABLE IF NOT EXISTS ${ctx.adapter.dialect.renderRelation(relation)} ` +
        '(model VARCHAR, column_name VARCHAR, binning VARCHAR, proportions VARCHAR, row_count BIGINT, created_at VARCHAR)',
      { purpose: 'setup' },
    );
  });
}

async function readBaseline(
  ctx: SloContext,
  model: ModelNode,
  column: string,
): Promise<{ binning: Binning; proportions: number[]; rows: number; createdAt: string } | undefined> {
  const rows = positional(await ctx.runner.run(
    `SELECT binning, proportions, row_count, created_at FROM ${ctx.adapter.dialect.renderRelation(baselineRelation(ctx.ops))} ` +
      `WHERE model = ${literal(model.uniqueId)} AND column_name = ${literal(column)}`,
    { node: model.uniqueId, purpose: 'test' },
  ));
  const row = rows[0];
  if (!row) return undefined;
  const [binning, proportions, rowCount, createdAt] = row;
  return {
    binning: JSON.parse(String(binning)) as Binning,
    proportions: JSON.parse(String(proportions)) as number[],
    rows: Number(rowCount),
    createdAt: String(createdAt),
  };
}

async function writeBaseline(ctx: SloContext, model: ModelNode, column: string, binning: Binning, proportions: number[], rows: number): Promise<void> {
  const table = ctx.adapter.dialect.renderRelation(baselineRelation(ctx.ops));
  const where = `model = ${literal(model.uniqueId)} AND column_name = ${literal(column)}`;
  await ctx.runner.run(`DELETE FROM ${table} WHERE ${where}`, { node: model.uniqueId, purpose: 'test' });
  await ctx.runner.run(
    `INSERT INTO ${table} VALUES (${literal(model.uniqueId)}, ${literal(column)}, ${literal(JSON.stringify(binning))}, ` +
      `${literal(JSON.stringify(proportions))}, ${rows}, ${literal(ctx.now().toISOString())})`,
    { node: model.uniqueId, purpose: 'test' },
  );
}

function fail(severity: 'error' | 'warn'): SloStatus {
  return severity === 'warn' ? 'warn' : 'fail';
}

/** Warehouse timestamps carry no zone here; read them as UTC, like the as-of dates in contracts. */
function parseTimestamp(text: string): Date {
  const iso = text.trim().replace(' ', 'T');
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(iso) ? iso : `${iso.length === 10 ? `${iso}T00:00:00` : iso}Z`);
}

function round(x: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}


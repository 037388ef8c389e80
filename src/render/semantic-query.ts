// A semantic view queried as Snowflake's SEMANTIC_VIEW(... METRICS ... DIMENSIONS ...) clause answers it, as one
// Snowflake SQL statement: each metric is aggregated over its own logical table, joined only to the tables its
// dimensions live on along many-to-one relationships (so no row of the metric's table is counted twice), metrics of
// different tables (or with different non-additive dimensions) are aggregated apart and then joined on the
// requested dimensions, and derived metrics are computed over those. Pure.
import type { SqlDialect } from '../adapters/dialect.js';
import { didYouMean } from '../diagnostics/suggest.js';
import type { SemanticTable, SemanticViewDefinition } from '../load/semantic-view-schema.js';
import { expressionShape } from '../validate/semantic-expression.js';

export interface SemanticRequest {
  readonly metrics: readonly string[];
  readonly dimensions: readonly string[];
  /** A condition over requested dimensions, by name. */
  readonly where?: string;
  /** Output columns, each optionally followed by ASC or DESC. */
  readonly orderBy?: readonly string[];
  readonly limit?: number;
}

export type SemanticPlan = { readonly sql: string; readonly columns: readonly string[] } | { readonly problems: readonly string[] };

interface Member {
  readonly name: string;
  readonly table: string;
  readonly expr: string;
}

interface Metric extends Member {
  readonly nonAdditiveBy: readonly string[];
}

interface Edge {
  readonly from: string;
  readonly to: string;
  readonly columns: readonly string[];
  readonly toColumns: readonly string[];
}

const lower = (s: string): string => s.toLowerCase();

/**
 * `relationOf`: the rendered relation a logical table's model was built as. Dimensions, facts and metrics are named
 * as the view names them; a name may be qualified with its table (`customers.segment`).
 */
export function planSemanticQuery(view: SemanticViewDefinition, relationOf: (model: string) => string | undefined, request: SemanticRequest, dialect: SqlDialect): SemanticPlan {
  const q = (name: string): string => dialect.quoteIdentifier(name);
  const tables = new Map(view.tables.map((t) => [lower(t.name), t]));
  const dims = new Map<string, Member>();
  const facts = new Map<string, Member>();
  const metrics = new Map<string, Metric>();
  for (const t of view.tables) {
    for (const d of [...(t.dimensions ?? []), ...(t.time_dimensions ?? [])]) dims.set(lower(d.name), { name: d.name, table: lower(t.name), expr: d.expr });
    for (const f of t.facts ?? []) facts.set(lower(f.name), { name: f.name, table: lower(t.name), expr: f.expr });
    for (const m of t.metrics ?? []) metrics.set(lower(m.name), { name: m.name, table: lower(t.name), expr: m.expr, nonAdditiveBy: (m.non_additive_by ?? []).map(lower) });
  }
  const derived = new Map((view.metrics ?? []).map((m) => [lower(m.name), m]));
  const edges: Edge[] = (view.relationships ?? []).map((r) => ({
    from: lower(r.from), to: lower(r.to), columns: r.columns, toColumns: r.to_columns ?? tables.get(lower(r.to))?.primary_key ?? [],
  }));
  const problems: string[] = [];
  const bare = (name: string): string => lower(name.includes('.') ? name.slice(name.lastIndexOf('.') + 1) : name);

  const wantedDims = request.dimensions.map((name) => {
    const dim = dims.get(bare(name));
    if (!dim) problems.push(`\`${name}\` is not a dimension of ${view.name}${hint(name, [...dims.values()].map((d) => d.name))}`);
    return dim;
  }).filter((d): d is Member => d !== undefined);

  // Derived metrics expand to the table metrics they are computed from; those are aggregated, the others computed last.
  const aggregated = new Map<string, Metric>();
  const need = (name: string, path: readonly string[]): void => {
    const key = bare(name);
    if (metrics.has(key)) aggregated.set(key, metrics.get(key)!);
    else if (derived.has(key) && !path.includes(key)) {
      for (const ref of expressionShape(derived.get(key)!.expr).references) need(ref.name, [...path, key]);
    } else if (!derived.has(key)) problems.push(`\`${name}\` is not a metric of ${view.name}${hint(name, [...metrics.values(), ...derived.values()].map((m) => m.name))}`);
  };
  for (const name of request.metrics) need(name, []);
  if (!request.metrics.length && !request.dimensions.length) problems.push('ask for at least one metric or dimension');

  // Each metric's table reaches its dimensions' tables many-to-one, or the metric cannot be cut by them.
  const paths = new Map<string, Edge[]>();
  const pathTo = (from: string, to: string): Edge[] | undefined => {
    if (from === to) return [];
    const seen = new Set([from]);
    const queue: Array<{ at: string; path: Edge[] }> = [{ at: from, path: [] }];
    while (queue.length) {
      const { at, path } = queue.shift()!;
      for (const edge of edges.filter((e) => e.from === at && !seen.has(e.to))) {
        if (edge.to === to) return [...path, edge];
        seen.add(edge.to);
        queue.push({ at: edge.to, path: [...path, edge] });
      }
    }
    return undefined;
  };
  for (const metric of aggregated.values()) {
    for (const dim of [...wantedDims, ...metric.nonAdditiveBy.map((n) => dims.get(n)).filter((d): d is Member => d !== undefined)]) {
      const path = pathTo(metric.table, dim.table);
      if (!path) problems.push(`metric ${metric.name} (of ${metric.table}) cannot be cut by ${dim.name} (of ${dim.table}): no many-to-one path from ${metric.table} to ${dim.table}`);
      else paths.set(`${metric.table}>${dim.table}`, path);
    }
    for (const name of metric.nonAdditiveBy) if (!dims.has(name)) problems.push(`metric ${metric.name} is non-additive by \`${name}\`, which is not a dimension`);
  }
  for (const t of new Set([...aggregated.values()].map((m) => m.table).concat(wantedDims.map((d) => d.table)))) {
    const table = tables.get(t);
    if (table && !relationOf(table.model)) problems.push(`table ${table.name} reads model ${table.model}, which the project does not have`);
  }
  const outputs = [...wantedDims.map((d) => d.name), ...request.metrics.map((m) => (metrics.get(bare(m)) ?? derived.get(bare(m)))?.name ?? m)];
  const outputSet = new Set(outputs.map(lower));
  if (request.where) {
    for (const ref of expressionShape(request.where).references) {
      if (!outputSet.has(lower(ref.name))) problems.push(`--where names \`${ref.name}\`: filter on requested dimensions (add it to --dimensions)`);
    }
  }
  for (const item of request.orderBy ?? []) {
    const column = item.trim().split(/\s+/)[0]!;
    if (!outputSet.has(bare(column))) problems.push(`--order-by names \`${column}\`, which is not among the requested metrics and dimensions`);
  }
  if (problems.length) return { problems };

  // One aggregation per metric table and non-additive set; a dimension-only query groups the dimensions' first table.
  const groups = new Map<string, Metric[]>();
  for (const metric of aggregated.values()) {
    const key = `${metric.table}|${metric.nonAdditiveBy.join(',')}`;
    groups.set(key, [...(groups.get(key) ?? []), metric]);
  }
  if (!groups.size) groups.set(`${wantedDims[0]!.table}|`, []);

  const ctes: string[] = [];
  const groupNames: string[] = [];
  for (const [key, members] of groups) {
    const [base, nab] = key.split('|') as [string, string];
    const nonAdditive = nab ? nab.split(',').map((n) => dims.get(n)!) : [];
    const sql = aggregate(base, members, wantedDims, nonAdditive, { tables, facts, relationOf, paths: (to) => paths.get(`${base}>${to}`) ?? pathTo(base, to) ?? [], q });
    const name = `charter_group_${groupNames.length + 1}`;
    ctes.push(`${q(name)} AS (\n${indent(sql)}\n)`);
    groupNames.push(name);
  }
  const dimColumns = wantedDims.map((d) => q(d.name));
  let from: string;
  if (groupNames.length === 1) from = q(groupNames[0]!);
  else if (!dimColumns.length) from = groupNames.map(q).join(' CROSS JOIN ');
  else {
    ctes.push(`"charter_dimensions" AS (\n${groupNames.map((g) => `  SELECT ${dimColumns.join(', ')} FROM ${q(g)}`).join('\n  UNION\n')}\n)`);
    from = `"charter_dimensions" AS d\n` + groupNames.map((g) =>
      `LEFT JOIN ${q(g)} ON ${dimColumns.map((c) => `${q(g)}.${c} IS NOT DISTINCT FROM d.${c}`).join(' AND ')}`).join('\n');
  }
  const dimSelect = wantedDims.map((d) => (groupNames.length > 1 && dimColumns.length ? `d.${q(d.name)}` : q(d.name)));
  const metricSelect = request.metrics.map((m) => {
    const key = bare(m);
    const table = metrics.get(key);
    if (table) return q(table.name);
    // A derived metric names other metrics; in the joined groups each is a column of that name.
    return `${derived.get(key)!.expr} AS ${q(derived.get(key)!.name)}`;
  });
  const select = `SELECT ${[...dimSelect, ...metricSelect].join(', ')}\nFROM ${from}`;
  // Requested dimensions only, so filtering the grouped rows equals filtering the rows before aggregating them.
  const filtered = request.where ? `SELECT * FROM (\n${indent(select)}\n) AS charter_result\nWHERE ${request.where}` : select;
  const order = request.orderBy?.length ? `\nORDER BY ${request.orderBy.join(', ')}` : wantedDims.length ? `\nORDER BY ${wantedDims.map((d) => q(d.name)).join(', ')}` : '';
  const limit = request.limit !== undefined ? `\nLIMIT ${Math.floor(request.limit)}` : '';
  return { sql: `WITH ${ctes.join(',\n')}\n${filtered}${order}${limit}`, columns: outputs };
}

interface AggregateContext {
  readonly tables: ReadonlyMap<string, SemanticTable>;
  readonly facts: ReadonlyMap<string, Member>;
  readonly relationOf: (model: string) => string | undefined;
  readonly paths: (to: string) => readonly Edge[];
  readonly q: (name: string) => string;
}

/**
 * The rows of `base` joined to the tables the dimensions need (each a derived table exposing only its keys and the
 * dimensions, under names no column of `base` has), grouped by the dimensions. With non-additive dimensions, only
 * each group's latest rows by them count (a balance at a point in time is not summed over periods).
 */
function aggregate(base: string, members: readonly Metric[], wanted: readonly Member[], nonAdditive: readonly Member[], ctx: AggregateContext): string {
  const { q } = ctx;
  const table = ctx.tables.get(base)!;
  const alias = q(table.name);
  const dimCol = (d: Member): string => (d.table === base ? `${alias}.${q(`__dim_${d.name}`)}` : `${q(`__t_${d.table}`)}.${q(`__dim_${d.name}`)}`);
  // The base table keeps its columns, and gains its facts and its own dimensions.
  const ownFacts = [...ctx.facts.values()].filter((f) => f.table === base && lower(f.expr.trim()) !== lower(f.name));
  const ownDims = [...new Map([...wanted, ...nonAdditive].filter((d) => d.table === base).map((d) => [d.name, d])).values()];
  const baseSelect = ['*', ...ownFacts.map((f) => `${f.expr} AS ${q(f.name)}`), ...ownDims.map((d) => `${d.expr} AS ${q(`__dim_${d.name}`)}`)];
  const joins: string[] = [];
  const joined = new Set<string>();
  const needed = new Map<string, Member[]>();
  for (const d of [...wanted, ...nonAdditive]) if (d.table !== base) needed.set(d.table, [...(needed.get(d.table) ?? []), d]);
  for (const [target] of needed) {
    for (const edge of ctx.paths(target)) {
      if (joined.has(edge.to)) continue;
      joined.add(edge.to);
      const to = ctx.tables.get(edge.to)!;
      const outgoing = [...needed.keys()].flatMap((t) => ctx.paths(t)).filter((e) => e.from === edge.to).flatMap((e) => e.columns);
      const keys = [...new Set([...edge.toColumns, ...outgoing])];
      const dimsHere = [...new Map((needed.get(edge.to) ?? []).map((d) => [d.name, d])).values()];
      const inner = [...keys.map((k) => `${q(to.name)}.${q(k)} AS ${q(`__key_${k}`)}`), ...dimsHere.map((d) => `${d.expr} AS ${q(`__dim_${d.name}`)}`)];
      const fromSide = edge.from === base ? alias : q(`__t_${edge.from}`);
      const fromColumn = (c: string): string => (edge.from === base ? `${fromSide}.${q(c)}` : `${fromSide}.${q(`__key_${c}`)}`);
      joins.push(
        `LEFT JOIN (SELECT ${inner.join(', ')} FROM ${ctx.relationOf(to.model)} AS ${q(to.name)}) AS ${q(`__t_${edge.to}`)}\n` +
          `  ON ${edge.columns.map((c, i) => `${fromColumn(c)} = ${q(`__t_${edge.to}`)}.${q(`__key_${edge.toColumns[i]!}`)}`).join(' AND ')}`,
      );
    }
  }
  const rows = `SELECT ${baseSelect.join(', ')} FROM ${ctx.relationOf(table.model)} AS ${alias}`;
  // The base table's rows, each with the requested dimensions beside its columns (under names they cannot have).
  const grouped = (d: Member): string => q(`__group_${d.name}`);
  const inner = [
    `SELECT ${[`${alias}.*`, ...wanted.map((d) => `${dimCol(d)} AS ${grouped(d)}`)].join(', ')}`,
    `FROM (${rows}) AS ${alias}${joins.length ? `\n${joins.join('\n')}` : ''}`,
  ];
  if (nonAdditive.length) {
    // Only each group's latest rows by the non-additive dimensions: a balance at a point in time is not summed.
    const partition = wanted.length ? `PARTITION BY ${wanted.map(dimCol).join(', ')}` : '';
    inner.push(`QUALIFY ${nonAdditive.map((d) => `${dimCol(d)} = MAX(${dimCol(d)}) OVER (${partition})`).join(' AND ')}`);
  }
  const select = [...wanted.map((d) => `${grouped(d)} AS ${q(d.name)}`), ...members.map((m) => `${m.expr} AS ${q(m.name)}`)];
  const groupBy = wanted.length ? `\nGROUP BY ${wanted.map(grouped).join(', ')}` : '';
  return `SELECT ${select.join(', ')}\nFROM (\n${indent(inner.join('\n'))}\n) AS ${alias}${groupBy}`;
}

const indent = (sql: string): string => sql.split('\n').map((l) => `  ${l}`).join('\n');

function hint(name: string, known: readonly string[]): string {
  const close = didYouMean(name, known);
  return close ? `: ${close}` : known.length ? ` (known: ${known.join(', ')})` : '';
}

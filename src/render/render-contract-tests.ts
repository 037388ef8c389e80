// Compiles a contract's constraints, tests and SLOs into Snowflake SQL queries that return failing rows. Pure.
import type { SqlDialect } from '../adapters/dialect.js';
import type { SourceLocation } from '../diagnostics/diagnostic.js';
import type { ColumnTest, ContractColumn, ModelTest } from '../load/contract-schema.js';
import { stableHash } from '../project/hash.js';
import type { GovernedModel, LoadedContract, YamlPath } from '../load/load-contracts.js';
import type { Slo } from '../load/parse-slo.js';
import type { CompiledProject, ModelNode } from '../project/nodes.js';
import { nodeIndex } from '../project/lookup.js';
import { testId } from '../project/node-id.js';
import { locate } from '../load/load-contracts.js';
import { retentionOf } from '../validate/check-retention.js';
import { expiredCondition } from './retention-sql.js';

export type DataTestKind =
  | 'not_null' | 'unique' | 'primary_key' | 'accepted_values' | 'relationships' | 'range' | 'expression'
  | 'row_count' | 'unique_combination' | 'freshness' | 'completeness' | 'volume' | 'retention' | 'singular' | 'policy';
export type TestSeverity = 'error' | 'warn';
export type TestOutcome = 'pass' | 'warn' | 'fail';

/**
 * One executable check. `sql` returns the failing rows: one per bad row for row checks, one per duplicated key for
 * unique/primary_key/unique_combination, and a single row when an aggregate check (row_count, volume, freshness,
 * completeness) fails. The runner counts them and applies errorIf/warnIf.
 */
export interface DataTest {
  /** Stable across runs: test.<project>.<model>[.<column>].<kind>[.<hash of its arguments>], or test.<project>.<model>.<name>. */
  readonly id: string;
  readonly name: string;
  readonly contract: string;
  readonly modelId: string;
  readonly column?: string;
  readonly kind: DataTestKind;
  readonly severity: TestSeverity;
  readonly errorIf: string;
  readonly warnIf: string;
  readonly sql: string;
  /** Where the check is written in the contract. */
  readonly location: SourceLocation;
  /** Other nodes the query reads (a relationship's parent), so a runner can wait for them. */
  readonly dependsOn: readonly string[];
  /** A policy test runs as this role (and the roles it inherits), not as the deploying role. */
  readonly as?: { readonly role: string; readonly roles: readonly string[] };
}

interface TestOptions {
  readonly name?: string;
  readonly severity?: TestSeverity;
  readonly error_if?: string;
  readonly warn_if?: string;
  readonly where?: string;
}

interface Spec {
  readonly kind: DataTestKind;
  readonly column?: string;
  /** What the check is, for the id hash: severity and thresholds are left out so tuning them keeps the id. */
  readonly args?: unknown;
  readonly options: TestOptions;
  readonly path: YamlPath;
  readonly keyOf?: string;
  readonly body: string;
  readonly dependsOn?: readonly string[];
}

const ROW_CHECK_DEFAULT = '!=0';

export function renderContractTests(
  contract: LoadedContract,
  model: ModelNode,
  project: CompiledProject,
  dialect: SqlDialect,
  /** The entry that governs the model; by default the one named like it. */
  governed = contract.models.find((m) => m.name.toLowerCase() === model.name.toLowerCase()),
): DataTest[] {
  if (!governed) return [];
  const q = (name: string): string => dialect.quoteIdentifier(name);
  const rel = model.relationName;
  const specs: Spec[] = [];

  governed.columns.forEach((col, i) => {
    const at = [...governed.base, 'columns', i];
    const c = col.constraints ?? {};
    const hard = (kind: DataTestKind, args: unknown, body: string, dependsOn?: readonly string[]): void => {
      specs.push({ kind, column: col.name, args, options: {}, path: [...at, 'constraints'], keyOf: kind, body, ...(dependsOn ? { dependsOn } : {}) });
    };
    if (c.not_null) hard('not_null', undefined, notNullSql(rel, q(col.name)));
    if (c.unique) hard('unique', undefined, uniqueSql(rel, [q(col.name)], undefined, false));
    if (c.primary_key) hard('primary_key', undefined, uniqueSql(rel, [q(col.name)], undefined, true));
    if (c.accepted_values) hard('accepted_values', c.accepted_values, acceptedValuesSql(rel, q(col.name), c.accepted_values));
    if (c.relationships) {
      const parent = findReferable(project, c.relationships.to);
      if (parent) hard('relationships', c.relationships, relationshipSql(rel, q(col.name), parent.relationName, q(c.relationships.field)), [parent.uniqueId]);
    }
    if (c.range) hard('range', c.range, rangeSql(rel, q(col.name), c.range));
    if (c.expression) hard('expression', c.expression, expressionSql(rel, q(col.name), c.expression));
    (col.tests ?? []).forEach((t, j) => {
      const spec = columnTestSpec(t, col, rel, q, project);
      if (spec) specs.push({ ...spec, column: col.name, path: [...at, 'tests', j], keyOf: spec.kind });
    });
  });

  governed.tests.forEach((t, i) => {
    const spec = modelTestSpec(t, rel, q);
    if (spec) specs.push({ ...spec, path: [...governed.base, 'tests', i], keyOf: spec.kind });
  });
  for (const { slo, path } of governed.slos) {
    const spec = sloSpec(slo, rel, q);
    if (spec) specs.push({ ...spec, path });
  }
  const retention = retentionOf(governed, model);
  if (retention?.column !== undefined && retention.keepDays !== undefined && model.config.materialized !== 'ephemeral') {
    // One row per row older than the layer keeps: the failure count is how many there are.
    const { column, keepDays, asOf } = retention;
    specs.push({
      kind: 'retention',
      column,
      args: { keepDays, asOf },
      options: { severity: retention.severity },
      path: retention.path,
      keyOf: retention.layer,
      body: [`select ${q(column)}`, `from ${rel}`, `where ${expiredCondition(q(column), keepDays, asOf)}`].join('\n'),
    });
  }
  return finish(specs, contract, governed, model, project);
}

/** dbt's rule: a warn-severity test never fails; otherwise error_if decides first, then warn_if. */
export function evaluateThreshold(count: number, errorIf: string, warnIf: string, severity: TestSeverity = 'error'): TestOutcome {
  if (severity === 'error' && thresholdHolds(count, errorIf)) return 'fail';
  return thresholdHolds(count, warnIf) ? 'warn' : 'pass';
}

/** ">0", ">=10", "!=0", "==0", "<>0". */
export function thresholdHolds(count: number, threshold: string): boolean {
  const m = /^\s*(==|=|!=|<>|>=|<=|>|<)\s*(\d+)\s*$/.exec(threshold);
  // The schema admits only these shapes, so anything else is a bug upstream.
  if (!m) throw new Error(`invalid test threshold ${JSON.stringify(threshold)}`);
  const n = Number(m[2]);
  switch (m[1]) {
    case '>': return count > n;
    case '>=': return count >= n;
    case '<': return count < n;
    case '<=': return count <= n;
    case '=':
    case '==': return count === n;
    default: return count !== n;
  }
}

function columnTestSpec(
  t: ColumnTest,
  col: ContractColumn,
  rel: string,
  q: (name: string) => string,
  project: CompiledProject,
): Omit<Spec, 'path'> | undefined {
  const c = q(col.name);
  if (t.not_null) return { kind: 'not_null', options: t.not_null, body: notNullSql(rel, c, t.not_null.where) };
  if (t.unique) return { kind: 'unique', options: t.unique, body: uniqueSql(rel, [c], t.unique.where, false) };
  if (t.primary_key) return { kind: 'primary_key', options: t.primary_key, body: uniqueSql(rel, [c], t.primary_key.where, true) };
  if (t.accepted_values) {
    const { values, quote } = t.accepted_values;
    return { kind: 'accepted_values', args: { values, quote }, options: t.accepted_values, body: acceptedValuesSql(rel, c, t.accepted_values, t.accepted_values.where) };
  }
  if (t.relationships) {
    const parent = findReferable(project, t.relationships.to);
    if (!parent) return undefined;
    const { to, field } = t.relationships;
    return {
      kind: 'relationships',
      args: { to, field },
      options: t.relationships,
      body: relationshipSql(rel, c, parent.relationName, q(field), t.relationships.where),
      dependsOn: [parent.uniqueId],
    };
  }
  if (t.range) {
    const { min, max, inclusive } = t.range;
    return { kind: 'range', args: { min, max, inclusive }, options: t.range, body: rangeSql(rel, c, t.range, t.range.where) };
  }
  if (t.expression) return { kind: 'expression', args: t.expression.sql, options: t.expression, body: expressionSql(rel, c, t.expression.sql, t.expression.where) };
  return undefined;
}

function modelTestSpec(t: ModelTest, rel: string, q: (name: string) => string): Omit<Spec, 'path'> | undefined {
  if (t.row_count) {
    const { min, max } = t.row_count;
    return { kind: 'row_count', args: { min, max }, options: t.row_count, body: rowCountSql(rel, t.row_count, t.row_count.where) };
  }
  if (t.unique_combination) {
    const { columns } = t.unique_combination;
    return { kind: 'unique_combination', args: columns, options: t.unique_combination, body: uniqueSql(rel, columns.map(q), t.unique_combination.where, false) };
  }
  if (t.expression) return { kind: 'expression', args: t.expression.sql, options: t.expression, body: expressionSql(rel, '*', t.expression.sql, t.expression.where) };
  return undefined;
}

/** SLOs that are a failing-rows query; drift (PSI against a stored baseline) and change-over-time volume are measured by the executor. */
function sloSpec(slo: Slo, rel: string, q: (name: string) => string): Omit<Spec, 'path'> | undefined {
  const options = { severity: slo.kind === 'drift' ? 'error' : slo.severity } as const;
  switch (slo.kind) {
    case 'freshness':
      if (!slo.column || slo.percentile !== undefined) return undefined;
      return { kind: 'freshness', column: slo.column, args: { maxAge: slo.maxAge.seconds, asOf: slo.asOf }, options, body: freshnessSql(rel, q(slo.column), slo) };
    case 'completeness':
      return { kind: 'completeness', column: slo.column, args: { rate: slo.maxNullRate }, options, body: completenessSql(rel, q(slo.column), slo.maxNullRate, slo.inclusive) };
    case 'volume':
      if (slo.min === undefined && slo.max === undefined) return undefined;
      return { kind: 'volume', args: { min: slo.min, max: slo.max }, options, body: rowCountSql(rel, slo) };
    case 'drift':
      return undefined;
  }
}

// ---- SQL -----------------------------------------------------------------------------------------

const and = (conditions: ReadonlyArray<string | undefined>): string =>
  conditions.filter((c): c is string => !!c).join('\n  and ');
/** User SQL inside parentheses; a trailing `--` comment would swallow the closing one, so it gets its own line. */
const paren = (sql: string): string => `(${sql}${sql.includes('--') ? '\n' : ''})`;
const filter = (where: string | undefined): string | undefined => (where ? paren(where) : undefined);
const whereLine = (conditions: ReadonlyArray<string | undefined>): string[] => {
  const text = and(conditions);
  return text ? [`where ${text}`] : [];
};

function notNullSql(rel: string, c: string, where?: string): string {
  return [`select ${c}`, `from ${rel}`, ...whereLine([`${c} is null`, filter(where)])].join('\n');
}

function uniqueSql(rel: string, cols: readonly string[], where: string | undefined, orNull: boolean): string {
  const list = cols.join(', ');
  const notNull = orNull ? undefined : cols.length === 1 ? `${cols[0]} is not null` : undefined;
  const having = orNull ? `count(*) > 1 or ${cols[0]} is null` : 'count(*) > 1';
  return [`select ${list}, count(*) as n_records`, `from ${rel}`, ...whereLine([notNull, filter(where)]), `group by ${list}`, `having ${having}`].join('\n');
}

function acceptedValuesSql(rel: string, c: string, spec: { values: ReadonlyArray<string | number | boolean>; quote?: boolean }, where?: string): string {
  const values = spec.values.map((v) => literal(v, spec.quote)).join(', ');
  return [`select ${c}`, `from ${rel}`, ...whereLine([`${c} is not null`, `${c} not in (${values})`, filter(where)])].join('\n');
}

function relationshipSql(rel: string, c: string, parentRel: string, field: string, where?: string): string {
  const child = where ? `(select * from ${rel} where ${paren(where)}) as child` : `${rel} as child`;
  return [
    `select child.${c}`,
    `from ${child}`,
    `left join ${parentRel} as parent on child.${c} = parent.${field}`,
    `where child.${c} is not null`,
    `  and parent.${field} is null`,
  ].join('\n');
}

function rangeSql(rel: string, c: string, range: { min?: number; max?: number; inclusive?: boolean }, where?: string): string {
  const inclusive = range.inclusive ?? true;
  const outside = [
    range.min === undefined ? undefined : `${c} ${inclusive ? '<' : '<='} ${range.min}`,
    range.max === undefined ? undefined : `${c} ${inclusive ? '>' : '>='} ${range.max}`,
  ].filter((x): x is string => !!x);
  const bad = outside.length > 1 ? `(${outside.join(' or ')})` : outside[0];
  return [`select ${c}`, `from ${rel}`, ...whereLine([bad, filter(where)])].join('\n');
}

/** NULL is not a failure, as in dbt's expression_is_true: pair it with not_null to forbid nulls. */
function expressionSql(rel: string, selected: string, expression: string, where?: string): string {
  return [`select ${selected}`, `from ${rel}`, ...whereLine([`not ${paren(expression)}`, filter(where)])].join('\n');
}

function rowCountSql(rel: string, bounds: { min?: number; max?: number }, where?: string): string {
  const outside = [
    bounds.min === undefined ? undefined : `count(*) < ${bounds.min}`,
    bounds.max === undefined ? undefined : `count(*) > ${bounds.max}`,
  ].filter((x): x is string => !!x);
  return [`select count(*) as row_count`, `from ${rel}`, ...whereLine([filter(where)]), `having ${outside.join(' or ')}`].join('\n');
}

function freshnessSql(rel: string, c: string, slo: Extract<Slo, { kind: 'freshness' }>): string {
  const asOf = slo.asOf ? `cast('${slo.asOf.replace('T', ' ')}' as timestamp)` : 'current_timestamp';
  const oldest = `${asOf} - interval '${intervalText(slo.maxAge.seconds)}'`;
  // An empty table has no latest value, which is as stale as it gets.
  return [`select max(${c}) as latest_value`, `from ${rel}`, `having max(${c}) is null`, `  or max(${c}) ${slo.inclusive ? '<' : '<='} ${oldest}`].join('\n');
}

function completenessSql(rel: string, c: string, maxRate: number, inclusive: boolean): string {
  return [
    `select null_rows, total_rows, cast(null_rows as double) / total_rows as null_rate`,
    `from (`,
    `  select count(*) as total_rows, count(*) - count(${c}) as null_rows`,
    `  from ${rel}`,
    `) as counts`,
    `where total_rows > 0`,
    `  and cast(null_rows as double) / total_rows ${inclusive ? '>' : '>='} ${maxRate}`,
  ].join('\n');
}

/** The largest whole unit, so the SQL says "36 hours" rather than "129600 seconds". */
export function intervalText(seconds: number): string {
  if (!Number.isInteger(seconds)) return `${Math.round(seconds * 1000)} milliseconds`;
  for (const [unit, size] of [['days', 86_400], ['hours', 3600], ['minutes', 60]] as const) {
    if (seconds > 0 && seconds % size === 0) return `${seconds / size} ${unit}`;
  }
  return `${seconds} seconds`;
}

/** A Snowflake literal: single quotes doubled and backslashes escaped, as Snowflake reads '\' as an escape. */
function literal(value: string | number | boolean, quote: boolean | undefined): string {
  if (typeof value === 'string' ? quote === false : quote !== true) return String(value);
  return `'${String(value).replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

// ---- ids and assembly ----------------------------------------------------------------------------

function finish(specs: readonly Spec[], contract: LoadedContract, governed: GovernedModel, model: ModelNode, project: CompiledProject): DataTest[] {
  const used = new Map<string, number>();
  return specs.map((spec) => {
    const base = spec.options.name
      ? testId(project.projectName, model.name, spec.options.name)
      : testId(project.projectName, ...[model.name, spec.column, spec.kind, spec.args === undefined ? undefined : stableHash(spec.args).slice(0, 8)].filter((p): p is string => !!p));
    const seen = (used.get(base) ?? 0) + 1;
    used.set(base, seen);
    const id = seen === 1 ? base : `${base}_${seen}`;
    const location = locate(contract, spec.path, spec.keyOf);
    const target = spec.column ? `${model.name}.${spec.column}` : model.name;
    const header = [
      `-- charter contract test ${id}`,
      `-- ${spec.kind} on ${target}; contract ${oneLine(contract.contract.name)} (${oneLine(location.file)}:${location.line}:${location.column})`,
    ];
    const severity = spec.options.severity ?? 'error';
    return {
      id,
      name: spec.options.name ?? [spec.kind, governed.name, spec.column].filter(Boolean).join('_'),
      contract: contract.contract.name,
      modelId: model.uniqueId,
      ...(spec.column ? { column: spec.column } : {}),
      kind: spec.kind,
      severity,
      errorIf: spec.options.error_if ?? ROW_CHECK_DEFAULT,
      warnIf: spec.options.warn_if ?? ROW_CHECK_DEFAULT,
      sql: [...header, spec.body].join('\n'),
      location,
      dependsOn: [...(spec.dependsOn ?? [])],
    };
  });
}

// A line break in a header comment would turn the rest of a contract name into SQL.
const oneLine = (text: string): string => text.replace(/[\r\n\u2028\u2029]+/g, ' ');

function findReferable(project: CompiledProject, name: string): { uniqueId: string; relationName: string } | undefined {
  return nodeIndex(project).ref(name);
}

// Runs unit tests: one model's SQL on an in-memory DuckDB over given rows, compared with expected rows; nothing upstream is built.
import type { EngineSession, QueryResult } from '../adapters/adapter.js';
import type { Row } from '../project/rows.js';
import { quoteWith as q } from '../adapters/dialect.js';
import { type Relation } from '../project/relation.js';
import { quoteLiteral as literal } from '../adapters/dialect.js';
import { firstLine } from '../diagnostics/text.js';
import { DuckDBAdapter } from '../adapters/duckdb/adapter.js';
import { duckdbDdl as ddl } from '../adapters/duckdb/ddl.js';
import { duckdbDialect } from '../adapters/duckdb/dialect.js';
import { duckdbTypeOf } from '../adapters/duckdb/types.js';
import { UserError, type Diagnostic, type SourceLocation } from '../diagnostics/diagnostic.js';
import { type TableData, type UnitTest } from '../load/load-unit-tests.js';
import { resolveUnitTest, type ResolvedInput } from '../validate/check-unit-tests.js';
import type { CompiledProject, ModelNode } from '../project/nodes.js';
import { buildModel } from './materialize.js';
import { stagedRelation } from '../project/relation.js';
import { NodeFailure } from './node-result.js';
import { diffRows, formatRowDiff, isEmptyDiff, type RowDiff } from './row-diff.js';
import { StatementError, StatementLog, StatementRunner } from './statement-runner.js';

export interface UnitTestResult {
  readonly name: string;
  readonly model: string;
  readonly file: string;
  readonly status: 'pass' | 'fail' | 'error';
  readonly seconds: number;
  /** Expected against selected rows (`expect`). */
  readonly diff?: RowDiff;
  /** Expected against the table after the incremental merge (`expect_table`). */
  readonly tableDiff?: RowDiff;
  readonly message?: string;
  readonly location: SourceLocation;
}

export interface UnitTestRunnerOptions {
  /** Re-renders the project with var overrides, for tests that set `vars`; without it such tests are errors. */
  readonly compileWithVars?: (vars: Readonly<Record<string, unknown>>) => Promise<CompiledProject>;
  /** Where statements are recorded; a private log when absent. */
  readonly log?: StatementLog;
}

/** A test's failure to run (as opposed to a wrong result), carried to the result's message. */
class TestError extends Error {
  constructor(message: string, readonly location?: SourceLocation) {
    super(message);
  }
}

// Every ':memory:' DuckDBAdapter in a process shares one instance, and tests recreate fixed catalog names in it:
// runs from several runners must take turns.
let turn: Promise<unknown> = Promise.resolve();
function exclusive<T>(work: () => Promise<T>): Promise<T> {
  const next = turn.then(work, work);
  turn = next.catch(() => undefined);
  return next;
}

/** One in-memory DuckDB (with the Snowflake shims) shared by every test of a run; each test gets fresh catalogs. */
export class UnitTestRunner {
  private readonly adapter = new DuckDBAdapter({ file: ':memory:', threads: 1 });
  private session: EngineSession | undefined;
  private runner: StatementRunner | undefined;
  private readonly recompiled = new Map<string, Promise<CompiledProject>>();

  constructor(
    private readonly project: CompiledProject,
    private readonly options: UnitTestRunnerOptions = {},
  ) {}

  async open(): Promise<void> {
    if (this.session) return;
    await this.adapter.open();
    this.session = await this.adapter.openSession();
    this.runner = new StatementRunner(this.session, this.options.log ?? new StatementLog());
  }

  async close(): Promise<void> {
    await this.session?.close();
    this.session = undefined;
    await this.adapter.close();
  }

  async run(test: UnitTest): Promise<UnitTestResult> {
    const t0 = performance.now();
    const result = (status: UnitTestResult['status'], extra: Partial<UnitTestResult> = {}): UnitTestResult => ({
      name: test.name,
      model: test.model,
      file: test.file,
      status,
      seconds: (performance.now() - t0) / 1000,
      location: test.location,
      ...extra,
    });
    try {
      const project = test.vars ? await this.projectWithVars(test.vars) : this.project;
      const { resolved, diagnostics } = resolveUnitTest(test, project);
      if (!resolved) throw new TestError(describe(diagnostics), diagnostics[0]?.location);
      const outcome = await exclusive(() => this.execute(test, resolved.model, resolved.inputs));
      const failures = outcome.problems;
      if (!failures.length) return result('pass', outcome.diffs);
      return result('fail', { ...outcome.diffs, message: failures.join('\n') });
    } catch (e) {
      if (e instanceof TestError) return result('error', { message: e.message, ...(e.location ? { location: e.location } : {}) });
      if (e instanceof NodeFailure) return result('error', { message: describe([e.diagnostic]), ...(e.diagnostic.location ? { location: e.diagnostic.location } : {}) });
      if (e instanceof UserError) return result('error', { message: describe(e.diagnostics) });
      if (e instanceof StatementError) return result('error', { message: `the engine rejected a statement: ${firstLine(e.message)}\n${e.sql}` });
      throw e;
    }
  }

  private async execute(test: UnitTest, model: ModelNode, inputs: readonly ResolvedInput[]): Promise<{ problems: string[]; diffs: Pick<UnitTestResult, 'diff' | 'tableDiff'> }> {
    const run = (sql: string): Promise<QueryResult> => this.statements().run(sql, { purpose: 'test', node: model.uniqueId });
    // With `this`, the table exists, so is_incremental() is true and the incremental variant is what runs.
    const selectSql = this.translate(model, test.this ? (model.incrementalSql ?? model.compiledSql) : model.compiledSql);
    const catalogs = [...new Map([...inputs.map((i) => i.relation.database), model.relation.database].map((d) => [d.toLowerCase(), d])).values()];
    const created = [...inputs.map((i) => i.relation), model.relation, stagedRelation(model.relation)];
    // Few round trips: on a busy machine each one costs more than the statements in it.
    const schemas = new Map(created.map((r) => [`${r.database}.${r.schema}`.toLowerCase(), ddl.createSchema(r.database, r.schema)]));
    try {
      await this.batch([...this.resetCatalogs(catalogs), ...schemas.values()], 'setup');
      for (const input of inputs) {
        await this.batch(await this.inputStatements(input), 'test').catch(explainAt(`given ${input.given.label}`, input.given.location));
      }
      if (test.this) await this.createThis(model, test.this.data).catch(explainAt('this', test.this.location));

      const output = await run(selectSql).catch(explainAt(`\`${model.name}\` failed on the given rows`, { file: model.path, line: 1, column: 1 }));
      const problems: string[] = [];
      const expected = await this.rowsOf(test.expect.data);
      const outputColumns = output.columns.map((c) => c.name);
      const absent = absentColumns(expected, outputColumns);
      if (absent.length) problems.push(`expect: \`${model.name}\` has no column ${absent.join(', ')} (it selects ${outputColumns.join(', ')})`);
      const diff = diffRows(expected, output.rows, { ordered: test.expect.ordered, key: model.config.uniqueKey });
      if (!isEmptyDiff(diff)) problems.push(`expect: ${formatRowDiff(diff).split('\n')[0]}`);

      let tableDiff: RowDiff | undefined;
      if (test.expectTable) {
        // The same build path as `charter run`: staged table, then merge on unique_key (or append) into `this`.
        await buildModel({ adapter: this.adapter, runner: this.statements(), fullRefresh: false, ensureSchema: async () => undefined }, model);
        const table = await run(`SELECT * FROM ${duckdbDialect.renderRelation(model.relation)}`);
        const wanted = await this.rowsOf(test.expectTable.data);
        tableDiff = diffRows(wanted, table.rows, { ordered: test.expectTable.ordered, key: model.config.uniqueKey });
        if (!isEmptyDiff(tableDiff)) problems.push(`expect_table: ${formatRowDiff(tableDiff).split('\n')[0]}`);
      }
      // Diffs only for expectations that failed: a passing result stays small in run results.
      return { problems, diffs: { ...(isEmptyDiff(diff) ? {} : { diff }), ...(tableDiff && !isEmptyDiff(tableDiff) ? { tableDiff } : {}) } };
    } finally {
      await this.batch(this.dropCatalogs(catalogs, created), 'cleanup').catch(() => undefined);
    }
  }

  private statements(): StatementRunner {
    if (!this.runner) throw new Error('UnitTestRunner.run() before open()');
    return this.runner;
  }

  private translate(model: ModelNode, snowflakeSql: string): string {
    const t = this.adapter.translate(snowflakeSql);
    if (!t.unsupported.length) return t.sql;
    const constructs = t.unsupported.map((u) => `${u.construct} (${u.reason})`).join('; ');
    throw new TestError(`\`${model.name}\` cannot run on DuckDB: ${constructs}`, { file: model.path, line: t.unsupported[0]?.line ?? 1, column: t.unsupported[0]?.column ?? 1 });
  }

  /** Statements in one call; the result is the last one's. */
  private async batch(statements: readonly string[], purpose: 'setup' | 'test' | 'cleanup'): Promise<QueryResult | undefined> {
    return statements.length ? this.statements().run(statements.join(';\n'), { purpose }) : undefined;
  }

  /** Catalogs other than DuckDB's own are attached fresh in memory, so no test sees another's rows. */
  private resetCatalogs(catalogs: readonly string[]): string[] {
    return catalogs
      .filter((c) => c.toLowerCase() !== this.adapter.database)
      .flatMap((c) => [`DETACH DATABASE IF EXISTS ${q(c)}`, `ATTACH ':memory:' AS ${q(c)}`]);
  }

  private dropCatalogs(catalogs: readonly string[], created: readonly Relation[]): string[] {
    const detach = catalogs.filter((c) => c.toLowerCase() !== this.adapter.database).map((c) => `DETACH DATABASE IF EXISTS ${q(c)}`);
    // A target whose catalog is DuckDB's own ('memory') shares it with the shims: drop only what the test made.
    const drop = created
      .filter((r) => r.database.toLowerCase() === this.adapter.database)
      .map((r) => (r.schema.toLowerCase() === 'main' ? `DROP TABLE IF EXISTS ${duckdbDialect.renderRelation(r)}` : `DROP SCHEMA IF EXISTS ${q(r.database)}.${q(r.schema)} CASCADE`));
    return [...detach, ...new Set(drop)];
  }

  private async inputStatements(input: ResolvedInput): Promise<string[]> {
    const name = duckdbDialect.renderRelation(input.relation);
    const typed = typesByLowerName({ ...input.declaredTypes, ...input.given.columns });
    const data = input.given.data;
    if (data.kind === 'csv') {
      const header = await this.statements().run(`SELECT * FROM read_csv(${literal(data.absolutePath)}, header = true, all_varchar = true) LIMIT 0`, { purpose: 'test' });
      const columnTypes = Object.fromEntries(header.columns.flatMap((c) => (typed.has(c.name.toLowerCase()) ? [[c.name, typed.get(c.name.toLowerCase()) as string]] : [])));
      return [ddl.createTableFromCsv(input.relation, { file: data.absolutePath, compressed: data.absolutePath.endsWith('.gz'), columnTypes })];
    }
    // Declared columns first, in declared order, so a `select *` model sees the full shape even when rows name a few.
    const columns = columnNames([...Object.keys(input.declaredTypes), ...Object.keys(input.given.columns)], data.rows);
    const types = columns.map((c) => typed.get(c.toLowerCase()) ?? inferDuckdbType(data.rows.map((r) => cell(r, c))));
    const create = `CREATE TABLE ${name} (${columns.map((c, k) => `${q(c)} ${types[k]}`).join(', ')})`;
    return data.rows.length ? [create, insertValues(name, columns, types, data.rows)] : [create];
  }

  /** `this` takes the shape a real build gives it: the model's full-refresh output, with no rows, then the given ones. */
  private async createThis(model: ModelNode, data: TableData): Promise<void> {
    const name = duckdbDialect.renderRelation(model.relation);
    const fullSql = this.translate(model, model.compiledSql);
    const shape = await this.batch([`CREATE TABLE ${name} AS SELECT * FROM (\n${fullSql}\n) AS charter_model LIMIT 0`, ddl.describeColumns(model.relation)], 'test');
    const run = (sql: string): Promise<unknown> => this.statements().run(sql, { purpose: 'test', node: model.uniqueId });
    const known = new Map((shape?.rows ?? []).map((r) => [String(r['column_name']).toLowerCase(), { name: String(r['column_name']), type: String(r['data_type']) }]));
    if (data.kind === 'csv') {
      await run(`INSERT INTO ${name} BY NAME SELECT * FROM read_csv(${literal(data.absolutePath)}, header = true, all_varchar = true)`);
      return;
    }
    const columns = columnNames([], data.rows);
    const unknown = columns.filter((c) => !known.has(c.toLowerCase()));
    if (unknown.length) throw new TestError(`this: \`${model.name}\` has no column ${unknown.join(', ')} (it selects ${[...known.values()].map((k) => k.name).join(', ')})`);
    if (data.rows.length) await run(insertValues(name, columns, columns.map((c) => known.get(c.toLowerCase())?.type ?? 'VARCHAR'), data.rows));
  }

  private async rowsOf(data: TableData): Promise<readonly Row[]> {
    if (data.kind === 'rows') return data.rows;
    // Read as text: the comparison matches text to numbers, dates and booleans by value.
    const { rows } = await this.statements().run(`SELECT * FROM read_csv(${literal(data.absolutePath)}, header = true, all_varchar = true)`, { purpose: 'test' });
    return rows;
  }

  private projectWithVars(vars: Readonly<Record<string, unknown>>): Promise<CompiledProject> {
    const compile = this.options.compileWithVars;
    if (!compile) return Promise.reject(new TestError('`vars` needs the project re-rendered, and this runner was given no compileWithVars'));
    const key = JSON.stringify(Object.entries(vars).sort(([a], [b]) => a.localeCompare(b)));
    let compiled = this.recompiled.get(key);
    if (!compiled) {
      compiled = compile(vars);
      this.recompiled.set(key, compiled);
    }
    return compiled;
  }
}

/** Runs one test on a runner of its own; a run of many should share one UnitTestRunner. */
export async function runUnitTest(test: UnitTest, project: CompiledProject, options: UnitTestRunnerOptions = {}): Promise<UnitTestResult> {
  return (await runUnitTests([test], project, options))[0] as UnitTestResult;
}

export async function runUnitTests(tests: readonly UnitTest[], project: CompiledProject, options: UnitTestRunnerOptions = {}): Promise<UnitTestResult[]> {
  const runner = new UnitTestRunner(project, options);
  await runner.open();
  try {
    const results: UnitTestResult[] = [];
    for (const test of tests) results.push(await runner.run(test));
    return results;
  } finally {
    await runner.close();
  }
}

/**
 * The DuckDB type for a column of YAML values when nothing declares one. Integers are BIGINT; numbers with a fraction
 * are DECIMAL(38,s) with s the most decimals written, so sums are exact as with Snowflake's NUMBER (DOUBLE when a
 * value needs an exponent or more than 18 decimals); ISO dates DATE; timestamps TIMESTAMP (TIMESTAMPTZ with an
 * offset); booleans BOOLEAN; mappings and lists JSON; anything else, or a mix, VARCHAR. Quoted numbers stay text.
 */
export function inferDuckdbType(values: readonly unknown[]): string {
  const present = values.filter((v) => v !== null && v !== undefined);
  if (!present.length) return 'VARCHAR';
  if (present.every((v) => typeof v === 'boolean')) return 'BOOLEAN';
  if (present.every((v) => typeof v === 'number')) {
    const numbers = present as number[];
    if (numbers.every((n) => Number.isSafeInteger(n))) return 'BIGINT';
    const texts = numbers.map(String);
    if (texts.some((t) => /e|n/i.test(t))) return 'DOUBLE';
    const scale = Math.max(...texts.map((t) => t.split('.')[1]?.length ?? 0));
    const whole = Math.max(...texts.map((t) => t.replace('-', '').split('.')[0]?.length ?? 0));
    return scale <= 18 && whole + scale <= 38 ? `DECIMAL(38,${scale})` : 'DOUBLE';
  }
  if (present.every((v) => typeof v === 'object')) return 'JSON';
  if (present.every((v) => typeof v === 'string')) {
    const texts = present as string[];
    if (texts.every((t) => DATE.test(t))) return 'DATE';
    if (texts.every((t) => DATE.test(t) || NAIVE_TIMESTAMP.test(t))) return 'TIMESTAMP';
    if (texts.every((t) => DATE.test(t) || NAIVE_TIMESTAMP.test(t) || ZONED_TIMESTAMP.test(t))) return 'TIMESTAMPTZ';
  }
  return 'VARCHAR';
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const NAIVE_TIMESTAMP = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;
const ZONED_TIMESTAMP = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?\s*(Z|[+-]\d{2}(:?\d{2})?)$/;

/** One INSERT for all rows: a few hundred rows go in one round trip. */
function insertValues(name: string, columns: readonly string[], types: readonly string[], rows: readonly Row[]): string {
  const tuples = rows.map((r) => `(${columns.map((c, k) => sqlLiteral(cell(r, c), types[k] ?? 'VARCHAR')).join(', ')})`);
  return `INSERT INTO ${name} (${columns.map(q).join(', ')}) VALUES\n${tuples.join(',\n')}`;
}

/** A literal DuckDB casts to the column's type on insert; text columns get text even from YAML numbers or booleans. */
function sqlLiteral(value: unknown, type: string): string {
  if (value === null || value === undefined) return 'NULL';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (/^(VARCHAR|JSON)/i.test(type)) return literal(text);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number' && Number.isFinite(value)) return text;
  return literal(text);
}


/** Column names in first-seen order, one spelling per name whatever its case. */
function columnNames(first: readonly string[], rows: readonly Row[]): string[] {
  return [...new Map([...first, ...rows.flatMap((r) => Object.keys(r))].map((c) => [c.toLowerCase(), c])).values()];
}

function cell(row: Row, column: string): unknown {
  if (column in row) return row[column];
  const key = Object.keys(row).find((k) => k.toLowerCase() === column.toLowerCase());
  return key === undefined ? undefined : row[key];
}

function typesByLowerName(types: Readonly<Record<string, string>>): Map<string, string> {
  return new Map(Object.entries(types).map(([c, t]) => [c.toLowerCase(), duckdbTypeOf(t)]));
}

function absentColumns(expected: readonly Row[], output: readonly string[]): string[] {
  const have = new Set(output.map((c) => c.toLowerCase()));
  return columnNames([], expected).filter((c) => !have.has(c.toLowerCase()));
}

/** An engine error while loading given rows names the input it was loading and points at it. */
function explainAt(what: string, location: SourceLocation): (e: unknown) => never {
  return (e) => {
    if (e instanceof StatementError) {
      // The usual cause is a column the model reads that the given rows leave out.
      const hint = /Binder Error/i.test(e.message) ? ' (does every input give the columns the model reads?)' : '';
      throw new TestError(`${what}: ${firstLine(e.message)}${hint}`, location);
    }
    if (e instanceof TestError && !e.location) throw new TestError(e.message, location);
    throw e;
  };
}

function describe(diagnostics: readonly Diagnostic[]): string {
  return diagnostics.map((d) => (d.hint ? `${d.message} (${d.hint})` : d.message)).join('\n');
}


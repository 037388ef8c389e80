// Runs unit tests: one model's SQL on the sandbox engine over given rows, compared with expected rows; nothing upstream is built.
import type { EngineSession, QueryResult, UnitTestSandbox } from '../adapters/adapter.js';
import { firstLine } from '../diagnostics/text.js';
import { UserError, type Diagnostic, type SourceLocation } from '../diagnostics/diagnostic.js';
import type { UnitTest } from '../load/load-unit-tests.js';
import { resolveUnitTest, type ResolvedInput } from '../validate/check-unit-tests.js';
import type { CompiledProject, ModelNode } from '../project/nodes.js';
import type { Row } from '../project/rows.js';
import { stagedRelation } from '../project/relation.js';
import { buildModel } from './materialize.js';
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
  /** The engine tests run on (adapters' createUnitTestSandbox()); each runner needs its own. */
  readonly sandbox: UnitTestSandbox;
  /** Re-renders the project with var overrides, for tests that set `vars`; without it such tests are errors. */
  readonly compileWithVars?: (vars: Readonly<Record<string, unknown>>) => Promise<CompiledProject>;
  /** Where statements are recorded; a private log when absent. */
  readonly log?: StatementLog;
  /**
   * Every column of an input the project knows, with its Snowflake type (a model's contract): a column the given rows
   * leave out is then NULL, as in dbt, instead of missing.
   */
  readonly inputColumns?: (node: string) => Readonly<Record<string, string>>;
}

/** A test's failure to run (as opposed to a wrong result), carried to the result's message. */
class TestError extends Error {
  constructor(message: string, readonly location?: SourceLocation) {
    super(message);
  }
}

// Sandboxes in one process may share one engine instance (DuckDB's ':memory:' is one per process), and tests
// recreate fixed catalog names in it:
// runs from several runners must take turns.
let turn: Promise<unknown> = Promise.resolve();
function exclusive<T>(work: () => Promise<T>): Promise<T> {
  const next = turn.then(work, work);
  turn = next.catch(() => undefined);
  return next;
}

/** One sandbox engine (with the Snowflake shims) shared by every test of a run; each test gets fresh catalogs. */
export class UnitTestRunner {
  private session: EngineSession | undefined;
  private runner: StatementRunner | undefined;
  private readonly recompiled = new Map<string, Promise<CompiledProject>>();

  constructor(
    private readonly project: CompiledProject,
    private readonly options: UnitTestRunnerOptions,
  ) {}

  private get adapter(): UnitTestSandbox['adapter'] {
    return this.options.sandbox.adapter;
  }

  async open(): Promise<void> {
    if (this.session) return;
    await this.adapter.open();
    this.session = await this.adapter.openSession();
    this.runner = new StatementRunner(this.session, this.options.log ?? new StatementLog());
    await this.adapter.prepare(this.runner.run);
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
    const { sandbox } = this.options;
    const runner = this.statements();
    const created = [...inputs.map((i) => i.relation), model.relation, stagedRelation(model.relation)];
    try {
      await sandbox.reset(runner.run, created);
      for (const input of inputs) {
        const types = { ...this.options.inputColumns?.(input.node), ...input.declaredTypes, ...input.given.columns };
        await sandbox.loadRows(runner.run, input.relation, input.given.data, types).catch(explainAt(`given ${input.given.label}`, input.given.location));
      }
      if (test.this) await this.createThis(model, test.this.data).catch(explainAt('this', test.this.location));

      const output = await run(selectSql).catch(explainAt(`\`${model.name}\` failed on the given rows`, { file: model.path, line: 1, column: 1 }));
      const problems: string[] = [];
      const expected = await sandbox.readRows(runner.run, test.expect.data);
      const outputColumns = output.columns.map((c) => c.name);
      const absent = absentColumns(expected, outputColumns);
      if (absent.length) problems.push(`expect: \`${model.name}\` has no column ${absent.join(', ')} (it selects ${outputColumns.join(', ')})`);
      const diff = diffRows(expected, output.rows, { ordered: test.expect.ordered, key: model.config.uniqueKey });
      if (!isEmptyDiff(diff)) problems.push(`expect: ${formatRowDiff(diff).split('\n')[0]}`);

      let tableDiff: RowDiff | undefined;
      if (test.expectTable) {
        // The same build path as `charter run`: staged table, then merge on unique_key (or append) into `this`.
        // Late-arrival bookkeeping belongs to the warehouse, not to a test's given rows.
        const ops = { database: model.relation.database, schema: model.relation.schema };
        await buildModel({ adapter: this.adapter, runner, fullRefresh: false, ensureSchema: async () => undefined, contracts: new Map(), ops, now: () => new Date() }, { ...model, lateArrival: undefined });
        const table = await run(`SELECT * FROM ${this.adapter.dialect.renderRelation(model.relation)}`);
        const wanted = await sandbox.readRows(runner.run, test.expectTable.data);
        tableDiff = diffRows(wanted, table.rows, { ordered: test.expectTable.ordered, key: model.config.uniqueKey });
        if (!isEmptyDiff(tableDiff)) problems.push(`expect_table: ${formatRowDiff(tableDiff).split('\n')[0]}`);
      }
      // Diffs only for expectations that failed: a passing result stays small in run results.
      return { problems, diffs: { ...(isEmptyDiff(diff) ? {} : { diff }), ...(tableDiff && !isEmptyDiff(tableDiff) ? { tableDiff } : {}) } };
    } finally {
      await sandbox.clear(runner.run, created).catch(() => undefined);
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
    throw new TestError(`\`${model.name}\` cannot run on ${this.adapter.engine}: ${constructs}`, { file: model.path, line: t.unsupported[0]?.line ?? 1, column: t.unsupported[0]?.column ?? 1 });
  }

  /** `this` takes the shape a real build gives it: the model's full-refresh output, with no rows, then the given ones. */
  private async createThis(model: ModelNode, data: UnitTest['expect']['data']): Promise<void> {
    const shaped = await this.options.sandbox.createShapedLike(this.statements().run, model.relation, this.translate(model, model.compiledSql), data);
    if (shaped.unknownColumns.length) {
      throw new TestError(`this: \`${model.name}\` has no column ${shaped.unknownColumns.join(', ')} (it selects ${shaped.columns.join(', ')})`);
    }
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
export async function runUnitTest(test: UnitTest, project: CompiledProject, options: UnitTestRunnerOptions): Promise<UnitTestResult> {
  return (await runUnitTests([test], project, options))[0] as UnitTestResult;
}

export async function runUnitTests(tests: readonly UnitTest[], project: CompiledProject, options: UnitTestRunnerOptions): Promise<UnitTestResult[]> {
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

function absentColumns(expected: readonly Row[], output: readonly string[]): string[] {
  const have = new Set(output.map((c) => c.toLowerCase()));
  const named = [...new Map(expected.flatMap((r) => Object.keys(r)).map((c) => [c.toLowerCase(), c])).values()];
  return named.filter((c) => !have.has(c.toLowerCase()));
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


// Runs one contract test: counts the failing rows its query returns, applies the thresholds,
// and (with --store-failures) keeps those rows in an OPS audit table.
import { canTranslate, positional } from '../adapters/adapter.js';
import { quoteLiteral } from '../adapters/dialect.js';
import { error, type Diagnostic, type SourceLocation } from '../diagnostics/diagnostic.js';
import { indentSql } from '../diagnostics/text.js';
import { evaluateThreshold, type DataTest, type DataTestKind, type TestSeverity } from '../render/render-contract-tests.js';
import { StatementError } from './statement-runner.js';
import { auditRelation, type RunContext } from './run-context.js';

export type TestStatus = 'pass' | 'warn' | 'fail' | 'error' | 'skipped';

export interface TestResult {
  readonly uniqueId: string;
  readonly name: string;
  readonly modelId: string;
  readonly kind: DataTestKind | 'singular';
  readonly column?: string;
  readonly severity: TestSeverity;
  readonly status: TestStatus;
  /** Failing rows the query returned. */
  readonly failures?: number;
  readonly seconds: number;
  readonly location: SourceLocation;
  readonly error?: Diagnostic;
  /** The audit table holding the failing rows, with --store-failures. */
  readonly storedIn?: string;
  /** Columns of that table whose values were replaced, by their classification. */
  readonly redacted?: readonly string[];
  readonly skippedBecause?: string;
}

export type TestContext = Pick<RunContext, 'adapter' | 'runner' | 'storeFailures' | 'unredactedFailures' | 'contracts' | 'ops' | 'ensureSchema'>;

/**
 * Runs many tests of one model: their failing-row counts come back from one statement per batch (DuckDB runs the
 * subqueries in parallel, and a statement costs more than a small count). A batch the engine rejects is run test
 * by test, so the failing test gets the error.
 */
export async function runDataTests(ctx: TestContext, all: readonly DataTest[], batchSize = 40): Promise<TestResult[]> {
  // Policy tests read as a role of their own: one by one, outside the batches the deploying role runs.
  const tests = all.filter((t) => !t.as);
  const asRoles = all.filter((t) => t.as);
  const results: TestResult[] = [];
  for (let i = 0; i < tests.length; i += batchSize) {
    const batch = tests.slice(i, i + batchSize);
    const prepared = batch.map((test) => ({ test, translated: translateTest(ctx, test) }));
    const runnable = prepared.filter((p) => p.translated.unsupported.length === 0);
    let counts: number[] | undefined;
    const t0 = performance.now();
    if (runnable.length > 1) {
      const columns = runnable.map((p, j) => `(SELECT count(*) FROM (\n${p.translated.sql}\n) AS charter_test_${j}) AS f${j}`);
      try {
        const [row = []] = positional(await ctx.runner.run(`SELECT\n${columns.join(',\n')}`, { node: runnable[0]?.test.modelId, purpose: 'test' }));
        counts = runnable.map((_p, j) => Number(row[j] ?? 0));
      } catch (e) {
        if (!(e instanceof StatementError)) throw e;
      }
    }
    const each = runnable.length ? (performance.now() - t0) / 1000 / runnable.length : 0;
    for (const { test, translated } of prepared) {
      const j = runnable.findIndex((p) => p.test === test);
      const count = counts && j >= 0 ? counts[j] : undefined;
      results.push(count === undefined ? await runDataTest(ctx, test) : await conclude(ctx, test, translated.sql, count, each));
    }
  }
  for (const test of asRoles) results.push(await runPolicyTest(ctx, test));
  return results;
}

/**
 * A policy test, in the session put in its role: the public names read as that role sees them. Only where charter
 * enforces the policies itself; on Snowflake the warehouse does, for its own users, and the test is skipped.
 */
async function runPolicyTest(ctx: TestContext, test: DataTest): Promise<TestResult> {
  const { actAs } = ctx.adapter;
  if (!actAs || !test.as) return skippedTest(test, `policy tests run on the local target; ${ctx.adapter.engine} enforces its policies for its own users`);
  await actAs.call(ctx.adapter, ctx.runner.run, test.as);
  try {
    return await runDataTest(ctx, test);
  } finally {
    await actAs.call(ctx.adapter, ctx.runner.run, undefined);
  }
}

function translateTest(ctx: TestContext, test: DataTest): { sql: string; unsupported: ReadonlyArray<{ construct: string; reason: string }> } {
  return canTranslate(ctx.adapter) ? ctx.adapter.translate(test.sql) : { sql: test.sql, unsupported: [] };
}

/** A test not run because a model it reads was not built in this run: its relation would be missing or stale. */
export function skippedTest(test: DataTest, because: string): TestResult {
  return { ...baseOf(test), status: 'skipped', seconds: 0, skippedBecause: because };
}

function baseOf(test: DataTest): Omit<TestResult, 'status' | 'seconds'> {
  return {
    uniqueId: test.id,
    name: test.name,
    modelId: test.modelId,
    kind: test.kind,
    column: test.column,
    severity: test.severity,
    location: test.location,
  };
}

/** Thresholds, and the audit table with --store-failures, for a test whose failing rows were counted. */
async function conclude(ctx: TestContext, test: DataTest, sql: string, failures: number, seconds: number): Promise<TestResult> {
  let storedIn: string | undefined;
  let redacted: string[] = [];
  if (ctx.storeFailures && failures > 0) {
    const audit = auditRelation(ctx.ops, test);
    await ctx.ensureSchema(audit);
    const stored = ctx.unredactedFailures ? { sql, redacted: [] } : await redactedFailures(ctx, test, sql);
    await ctx.runner.run(ctx.adapter.ddl.createTableAs(audit, stored.sql), { node: test.id, purpose: 'test' });
    storedIn = ctx.adapter.dialect.renderRelation(audit);
    redacted = stored.redacted;
  }
  const status = evaluateThreshold(failures, test.errorIf, test.warnIf, test.severity);
  return {
    ...baseOf(test),
    status,
    failures,
    seconds,
    storedIn,
    ...(redacted.length ? { redacted } : {}),
    error:
      status === 'pass'
        ? undefined
        : {
            code: 'test.failed',
            severity: status === 'fail' ? 'error' : 'warning',
            message: `${test.name}: ${failures} failing row${failures === 1 ? '' : 's'} (${status === 'fail' ? `error if ${test.errorIf}` : `warn if ${test.warnIf}`})`,
            location: test.location,
            detail: storedIn
              ? `failing rows stored in ${storedIn}${redacted.length ? ` (values of ${redacted.join(', ')} redacted by classification)` : ''}`
              : `query:\n${indentSql(test.sql)}`,
          },
  };
}

/** Classifications whose values never land in an audit table unless a run asks for them explicitly. */
const SENSITIVE = new Set(['pii', 'phi']);

/**
 * The failing-rows query with the values of the model's pii and phi columns replaced by their classification, so
 * --store-failures keeps which rows failed without copying what they hold. Columns are read from the query's shape.
 */
async function redactedFailures(ctx: TestContext, test: DataTest, sql: string): Promise<{ sql: string; redacted: string[] }> {
  const bound = ctx.contracts.get(test.modelId);
  const sensitive = new Map(
    (bound?.governed.columns ?? []).flatMap((c) => (c.classification && SENSITIVE.has(c.classification) ? [[c.name.toLowerCase(), c.classification] as const] : [])),
  );
  if (!sensitive.size) return { sql, redacted: [] };
  const shape = await ctx.runner.run(`SELECT * FROM (\n${sql}\n) AS charter_failures LIMIT 0`, { node: test.id, purpose: 'test' });
  const columns = shape.columns.map((c) => c.name);
  const redacted = columns.filter((c) => sensitive.has(c.toLowerCase()));
  if (!redacted.length) return { sql, redacted };
  const q = (c: string): string => ctx.adapter.dialect.quoteIdentifier(c);
  const select = columns.map((c) => (sensitive.has(c.toLowerCase()) ? `${quoteLiteral(`[redacted ${sensitive.get(c.toLowerCase())}]`)} AS ${q(c)}` : q(c)));
  return { sql: `SELECT ${select.join(', ')}\nFROM (\n${sql}\n) AS charter_failures`, redacted };
}

export async function runDataTest(ctx: TestContext, test: DataTest): Promise<TestResult> {
  const t0 = performance.now();
  const base = baseOf(test);
  const translated = translateTest(ctx, test);
  const unsupported = translated.unsupported[0];
  if (unsupported) {
    return {
      ...base,
      status: 'error',
      seconds: 0,
      error: error('translate.unsupported', `test ${test.name}: ${unsupported.construct} cannot run on ${ctx.adapter.engine}: ${unsupported.reason}`, {
        location: test.location,
      }),
    };
  }
  try {
    const [row = []] = positional(await ctx.runner.run(`SELECT count(*) AS failures FROM (\n${translated.sql}\n) AS charter_test`, { node: test.id, purpose: 'test' }));
    return await conclude(ctx, test, translated.sql, Number(row[0] ?? 0), (performance.now() - t0) / 1000);
  } catch (e) {
    if (!(e instanceof StatementError)) throw e;
    return {
      ...base,
      status: 'error',
      seconds: (performance.now() - t0) / 1000,
      error: error('engine.error', `test ${test.name}: ${e.message.split('\n')[0]}`, { location: test.location, detail: `query:\n${indentSql(test.sql)}` }),
    };
  }
}

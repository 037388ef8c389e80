// Runs one contract test: counts the failing rows its query returns, applies the thresholds,
// and (with --store-failures) keeps those rows in an OPS audit table.
import type { Adapter } from '../adapters/adapter.js';
import type { Relation } from '../adapters/dialect.js';
import { error, type Diagnostic, type SourceLocation } from '../diagnostics/diagnostic.js';
import { evaluateThreshold, type DataTest, type DataTestKind, type TestSeverity } from '../render/render-contract-tests.js';
import { StatementError, type StatementRunner } from './statement-runner.js';

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
  readonly skippedBecause?: string;
}

export interface TestContext {
  readonly adapter: Adapter;
  readonly runner: StatementRunner;
  readonly storeFailures: boolean;
  /** The OPS schema's relation for a stored-failures table of this test. */
  readonly auditRelation: (test: DataTest) => Relation;
  readonly ensureSchema: (relation: Relation) => Promise<void>;
}

export async function runDataTest(ctx: TestContext, test: DataTest): Promise<TestResult> {
  const t0 = performance.now();
  const base = {
    uniqueId: test.id,
    name: test.name,
    modelId: test.modelId,
    kind: test.kind,
    column: test.column,
    severity: test.severity,
    location: test.location,
  };
  const translated = ctx.adapter.capabilities.needsTranslation ? ctx.adapter.translate(test.sql) : { sql: test.sql, unsupported: [] };
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
    const tag = { node: test.id, purpose: 'test' as const };
    const { rows } = await ctx.runner.run(`SELECT count(*) AS failures FROM (\n${translated.sql}\n) AS charter_test`, tag);
    const failures = Number(rows[0]?.['failures'] ?? 0);
    let storedIn: string | undefined;
    if (ctx.storeFailures && failures > 0) {
      const audit = ctx.auditRelation(test);
      await ctx.ensureSchema(audit);
      await ctx.runner.run(ctx.adapter.ddl.createTableAs(audit, translated.sql), tag);
      storedIn = ctx.adapter.dialect.renderRelation(audit);
    }
    const status = evaluateThreshold(failures, test.errorIf, test.warnIf, test.severity);
    return {
      ...base,
      status,
      failures,
      seconds: (performance.now() - t0) / 1000,
      storedIn,
      error:
        status === 'pass'
          ? undefined
          : {
              code: 'test.failed',
              severity: status === 'fail' ? 'error' : 'warning',
              message: `${test.name}: ${failures} failing row${failures === 1 ? '' : 's'} (${status === 'fail' ? `error if ${test.errorIf}` : `warn if ${test.warnIf}`})`,
              location: test.location,
              detail: storedIn ? `failing rows stored in ${storedIn}` : `query:\n${indent(test.sql)}`,
            },
    };
  } catch (e) {
    if (!(e instanceof StatementError)) throw e;
    return {
      ...base,
      status: 'error',
      seconds: (performance.now() - t0) / 1000,
      error: error('engine.error', `test ${test.name}: ${e.message.split('\n')[0]}`, { location: test.location, detail: `query:\n${indent(test.sql)}` }),
    };
  }
}

function indent(sql: string): string {
  return sql.split('\n').map((l) => `  ${l}`).join('\n');
}

// Running migration scripts against the warehouse and keeping their history in OPS.charter_migrations: one row per
// run of a script (kind, version, script, checksum, who, when, how long, whether it succeeded). A failed script
// stops the migrate; its row says so, and the next migrate runs it again.
import { positional, type Adapter } from '../adapters/adapter.js';
import { quoteLiteral as literal } from '../adapters/dialect.js';
import { error, UserError } from '../diagnostics/diagnostic.js';
import type { MigrationScript } from '../load/load-migrations.js';
import type { HistoryRow } from '../plan/migration-plan.js';
import type { Relation } from '../project/relation.js';
import { splitStatements } from '../render/split-statements.js';
import type { OpsSchema } from './run-context.js';
import type { StatementRunner } from './statement-runner.js';

export interface MigrationContext {
  readonly adapter: Adapter;
  readonly runner: StatementRunner;
  readonly ops: OpsSchema;
  readonly runId: string;
  readonly appliedBy: string;
  readonly now: () => Date;
}

const COLUMNS = 'installed_rank INTEGER, kind VARCHAR, version VARCHAR, description VARCHAR, script VARCHAR, checksum VARCHAR, applied_by VARCHAR, applied_at VARCHAR, duration_ms BIGINT, success BOOLEAN, run_id VARCHAR';

const historyRelation = (ops: OpsSchema): Relation => ({ ...ops, identifier: 'charter_migrations' });

/** The history table, created on first use and read once per command; what a command runs is appended to it. */
export class MigrationHistory {
  private nextRank: number;

  private constructor(
    private readonly ctx: MigrationContext,
    private readonly table: string,
    readonly rows: readonly HistoryRow[],
  ) {
    this.nextRank = Math.max(0, ...rows.map((r) => r.rank)) + 1;
  }

  static async open(ctx: MigrationContext): Promise<MigrationHistory> {
    const relation = historyRelation(ctx.ops);
    await ctx.runner.run(ctx.adapter.ddl.createSchema(relation.database, relation.schema), { purpose: 'schema' });
    const table = ctx.adapter.dialect.renderRelation(relation);
    await ctx.runner.run(`CREATE TABLE IF NOT EXISTS ${table} (${COLUMNS})`, { purpose: 'setup' });
    const read = positional(await ctx.runner.run(`SELECT installed_rank, kind, version, script, checksum, success FROM ${table} ORDER BY installed_rank`, { purpose: 'introspect' }));
    const rows = read.map(([rank, kind, version, script, checksum, success]) => ({
      rank: Number(rank),
      kind: String(kind) as HistoryRow['kind'],
      version: version === null || version === undefined ? null : String(version),
      script: String(script),
      checksum: String(checksum),
      success: success === true,
    }));
    return new MigrationHistory(ctx, table, rows);
  }

  /** Runs one script (rendered) statement by statement and records it; a failure is recorded, then thrown located. */
  async apply(script: MigrationScript, sql: string): Promise<{ ms: number; statements: number }> {
    const { ctx, table } = this;
    const rank = this.nextRank++;
    const record = (ms: number, success: boolean) =>
      ctx.runner.run(
        `INSERT INTO ${table} VALUES (${rank}, ${literal(script.kind)}, ${script.version ? literal(script.version) : 'NULL'}, ${literal(script.description)}, ` +
          `${literal(script.path)}, ${literal(script.checksum)}, ${literal(ctx.appliedBy)}, ${literal(ctx.now().toISOString())}, ${Math.round(ms)}, ${success}, ${literal(ctx.runId)})`,
        { purpose: 'migrate', node: script.path },
      );
    const statements = splitStatements(sql);
    const t0 = performance.now();
    for (const statement of statements) {
      try {
        await ctx.runner.run(statement.sql, { purpose: 'migrate', node: script.path });
      } catch (e) {
        await record(performance.now() - t0, false);
        const message = e instanceof Error ? e.message : String(e);
        throw new UserError([error('migration.failed', `${script.path} failed: ${message}`, {
          location: { file: script.path, line: statement.line, column: 1 },
          detail: `failing statement:\n${statement.sql}`,
          hint: 'fix the script and migrate again: statements before this one have run, and a failed script runs again from its start',
        })]);
      }
    }
    const ms = performance.now() - t0;
    await record(ms, true);
    return { ms, statements: statements.length };
  }

  /** `migrate repair`: applied V scripts take their files' checksums, failed rows and scripts gone from disk are forgotten. */
  async repair(changed: ReadonlyArray<{ version: string; checksum: string }>, forget: readonly string[]): Promise<void> {
    const { ctx, table } = this;
    for (const c of changed) {
      await ctx.runner.run(`UPDATE ${table} SET checksum = ${literal(c.checksum)} WHERE kind = 'versioned' AND version = ${literal(c.version)} AND success`, { purpose: 'migrate' });
    }
    for (const version of forget) await ctx.runner.run(`DELETE FROM ${table} WHERE kind = 'versioned' AND version = ${literal(version)}`, { purpose: 'migrate' });
    await ctx.runner.run(`DELETE FROM ${table} WHERE NOT success`, { purpose: 'migrate' });
  }
}

// `charter query --role R "<sql>"`: a Snowflake SQL query against the target, as a role sees it. On Snowflake the
// warehouse enforces the policies (USE ROLE); locally the session takes the role and every role it inherits, and the
// governed relations' public views mask and filter for it, as Snowflake would.
import { randomUUID } from 'node:crypto';
import { canTranslate, positional, type ColumnInfo } from '../adapters/adapter.js';
import { createAdapter } from '../adapters/create-adapter.js';
import { error, UserError } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../diagnostics/suggest.js';
import { closeEngine, openEngine } from '../execute/engine.js';
import { StatementError, StatementLog, StatementRunner } from '../execute/statement-runner.js';
import { loadProject } from '../load/load-project.js';
import type { JsonValue } from '../project/rows.js';
import { rolesHeldBy } from '../render/governance-sql.js';
import type { ProjectOptions } from './options.js';
import { guardProjection } from './projection-guard.js';

export interface QueryOptions extends ProjectOptions {
  /** Snowflake SQL. */
  readonly sql: string;
  /** The role to query as; none: no role, so every policy applies in full. */
  readonly role?: string;
}

export interface QueryResultSet {
  readonly role: string | undefined;
  /** The roles in session: the role and those it inherits. */
  readonly roles: readonly string[];
  readonly columns: readonly ColumnInfo[];
  readonly rows: ReadonlyArray<ReadonlyArray<JsonValue | undefined>>;
}

export async function query(options: QueryOptions): Promise<QueryResultSet> {
  const loaded = await loadProject(options);
  const role = options.role?.toUpperCase();
  if (role && loaded.target.engine === 'duckdb' && !loaded.policies.roles.has(role)) {
    throw new UserError([error('policy.undefined', `role \`${options.role}\` is not defined`, {
      hint: didYouMean(role, loaded.policies.roles.keys()) ?? `defined roles: ${[...loaded.policies.roles.keys()].join(', ') || 'none (policies/*.yml defines them)'}`,
    })]);
  }
  const roles = role ? rolesHeldBy(role, loaded.policies) : [];
  const adapter = createAdapter(loaded, 1, { runId: randomUUID(), command: 'query' });
  const log = new StatementLog();
  await openEngine(adapter, log);
  try {
    const session = await adapter.openSession();
    try {
      const runner = new StatementRunner(session, log);
      if (adapter.actAs) {
        // No role: every policy applies in full, as to a role that holds nothing.
        await adapter.actAs(runner.run, { role: role ?? '', roles });
      } else if (role) {
        await runner.run(`USE ROLE ${adapter.dialect.quoteIdentifier(role)}`, { purpose: 'setup' });
      }
      let sql = options.sql;
      // Snowflake applies its projection policies itself; locally charter does, from the query's column lineage.
      const nullified = adapter.actAs ? await guardProjection(loaded, sql, role, roles) : new Set<number>();
      if (canTranslate(adapter)) {
        const translated = adapter.translate(sql);
        const first = translated.unsupported[0];
        if (first?.construct === 'syntax') throw new UserError([error('sql.syntax', `syntax error in the query: ${first.reason}`)]);
        if (first) throw new UserError([error('translate.unsupported', `${first.construct} cannot run faithfully on ${adapter.engine}: ${first.reason}`)]);
        sql = translated.sql;
      }
      const result = await runner.run(sql, { purpose: 'test' }).catch((e: unknown) => {
        throw e instanceof StatementError ? new UserError([error('engine.error', e.message.split('\n')[0]!, { detail: `query as run:\n${sql}` })]) : e;
      });
      const rows = positional(result).map((row) => (nullified.size ? row.map((value, i) => (nullified.has(i) ? null : value)) : row));
      return { role, roles, columns: result.columns, rows };
    } finally {
      await session.close();
    }
  } finally {
    await closeEngine(adapter, log);
  }
}

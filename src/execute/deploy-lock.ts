// The deploy lock of a target: OPS.charter_lock, one row per claim (name, owner user@host:pid, run id, acquired_at,
// expires_at), created on first use.
//
// Two sessions on Snowflake can both pass a `WHERE NOT EXISTS` check, so a claim is not a conditional insert. An
// apply inserts its claim, then reads every claim: it holds the lock only if no other live claim is there, and
// otherwise deletes its own and refuses. Of two applies racing, the one that read last sees the other's claim (it
// was inserted before the first one read), so at most one wins; both may lose, and then both say so and a re-run
// settles it. The decision needs no clock agreement between machines; only expiry does, at the scale of the lock
// timeout.
//
// A claim stops counting when it has expired, or when its owner ran on this host and its process is gone (a killed
// apply): the next apply removes it and goes ahead. A long apply renews its claim after each node.
import { positional } from '../adapters/adapter.js';
import { quoteLiteral as literal } from '../adapters/dialect.js';
import { error, UserError } from '../diagnostics/diagnostic.js';
import type { Relation } from '../project/relation.js';
import type { DeployContext } from './deploy-state.js';
import type { OpsSchema } from './run-context.js';

export const lockRelation = (ops: OpsSchema): Relation => ({ ...ops, identifier: 'charter_lock' });

const LOCK_COLUMNS = 'name VARCHAR, owner VARCHAR, run_id VARCHAR, acquired_at VARCHAR, expires_at VARCHAR';
/** One lock per target: applies of one target exclude each other, whatever they select. */
const LOCK_NAME = 'apply';
const claimOf = (runId: string): string => `name = ${literal(LOCK_NAME)} AND run_id = ${literal(runId)}`;

export interface LockClaim {
  readonly name: string;
  readonly owner: string;
  readonly runId: string;
  readonly acquiredAt: string;
  readonly expiresAt: string;
}

export type LockDecision = { readonly won: true; readonly stale: readonly LockClaim[] } | { readonly won: false; readonly holder: LockClaim };

/** Given every claim (this run's included), whether this run holds the lock, and which claims no longer count. Pure. */
export function decideLock(claims: readonly LockClaim[], runId: string, now: Date, ownerGone: (owner: string) => boolean): LockDecision {
  const others = claims.filter((c) => c.runId !== runId);
  const live = others.filter((c) => Date.parse(c.expiresAt) > now.getTime() && !ownerGone(c.owner));
  const holder = [...live].sort((a, b) => (a.acquiredAt < b.acquiredAt ? -1 : a.acquiredAt > b.acquiredAt ? 1 : 0))[0];
  return holder ? { won: false, holder } : { won: true, stale: others };
}

export interface LockOptions {
  readonly timeoutMs: number;
  /** Remove every other claim first, live or not: for a lock whose apply is known to be gone. */
  readonly breakLock: boolean;
  /** Whether a claim's owner (user@host:pid) ran on this host and its process is gone. */
  readonly ownerGone: (owner: string) => boolean;
}

export class DeployLock {
  private constructor(
    private readonly ctx: DeployContext,
    private readonly table: string,
    private readonly timeoutMs: number,
    /** Claims of earlier applies that this one found dead and removed. */
    readonly tookOver: readonly LockClaim[],
  ) {}

  static async acquire(ctx: DeployContext, options: LockOptions): Promise<DeployLock> {
    const relation = lockRelation(ctx.ops);
    await ctx.runner.run(ctx.adapter.ddl.createSchema(relation.database, relation.schema), { purpose: 'schema' });
    const table = ctx.adapter.dialect.renderRelation(relation);
    await ctx.runner.run(`CREATE TABLE IF NOT EXISTS ${table} (${LOCK_COLUMNS})`, { purpose: 'deploy' });
    if (options.breakLock) await ctx.runner.run(`DELETE FROM ${table} WHERE name = ${literal(LOCK_NAME)} AND run_id <> ${literal(ctx.runId)}`, { purpose: 'deploy' });
    const now = ctx.now();
    await ctx.runner.run(
      `INSERT INTO ${table} (name, owner, run_id, acquired_at, expires_at) VALUES (${[LOCK_NAME, ctx.owner, ctx.runId, now.toISOString(), expiry(now, options.timeoutMs)].map(literal).join(', ')})`,
      { purpose: 'deploy' },
    );
    const claims = positional(await ctx.runner.run(`SELECT name, owner, run_id, acquired_at, expires_at FROM ${table} WHERE name = ${literal(LOCK_NAME)}`, { purpose: 'deploy' })).map(
      ([name, owner, runId, acquiredAt, expiresAt]): LockClaim => ({ name: String(name), owner: String(owner), runId: String(runId), acquiredAt: String(acquiredAt), expiresAt: String(expiresAt) }),
    );
    const decision = decideLock(claims, ctx.runId, ctx.now(), options.ownerGone);
    if (!decision.won) {
      await ctx.runner.run(`DELETE FROM ${table} WHERE ${claimOf(ctx.runId)}`, { purpose: 'deploy' });
      throw new UserError([lockedProblem(decision.holder, ctx.now())]);
    }
    for (const stale of decision.stale) {
      await ctx.runner.run(`DELETE FROM ${table} WHERE ${claimOf(stale.runId)}`, { purpose: 'deploy' });
    }
    return new DeployLock(ctx, table, options.timeoutMs, decision.stale);
  }

  /** Pushes the claim's expiry on; a claim that is gone (broken, or expired and taken) stops the apply. */
  async renew(): Promise<void> {
    const { ctx, table } = this;
    const result = await ctx.runner.run(
      `UPDATE ${table} SET expires_at = ${literal(expiry(ctx.now(), this.timeoutMs))} WHERE ${claimOf(ctx.runId)}`,
      { purpose: 'deploy' },
    );
    if (result.rowsAffected === 0) {
      throw new UserError([
        error('deploy.locked', 'this apply no longer holds the deploy lock: it expired or was broken, and another apply may be running', {
          hint: 'what this apply finished is recorded; once the other apply is done, `charter apply` again goes on from there (raise --lock-timeout above the longest node build)',
        }),
      ]);
    }
  }

  async release(): Promise<void> {
    const { ctx, table } = this;
    await ctx.runner.run(`DELETE FROM ${table} WHERE ${claimOf(ctx.runId)}`, { purpose: 'cleanup' });
  }
}

const expiry = (now: Date, timeoutMs: number): string => new Date(now.getTime() + timeoutMs).toISOString();

function lockedProblem(holder: LockClaim, now: Date): ReturnType<typeof error> {
  const minutes = Math.max(0, Math.ceil((Date.parse(holder.expiresAt) - now.getTime()) / 60_000));
  return error('deploy.locked', `another apply holds the deploy lock: ${holder.owner} (run ${holder.runId}), since ${holder.acquiredAt}, expires ${holder.expiresAt} (in ${minutes} min)`, {
    hint:
      'wait for it to finish and run again; a lock expires on its own, and one whose process has died on this host is taken over at once. ' +
      'If you know that apply is gone, `charter apply --break-lock` removes its lock',
  });
}

// A fixed set of engine sessions, each wrapped in a StatementRunner, lent to one task at a time.
import type { Adapter } from '../adapters/adapter.js';
import type { Relation } from '../project/relation.js';
import { StatementLog, StatementRunner } from './statement-runner.js';

export class SessionPool {
  private readonly idle: StatementRunner[] = [];
  private readonly waiters: Array<(r: StatementRunner) => void> = [];
  private readonly schemas = new Map<string, Promise<void>>();

  private constructor(
    private readonly adapter: Adapter,
    private readonly closers: Array<() => Promise<void>>,
    runners: StatementRunner[],
  ) {
    this.idle.push(...runners);
  }

  static async open(adapter: Adapter, size: number, log: StatementLog): Promise<SessionPool> {
    const sessions = await Promise.all(Array.from({ length: Math.max(1, size) }, () => adapter.openSession()));
    return new SessionPool(adapter, sessions.map((s) => () => s.close()), sessions.map((s) => new StatementRunner(s, log)));
  }

  async with<T>(task: (runner: StatementRunner) => Promise<T>): Promise<T> {
    const runner = this.idle.pop() ?? (await new Promise<StatementRunner>((resolve) => this.waiters.push(resolve)));
    try {
      return await task(runner);
    } finally {
      const next = this.waiters.shift();
      if (next) next(runner);
      else this.idle.push(runner);
    }
  }

  /** Creates a schema once per run, however many tasks ask, on the asking task's runner. */
  ensureSchema(runner: StatementRunner, relation: Relation): Promise<void> {
    const key = `${relation.database}.${relation.schema}`;
    let created = this.schemas.get(key);
    if (!created) {
      created = runner.run(this.adapter.ddl.createSchema(relation.database, relation.schema), { purpose: 'schema' }).then(() => undefined);
      this.schemas.set(key, created);
    }
    return created;
  }

  async close(): Promise<void> {
    await Promise.all(this.closers.map((close) => close()));
  }
}

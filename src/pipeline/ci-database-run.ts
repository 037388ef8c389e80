// `charter ci` on a Snowflake target: the gate's own database, made (empty, or a zero-copy clone of the target's)
// before its build and dropped after it, whatever happens in between (a failed build, Ctrl-C), unless kept. The two
// statements go through the target's adapter and a statement runner like any other: tagged (command `ci`), timed,
// recorded. The build itself runs on a target of its own with the database replaced (see ci.ts).
import { createAdapter } from '../adapters/create-adapter.js';
import type { StatementPurpose } from '../adapters/adapter.js';
import { error, type Diagnostic } from '../diagnostics/diagnostic.js';
import { StatementLog, StatementRunner, type StatementRecord } from '../execute/statement-runner.js';
import type { LoadedProject } from '../load/project-files.js';
import type { CiDatabase } from '../render/ci-database.js';
import type { Reporter } from './reporter.js';

export interface CiDatabaseOutcome<T> {
  /** What the work returned; undefined when the database could not be made (`problems` says why). */
  readonly value: T | undefined;
  /** The CREATE as recorded (for the evidence), once it ran. */
  readonly created: StatementRecord | undefined;
  readonly dropped: boolean;
  /** A CREATE or DROP that failed. */
  readonly problems: readonly Diagnostic[];
}

type Project = Pick<LoadedProject, 'rootDir' | 'target' | 'targetName' | 'targetLocation' | 'paths' | 'config'>;

export async function inCiDatabase<T>(
  project: Project, runId: string, database: CiDatabase, { keep, reporter }: { readonly keep: boolean; readonly reporter: Reporter },
  work: (created: StatementRecord) => Promise<T>,
): Promise<CiDatabaseOutcome<T>> {
  const log = new StatementLog();
  // A login of its own for each: the build between them may outlast a session, and a Ctrl-C cancels only the build's.
  const statement = async (sql: string, purpose: StatementPurpose): Promise<StatementRecord> => {
    const adapter = createAdapter(project, 1, { runId, command: 'ci' });
    try {
      await adapter.open();
      const session = await adapter.openSession();
      try {
        await new StatementRunner(session, log).run(sql, { purpose });
      } finally {
        await session.close();
      }
    } finally {
      await adapter.close();
    }
    return log.records.at(-1)!;
  };
  const failed = (what: string, e: unknown): Diagnostic =>
    error('ci.database', `charter ci could not ${what} Snowflake database ${database.name}: ${e instanceof Error ? e.message : String(e)}`, {
      hint: what === 'drop'
        ? `drop it by hand: ${database.drop}`
        : `the role of target ${project.targetName} needs CREATE DATABASE on the account${database.cloneOf ? ` and USAGE on ${database.cloneOf} to clone it` : ''}`,
    });

  let created: StatementRecord;
  try {
    created = await statement(database.create, 'setup');
  } catch (e) {
    return { value: undefined, created: undefined, dropped: false, problems: [failed('create', e)] };
  }
  reporter.info(`ci database ${database.name} created${database.cloneOf ? ` as a zero-copy clone of ${database.cloneOf}` : ', empty'}`, { ciDatabase: database.name });
  let dropped = false;
  const problems: Diagnostic[] = [];
  let value: T;
  try {
    value = await work(created);
  } finally {
    if (keep) reporter.info(`ci database ${database.name} kept (--keep): drop it when done with ${database.drop}`, { ciDatabase: database.name });
    else {
      try {
        await statement(database.drop, 'cleanup');
        dropped = true;
        reporter.info(`ci database ${database.name} dropped`, { ciDatabase: database.name });
      } catch (e) {
        problems.push(failed('drop', e));
      }
    }
  }
  return { value, created, dropped, problems };
}

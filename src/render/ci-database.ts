// The Snowflake database `charter ci` builds in, one per pull request: its name, from the CI system's pull-request
// number or else the run's id, and the statements that make it (empty, or a zero-copy clone of the target's) and
// drop it. Pure: the environment is passed in.
import { snowflakeDialect } from '../adapters/snowflake/dialect.js';

export interface CiDatabase {
  /** `<DATABASE>_CI_<id>`, upper case. */
  readonly name: string;
  /** The target's own database, when the CI database is a clone of it. */
  readonly cloneOf: string | null;
  readonly create: string;
  readonly drop: string;
}

/**
 * What tells this gate's database from another's: `PR<n>` on a GitHub pull request (GITHUB_REF
 * `refs/pull/<n>/merge`), `MR<n>` on a GitLab merge request (CI_MERGE_REQUEST_IID), else the first 8 hex digits
 * of the run's id.
 */
export function ciDatabaseId(env: Readonly<Record<string, string | undefined>>, runId: string): string {
  const pull = /^refs\/pull\/(\d+)\//.exec(env['GITHUB_REF'] ?? '')?.[1];
  if (pull) return `PR${pull}`;
  const merge = env['CI_MERGE_REQUEST_IID'];
  if (merge && /^\d+$/.test(merge)) return `MR${merge}`;
  return runId.replace(/[^0-9a-f]/gi, '').slice(0, 8).toUpperCase();
}

/**
 * The CI database for a target's `database`. CREATE OR REPLACE: the name is the pull request's, so a database a
 * killed run of the same pull request left behind is replaced rather than blocking it.
 */
export function ciDatabase(database: string, id: string, clone: boolean): CiDatabase {
  const name = `${database}_CI_${id}`.toUpperCase();
  const q = snowflakeDialect.quoteIdentifier;
  return {
    name,
    cloneOf: clone ? database.toUpperCase() : null,
    create: `CREATE OR REPLACE DATABASE ${q(name)}${clone ? ` CLONE ${q(database)}` : ''}`,
    drop: `DROP DATABASE IF EXISTS ${q(name)}`,
  };
}

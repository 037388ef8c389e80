// The Snowflake SQL of a contract's retention: which rows are older than a layer keeps them (the local check counts
// them; a purge deletes them). Age is counted in days from the retention's as_of date, or from today, as freshness
// measures from its as_of. DuckDB runs the same SQL translated. Pure.

/**
 * The oldest day a row may be from: `days` before the as-of date (or today). `asOf` is a date, or a contract's
 * {{ var('...') }} that templating turns into one (the schema admits nothing else; binding checks what it became).
 */
export function retentionCutoff(days: number, asOf?: string): string {
  const reference = asOf === undefined ? 'CURRENT_DATE()' : `CAST('${asOf}' AS DATE)`;
  return `DATEADD(day, -${days}, ${reference})`;
}

/** The rows a table must not keep any more: `column` (quoted) before the cutoff. NULL is not old. */
export const expiredCondition = (column: string, days: number, asOf?: string): string => `${column} < ${retentionCutoff(days, asOf)}`;

/** Deletes them from `relation` (rendered), as a build does after the model is built when its contract says purge. */
export const purgeSql = (relation: string, column: string, days: number, asOf?: string): string =>
  `DELETE FROM ${relation} WHERE ${expiredCondition(column, days, asOf)}`;

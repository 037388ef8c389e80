// Whether a statement parses as Snowflake SQL with polyglot (@polyglot-sql/sdk 0.12.1), the parser the golden tests
// check charter's Snowflake SQL with.
import { Dialect, parse } from '@polyglot-sql/sdk';

/**
 * polyglot parses no ALTER VIEW form but RENAME and AS, though Snowflake documents ALTER VIEW ... MODIFY COLUMN ...
 * SET MASKING POLICY | SET TAG and ADD ROW ACCESS POLICY with the very clauses of ALTER TABLE: such a statement is
 * checked as its ALTER TABLE twin.
 */
export function parsesAsSnowflake(sql: string): boolean {
  const twin = /^ALTER VIEW \S+ (MODIFY COLUMN|ADD ROW ACCESS POLICY) /.test(sql) ? sql.replace(/^ALTER VIEW /, 'ALTER TABLE ') : sql;
  return parse(twin, Dialect.Snowflake).success;
}

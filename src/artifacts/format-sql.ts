// sql-formatter, Snowflake dialect: loaded only when something needs formatting (its keyword tables are slow to build).
import { format } from 'sql-formatter';
import { memoizeText } from '../project/memo.js';

/** Formats Snowflake SQL; SQL the formatter cannot parse is kept as written rather than mangled. */
export const formatSql = memoizeText((sql: string): string => {
  try {
    return format(sql, { language: 'snowflake', keywordCase: 'preserve', tabWidth: 2 });
  } catch {
    return sql;
  }
}, 5_000);

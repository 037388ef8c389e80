// Snowflake naming: unquoted names fold to upper case, so charter upper-cases and quotes every part.
import { quoteWith, type SqlDialect } from '../dialect.js';
import { type Relation } from '../../project/relation.js';

const normalize = (name: string): string => name.toUpperCase();

export const snowflakeDialect: SqlDialect = {
  engine: 'snowflake',
  normalizeIdentifier: normalize,
  quoteIdentifier: (name) => quoteWith(normalize(name)),
  renderRelation: (r: Relation) => [r.database, r.schema, r.identifier].map((p) => quoteWith(normalize(p))).join('.'),
};

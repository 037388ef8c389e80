// DuckDB naming: identifiers are case-insensitive even when quoted, so names keep the project's spelling.
import { quoteWith, type SqlDialect } from '../dialect.js';
import { type Relation } from '../../project/relation.js';

export const duckdbDialect: SqlDialect = {
  engine: 'duckdb',
  normalizeIdentifier: (name) => name,
  quoteIdentifier: quoteWith,
  renderRelation: (r: Relation) => [r.database, r.schema, r.identifier].map(quoteWith).join('.'),
};

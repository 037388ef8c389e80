// What render needs to know about an engine: naming and quoting. Pure; no connection.
import type { Engine, Relation } from '../project/relation.js';

export interface SqlDialect {
  readonly engine: Engine;
  /** How the engine stores an unquoted name (Snowflake folds to upper case). */
  normalizeIdentifier(name: string): string;
  quoteIdentifier(name: string): string;
  /** database.schema.identifier, quoted. */
  renderRelation(relation: Relation): string;
}

export function quoteWith(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** A SQL string literal: single quotes doubled (DuckDB and Snowflake alike; no backslash escapes needed here). */
export function quoteLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

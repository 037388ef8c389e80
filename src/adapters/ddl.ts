// Engine-specific statement generators: pure functions from relations to SQL text, which a materialization plan
// strings together. Transactions are the plan's business (see capabilities.transactionalDdl), not the generators'.
import type { Relation } from '../project/relation.js';

export type RelationKind = 'table' | 'view';

export interface DdlRenderer {
  createSchema(database: string, schema: string): string;
  createTableAs(relation: Relation, selectSql: string): string;
  createView(relation: Relation, selectSql: string): string;
  /** Statements that put `staged` in place of `target` (dropping what was there), leaving no staged relation. */
  swapTable(staged: Relation, target: Relation, targetKind: RelationKind | undefined): string[];
  dropRelation(relation: Relation, kind: RelationKind): string;
  /** Upsert of `staged` into `target` on `uniqueKey`: delete matching keys, insert all. */
  mergeInto(target: Relation, staged: Relation, uniqueKey: readonly string[], columns: readonly string[]): string[];
  appendInto(target: Relation, staged: Relation, columns: readonly string[]): string;
  /** Schema evolution of an incremental model's table (on_schema_change). */
  addColumn(relation: Relation, column: string, type: string): string;
  dropColumn(relation: Relation, column: string): string;
  alterColumnType(relation: Relation, column: string, type: string): string;
  begin(): string;
  commit(): string;
  rollback(): string;
}

// Engine-specific statement generators: pure functions from relations to SQL text.
import type { Relation } from '../project/relation.js';

export interface CsvLoad {
  readonly file: string;
  readonly compressed: boolean;
  readonly delimiter?: string;
  /** Column name to the engine's type; empty means let the reader infer. */
  readonly columnTypes: Readonly<Record<string, string>>;
}

export interface DdlRenderer {
  createSchema(database: string, schema: string): string;
  createTableAs(relation: Relation, selectSql: string): string;
  createView(relation: Relation, selectSql: string): string;
  /** Statements that replace `target` by `staged` atomically, leaving no staged relation behind. */
  swapTable(staged: Relation, target: Relation, targetKind: RelationKind | undefined): string[];
  dropRelation(relation: Relation, kind: RelationKind): string;
  /** Upsert of `staged` into `target` on `uniqueKey` (delete matching keys, insert all). */
  mergeInto(target: Relation, staged: Relation, uniqueKey: readonly string[], columns: readonly string[]): string[];
  appendInto(target: Relation, staged: Relation, columns: readonly string[]): string;
  countRows(relation: Relation): string;
  /** One row, column `kind`: 'BASE TABLE' or 'VIEW'; no row when the relation does not exist. */
  relationKind(relation: Relation): string;
  /** Rows of `column_name`, `data_type`, in column order. */
  describeColumns(relation: Relation): string;
  createTableFromCsv(relation: Relation, load: CsvLoad): string;
  begin(): string;
  commit(): string;
  rollback(): string;
}

export type RelationKind = 'table' | 'view';

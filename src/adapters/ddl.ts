// Engine-specific statement generators: pure functions from relations to SQL text, which a materialization plan
// strings together. Transactions are the plan's business (see capabilities.transactionalDdl), not the generators'.
import type { Relation } from '../project/relation.js';

export type RelationKind = 'table' | 'view';

/** Snowflake's kinds of table and view; an engine without them builds the plain kind. */
export interface TableOptions {
  readonly transient?: boolean;
}
export interface ViewOptions {
  readonly secure?: boolean;
}
export interface DynamicTableOptions extends TableOptions {
  readonly targetLag: string;
  readonly warehouse: string;
}

export interface DdlRenderer {
  createSchema(database: string, schema: string): string;
  createTableAs(relation: Relation, selectSql: string, options?: TableOptions): string;
  createView(relation: Relation, selectSql: string, options?: ViewOptions): string;
  /** A table the warehouse keeps refreshed from its query (Snowflake); elsewhere a table built from it now. */
  createDynamicTable(relation: Relation, selectSql: string, options: DynamicTableOptions): string;
  /** Statements that put `staged` in place of `target` (dropping what was there), leaving no staged relation. */
  swapTable(staged: Relation, target: Relation, targetKind: RelationKind | undefined): string[];
  dropRelation(relation: Relation, kind: RelationKind): string;
  /**
   * Statements that put the view `staged` in place of `target` (dropping what was there) by renaming it, so what was
   * attached to the staged view (masking, row access, tags, grants) is on the view that takes the name. Optional: a
   * plan without it replaces a governed view by CREATE OR REPLACE and attaches its governance after.
   */
  renameView?(staged: Relation, target: Relation, targetKind: RelationKind | undefined): string[];
  /** Snowflake drops a dynamic table by that name only (DROP TABLE refuses it); elsewhere it is a plain table. */
  dropDynamicTable(relation: Relation): string;
  /** Upsert of `staged` into `target` on `uniqueKey` (a MERGE): matching rows updated, the others inserted. */
  mergeInto(target: Relation, staged: Relation, uniqueKey: readonly string[], columns: readonly string[]): string[];
  /** Every row of `target` whose `key` values `staged` has is replaced by `staged`'s rows: delete, then insert. */
  replaceRows(target: Relation, staged: Relation, key: readonly string[], columns: readonly string[]): string[];
  appendInto(target: Relation, staged: Relation, columns: readonly string[]): string;
  /**
   * Schema evolution of an incremental model's table (on_schema_change, and a deploy's alter). `type` is the
   * engine's; `ifNotExists` makes it a no-op when the column is there already (an alter run again after a kill).
   */
  addColumn(relation: Relation, column: string, type: string, options?: { readonly ifNotExists?: boolean }): string;
  dropColumn(relation: Relation, column: string): string;
  alterColumnType(relation: Relation, column: string, type: string): string;
  /** The engine's type for a column a contract declares with a Snowflake type (as seeds are typed). */
  columnType(snowflakeType: string): string;
  begin(): string;
  commit(): string;
  rollback(): string;
}

/** MERGE of `staged` into `target` on `key`, the same text on every engine that has MERGE, quoted by `q`. */
export function mergeStatement(q: (name: string) => string, target: string, staged: string, key: readonly string[], columns: readonly string[]): string {
  const t = q('charter_target');
  const s = q('charter_staged');
  const keys = new Set(key.map((k) => k.toLowerCase()));
  const updated = columns.filter((c) => !keys.has(c.toLowerCase()));
  return [
    `MERGE INTO ${target} AS ${t} USING ${staged} AS ${s}`,
    `ON ${key.map((k) => `${t}.${q(k)} = ${s}.${q(k)}`).join(' AND ')}`,
    // With every column in the key there is nothing to update: a matched row stays as it is.
    ...(updated.length ? [`WHEN MATCHED THEN UPDATE SET ${updated.map((c) => `${q(c)} = ${s}.${q(c)}`).join(', ')}`] : []),
    `WHEN NOT MATCHED THEN INSERT (${columns.map(q).join(', ')}) VALUES (${columns.map((c) => `${s}.${q(c)}`).join(', ')})`,
  ].join('\n');
}

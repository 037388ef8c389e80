// An incremental run against a table whose columns no longer match the model: what changed, and what the
// model's on_schema_change policy makes of it. Pure: the merge step introspects, this decides.
import { error, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { SchemaChangePolicy } from '../project/model-config.js';

export interface Column {
  readonly name: string;
  readonly type: string;
}

export interface SchemaChange {
  /** In the new build, not in the table. */
  readonly added: readonly Column[];
  /** In the table, not in the new build. */
  readonly removed: readonly Column[];
  readonly retyped: ReadonlyArray<{ readonly name: string; readonly from: string; readonly to: string }>;
}

const norm = (type: string): string => type.toUpperCase().replace(/\s+/g, '');

/** Names compare case-insensitively (Snowflake folds them); types as the engine reports them. */
export function schemaChange(table: readonly Column[], staged: readonly Column[]): SchemaChange {
  const inTable = new Map(table.map((c) => [c.name.toLowerCase(), c]));
  const inStaged = new Map(staged.map((c) => [c.name.toLowerCase(), c]));
  return {
    added: staged.filter((c) => !inTable.has(c.name.toLowerCase())),
    removed: table.filter((c) => !inStaged.has(c.name.toLowerCase())),
    retyped: staged.flatMap((c) => {
      const old = inTable.get(c.name.toLowerCase());
      return old && norm(old.type) !== norm(c.type) ? [{ name: old.name, from: old.type, to: c.type }] : [];
    }),
  };
}

export const isUnchanged = (c: SchemaChange): boolean => !c.added.length && !c.removed.length && !c.retyped.length;

/** What the merge does about a change: columns to add, drop and retype first, and the columns it then inserts. */
export interface SchemaResolution {
  readonly add: readonly Column[];
  readonly drop: readonly string[];
  readonly retype: ReadonlyArray<{ readonly name: string; readonly to: string }>;
  /** The staged columns the merge inserts (table names' spelling). */
  readonly insert: readonly string[];
}

/**
 * `fail` refuses any change; `ignore` inserts the columns both share (a dropped column gets NULL in new rows, a
 * new one is left out); `append_new_columns` adds new columns too; `sync_all_columns` also drops removed columns
 * and retypes changed ones. A changed type fails under every policy but `sync_all_columns`: inserting 23.25 into
 * an INTEGER column would store 23 without a word.
 */
export function resolveSchemaChange(
  model: { readonly name: string; readonly path: string },
  policy: SchemaChangePolicy,
  table: readonly Column[],
  staged: readonly Column[],
): { resolution?: SchemaResolution; problem?: Diagnostic } {
  const change = schemaChange(table, staged);
  const shared = staged.filter((c) => table.some((t) => t.name.toLowerCase() === c.name.toLowerCase())).map((c) => c.name);
  if (isUnchanged(change)) return { resolution: { add: [], drop: [], retype: [], insert: staged.map((c) => c.name) } };
  if (policy === 'fail' || (change.retyped.length && policy !== 'sync_all_columns')) {
    const why = policy === 'fail' ? 'its on_schema_change is fail' : `a changed type cannot be merged under on_schema_change=${policy}`;
    return {
      problem: error('schema.changed', `incremental model \`${model.name}\` no longer matches its table: ${why}`, {
        location: { file: model.path, line: 1, column: 1 },
        detail: describeChange(change),
        hint: 'rebuild it with --full-refresh, or set on_schema_change (append_new_columns or sync_all_columns) in its config()',
      }),
    };
  }
  const add = policy === 'ignore' ? [] : change.added;
  return {
    resolution: {
      add,
      drop: policy === 'sync_all_columns' ? change.removed.map((c) => c.name) : [],
      retype: policy === 'sync_all_columns' ? change.retyped.map((r) => ({ name: r.name, to: r.to })) : [],
      insert: [...shared, ...add.map((c) => c.name)],
    },
  };
}

/** An expected-vs-actual table: the table as it is, and the model as built now. */
export function describeChange(change: SchemaChange): string {
  const rows = [
    ...change.added.map((c) => [c.name, '(absent)', c.type, 'new in the model']),
    ...change.removed.map((c) => [c.name, c.type, '(absent)', 'no longer in the model']),
    ...change.retyped.map((r) => [r.name, r.from, r.to, 'type changed']),
  ];
  const table = [['column', 'table has', 'model builds', 'change'], ...rows];
  const widths = [0, 1, 2].map((i) => Math.max(...table.map((r) => r[i]?.length ?? 0)));
  return table.map((r) => r.map((cell, i) => (i < 3 ? cell.padEnd(widths[i] ?? 0) : cell)).join('  ')).join('\n');
}

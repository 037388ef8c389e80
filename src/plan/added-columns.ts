// Whether a deployed incremental model's new contract only adds columns that its table can take as it stands: every
// deployed column kept with its type, and each new one typed and nullable (the rows already there get NULL). Pure.
//
// The deployed contract must have had columns: then every build checked the table against it, so its columns are
// the table's. Without one, nothing says what the table has until the model is built, and nothing is altered.
import { sameType } from './contract-breaks.js';
import type { GovernedColumn, NodeContract } from './deployed-state.js';

/** The new columns, in the new contract's order; none when the change does anything but add such columns. */
export function addedColumns(deployed: NodeContract | null, next: NodeContract | null): GovernedColumn[] {
  if (!deployed?.columns.length || !next) return [];
  const byName = new Map(next.columns.map((c) => [c.name.toLowerCase(), c]));
  const kept = deployed.columns.every((old) => {
    const now = byName.get(old.name.toLowerCase());
    return now !== undefined && (!old.dataType || !now.dataType || sameType(old.dataType, now.dataType));
  });
  if (!kept) return [];
  const known = new Set(deployed.columns.map((c) => c.name.toLowerCase()));
  const added = next.columns.filter((c) => !known.has(c.name.toLowerCase()));
  // A column without a type cannot be added; a not_null one would be broken by the rows already there.
  return added.every((c) => c.dataType && !c.notNull) ? added : [];
}

// Where a node lives in a warehouse: engine-neutral names every stage passes around.
export type Engine = 'duckdb' | 'snowflake';

export interface Relation {
  readonly database: string;
  readonly schema: string;
  readonly identifier: string;
}

/** The relation a table or seed is built into before it replaces its target. */
export const stagedRelation = (r: Relation): Relation => ({ ...r, identifier: `${r.identifier}__charter_staged` });
/** Where the local target keeps a governed relation's rows; its public name is a view that applies its policies. */
export const physicalRelation = (r: Relation): Relation => ({ ...r, identifier: `${r.identifier}__charter_physical` });

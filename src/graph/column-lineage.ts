// Column lineage across the DAG: for every model, each output column's upstream columns (node, column, how), traced
// by polyglot's lineage engine through CTEs, subqueries, joins, unions and window functions of its compiled SQL. Models
// are traced parents first, so a SELECT * over a model expands to that model's traced columns; a column polyglot
// cannot follow is reported unknown, with the reason. Pure: no I/O.
import { Dialect, lineage, lineageAt, lineageAtWithSchema, lineageWithSchema, outputColumnsWithSchema, parse, type OutputColumn, type Schema } from '@polyglot-sql/sdk';
import { sha256 } from '../project/hash.js';
import { nodeIndex } from '../project/lookup.js';
import { CHARTER_VERSION } from '../version.js';
import type { CompiledProject, ModelNode } from '../project/nodes.js';
import { misparsedScopes } from './lineage-expression.js';
import { traceTree, type TreeContext, type UpstreamColumn } from './lineage-tree.js';

export type { LineageHow } from './lineage-expression.js';
export type { UpstreamColumn } from './lineage-tree.js';

export type ColumnLineage =
  | { readonly column: string; readonly status: 'traced'; readonly upstream: readonly UpstreamColumn[] }
  /** `upstream` holds what could be traced; `reasons` say what could not. */
  | { readonly column: string; readonly status: 'unknown'; readonly reasons: readonly string[]; readonly upstream: readonly UpstreamColumn[] };

export interface ModelLineage {
  readonly node: string;
  /** Output columns in order, names lower-cased. An empty upstream is a constant (or COUNT(*)). */
  readonly columns: readonly ColumnLineage[];
  /** Why the output columns themselves are not all known (a SELECT * over a relation of unknown shape, SQL that does not parse). */
  readonly shapeUnknown?: string;
}

export interface ProjectLineage {
  /** By model id, for the models traced. */
  readonly models: Readonly<Record<string, ModelLineage>>;
  /** Columns (lower-cased) of every node whose shape is known: seeds' declared columns, models' outputs, contracts' columns. */
  readonly shapes: Readonly<Record<string, readonly string[]>>;
}

export interface ColumnLineageOptions {
  /** Columns contracts declare, by model id: the shape of a model whose SQL does not give it (SELECT * over a source). */
  readonly declaredColumns?: ReadonlyMap<string, readonly string[]>;
  /** The node an inlined CTE stands for, by lower-cased CTE name: ephemeral models. */
  readonly inlinedCtes?: ReadonlyMap<string, string>;
  /** Trace these models and their ancestors only; every model when absent. */
  readonly models?: Iterable<string>;
  /**
   * Traces from earlier runs, by traceKey: a model whose SQL, inputs' columns and relation names are unchanged is
   * not traced again (tracing the showcase takes seconds). New traces are added to it.
   */
  readonly cache?: { get(key: string): ModelLineage | undefined; set(key: string, lineage: ModelLineage): void };
}

/** Traces this process made, so a second compile or build of the same project traces nothing (bounded). */
const traced = new Map<string, ModelLineage>();
const TRACED_MAX = 5_000;

/** Traces every model (or the requested ones and their ancestors) in DAG order. */
export function columnLineage(project: CompiledProject, options: ColumnLineageOptions = {}): ProjectLineage {
  const index = nodeIndex(project);
  const wanted = options.models ? withAncestors(project, options.models) : undefined;
  const shapes: Record<string, readonly string[]> = {};
  const models: Record<string, ModelLineage> = {};
  const columnSets = new Map<string, ReadonlySet<string>>();
  const setShape = (id: string, columns: readonly string[]): void => {
    shapes[id] = columns;
    columnSets.set(id, new Set(columns));
  };
  for (const node of project.nodes.values()) {
    const declared = node.kind === 'seed' ? Object.keys(node.columns) : options.declaredColumns?.get(node.uniqueId);
    if (declared?.length) setShape(node.uniqueId, declared.map((c) => c.toLowerCase()));
  }
  const context: TreeContext = {
    relationNode: (name) => index.byRelation(name)?.uniqueId,
    cteNode: (name) => options.inlinedCtes?.get(name.toLowerCase()),
    columnsOf: (id) => columnSets.get(id),
  };
  for (const id of project.order) {
    const node = project.nodes.get(id);
    if (node?.kind !== 'model' || (wanted && !wanted.has(id))) continue;
    const unknownInputs = node.dependsOn.filter((parent) => !shapes[parent]);
    const schema = schemaFor(node, project, shapes);
    const key = traceKey(node, schema, unknownInputs, project, options.inlinedCtes);
    const known = options.cache?.get(key) ?? traced.get(key);
    const lineage = known ?? traceModel(node, schema, context, unknownInputs);
    if (!known) {
      if (traced.size >= TRACED_MAX) traced.delete(traced.keys().next().value as string);
      traced.set(key, lineage);
    }
    options.cache?.set(key, lineage);
    models[id] = lineage;
    // A model's own SQL gives its shape; its contract's columns stand in only when the SQL cannot.
    if (!lineage.shapeUnknown) setShape(id, lineage.columns.map((c) => c.column));
  }
  return { models, shapes };
}

/**
 * Everything a model's trace depends on: its SQL, its inputs' columns (the schema), which inputs are of unknown
 * shape, which node each relation and inlined CTE it may name stands for, and the charter version (the tracer).
 */
export function traceKey(model: ModelNode, schema: Schema, unknownInputs: readonly string[], project: CompiledProject, inlinedCtes?: ReadonlyMap<string, string>): string {
  const inputs = model.dependsOn.map((id) => [id, project.nodes.get(id)?.relationName ?? '']);
  return sha256(JSON.stringify([CHARTER_VERSION, model.uniqueId, model.compiledSql, schema, unknownInputs, inputs, [...(inlinedCtes ?? [])].sort()]));
}

function withAncestors(project: CompiledProject, ids: Iterable<string>): Set<string> {
  const seen = new Set<string>();
  const visit = (id: string): void => {
    if (seen.has(id)) return;
    seen.add(id);
    for (const parent of project.parents.get(id) ?? []) visit(parent);
  };
  for (const id of ids) visit(id);
  return seen;
}

/** The known columns of a model's inputs, named as polyglot names relations in the SQL. */
function schemaFor(model: ModelNode, project: CompiledProject, shapes: Readonly<Record<string, readonly string[]>>): Schema {
  const tables = model.dependsOn.flatMap((id) => {
    const node = project.nodes.get(id);
    const columns = shapes[id];
    if (!node || !columns) return [];
    const { database, schema, identifier } = node.relation;
    // Types play no part in lineage; polyglot requires one.
    return [{ name: `${database}.${schema}.${identifier}`, columns: columns.map((name) => ({ name, type: 'VARIANT' })) }];
  });
  return { tables, strict: false };
}

/** `unknownInputs`: the model's inputs whose columns are not known, for saying why a SELECT * cannot expand. */
function traceModel(model: ModelNode, schema: Schema, context: TreeContext, unknownInputs: readonly string[]): ModelLineage {
  const over = unknownInputs.length ? unknownInputs.join(', ') : 'a relation';
  return { node: model.uniqueId, ...traceOutput(model.compiledSql, schema, context, over) };
}

/** Each output column of `sql` traced; `over`: what a SELECT * that cannot expand reads, for saying why. */
function traceOutput(sql: string, schema: Schema, context: TreeContext, over: string): QueryLineage {
  const output = safely(() => outputColumnsWithSchema(sql, schema, Dialect.Snowflake));
  if (!output.success || !output.output) return { columns: [], shapeUnknown: `polyglot could not read the SQL: ${output.error ?? 'no output'}` };
  const parsed = safely(() => parse(sql, Dialect.Snowflake));
  const misparsed = misparsedScopes(parsed.success ? parsed.ast?.[0] : undefined);
  const columns: ColumnLineage[] = [];
  let shapeUnknown: string | undefined;
  for (const slot of output.output.columns) {
    if (slot.kind === 'wildcard') {
      shapeUnknown ??= `SELECT ${slot.qualifier ? `${slot.qualifier}.` : ''}* over ${over}, whose columns are not known`;
      continue;
    }
    const traced = traceSlot(slot, sql, schema, context, misparsed);
    if (typeof traced === 'string') shapeUnknown ??= traced;
    else columns.push(traced);
  }
  return { columns, ...(shapeUnknown ? { shapeUnknown } : {}) };
}

function traceSlot(slot: Exclude<OutputColumn, { kind: 'wildcard' }>, sql: string, schema: Schema, context: TreeContext, misparsed: ReadonlySet<string>): ColumnLineage | string {
  if (slot.kind === 'unnamed') return `output column ${(slot.ordinal ?? 0) + 1} has no name`;
  const column = slot.name.toLowerCase();
  const attempt = (withSchema: boolean): ColumnLineage => {
    // trimSelects: polyglot drops the other output columns before tracing this one (same answers, an eighth faster).
    const result = safely(() => {
      if (withSchema) return slot.ordinal !== null ? lineageAtWithSchema(slot.ordinal, sql, schema, Dialect.Snowflake, true) : lineageWithSchema(slot.name, sql, schema, Dialect.Snowflake, true);
      return slot.ordinal !== null ? lineageAt(slot.ordinal, sql, Dialect.Snowflake, true) : lineage(slot.name, sql, Dialect.Snowflake, true);
    });
    if (!result.success || !result.lineage) return { column, status: 'unknown', reasons: [`polyglot: ${result.error ?? 'no lineage'}`], upstream: [] };
    const { upstream, unknown } = traceTree(result.lineage, context, misparsed);
    return unknown.length ? { column, status: 'unknown', reasons: unknown, upstream } : { column, status: 'traced', upstream };
  };
  // Without a schema polyglot is about twice as fast, and what it resolves it resolves for certain; what it leaves
  // open (a SELECT * over an input, an unqualified column of a join) is traced again with the inputs' columns.
  const quick = attempt(false);
  return quick.status === 'traced' ? quick : attempt(true);
}

/** polyglot reports most failures in its result; a thrown one (a WebAssembly panic) is turned into one too. */
function safely<T extends { success: boolean; error?: string | null }>(call: () => T): T | { success: false; error: string; output?: undefined; lineage?: undefined } {
  try {
    return call();
  } catch (e) {
    return { success: false, error: e instanceof Error ? e.message : String(e) };
  }
}

/** An ad-hoc query's output columns traced to the project's nodes, for `charter query`. */
export interface QueryLineage {
  readonly columns: readonly ColumnLineage[];
  /** Why the output columns themselves are not all known. */
  readonly shapeUnknown?: string;
}

/**
 * Traces a query a person wrote: its relations may be named as people write them (table, schema.table or
 * database.schema.table, any case), so each node with known columns is registered under every name that is
 * unambiguous. `shapes`: the columns of the nodes that have them (seeds, contracts), lower-cased.
 */
export function queryLineage(sql: string, project: CompiledProject, shapes: ReadonlyMap<string, readonly string[]>): QueryLineage {
  const names = new Map<string, string | null>();
  const register = (name: string, id: string): void => {
    const key = name.toLowerCase();
    names.set(key, names.has(key) && names.get(key) !== id ? null : id);
  };
  for (const [id, columns] of shapes) {
    const node = project.nodes.get(id);
    if (!node || !columns.length) continue;
    const { database, schema, identifier } = node.relation;
    register(`${database}.${schema}.${identifier}`, id);
    register(`${schema}.${identifier}`, id);
    register(identifier, id);
  }
  const unambiguous = [...names].filter((entry): entry is [string, string] => entry[1] !== null);
  const schema: Schema = {
    tables: unambiguous.map(([name, id]) => ({ name, columns: (shapes.get(id) ?? []).map((column) => ({ name: column, type: 'VARIANT' })) })),
    strict: false,
  };
  const columnSets = new Map([...shapes].map(([id, columns]) => [id, new Set(columns.map((c) => c.toLowerCase()))]));
  const context: TreeContext = {
    relationNode: (name) => names.get(name.replace(/"/g, '').toLowerCase()) ?? undefined,
    cteNode: () => undefined,
    columnsOf: (id) => columnSets.get(id),
  };
  return traceOutput(sql, schema, context, 'a relation');
}

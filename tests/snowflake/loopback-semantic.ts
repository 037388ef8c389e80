// Semantic views on the loopback server: CREATE [OR REPLACE] SEMANTIC VIEW is read into the Cortex Analyst model it
// defines (tables, relationships, facts, dimensions, metrics, comment, AI_SQL_GENERATION) and kept with its text and
// grants; GRANT ... ON SEMANTIC VIEW adds to its grants; SELECT SYSTEM$READ_YAML_FROM_SEMANTIC_VIEW('db.s.v') answers
// the model as YAML, upper-cased names as Snowflake prints them. Verified queries come from the DDL's
// AI_VERIFIED_QUERIES, and a test adds others as Snowsight would (`addVerifiedQuery`); CREATE OR REPLACE replaces
// them with the statement's, as it does on Snowflake. A base table
// that does not exist, or a grant to an unknown role, is refused. Nothing is queried through the view.
import { isOp, snowflakeStringValue, splitTopLevel } from '../../src/adapters/duckdb/sql-tokens.js';
import { stringify } from 'yaml';
import { Cursor, nameKey, SnowflakeError, syntaxError, type NameContext, type ObjectName } from './loopback-names.js';
import { resolveIdentifier } from './loopback-sql.js';

export type SemanticOp =
  | { readonly op: 'create'; readonly view: ObjectName; readonly orReplace: boolean; readonly ifNotExists: boolean; readonly copyGrants: boolean; readonly model: SemanticModel; readonly text: string }
  | { readonly op: 'grant'; readonly view: ObjectName; readonly privileges: readonly string[]; readonly role: string }
  | { readonly op: 'read-yaml'; readonly view: ObjectName };

type Item = Record<string, unknown>;
export interface SemanticModel {
  name: string;
  description?: string;
  tables: Array<Item & { name: string; base_table: { database: string; schema: string; table: string } }>;
  relationships?: Item[];
  metrics?: Item[];
  verified_queries?: Item[];
  module_custom_instructions?: { sql_generation: string };
}

export interface SemanticViewRecord {
  readonly text: string;
  readonly model: SemanticModel;
  /** Role to privileges. */
  readonly grants: Map<string, Set<string>>;
}

const READ_YAML = /^\s*SELECT\s+SYSTEM\$READ_YAML_FROM_SEMANTIC_VIEW\s*\(\s*('(?:[^']|'')*')\s*\)\s*;?\s*$/i;

/** The statement as a semantic-view operation, or undefined when it is not one. */
export function planSemantic(sql: string, context: NameContext): SemanticOp | undefined {
  const read = READ_YAML.exec(sql);
  if (read) return { op: 'read-yaml', view: new Cursor(snowflakeStringValue(new Cursor(read[1]!).peek())!).name(context) };
  const c = new Cursor(sql);
  if (c.take('GRANT')) {
    const privileges: string[] = [];
    while (!c.done && !c.at('ON')) {
      const t = c.peek()!;
      if (!isOp(t, ',')) privileges.push(t.text.toUpperCase());
      c.i++;
    }
    if (!c.take('ON', 'SEMANTIC', 'VIEW')) return undefined;
    const view = c.name(context);
    c.expect('TO', 'ROLE');
    return { op: 'grant', view, privileges, role: resolveIdentifier(c.parts()?.[0] ?? '') };
  }
  if (!c.take('CREATE')) return undefined;
  const orReplace = c.take('OR', 'REPLACE');
  if (!c.take('SEMANTIC', 'VIEW')) return undefined;
  const ifNotExists = c.take('IF', 'NOT', 'EXISTS');
  const view = c.name(context);
  return { op: 'create', view, orReplace, ifNotExists, ...readDefinition(c, view, context), text: sql };
}

/** The clauses after the view's name, in Snowflake's order. */
function readDefinition(c: Cursor, view: ObjectName, context: NameContext): { model: SemanticModel; copyGrants: boolean } {
  const model: SemanticModel = { name: view.name, tables: [] };
  const items = (keyword: string): Cursor[] => {
    if (!c.take(keyword)) return [];
    const [open, close] = c.group();
    return splitTopLevel(c.tokens, open, close).map(([s, e]) => new Cursor(c.slice(s, e)));
  };
  const tableByName = new Map<string, SemanticModel['tables'][number]>();
  for (const t of items('TABLES')) {
    const alias = name(t);
    t.expect('AS');
    const base = t.name(context);
    const table: SemanticModel['tables'][number] = { name: alias, base_table: { database: base.database, schema: base.schema, table: base.name } };
    if (t.take('PRIMARY', 'KEY')) table['primary_key'] = { columns: columns(t) };
    const unique: Item[] = [];
    while (t.take('UNIQUE')) unique.push({ columns: columns(t) });
    if (unique.length) table['unique_keys'] = unique;
    Object.assign(table, annotations(t));
    model.tables.push(table);
    tableByName.set(alias, table);
  }
  const relationships = items('RELATIONSHIPS').map((r) => {
    const first = name(r);
    const named = r.take('AS');
    const left = named ? name(r) : first;
    const leftColumns = columns(r);
    r.expect('REFERENCES');
    const right = name(r);
    const target = tableByName.get(right);
    const rightColumns = isOp(r.peek(), '(') ? columns(r) : ((target?.['primary_key'] as { columns: string[] } | undefined)?.columns ?? []);
    return {
      name: named ? first : `${left}_TO_${right}`, left_table: left, right_table: right,
      relationship_columns: leftColumns.map((column, i) => ({ left_column: column, right_column: rightColumns[i] ?? column })),
    };
  });
  if (relationships.length) model.relationships = relationships;
  for (const [keyword, key] of [['FACTS', 'facts'], ['DIMENSIONS', 'dimensions'], ['METRICS', 'metrics']] as const) {
    for (const m of items(keyword)) {
      const isPrivate = m.take('PRIVATE');
      if (!isPrivate) m.take('PUBLIC');
      const parts = m.parts()?.map(resolveIdentifier) ?? [];
      let nonAdditive: Item[] | undefined;
      if (m.take('NON', 'ADDITIVE', 'BY')) {
        const [open, close] = m.group();
        nonAdditive = splitTopLevel(m.tokens, open, close).map(([s, e]) => {
          const [table, dimension] = m.slice(s, e).split('.').map((p) => resolveIdentifier(p.trim()));
          return { table, dimension, sort_direction: 'ascending', null_order: 'first' };
        });
      }
      m.expect('AS');
      const start = m.i;
      while (!m.done && !m.at('WITH', 'SYNONYMS') && !m.at('COMMENT', '=')) m.i++;
      const entry: Item = { name: parts.at(-1)!, expr: m.slice(start, m.i).trim(), ...annotations(m) };
      if (nonAdditive) entry['non_additive_dimensions'] = nonAdditive;
      if (isPrivate) entry['access_modifier'] = 'private_access';
      const owner = parts.length > 1 ? tableByName.get(parts[0]!) : undefined;
      if (parts.length > 1 && !owner) throw syntaxError(`Invalid identifier '${parts[0]}': not a table of the semantic view.`);
      if (owner) ((owner[key] ??= []) as Item[]).push(entry);
      else (model.metrics ??= []).push(entry);
    }
  }
  if (c.take('COMMENT', '=')) model.description = string(c);
  if (c.take('AI_SQL_GENERATION')) model.module_custom_instructions = { sql_generation: string(c) };
  if (c.take('AI_VERIFIED_QUERIES')) {
    // name AS ( QUESTION '...' [VERIFIED_AT n] [ONBOARDING_QUESTION TRUE|FALSE] [VERIFIED_BY '...'] SQL '...' ), ...
    const open = c.i;
    const [, close] = c.group();
    const after = c.i;
    c.i = open + 1;
    model.verified_queries = [];
    while (c.i < close) {
      const query: Item = { name: name(c) };
      c.expect('AS');
      const [from, to] = c.group();
      const resume = c.i;
      c.i = from + 1;
      while (c.i < to) {
        if (c.take('QUESTION')) query['question'] = string(c);
        else if (c.take('SQL')) query['sql'] = string(c);
        else if (c.take('VERIFIED_BY')) query['verified_by'] = string(c);
        else if (c.take('VERIFIED_AT')) query['verified_at'] = Number(c.tokens[c.i++]?.text);
        else if (c.take('ONBOARDING_QUESTION')) query['use_as_onboarding_question'] = c.take('TRUE') ? true : (c.take('FALSE'), false);
        else throw syntaxError(`syntax error: unexpected '${c.peek()?.text}' in a verified query`);
      }
      c.i = resume;
      model.verified_queries.push(query);
      c.take(',');
    }
    c.i = after;
  }
  const copyGrants = c.take('COPY', 'GRANTS');
  if (!c.done) throw syntaxError(`syntax error: unexpected '${c.peek()?.text}' in CREATE SEMANTIC VIEW`);
  return { model, copyGrants };
}

const name = (c: Cursor): string => resolveIdentifier(c.parts()?.[0] ?? '');
function columns(c: Cursor): string[] {
  const [open, close] = c.group();
  return c.tokens.slice(open + 1, close).filter((t) => !isOp(t, ',')).map((t) => resolveIdentifier(t.text));
}
function string(c: Cursor): string {
  const value = snowflakeStringValue(c.peek());
  if (value === undefined) throw syntaxError(`syntax error: expected a string near '${c.peek()?.text ?? 'end of statement'}'`);
  c.i++;
  return value;
}
function annotations(c: Cursor): Item {
  const out: Item = {};
  for (;;) {
    if (c.take('WITH', 'SYNONYMS')) {
      c.take('=');
      const [open, close] = c.group();
      out['synonyms'] = c.tokens.slice(open + 1, close).filter((t) => !isOp(t, ',')).map((t) => snowflakeStringValue(t) ?? t.text);
    } else if (c.take('COMMENT', '=')) out['description'] = string(c);
    else return out;
  }
}

export class SemanticViewState {
  /** By `DB.SCHEMA.NAME`. */
  readonly views = new Map<string, SemanticViewRecord>();

  constructor(
    private readonly relationExists: (key: string) => boolean,
    private readonly roleExists: (role: string) => boolean,
  ) {}

  /** What the statement answers: the YAML for a read, nothing for the rest. */
  apply(op: SemanticOp): string | undefined {
    const key = nameKey(op.view);
    const existing = this.views.get(key);
    switch (op.op) {
      case 'create': {
        if (existing && !op.orReplace) {
          if (op.ifNotExists) return undefined;
          throw new SnowflakeError('002002', '42710', `SQL compilation error:\nObject '${key}' already exists.`);
        }
        for (const t of op.model.tables) {
          const base = `${t.base_table.database}.${t.base_table.schema}.${t.base_table.table}`;
          if (!this.relationExists(base)) throw new SnowflakeError('002003', '42S02', `SQL compilation error:\nTable '${base}' does not exist or not authorized.`);
        }
        this.views.set(key, { text: op.text, model: op.model, grants: op.copyGrants && existing ? existing.grants : new Map() });
        return undefined;
      }
      case 'grant': {
        if (!existing) throw new SnowflakeError('002003', '02000', `SQL compilation error:\nSemantic view '${key}' does not exist or not authorized.`);
        if (!this.roleExists(op.role)) throw new SnowflakeError('002003', '02000', `SQL compilation error:\nRole '${op.role}' does not exist or not authorized.`);
        const held = existing.grants.get(op.role) ?? new Set<string>();
        for (const p of op.privileges) held.add(p);
        existing.grants.set(op.role, held);
        return undefined;
      }
      case 'read-yaml':
        if (!existing) throw new SnowflakeError('002003', '02000', `SQL compilation error:\nSemantic view '${key}' does not exist or not authorized.`);
        return stringify(existing.model, { lineWidth: 0 });
    }
  }

  /** A verified query added to a deployed view, as someone would in Snowsight. */
  addVerifiedQuery(view: string, query: Item): void {
    const record = this.views.get(view);
    if (!record) throw new Error(`no semantic view ${view} on the loopback server`);
    (record.model.verified_queries ??= []).push(query);
  }
}

// Snowflake DDL for a semantic view: CREATE OR REPLACE SEMANTIC VIEW with its clauses in the order Snowflake's
// grammar fixes (TABLES, RELATIONSHIPS, FACTS, DIMENSIONS, METRICS, COMMENT, AI_SQL_GENERATION,
// AI_VERIFIED_QUERIES, COPY GRANTS), then the view's grants. Verified queries go in the view itself, so a deploy
// keeps them (those added in Snowsight too, once `charter semantic pull --merge` has written them into the YAML).
// Sample values go to the Cortex Analyst YAML only: their clause's place in the grammar is not documented. Pure.
import type { SemanticMetric, SemanticViewDefinition } from '../load/semantic-view-schema.js';
import type { Relation } from '../project/relation.js';

/** Where a view goes, and the relation each model is built into. */
export interface SemanticViewPlacement {
  readonly database: string;
  readonly schema: string;
  /** Model name (lower case) to its relation on the target. */
  readonly relations: ReadonlyMap<string, Relation>;
}

/** Words that name no object unquoted in a semantic view (its clause keywords and SQL's reserved words). */
const RESERVED = new Set([
  'TABLES', 'RELATIONSHIPS', 'FACTS', 'DIMENSIONS', 'METRICS', 'COMMENT', 'SELECT', 'FROM', 'WHERE', 'GROUP', 'ORDER', 'BY',
  'TABLE', 'VIEW', 'AS', 'ON', 'AND', 'OR', 'NOT', 'NULL', 'CASE', 'WHEN', 'THEN', 'ELSE', 'END', 'UNIQUE', 'PRIMARY',
  'REFERENCES', 'WITH', 'PRIVATE', 'PUBLIC', 'START', 'INCREMENT', 'CURRENT_DATE', 'CURRENT_TIME', 'CURRENT_TIMESTAMP',
]);

/** Unquoted upper case, the way Snowflake stores an unquoted name; quoted only when it must be. */
export const semanticIdentifier = (name: string): string => {
  const upper = name.toUpperCase();
  return /^[A-Z_][A-Z0-9_$]*$/.test(upper) && !RESERVED.has(upper) ? upper : `"${upper.replace(/"/g, '""')}"`;
};

export const sqlString = (text: string): string => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;

const qualified = (r: Relation): string => [r.database, r.schema, r.identifier].map(semanticIdentifier).join('.');

/** The view's fully qualified name. */
export const semanticViewName = (view: SemanticViewDefinition, place: SemanticViewPlacement): string =>
  [place.database, place.schema, view.name].map(semanticIdentifier).join('.');

const list = (items: readonly string[]): string => `(${items.map(semanticIdentifier).join(', ')})`;

function annotations(item: { synonyms?: readonly string[]; description?: string }): string {
  const parts: string[] = [];
  if (item.synonyms?.length) parts.push(`WITH SYNONYMS = (${item.synonyms.map(sqlString).join(', ')})`);
  if (item.description) parts.push(`COMMENT = ${sqlString(item.description.trim())}`);
  return parts.length ? `\n      ${parts.join('\n      ')}` : '';
}

function clause(keyword: string, items: readonly string[]): string[] {
  return items.length ? [`${keyword} (\n    ${items.join(',\n    ')}\n  )`] : [];
}

/** CREATE OR REPLACE SEMANTIC VIEW, then one GRANT per grant entry. */
export function semanticViewStatements(view: SemanticViewDefinition, place: SemanticViewPlacement): string[] {
  const name = semanticViewName(view, place);
  const dimensionTable = new Map<string, string>();
  for (const table of view.tables) {
    for (const d of [...(table.dimensions ?? []), ...(table.time_dimensions ?? [])]) dimensionTable.set(d.name.toLowerCase(), table.name);
  }
  const tables = view.tables.map((t) => {
    const relation = place.relations.get(t.model.toLowerCase());
    const base = relation ? qualified(relation) : [place.database, place.schema, t.model].map(semanticIdentifier).join('.');
    const keys = [
      ...(t.primary_key ? [`PRIMARY KEY ${list(t.primary_key)}`] : []),
      ...(t.unique_keys ?? []).map((k) => `UNIQUE ${list(k)}`),
    ];
    return `${semanticIdentifier(t.name)} AS ${base}${keys.map((k) => `\n      ${k}`).join('')}${annotations(t)}`;
  });
  const relationships = (view.relationships ?? []).map((r) => {
    const named = r.name ? `${semanticIdentifier(r.name)} AS ` : '';
    return `${named}${semanticIdentifier(r.from)} ${list(r.columns)} REFERENCES ${semanticIdentifier(r.to)}${r.to_columns ? ` ${list(r.to_columns)}` : ''}`;
  });
  const member = (table: string | undefined, m: { name: string; expr: string; synonyms?: readonly string[]; description?: string }, prefix = '', extra = ''): string =>
    `${prefix}${table ? `${semanticIdentifier(table)}.` : ''}${semanticIdentifier(m.name)}${extra} AS ${m.expr.trim()}${annotations(m)}`;
  const access = (m: { private?: boolean }): string => (m.private ? 'PRIVATE ' : '');
  const nonAdditive = (m: SemanticMetric): string =>
    m.non_additive_by?.length
      ? ` NON ADDITIVE BY (${m.non_additive_by.map((d) => `${semanticIdentifier(dimensionTable.get(d.toLowerCase()) ?? '')}.${semanticIdentifier(d)}`).join(', ')})`
      : '';
  const facts = view.tables.flatMap((t) => (t.facts ?? []).map((f) => member(t.name, f, access(f))));
  const dimensions = view.tables.flatMap((t) => [...(t.dimensions ?? []), ...(t.time_dimensions ?? [])].map((d) => member(t.name, d)));
  const metrics = [
    ...view.tables.flatMap((t) => (t.metrics ?? []).map((m) => member(t.name, m, access(m), nonAdditive(m)))),
    ...(view.metrics ?? []).map((m) => member(undefined, m, access(m), nonAdditive(m))),
  ];
  const create = [
    `CREATE OR REPLACE SEMANTIC VIEW ${name}`,
    ...clause('TABLES', tables),
    ...clause('RELATIONSHIPS', relationships),
    ...clause('FACTS', facts),
    ...clause('DIMENSIONS', dimensions),
    ...clause('METRICS', metrics),
    ...(view.description ? [`COMMENT = ${sqlString(view.description.trim())}`] : []),
    ...(view.ai_sql_generation ? [`AI_SQL_GENERATION ${sqlString(view.ai_sql_generation.trim())}`] : []),
    ...clause('AI_VERIFIED_QUERIES', (view.verified_queries ?? []).map((q) => [
      `${semanticIdentifier(q.name)} AS (`,
      `QUESTION ${sqlString(q.question)}`,
      ...(q.verified_at !== undefined ? [`VERIFIED_AT ${q.verified_at}`] : []),
      ...(q.onboarding ? ['ONBOARDING_QUESTION TRUE'] : []),
      ...(q.verified_by ? [`VERIFIED_BY ${sqlString(q.verified_by)}`] : []),
      `SQL ${sqlString(q.sql.trim())})`,
    ].join(' '))),
    'COPY GRANTS',
  ].join('\n  ');
  const grants = (view.grants ?? []).flatMap((g) =>
    g.roles.map((role) => `GRANT ${(g.privileges ?? ['SELECT']).join(', ')} ON SEMANTIC VIEW ${name} TO ROLE ${semanticIdentifier(role)}`));
  return [create, ...grants];
}

/** The file compile writes: a header naming the source, then each statement ended by a semicolon. */
export function semanticViewSql(view: SemanticViewDefinition, place: SemanticViewPlacement, sourceFile: string): string {
  const header = `-- Semantic view ${semanticViewName(view, place)}, from ${sourceFile}.\n-- Written by charter compile; the grants follow the view (COPY GRANTS keeps those made elsewhere).\n`;
  return `${header}${semanticViewStatements(view, place).map((s) => `${s};\n`).join('\n')}`;
}

// A semantic view as an Open Semantic Interchange (OSI) v0.1.1 document, the vendor-neutral YAML that BI and AI tools
// read. Logical tables become datasets over their models' relations; dimensions, time dimensions and facts become
// fields; table and derived metrics become the model's metrics. What OSI has no slot for (grains, data types, sample
// values, PRIVATE, NON ADDITIVE BY, grants, verified queries, the schema) rides in charter's custom extension, so
// `charter semantic import` gives the same definition back. Pure.
import { stringify } from 'yaml';
import type { SemanticMetric, SemanticTable, SemanticViewDefinition } from '../load/semantic-view-schema.js';
import {
  OSI_EXTENSION_KEY, OSI_EXTENSION_VENDOR, OSI_VERSION,
  type OsiAiContext, type OsiDataset, type OsiDocument, type OsiExpression, type OsiExtension, type OsiField, type OsiMetric, type OsiRelationship,
} from '../load/osi-schema.js';
import type { Relation } from '../project/relation.js';
import type { SemanticViewPlacement } from './semantic-view-ddl.js';

export interface OsiExport {
  readonly document: OsiDocument;
  /** The document as YAML, with a header naming the OSI version and the view's file. */
  readonly yaml: string;
  /** Each attribute with no OSI slot, as `table.member: key`, carried in charter's extension only. */
  readonly extended: readonly string[];
}

/** Drops undefined and empty-list keys, so the document shows only what is said. */
function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0))) as T;
}

/** charter's extension, when there is anything to carry. */
function extension(data: Record<string, unknown>): OsiExtension[] | undefined {
  const kept = compact(data);
  return Object.keys(kept).length ? [{ vendor_name: OSI_EXTENSION_VENDOR, data: JSON.stringify({ [OSI_EXTENSION_KEY]: kept }) }] : undefined;
}

const aiContext = (synonyms: readonly string[] | undefined): OsiAiContext | undefined => (synonyms?.length ? { synonyms: [...synonyms] } : undefined);

/** Functions and keywords standard SQL has, so an expression made only of them reads the same in ANSI SQL. */
const ANSI_CALLS = new Set([
  'SUM', 'COUNT', 'AVG', 'MIN', 'MAX', 'NULLIF', 'COALESCE', 'CAST', 'ABS', 'LOWER', 'UPPER', 'EXTRACT', 'DISTINCT',
  'IN', 'AND', 'OR', 'NOT', 'WHEN', 'THEN', 'ELSE', 'AS', 'EXISTS', 'FILTER', 'WHERE',
]);

/**
 * Whether a Snowflake expression is also standard SQL: no `::` casts, no `$` names, no `IFF`/`COUNT_IF`/`DIV0`-style
 * functions. Conservative: an expression it doubts is written for SNOWFLAKE only.
 */
export function isAnsiPortable(expr: string): boolean {
  const code = expr.replace(/'(?:[^']|'')*'/g, "''");
  if (/::|\$|\[|:\w/.test(code)) return false;
  for (const call of code.matchAll(/([A-Za-z_][A-Za-z0-9_]*)\s*\(/g)) if (!ANSI_CALLS.has(call[1]!.toUpperCase())) return false;
  return true;
}

/** The expression in the SNOWFLAKE slot, and in the ANSI_SQL slot too when it is standard SQL. */
export function osiExpression(expr: string): OsiExpression {
  const text = expr.trim();
  return { dialects: [{ dialect: 'SNOWFLAKE', expression: text }, ...(isAnsiPortable(text) ? [{ dialect: 'ANSI_SQL' as const, expression: text }] : [])] };
}

/** `DB.SCHEMA.TABLE` as Snowflake resolves the unquoted names, quoting a part only when it must be. */
export function osiSource(relation: Relation): string {
  return [relation.database, relation.schema, relation.identifier]
    .map((part) => (/^[A-Za-z_][A-Za-z0-9_$]*$/.test(part) ? part.toUpperCase() : `"${part.replace(/"/g, '""')}"`))
    .join('.');
}

export function semanticViewOsi(view: SemanticViewDefinition, place: SemanticViewPlacement, sourceFile: string): OsiExport {
  const extended: string[] = [];
  const note = (where: string, data: Record<string, unknown>): Record<string, unknown> => {
    for (const [key, value] of Object.entries(compact(data))) if (value !== undefined) extended.push(`${where}: ${key}`);
    return data;
  };
  const field = (table: string, member: { name: string; expr: string; description?: string; synonyms?: readonly string[] }, dimension: OsiField['dimension'], carried: Record<string, unknown>): OsiField =>
    compact({
      name: member.name,
      expression: osiExpression(member.expr),
      dimension,
      description: member.description,
      ai_context: aiContext(member.synonyms),
      custom_extensions: extension(note(`${table}.${member.name}`, carried)),
    });
  const dataset = (t: SemanticTable): OsiDataset => {
    const relation = place.relations.get(t.model.toLowerCase()) ?? { database: place.database, schema: place.schema, identifier: t.model };
    return compact({
      name: t.name,
      source: osiSource(relation),
      primary_key: t.primary_key ? [...t.primary_key] : undefined,
      unique_keys: t.unique_keys?.map((k) => [...k]),
      description: t.description,
      ai_context: aiContext(t.synonyms),
      fields: [
        ...(t.dimensions ?? []).map((d) => field(t.name, d, { is_time: false }, { data_type: d.data_type, sample_values: d.sample_values, is_enum: d.is_enum })),
        ...(t.time_dimensions ?? []).map((d) => field(t.name, d, { is_time: true }, { grain: d.grain, data_type: d.data_type, sample_values: d.sample_values })),
        ...(t.facts ?? []).map((f) => field(t.name, f, undefined, { data_type: f.data_type, sample_values: f.sample_values, private: f.private })),
      ],
      // The model a table reads is charter's; the source above is where it is built.
      custom_extensions: extension({ model: t.model }),
    });
  };
  const metric = (m: SemanticMetric, table?: string): OsiMetric =>
    compact({
      name: m.name,
      expression: osiExpression(m.expr),
      description: m.description,
      ai_context: aiContext(m.synonyms),
      // OSI 0.1.1 has metrics at the model level only: say whose a metric is, a table's or the view's (derived).
      custom_extensions: extension({ table, derived: table ? undefined : true, ...note(`${table ?? view.name}.${m.name}`, { private: m.private, non_additive_by: m.non_additive_by }) }),
    });
  const relationship = (r: NonNullable<SemanticViewDefinition['relationships']>[number]): OsiRelationship => {
    const target = view.tables.find((t) => t.name.toLowerCase() === r.to.toLowerCase());
    return compact({
      name: r.name ?? `${r.from}_to_${r.to}`,
      from: r.from,
      to: r.to,
      from_columns: [...r.columns],
      to_columns: [...(r.to_columns ?? target?.primary_key ?? r.columns)],
      // OSI requires both; say which charter left to their defaults, so an import leaves them out again.
      custom_extensions: extension({ name_generated: r.name ? undefined : true, to_columns_default: r.to_columns ? undefined : true }),
    });
  };
  const questions = (view.verified_queries ?? []).map((q) => q.question);
  const instructions = view.ai_sql_generation;
  const model = compact({
    name: view.name,
    description: view.description,
    // Cortex Analyst's instructions, and the verified questions as examples: what an AI tool reading OSI can use.
    ai_context: instructions || questions.length ? compact({ instructions, examples: questions }) : undefined,
    datasets: view.tables.map(dataset),
    relationships: view.relationships?.map(relationship),
    metrics: [...view.tables.flatMap((t) => (t.metrics ?? []).map((m) => metric(m, t.name))), ...(view.metrics ?? []).map((m) => metric(m))],
    custom_extensions: extension(note(view.name, { schema: view.schema, grants: view.grants, verified_queries: view.verified_queries })),
  });
  const document: OsiDocument = { version: OSI_VERSION, semantic_model: [model] };
  const header = `# Open Semantic Interchange (OSI) v${OSI_VERSION} document of semantic view ${view.name}, from ${sourceFile}. ` +
    'Written by charter semantic export.\n# charter attributes OSI has no slot for are in custom_extensions ' +
    `(vendor_name ${OSI_EXTENSION_VENDOR}, data key "${OSI_EXTENSION_KEY}").\n`;
  return { document, yaml: header + stringify(document, { lineWidth: 0 }), extended };
}

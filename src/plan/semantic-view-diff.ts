// What differs between a semantic view as deployed (the Cortex Analyst YAML SYSTEM$READ_YAML_FROM_SEMANTIC_VIEW gives
// back) and as the project defines it (the same YAML, as compile renders it). Snowflake prints unquoted names upper
// case, so names compare case-insensitively; expressions compare with whitespace and case folded. Dimensions and time
// dimensions are one kind here (the DDL does not tell them apart), and sample values and data types, which only the
// YAML carries, are not compared. Pure.
import type { VerifiedQuery } from '../load/semantic-view-schema.js';

export type SemanticItemKind = 'view' | 'table' | 'relationship' | 'fact' | 'dimension' | 'metric' | 'verified query';

export interface SemanticDifference {
  /** deployed: only in the warehouse (added in Snowsight, say); project: only in the project; changed: in both. */
  readonly side: 'deployed' | 'project' | 'changed';
  readonly kind: SemanticItemKind;
  /** As the project names it where it has it, else as deployed; a table's items as `table.name`. */
  readonly name: string;
  readonly detail?: string;
}

export interface SemanticViewDiff {
  readonly differences: readonly SemanticDifference[];
  /** The deployed-only verified queries in the project's own shape, for `--merge`. */
  readonly deployedQueries: readonly VerifiedQuery[];
}

type Model = Record<string, unknown>;
type Item = Record<string, unknown>;

const items = (value: unknown): Item[] => (Array.isArray(value) ? (value.filter((v) => v && typeof v === 'object') as Item[]) : []);
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined);
const fold = (value: unknown): string => (str(value) ?? '').replace(/\s+/g, ' ').trim().toLowerCase();
const key = (value: unknown): string => fold(value).replace(/^"|"$/g, '');

/** Every named item of a model, keyed `<kind> <table.>name`, with what is compared. */
function inventory(model: Model): Map<string, { kind: SemanticItemKind; name: string; item: Item; compare: Record<string, string> }> {
  const out = new Map<string, { kind: SemanticItemKind; name: string; item: Item; compare: Record<string, string> }>();
  const add = (kind: SemanticItemKind, name: string, item: Item, compare: Record<string, string>): void => {
    out.set(`${kind} ${key(name)}`, { kind, name, item, compare });
  };
  const member = (m: Item): Record<string, string> => ({
    expr: fold(m['expr']),
    synonyms: Array.isArray(m['synonyms']) ? (m['synonyms'] as unknown[]).map(fold).sort().join(', ') : '',
    access: fold(m['access_modifier']) === 'private_access' ? 'private' : 'public',
  });
  for (const t of items(model['tables'])) {
    const table = str(t['name']) ?? '';
    const base = (t['base_table'] ?? {}) as Item;
    add('table', table, t, { base_table: ['database', 'schema', 'table'].map((k) => key(base[k])).join('.') });
    for (const d of [...items(t['dimensions']), ...items(t['time_dimensions'])]) add('dimension', `${table}.${str(d['name'])}`, d, member(d));
    for (const f of items(t['facts'])) add('fact', `${table}.${str(f['name'])}`, f, member(f));
    for (const m of items(t['metrics'])) add('metric', `${table}.${str(m['name'])}`, m, member(m));
  }
  for (const m of items(model['metrics'])) add('metric', str(m['name']) ?? '', m, member(m));
  for (const r of items(model['relationships'])) {
    const columns = items(r['relationship_columns']).map((c) => `${key(c['left_column'])}=${key(c['right_column'])}`).join(', ');
    add('relationship', `${str(r['left_table'])} -> ${str(r['right_table'])}`, r, { columns });
  }
  for (const q of items(model['verified_queries'])) add('verified query', str(q['name']) ?? str(q['question']) ?? '', q, { question: fold(q['question']), sql: fold(q['sql']) });
  return out;
}

export function diffSemanticModels(project: Model, deployed: Model): SemanticViewDiff {
  const mine = inventory(project);
  const theirs = inventory(deployed);
  const differences: SemanticDifference[] = [];
  if (fold(project['description']) !== fold(deployed['description'])) {
    differences.push({ side: 'changed', kind: 'view', name: str(project['name']) ?? '', detail: `description: deployed ${JSON.stringify(str(deployed['description']) ?? '')}` });
  }
  for (const [k, p] of mine) {
    const d = theirs.get(k);
    if (!d) {
      differences.push({ side: 'project', kind: p.kind, name: p.name });
      continue;
    }
    const changed = Object.keys(p.compare).filter((field) => p.compare[field] !== d.compare[field]);
    if (changed.length) {
      differences.push({ side: 'changed', kind: p.kind, name: p.name, detail: changed.map((f) => `${f}: deployed ${JSON.stringify(d.compare[f])}, project ${JSON.stringify(p.compare[f])}`).join('; ') });
    }
  }
  const deployedQueries: VerifiedQuery[] = [];
  for (const [k, d] of theirs) {
    if (mine.has(k)) continue;
    differences.push({ side: 'deployed', kind: d.kind, name: d.name, ...(d.kind === 'verified query' ? { detail: str(d.item['question']) } : {}) });
    if (d.kind === 'verified query') deployedQueries.push(asProjectQuery(d.item));
  }
  return { differences, deployedQueries };
}

/** A Cortex Analyst verified query in the shape semantic_views/*.yml writes it. */
function asProjectQuery(q: Item): VerifiedQuery {
  const at = q['verified_at'];
  return {
    name: str(q['name']) ?? str(q['question'])!,
    question: str(q['question']) ?? str(q['name'])!,
    sql: (str(q['sql']) ?? '').trim(),
    ...(str(q['verified_by']) ? { verified_by: str(q['verified_by'])! } : {}),
    ...(typeof at === 'number' && Number.isInteger(at) && at >= 0 ? { verified_at: at } : {}),
    ...(typeof q['use_as_onboarding_question'] === 'boolean' ? { onboarding: q['use_as_onboarding_question'] } : {}),
  };
}

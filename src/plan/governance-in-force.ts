// What governance is in force against what the contracts say, as data: the governance/in-force.json of an evidence
// bundle. Rendering the DDL proves what was sent; this is what the warehouse reports afterwards, so a policy unset,
// a tag changed or a grant added behind charter's back shows. Pure: the reading is the adapter's, the clock the caller's.
//
// governance/in-force.json (format charter-governance-in-force, version 1):
//   { format, version, engine, source, note?, read_at,
//     objects:  [{ relation, node, masking: {COLUMN: policy}, projection: {COLUMN: policy},
//                  row_access: {policy, on: [COLUMN]} | null, tags: {COLUMN: {tag: value}}, grants: [ROLE] }],
//     desired:  [the same shape, from the contracts],
//     differences: [{ object, node, column | null, what, expected | null, found | null }] }
// `objects` is what is in force; `source` says how it is known: 'warehouse' (read back: POLICY_REFERENCES,
// TAG_REFERENCES_ALL_COLUMNS, SHOW GRANTS) or 'charter' (the local engine, which has no policies of its own: what
// charter installed, never a read-back). Policies and tags are qualified (DB.SCHEMA.NAME), columns and roles upper case.
import type { LiveGovernance, RelationGovernance } from '../project/governance.js';
import type { Engine, Relation } from '../project/relation.js';

export type InForceWhat = 'masking' | 'projection' | 'row_access' | 'tag' | 'grant';

export interface InForceDifference {
  /** The relation, DB.SCHEMA.NAME. */
  readonly object: string;
  readonly node: string;
  /** The column, for masking, projection and tags; null for row access and grants. */
  readonly column: string | null;
  readonly what: InForceWhat;
  /** What the contract says (a policy, `TAG=value`, a role, `POLICY ON (COLS)`); null: nothing. */
  readonly expected: string | null;
  /** What the warehouse has; null: nothing. */
  readonly found: string | null;
}

export interface InForceObject {
  readonly relation: string;
  readonly node: string;
  readonly masking: Readonly<Record<string, string>>;
  readonly projection: Readonly<Record<string, string>>;
  readonly row_access: { readonly policy: string; readonly on: readonly string[] } | null;
  readonly tags: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly grants: readonly string[];
}

export interface InForceReport {
  readonly format: 'charter-governance-in-force';
  readonly version: 1;
  readonly engine: Engine;
  readonly source: 'warehouse' | 'charter';
  readonly note?: string;
  readonly read_at: string;
  readonly objects: readonly InForceObject[];
  readonly desired: readonly InForceObject[];
  readonly differences: readonly InForceDifference[];
}

/** Where the project's policies and tags live: their names are qualified with it. */
export interface PolicyHome {
  readonly database: string;
  readonly schema: string;
}

const up = (s: string): string => s.toUpperCase();
const relationName = (r: Relation): string => [r.database, r.schema, r.identifier].map(up).join('.');
const byKey = <T>(entries: Iterable<readonly [string, T]>): Record<string, T> =>
  Object.fromEntries([...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** A relation's governance as its contract says it, in the shape of what is in force. */
export function desiredObject(g: RelationGovernance, home: PolicyHome): InForceObject {
  const name = (n: string): string => [home.database, home.schema, n].map(up).join('.');
  return {
    relation: relationName(g.relation),
    node: g.node,
    masking: byKey(g.columns.flatMap((c) => (c.masking ? [[up(c.column), name(c.masking.policy)] as const] : []))),
    projection: byKey(g.columns.flatMap((c) => (c.projection ? [[up(c.column), name(c.projection)] as const] : []))),
    row_access: g.rowAccess ? { policy: name(g.rowAccess.policy), on: g.rowAccess.on.map(up) } : null,
    tags: byKey(g.columns.filter((c) => c.tags.length).map((c) => [up(c.column), byKey(c.tags.map((t) => [name(t.tag), t.value] as const))] as const)),
    grants: [...new Set(g.grants.map(up))].sort(),
  };
}

/** What the warehouse reported for a relation, in the same shape. */
export function liveObject(node: string, live: LiveGovernance): InForceObject {
  const keys = <T>(record: Readonly<Record<string, T>>): Record<string, T> => byKey(Object.entries(record).map(([k, v]) => [up(k), v] as const));
  return {
    relation: relationName(live.relation),
    node,
    masking: keys(live.masking),
    projection: keys(live.projection),
    row_access: live.rowAccess ? { policy: live.rowAccess.policy, on: live.rowAccess.on.map(up) } : null,
    tags: keys(live.tags),
    grants: [...new Set(live.grants.map(up))].sort(),
  };
}

/**
 * Every way `live` differs from `desired`. Masking, projection, row access and grants are compared whole: an extra
 * policy or role changes who sees what. Tags only among `managedTags` (the project's, qualified): a tag someone else
 * manages (a classification system tag, another team's) is reported in force but is not the contract's to judge.
 */
export function governanceDifferences(desired: InForceObject, live: InForceObject | undefined, managedTags: ReadonlySet<string>): InForceDifference[] {
  const differences: InForceDifference[] = [];
  const at = { object: desired.relation, node: desired.node };
  const found: InForceObject = live ?? { ...desired, masking: {}, projection: {}, row_access: null, tags: {}, grants: [] };
  for (const what of ['masking', 'projection'] as const) {
    const columns = [...new Set([...Object.keys(desired[what]), ...Object.keys(found[what])])].sort();
    for (const column of columns) {
      const [expected, actual] = [desired[what][column] ?? null, found[what][column] ?? null];
      if (expected !== actual) differences.push({ ...at, column, what, expected, found: actual });
    }
  }
  const rowAccess = (r: InForceObject['row_access']): string | null => (r ? `${r.policy} ON (${r.on.join(', ')})` : null);
  if (rowAccess(desired.row_access) !== rowAccess(found.row_access)) {
    differences.push({ ...at, column: null, what: 'row_access', expected: rowAccess(desired.row_access), found: rowAccess(found.row_access) });
  }
  const columns = [...new Set([...Object.keys(desired.tags), ...Object.keys(found.tags)])].sort();
  for (const column of columns) {
    const [want, have] = [desired.tags[column] ?? {}, found.tags[column] ?? {}];
    const tags = [...new Set([...Object.keys(want), ...Object.keys(have).filter((t) => managedTags.has(t))])].sort();
    for (const tag of tags) {
      const [expected, actual] = [want[tag], have[tag]].map((v) => (v === undefined ? null : `${tag}=${v}`));
      if (expected !== actual) differences.push({ ...at, column, what: 'tag', expected: expected ?? null, found: actual ?? null });
    }
  }
  for (const role of desired.grants) if (!found.grants.includes(role)) differences.push({ ...at, column: null, what: 'grant', expected: role, found: null });
  for (const role of found.grants) if (!desired.grants.includes(role)) differences.push({ ...at, column: null, what: 'grant', expected: null, found: role });
  return differences;
}

/** The report: each governed relation's contract side, what is in force, and every difference between them. */
export function inForceReport(
  engine: Engine,
  readAt: string,
  relations: ReadonlyArray<{ readonly desired: InForceObject; readonly live: InForceObject | undefined }>,
  managedTags: ReadonlySet<string>,
): InForceReport {
  return {
    format: 'charter-governance-in-force',
    version: 1,
    engine,
    source: 'warehouse',
    read_at: readAt,
    objects: relations.flatMap((r) => (r.live ? [r.live] : [])),
    desired: relations.map((r) => r.desired),
    differences: relations.flatMap((r) => governanceDifferences(r.desired, r.live, managedTags)),
  };
}

/** A difference in words, for its warning. */
export function describeDifference(d: InForceDifference): string {
  const where = d.column ? `${d.object}.${d.column}` : d.object;
  const what = { masking: 'masking policy', projection: 'projection policy', row_access: 'row access policy', tag: 'tag', grant: 'SELECT grant' }[d.what];
  if (d.found === null) return `${where}: ${what} ${d.expected} is not in force (the contract sets it)`;
  if (d.expected === null) return `${where}: ${what} ${d.found} is in force, but the contract does not set it`;
  return `${where}: ${what} in force is ${d.found}, the contract says ${d.expected}`;
}

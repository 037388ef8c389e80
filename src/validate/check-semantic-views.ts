// Snowflake's rules for a semantic view, checked offline at compile time: unique names, tables over existing models,
// relationships onto a primary or unique key and without cycles, metrics that aggregate, derived metrics over
// defined metrics, and expressions that read only columns their model has and tables reachable many-to-one. Pure.
import { error, type Diagnostic, type DiagnosticCode } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../diagnostics/suggest.js';
import { locateInView, type LoadedSemanticView } from '../load/load-semantic-views.js';
import type { SemanticTable } from '../load/semantic-view-schema.js';
import { expressionShape } from './semantic-expression.js';

/** Model name (lower case) to its columns (lower case), or undefined when they are not known without a build. */
export type ModelColumns = ReadonlyMap<string, readonly string[] | undefined>;

type YamlPath = ReadonlyArray<string | number>;
type MemberKind = 'facts' | 'dimensions' | 'time_dimensions' | 'metrics';
const MEMBER_KINDS: readonly MemberKind[] = ['facts', 'dimensions', 'time_dimensions', 'metrics'];
const KIND_NAME: Readonly<Record<MemberKind, string>> = { facts: 'fact', dimensions: 'dimension', time_dimensions: 'time dimension', metrics: 'metric' };

interface Member {
  readonly kind: MemberKind | 'derived';
  readonly name: string;
  /** Lower-case alias of its table; undefined for a derived metric. */
  readonly table?: string;
  readonly expr: string;
  readonly path: YamlPath;
  readonly nonAdditiveBy?: readonly string[];
}

const lower = (s: string): string => s.toLowerCase();

/**
 * Every problem of every view. `roles` (upper case) are the roles policies/ defines, when it defines any: a grant
 * to a role outside them is refused as a misspelling would be.
 */
export function checkSemanticViews(views: readonly LoadedSemanticView[], models: ModelColumns, roles?: ReadonlySet<string>): Diagnostic[] {
  return views.flatMap((view) => checkView(view, models, roles));
}

function checkView(view: LoadedSemanticView, models: ModelColumns, roles: ReadonlySet<string> | undefined): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const report = (code: DiagnosticCode, message: string, at: YamlPath, hint?: string): void => {
    diagnostics.push(error(code, `semantic view \`${view.definition.name}\`: ${message}`, { location: locateInView(view, at), ...(hint ? { hint } : {}) }));
  };
  const { definition } = view;

  // Tables: one per alias, each over a model of the project.
  const tables = new Map<string, SemanticTable>();
  definition.tables.forEach((table, i) => {
    const alias = lower(table.name);
    if (tables.has(alias)) return report('semantic.duplicate', `table \`${table.name}\` is defined twice`, ['tables', i, 'name'], 'give each logical table its own name');
    tables.set(alias, table);
    if (!models.has(lower(table.model))) {
      report('semantic.model_unknown', `table \`${table.name}\` reads model \`${table.model}\`, which does not exist`, ['tables', i, 'model'],
        didYouMean(table.model, models.keys()) ?? 'name a model of the project');
    }
  });
  const columnsOf = (alias: string): readonly string[] | undefined => {
    const table = tables.get(alias);
    return table ? models.get(lower(table.model)) : undefined;
  };
  const checkColumns = (alias: string, columns: readonly string[], at: (j: number) => YamlPath, what: string): void => {
    const known = columnsOf(alias);
    if (!known) return;
    columns.forEach((column, j) => {
      if (!known.includes(lower(column))) {
        report('semantic.column_unknown', `${what} column \`${column}\` is not a column of model \`${tables.get(alias)!.model}\``, at(j), didYouMean(column, known));
      }
    });
  };
  definition.tables.forEach((table, i) => {
    checkColumns(lower(table.name), table.primary_key ?? [], (j) => ['tables', i, 'primary_key', j], `table \`${table.name}\`'s primary key`);
    (table.unique_keys ?? []).forEach((key, k) => checkColumns(lower(table.name), key, (j) => ['tables', i, 'unique_keys', k, j], `table \`${table.name}\`'s unique key`));
  });

  // Members: one name per fact, dimension and metric of the view, so a bare name in an expression is never ambiguous.
  const members: Member[] = [];
  definition.tables.forEach((table, i) => {
    for (const kind of MEMBER_KINDS) {
      (table[kind] ?? []).forEach((m, j) => members.push({
        kind, name: m.name, table: lower(table.name), expr: m.expr, path: ['tables', i, kind, j], nonAdditiveBy: 'non_additive_by' in m ? m.non_additive_by : undefined,
      }));
    }
  });
  (definition.metrics ?? []).forEach((m, j) => members.push({ kind: 'derived', name: m.name, expr: m.expr, path: ['metrics', j], nonAdditiveBy: m.non_additive_by }));
  const byName = new Map<string, Member>();
  for (const member of members) {
    const earlier = byName.get(lower(member.name));
    if (earlier) {
      report('semantic.duplicate', `\`${member.name}\` is defined twice (at ${locateInView(view, earlier.path).line} and here)`, [...member.path, 'name'],
        'facts, dimensions and metrics share one name space in a view; rename one');
    } else byName.set(lower(member.name), member);
  }

  // Relationships: onto a primary or unique key of a defined table, many-to-one, without cycles.
  const edges = new Map<string, Array<{ to: string; index: number }>>();
  (definition.relationships ?? []).forEach((rel, i) => {
    const from = lower(rel.from);
    const to = lower(rel.to);
    for (const [side, alias, written] of [['from', from, rel.from], ['to', to, rel.to]] as const) {
      if (!tables.has(alias)) report('semantic.table_unknown', `relationship ${side} \`${written}\`: no such table in the view`, ['relationships', i, side], didYouMean(written, [...tables.values()].map((t) => t.name)));
    }
    if (!tables.has(from) || !tables.has(to)) return;
    checkColumns(from, rel.columns, (j) => ['relationships', i, 'columns', j], `relationship from \`${rel.from}\`:`);
    if (from === to) return report('semantic.cycle', `relationship from \`${rel.from}\` references its own table`, ['relationships', i, 'to'], 'Snowflake rejects self-references (no hierarchies); model the parent as a table of its own');
    const target = tables.get(to)!;
    const keys = [target.primary_key, ...(target.unique_keys ?? [])].filter((k): k is string[] => k !== undefined).map((k) => k.map(lower));
    const referenced = (rel.to_columns ?? target.primary_key)?.map(lower);
    const at: YamlPath = rel.to_columns ? ['relationships', i, 'to_columns'] : ['relationships', i, 'to'];
    if (!referenced) {
      report('semantic.key_invalid', `relationship to \`${rel.to}\` names no columns and \`${rel.to}\` has no primary key`, at, `declare \`primary_key\` on table \`${rel.to}\`, or give \`to_columns\` naming one of its unique keys`);
    } else if (!keys.some((k) => k.length === referenced.length && k.every((c) => referenced.includes(c)))) {
      const declared = keys.map((k) => `(${k.join(', ')})`).join(' or ') || 'none';
      report('semantic.key_invalid', `relationship to \`${rel.to}\` references (${referenced.join(', ')}), which is not its primary key or a unique key`, at,
        `a relationship must reference a primary or unique key of the table it points to (declared: ${declared})`);
    } else if (referenced.length !== rel.columns.length) {
      report('semantic.key_invalid', `relationship from \`${rel.from}\` has ${rel.columns.length} column(s) for a key of ${referenced.length}`, ['relationships', i, 'columns']);
    }
    edges.set(from, [...(edges.get(from) ?? []), { to, index: i }]);
  });
  diagnostics.push(...cycles(view, edges));
  const reach = (alias: string): Set<string> => {
    const seen = new Set<string>();
    const stack = [alias];
    while (stack.length) for (const e of edges.get(stack.pop()!) ?? []) if (!seen.has(e.to)) { seen.add(e.to); stack.push(e.to); }
    return seen;
  };

  // Expressions.
  const membersOf = (alias: string): Member[] => members.filter((m) => m.table === alias);
  const metricNames = members.filter((m) => m.kind === 'metrics' || m.kind === 'derived').map((m) => m.name);
  for (const member of members) {
    const shape = expressionShape(member.expr);
    const at = [...member.path, 'expr'];
    if (member.kind === 'derived') {
      for (const ref of shape.references) {
        const found = byName.get(ref.name);
        const ok = found && (found.kind === 'metrics' || found.kind === 'derived') && (ref.table === undefined || ref.table === found.table);
        if (!ok) {
          report('semantic.metric_unknown', `derived metric \`${member.name}\` reads \`${ref.table ? `${ref.table}.` : ''}${ref.name}\`, which is not a metric of the view`, at,
            didYouMean(ref.name, metricNames) ?? 'a derived metric is a scalar expression over the view\'s metrics');
        }
      }
      if (shape.aggregates.length) report('semantic.not_aggregate', `derived metric \`${member.name}\` aggregates (${shape.aggregates[0]}): it must be a scalar expression over metrics`, at, 'define the aggregate as a metric on its table');
    } else {
      const own = member.table!;
      const reachable = reach(own);
      let readsMetric = false;
      for (const ref of shape.references) {
        const alias = ref.table ?? own;
        if (!tables.has(alias)) {
          report('semantic.table_unknown', `${KIND_NAME[member.kind]} \`${member.name}\` reads \`${ref.table}.${ref.name}\`: no table \`${ref.table}\` in the view`, at,
            didYouMean(ref.table!, [...tables.values()].map((t) => t.name)));
          continue;
        }
        if (alias !== own && !reachable.has(alias)) {
          report('semantic.unreachable', `${KIND_NAME[member.kind]} \`${member.name}\` of table \`${tables.get(own)!.name}\` reads \`${ref.table}.${ref.name}\`, but \`${tables.get(alias)!.name}\` is not reachable from \`${tables.get(own)!.name}\` many-to-one`, at,
            `an expression may read its own table and tables its relationships lead to; add a relationship from \`${tables.get(own)!.name}\` to \`${tables.get(alias)!.name}\`, or define it on the other table`);
          continue;
        }
        // Inside its own definition a member's name reads the column it shadows (`arr AS SUM(t.arr)`).
        const semantic = membersOf(alias).find((m) => lower(m.name) === ref.name && m !== member);
        if (semantic) { readsMetric ||= semantic.kind === 'metrics'; continue; }
        const columns = columnsOf(alias);
        if (columns && !columns.includes(ref.name)) {
          report('semantic.column_unknown', `${KIND_NAME[member.kind]} \`${member.name}\` reads \`${ref.table ? `${ref.table}.` : ''}${ref.name}\`, which is not a column of model \`${tables.get(alias)!.model}\` nor a member of table \`${tables.get(alias)!.name}\``, at,
            didYouMean(ref.name, [...columns, ...membersOf(alias).map((m) => m.name)]));
        }
      }
      if (member.kind === 'metrics' && !shape.aggregates.length && !readsMetric) {
        report('semantic.not_aggregate', `metric \`${member.name}\` does not aggregate: \`${member.expr}\``, at, 'a metric is an aggregate such as SUM(...), COUNT(DISTINCT ...) or AVG(...); a row-level value is a fact');
      }
    }
    (member.nonAdditiveBy ?? []).forEach((name, j) => {
      const dim = byName.get(lower(name));
      if (!dim || (dim.kind !== 'dimensions' && dim.kind !== 'time_dimensions')) {
        report('semantic.column_unknown', `metric \`${member.name}\` is non-additive by \`${name}\`, which is not a dimension of the view`, [...member.path, 'non_additive_by', j],
          didYouMean(name, members.filter((m) => m.kind === 'dimensions' || m.kind === 'time_dimensions').map((m) => m.name)));
      }
    });
  }
  if (!members.some((m) => m.kind !== 'facts')) {
    report('semantic.empty', 'defines no dimension and no metric', ['name'], 'Snowflake needs at least one dimension or metric in a semantic view');
  }
  if (roles) {
    (definition.grants ?? []).forEach((grant, i) => grant.roles.forEach((role, j) => {
      if (!roles.has(role.toUpperCase())) {
        report('policy.undefined', `grants to role \`${role}\`, which no policies file defines`, ['grants', i, 'roles', j], didYouMean(role.toUpperCase(), roles) ?? 'define the role under `roles:` in policies/');
      }
    }));
  }
  return diagnostics;
}

/** Each relationship that closes a cycle with those written before it, with the path it closes. */
function cycles(view: LoadedSemanticView, edges: ReadonlyMap<string, ReadonlyArray<{ to: string; index: number }>>): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const ordered = [...edges.entries()].flatMap(([from, out]) => out.map((e) => ({ from, ...e }))).sort((a, b) => a.index - b.index);
  const kept = new Map<string, string[]>();
  /** A path start -> ... -> goal along the edges kept so far, or undefined. */
  const pathBetween = (start: string, goal: string): string[] | undefined => {
    const parent = new Map<string, string>([[start, start]]);
    const queue = [start];
    while (queue.length) {
      const node = queue.shift()!;
      if (node === goal) {
        const path = [goal];
        while (path[0] !== start) path.unshift(parent.get(path[0]!)!);
        return path;
      }
      for (const next of kept.get(node) ?? []) if (!parent.has(next)) { parent.set(next, node); queue.push(next); }
    }
    return undefined;
  };
  for (const edge of ordered) {
    const back = pathBetween(edge.to, edge.from);
    if (back) {
      diagnostics.push(error('semantic.cycle', `semantic view \`${view.definition.name}\`: relationships form a cycle: ${[edge.from, ...back].join(' -> ')}`, {
        location: locateInView(view, ['relationships', edge.index]),
        hint: 'relationships run many-to-one from a table to the tables it references; Snowflake rejects cycles, transitive ones too',
      }));
      continue;
    }
    kept.set(edge.from, [...(kept.get(edge.from) ?? []), edge.to]);
  }
  return diagnostics;
}

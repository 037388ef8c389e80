// Reads one polyglot lineage tree (an output column down to the relation columns it comes from) into the upstream
// columns of charter nodes, with how each is used; whatever the tree leaves open becomes a reason, never a guess.
import type { LineageNode } from '@polyglot-sql/sdk';
import { combineHow, expressionFacts, type ExpressionFacts, type LineageHow } from './lineage-expression.js';

export interface UpstreamColumn {
  /** Unique id of the model, seed or source read. */
  readonly node: string;
  /** Lower-cased. */
  readonly column: string;
  readonly how: LineageHow;
}

export interface TreeContext {
  /** The node a relation stands for, by the name polyglot gives it (`db.schema.table`, unquoted). */
  relationNode(name: string): string | undefined;
  /** The node an inlined CTE stands for (an ephemeral model), by CTE name. */
  cteNode(name: string): string | undefined;
  /** A node's columns, lower-cased, when known. */
  columnsOf(node: string): ReadonlySet<string> | undefined;
}

export interface TreeTrace {
  readonly upstream: readonly UpstreamColumn[];
  readonly unknown: readonly string[];
}

const columnPart = (name: string): string => name.slice(name.lastIndexOf('.') + 1).toLowerCase();

/** `misparsed`: scopes of the statement polyglot misparsed ('' for the statement itself), see `misparsedScopes`. */
export function traceTree(root: LineageNode, context: TreeContext, misparsed: ReadonlySet<string> = new Set()): TreeTrace {
  const upstream = new Map<string, UpstreamColumn>();
  const unknown = new Set<string>();

  const reach = (node: string, column: string, how: LineageHow): void => {
    const columns = context.columnsOf(node);
    if (columns && !columns.has(column)) {
      unknown.add(`column ${column} is not a column of ${node}`);
      return;
    }
    const key = `${node}\u0000${column}\u0000${how}`;
    if (!upstream.has(key)) upstream.set(key, { node, column, how });
  };

  const walk = (n: LineageNode, how: LineageHow): void => {
    const column = columnPart(n.name);
    if (n.source_kind === 'table') {
      const node = context.relationNode(n.source_name);
      if (node) reach(node, column, how);
      else unknown.add(`${column} is read from ${n.source_name || 'a relation'}, which is not a node of this project`);
      return;
    }
    // polyglot also marks a CTE holding a UNION as unknown, and then gives its branches below it.
    if (n.source_kind === 'unknown' && n.downstream.length === 0) {
      unknown.add(`${column} could not be resolved to one relation (not found, or ambiguous between joined relations)`);
      return;
    }
    const inlined = n.source_kind === 'cte' ? context.cteNode(n.source_name) : undefined;
    if (inlined) {
      reach(inlined, column, how);
      return;
    }
    const scope = n === root ? '' : n.source_kind === 'cte' || n.source_kind === 'derived_table' || n.source_kind === 'unknown' ? (n.source_name ?? '').toLowerCase() : undefined;
    if (scope !== undefined && misparsed.has(scope)) {
      unknown.add(`polyglot 0.12.1 misparses ${scope ? scope : 'the query'} (a UNION after a SELECT that ends in a scalar subquery) and loses SELECTs of it`);
    }
    const facts = expressionFacts(n.expression);
    if (facts.star) unknown.add(`${column} uses * inside an expression, whose columns are not listed`);
    if (n.downstream.length === 0) {
      if (facts.mentions.length || facts.subqueries.length) {
        unknown.add(`${column} could not be traced ${n.source_name ? `through ${n.source_name}` : 'further'} (a SELECT * over columns that are not known, or a construct the parser does not see through)`);
      }
      return;
    }
    const setOperation = n.downstream.some((child) => child.set_branch !== undefined);
    for (const child of n.downstream) {
      // The right input of EXCEPT only removes rows: no value comes from it.
      if (child.set_branch?.operator === 'except' && child.set_branch.ordinal > 0) continue;
      for (const step of setOperation ? (['direct'] as const) : stepsTo(child, facts)) {
        // An element taken out of a FLATTEN or UNNEST is not the value it came from.
        walk(child, combineHow(how, n.source_kind === 'virtual' ? combineHow(step, 'expression') : step));
      }
    }
  };

  walk(root, 'direct');
  return { upstream: [...upstream.values()], unknown: [...unknown] };
}

/** How a node's expression uses a child: from the mentions of the child's column, else the expression as a whole. */
function stepsTo(child: LineageNode, facts: ExpressionFacts): LineageHow[] {
  // A scalar subquery, traced as a branch of its own.
  if (child.source_kind === 'root') return [...new Set(facts.subqueries.length ? facts.subqueries : [facts.overall])];
  const column = columnPart(child.name);
  const named = facts.mentions.filter((m) => m.column === column);
  const qualifiers = new Set([child.source_alias, child.name.includes('.') ? child.name.slice(0, child.name.lastIndexOf('.')) : undefined, columnPart(child.source_name ?? '')]
    .filter((q): q is string => !!q)
    .map((q) => q.toLowerCase()));
  const qualified = named.filter((m) => m.qualifier !== undefined && qualifiers.has(m.qualifier));
  const matching = qualified.length ? qualified : named;
  return [...new Set(matching.length ? matching.map((m) => m.how) : [facts.overall])];
}

// Rule: a PLATINUM model lists its columns. `*` in its outermost select list (each branch of a top-level UNION
// included) lets an upstream change add, drop or reorder a governed mart's columns unseen. A `*` inside a CTE or
// subquery is fine: the outermost list still fixes the mart's shape.
import type { LintRule } from './lint-rule.js';
import { positionAt, sqlSkeleton } from './source-text.js';

export const selectStar: LintRule = {
  id: 'select_star',
  summary: 'a PLATINUM model selects * (or t.*) in its outermost select list',
  defaultSeverity: 'error',
  check: ({ project }) =>
    project.order.flatMap((id) => {
      const node = project.nodes.get(id);
      if (node?.kind !== 'model' || node.layer !== 'platinum') return [];
      return outermostStars(node.rawSql).map((offset) => ({
        code: 'lint.select_star' as const,
        message: `PLATINUM model ${node.name} selects * in its outermost select list`,
        location: { file: node.path, ...positionAt(node.rawSql, offset) },
        hint: 'list the columns the mart publishes (its contract names them), so an upstream change cannot change its shape unseen',
      }));
    }),
};

/** Offsets of the `*` and `alias.*` select items at parenthesis depth 0 of the template's SQL (tags, strings and comments skipped). */
export function outermostStars(raw: string): number[] {
  const sql = sqlSkeleton(raw);
  const stars: number[] = [];
  let depth = 0;
  for (let i = 0; i < sql.length; i++) {
    const ch = sql[i];
    if (ch === '(') depth++;
    else if (ch === ')') depth = Math.max(0, depth - 1);
    else if (ch === '*' && depth === 0) {
      const start = selectItemStart(sql.slice(0, i));
      if (start !== undefined) stars.push(start);
    }
  }
  return stars;
}

/** A `*` is a select item after SELECT, DISTINCT, ALL or a comma, alone or as `name.*` (otherwise it multiplies); where the item starts. */
function selectItemStart(before: string): number | undefined {
  if (/(?:\bselect|\bdistinct|\ball|,)\s*$/i.test(before)) return before.length;
  const qualified = /(?:\bselect|\bdistinct|\ball|,)\s*((?:"[^"]+"|[A-Za-z_][\w$]*)\s*\.\s*)$/i.exec(before);
  return qualified ? before.length - (qualified[1]?.length ?? 0) : undefined;
}

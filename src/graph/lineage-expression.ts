// How one select item's value depends on each column it names: passed through (direct), computed from it
// (expression), computed over many rows (aggregate), or only counted (count: COUNT, COUNT DISTINCT, COUNT_IF,
// APPROX_COUNT_DISTINCT, none of the column's values reaches the result). Reads polyglot's expression AST, which is
// plain JSON: every expression is an object with one key, its kind.

export type LineageHow = 'direct' | 'expression' | 'aggregate' | 'count';

const RANK: Readonly<Record<LineageHow, number>> = { direct: 0, expression: 1, aggregate: 2, count: 3 };

/**
 * The weaker of two links: a path is direct only if every step is, aggregate as soon as one step is, and a count as
 * soon as one step only counts (what is computed from a count carries no value of the column counted).
 */
export const combineHow = (a: LineageHow, b: LineageHow): LineageHow => (RANK[a] >= RANK[b] ? a : b);

export interface ColumnMention {
  /** The qualifier as written (`c` in `c.email`), lower-cased; absent when unqualified. */
  readonly qualifier?: string;
  /** Lower-cased. */
  readonly column: string;
  readonly how: LineageHow;
}

export interface ExpressionFacts {
  /** Column references outside subqueries, with how the item's value depends on each. */
  readonly mentions: readonly ColumnMention[];
  /** How the value depends on each scalar subquery in it (polyglot traces their insides as separate branches). */
  readonly subqueries: readonly LineageHow[];
  /** A `*` inside an expression (`hash(*)`, `object_construct(*)`): columns polyglot does not list. */
  readonly star: boolean;
  /** The item is a bare column, or a cast of one: its value passes through. */
  readonly passThrough: boolean;
  /** Its strongest dependence, for a branch that matches no mention. */
  readonly overall: LineageHow;
}

// polyglot's own kinds for aggregate calls (its AggFunc family, `aggregate_function`, WITHIN GROUP).
const AGGREGATE_KINDS: ReadonlySet<string> = new Set([
  'count', 'sum', 'avg', 'min', 'max', 'group_concat', 'string_agg', 'list_agg', 'array_agg', 'count_if', 'sum_if',
  'stddev', 'stddev_pop', 'stddev_samp', 'variance', 'var_pop', 'var_samp', 'median', 'mode', 'first', 'last',
  'any_value', 'approx_distinct', 'approx_count_distinct', 'approx_percentile', 'percentile', 'percentile_cont',
  'percentile_disc', 'logical_and', 'logical_or', 'skewness', 'array_concat_agg', 'array_unique_agg', 'bool_xor_agg',
  'bitwise_and_agg', 'bitwise_or_agg', 'bitwise_xor_agg', 'aggregate_function', 'within_group',
]);

// Snowflake aggregates polyglot 0.12.1 may parse as plain functions (BITAND_AGG, ARRAY_UNION_AGG, MINHASH, ...):
// Snowflake's list of aggregate functions, and any name ending in _AGG. (HLL_ESTIMATE and the like are scalar.)
const AGGREGATE_FUNCTION_NAMES: ReadonlySet<string> = new Set([
  'any_value', 'approx_count_distinct', 'approx_percentile', 'approx_percentile_accumulate', 'approx_percentile_combine',
  'approx_top_k', 'approx_top_k_accumulate', 'approx_top_k_combine', 'approximate_jaccard_index', 'approximate_similarity',
  'arrayagg', 'avg', 'corr', 'count', 'count_if', 'covar_pop', 'covar_samp', 'grouping', 'grouping_id', 'hll',
  'hll_accumulate', 'hll_combine', 'kurtosis', 'listagg', 'max', 'max_by', 'median', 'min', 'min_by', 'minhash',
  'minhash_combine', 'mode', 'objectagg', 'percentile_cont', 'percentile_disc', 'regr_avgx', 'regr_avgy', 'regr_count',
  'regr_intercept', 'regr_r2', 'regr_slope', 'regr_sxx', 'regr_sxy', 'regr_syy', 'skew', 'stddev', 'stddev_pop',
  'stddev_samp', 'sum', 'var_pop', 'var_samp', 'variance', 'variance_pop', 'variance_samp',
]);

// Aggregates whose result is a number of rows or of distinct values: MIN, MAX, ANY_VALUE, LISTAGG and the like can
// return a value as it is (and SUM or AVG over a group of one), these cannot.
const COUNTING_KINDS: ReadonlySet<string> = new Set(['count', 'count_if', 'approx_distinct', 'approx_count_distinct']);
const COUNTING_FUNCTION_NAMES: ReadonlySet<string> = new Set(['count', 'count_if', 'approx_count_distinct', 'hll', 'regr_count']);

// Window functions that read another row's value rather than combine rows.
const NAVIGATION_KINDS: ReadonlySet<string> = new Set(['lag', 'lead', 'first_value', 'last_value', 'nth_value']);

const CAST_KINDS: ReadonlySet<string> = new Set(['cast', 'try_cast', 'safe_cast']);
const WRAPPER_KINDS: ReadonlySet<string> = new Set(['alias', 'paren']);
const QUERY_KINDS: ReadonlySet<string> = new Set(['subquery', 'select', 'union', 'intersect', 'except', 'exists']);

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The kind of a one-key expression object, and its payload. */
function kindOf(expression: unknown): [string, Json] | undefined {
  if (!isObject(expression)) return undefined;
  const keys = Object.keys(expression);
  if (keys.length !== 1) return undefined;
  const kind = keys[0] as string;
  const payload = expression[kind];
  return isObject(payload) ? [kind, payload] : undefined;
}

const nameOf = (identifier: unknown): string | undefined =>
  isObject(identifier) && typeof identifier['name'] === 'string' ? identifier['name'] : undefined;

function isPassThrough(expression: unknown): boolean {
  const node = kindOf(expression);
  if (!node) return false;
  const [kind, payload] = node;
  // A scalar subquery's value passes through too: polyglot traces its inside as a branch of its own.
  if (kind === 'column' || kind === 'subquery') return true;
  if (WRAPPER_KINDS.has(kind) || CAST_KINDS.has(kind)) return isPassThrough(payload['this']);
  return false;
}

function isCounting(kind: string, payload: Json): boolean {
  if (COUNTING_KINDS.has(kind)) return true;
  const named = kind === 'function' || kind === 'aggregate_function';
  return named && typeof payload['name'] === 'string' && COUNTING_FUNCTION_NAMES.has(payload['name'].toLowerCase());
}

function isAggregate(kind: string, payload: Json): boolean {
  if (AGGREGATE_KINDS.has(kind)) return true;
  const name = kind === 'function' && typeof payload['name'] === 'string' ? payload['name'].toLowerCase() : undefined;
  return name !== undefined && (AGGREGATE_FUNCTION_NAMES.has(name) || name.endsWith('_agg'));
}

/** The facts of one select item (or any expression polyglot hands back as a lineage node's expression). */
export function expressionFacts(expression: unknown): ExpressionFacts {
  const passThrough = isPassThrough(expression);
  const mentions: ColumnMention[] = [];
  const subqueries: LineageHow[] = [];
  let star = false;
  let overall: LineageHow = passThrough ? 'direct' : 'expression';

  const visit = (value: unknown, how: LineageHow): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item, how);
      return;
    }
    if (!isObject(value)) return;
    const node = kindOf(value);
    if (!node) {
      for (const field of Object.values(value)) visit(field, how);
      return;
    }
    const [kind, payload] = node;
    if (kind === 'column') {
      const column = nameOf(payload['name']);
      const qualifier = nameOf(payload['table']);
      if (column) mentions.push({ column: column.toLowerCase(), ...(qualifier ? { qualifier: qualifier.toLowerCase() } : {}), how });
      return;
    }
    if (kind === 'star') {
      star = true;
      return;
    }
    if (QUERY_KINDS.has(kind)) {
      subqueries.push(how);
      return;
    }
    let inner = how;
    if (kind === 'window_function') {
      const fn = kindOf(payload['this']);
      inner = combineHow(how, fn && NAVIGATION_KINDS.has(fn[0]) ? 'expression' : fn && isCounting(fn[0], fn[1]) ? 'count' : 'aggregate');
    } else if (isCounting(kind, payload)) {
      inner = 'count';
    } else if (isAggregate(kind, payload)) {
      inner = 'aggregate';
    }
    // A branch that matches no mention is taken at its strongest: a count there is an aggregate, not a reason to
    // believe no value flows.
    overall = combineHow(overall, inner === 'count' ? 'aggregate' : inner);
    for (const field of Object.values(payload)) visit(field, inner);
  };
  visit(expression, passThrough ? 'direct' : 'expression');
  return { mentions, subqueries, star, passThrough, overall };
}

const SET_OPERATION_KINDS: ReadonlySet<string> = new Set(['union', 'intersect', 'except']);

/**
 * Where polyglot 0.12.1 misparsed the statement, by owner ('' for the statement itself, else the lower-cased name
 * of the CTE or derived table): in `SELECT a, (SELECT ...) UNION ALL SELECT ...` it takes the UNION into the last
 * select item, so the set operation's later SELECTs disappear from lineage. SQL cannot write a bare set operation
 * as a select item, so one there is the mark of that misparse.
 */
export function misparsedScopes(statement: unknown): ReadonlySet<string> {
  const scopes = new Set<string>();
  const visit = (value: unknown, owner: string): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item, owner);
      return;
    }
    if (!isObject(value)) return;
    const select = kindOf(value);
    if (select?.[0] === 'select' && Array.isArray(select[1]['expressions'])) {
      for (const item of select[1]['expressions']) {
        const node = kindOf(item);
        const inner = node?.[0] === 'alias' ? kindOf(node[1]['this']) : node;
        if (inner && SET_OPERATION_KINDS.has(inner[0])) scopes.add(owner);
      }
    }
    // A CTE ({alias, this}) or a derived table's payload ({this, alias}) opens a scope of its own.
    const name = nameOf(value['alias']);
    const scope = name !== undefined && 'this' in value && kindOf(value['this']) ? name.toLowerCase() : owner;
    for (const field of Object.values(value)) visit(field, scope);
  };
  visit(statement, '');
  return scopes;
}

// Which changes to a contract break its consumers or weaken its protection, as dbt's "breaking change to
// contract" and more: a column removed, retyped or narrowed, a guarantee relaxed (not_null, unique, accepted values,
// range), a column classified lower, a masking or projection policy removed. One set of rules for the plan (against
// what is deployed) and for `charter diff` (against a base commit or manifest). Pure.
import { stableStringify } from '../project/hash.js';
import { parseSnowflakeType } from '../project/snowflake-types.js';
import { canonicalType } from '../validate/compare-columns.js';
import type { GovernedColumn, NodeContract } from './deployed-state.js';

/** Higher is more protected; a level not listed compares as unclassified. pii and restricted are peers. */
const CLASSIFICATION_RANK: Readonly<Record<string, number>> = { public: 0, internal: 1, confidential: 2, restricted: 3, pii: 3, phi: 4 };

const rank = (classification: string | undefined): number =>
  classification === undefined ? -1 : (CLASSIFICATION_RANK[classification.toLowerCase().split('-')[0] ?? ''] ?? -1);

export const sameType = (a: string, b: string): boolean => stableStringify(canonicalType(a, 'snowflake')) === stableStringify(canonicalType(b, 'snowflake'));

/**
 * What a column promises its readers beyond its type, when the caller knows it: the deployed state records only
 * not_null, a compiled contract all of them. A guarantee unknown on the old side is never reported as relaxed.
 */
export interface ColumnGuarantees {
  readonly unique?: true;
  readonly acceptedValues?: readonly (string | number | boolean)[];
  readonly range?: { readonly min?: number; readonly max?: number };
}

export type ContractColumnShape = GovernedColumn & ColumnGuarantees;
export interface ContractShape {
  readonly name: string;
  readonly columns: readonly ContractColumnShape[];
}

export type ContractBreakKind =
  | 'contract_removed'
  | 'column_removed'
  | 'column_retyped'
  | 'type_narrowed'
  | 'constraint_relaxed'
  | 'classification_weakened'
  | 'masking_removed'
  | 'projection_removed';

export interface ContractBreak {
  readonly kind: ContractBreakKind;
  /** The column as the old contract names it; absent for the whole contract. */
  readonly column?: string;
  /** A short phrase: "column email removed", "column id retyped NUMBER(18,0) -> NUMBER(18,2)". */
  readonly detail: string;
}

/**
 * How a column's type changed. `widened` and `narrowed` stay within one family (a longer VARCHAR, more digits);
 * `retyped` is anything else, including a change of scale that gains decimals but loses integer digits.
 */
export type TypeChange = 'same' | 'widened' | 'narrowed' | 'retyped';

export function typeChange(from: string, to: string): TypeChange {
  if (sameType(from, to)) return 'same';
  const a = parseSnowflakeType(from);
  const b = parseSnowflakeType(to);
  if (!a || !b || a.family !== b.family) return 'retyped';
  if (a.family === 'exact') {
    // NUMBER(p,s): integer digits p-s and decimals s must both fit; an unwritten NUMBER is NUMBER(38,0).
    const [p1 = 38, s1 = 0] = a.args;
    const [p2 = 38, s2 = 0] = b.args;
    if (p2 - s2 >= p1 - s1 && s2 >= s1) return 'widened';
    if (p2 - s2 <= p1 - s1 && s2 <= s1) return 'narrowed';
    return 'retyped';
  }
  if (a.family === 'string' || a.family === 'binary') {
    // An unwritten length is the largest.
    const n1 = a.args[0] ?? Infinity;
    const n2 = b.args[0] ?? Infinity;
    return n2 > n1 ? 'widened' : n2 < n1 ? 'narrowed' : 'same';
  }
  return 'retyped';
}

export interface BreakRules {
  /**
   * A deployed table must be rebuilt for any change of type, so the plan calls each one breaking (`any`); a diff
   * between two commits lets a widened type pass (`narrowing`).
   */
  readonly types: 'any' | 'narrowing';
}

/** Each break, as a short phrase for the plan's "(breaking: ...)". Nothing was deployed under a contract: none. */
export function contractBreaks(deployed: NodeContract | null, next: NodeContract | null): string[] {
  return contractBreakList(deployed, next, { types: 'any' }).map((b) => b.detail);
}

/** Each break, with its kind and column, in the old contract's column order. */
export function contractBreakList(old: ContractShape | null, next: ContractShape | null, rules: BreakRules): ContractBreak[] {
  if (!old) return [];
  if (!next) return [{ kind: 'contract_removed', detail: `contract ${old.name} removed` }];
  const byName = new Map(next.columns.map((c) => [c.name.toLowerCase(), c]));
  return old.columns.flatMap((column) => columnBreaks(column, byName.get(column.name.toLowerCase()), rules));
}

function columnBreaks(old: ContractColumnShape, next: ContractColumnShape | undefined, rules: BreakRules): ContractBreak[] {
  const column = old.name;
  if (!next) return [{ kind: 'column_removed', column, detail: `column ${column} removed` }];
  const breaks: ContractBreak[] = [];
  const push = (kind: ContractBreakKind, detail: string): void => void breaks.push({ kind, column, detail: `column ${column} ${detail}` });
  if (old.dataType && next.dataType) {
    const change = typeChange(old.dataType, next.dataType);
    if (change === 'retyped' || (change === 'widened' && rules.types === 'any')) push('column_retyped', `retyped ${old.dataType} -> ${next.dataType}`);
    if (change === 'narrowed') push('type_narrowed', rules.types === 'any' ? `retyped ${old.dataType} -> ${next.dataType}` : `type narrowed ${old.dataType} -> ${next.dataType}`);
  }
  for (const relaxed of relaxedGuarantees(old, next)) push('constraint_relaxed', relaxed);
  if (rank(next.classification) < rank(old.classification)) {
    push('classification_weakened', `classification weakened ${old.classification} -> ${next.classification ?? 'none'}`);
  }
  if (old.maskingPolicy && !next.maskingPolicy) push('masking_removed', `masking policy ${old.maskingPolicy} removed`);
  if (old.projectionPolicy && !next.projectionPolicy) push('projection_removed', `projection policy ${old.projectionPolicy} removed`);
  return breaks;
}

/** Guarantees readers relied on that the new contract drops or widens: each lets through rows the old one refused. */
function relaxedGuarantees(old: ContractColumnShape, next: ContractColumnShape): string[] {
  const relaxed: string[] = [];
  if (old.notNull && !next.notNull) relaxed.push('not_null dropped');
  if (old.unique && !next.unique) relaxed.push('unique dropped');
  if (old.acceptedValues) {
    const allowed = new Set(old.acceptedValues.map(String));
    const added = next.acceptedValues?.map(String).filter((v) => !allowed.has(v));
    if (!next.acceptedValues) relaxed.push('accepted_values dropped');
    else if (added?.length) relaxed.push(`accepted_values widened: adds ${added.join(', ')}`);
  }
  if (old.range) {
    const { min, max } = old.range;
    const now = next.range;
    if (!now || (min !== undefined && now.min === undefined) || (max !== undefined && now.max === undefined)) relaxed.push('range dropped');
    else if ((min !== undefined && now.min! < min) || (max !== undefined && now.max! > max)) {
      relaxed.push(`range widened [${min ?? ''}, ${max ?? ''}] -> [${now.min ?? ''}, ${now.max ?? ''}]`);
    }
  }
  return relaxed;
}

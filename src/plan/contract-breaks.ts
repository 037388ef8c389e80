// Which changes to a deployed contract break its consumers or weaken its protection, as dbt's "breaking change to
// contract" and more: a column removed or retyped, a column classified lower, a masking or projection policy
// removed. Pure.
import { stableStringify } from '../project/hash.js';
import { canonicalType } from '../validate/compare-columns.js';
import type { GovernedColumn, NodeContract } from './deployed-state.js';

/** Higher is more protected; a level not listed compares as unclassified. pii and restricted are peers. */
const CLASSIFICATION_RANK: Readonly<Record<string, number>> = { public: 0, internal: 1, confidential: 2, restricted: 3, pii: 3, phi: 4 };

const rank = (classification: string | undefined): number =>
  classification === undefined ? -1 : (CLASSIFICATION_RANK[classification.toLowerCase().split('-')[0] ?? ''] ?? -1);

export const sameType = (a: string, b: string): boolean => stableStringify(canonicalType(a, 'snowflake')) === stableStringify(canonicalType(b, 'snowflake'));

/** Each break, as a short phrase for the plan's "(breaking: ...)". Nothing was deployed under a contract: none. */
export function contractBreaks(deployed: NodeContract | null, next: NodeContract | null): string[] {
  if (!deployed) return [];
  if (!next) return [`contract ${deployed.name} removed`];
  const byName = new Map(next.columns.map((c) => [c.name.toLowerCase(), c]));
  return deployed.columns.flatMap((old) => columnBreaks(old, byName.get(old.name.toLowerCase())));
}

function columnBreaks(old: GovernedColumn, next: GovernedColumn | undefined): string[] {
  if (!next) return [`column ${old.name} removed`];
  const breaks: string[] = [];
  if (old.dataType && next.dataType && !sameType(old.dataType, next.dataType)) breaks.push(`column ${old.name} retyped ${old.dataType} -> ${next.dataType}`);
  if (rank(next.classification) < rank(old.classification)) {
    breaks.push(`column ${old.name} classification weakened ${old.classification} -> ${next.classification ?? 'none'}`);
  }
  if (old.maskingPolicy && !next.maskingPolicy) breaks.push(`column ${old.name} masking policy ${old.maskingPolicy} removed`);
  if (old.projectionPolicy && !next.projectionPolicy) breaks.push(`column ${old.name} projection policy ${old.projectionPolicy} removed`);
  return breaks;
}

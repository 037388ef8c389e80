// Whether a policy the warehouse has must be replaced: its signature (argument names and types) or its return type
// differs from the project's definition. Snowflake can change a policy's body in place but not what it takes or
// returns. Pure.
//
// Types are compared as Snowflake stores them. DESCRIBE ... POLICY prints an argument's type without its parameters,
// `(VAL VARCHAR)`, so arguments compare by type alone (VARCHAR(100) and VARCHAR are one); the return type comes
// whole, `VARCHAR(16777216)`, so it compares with the default parameters filled in (VARCHAR is VARCHAR(16777216),
// NUMBER is NUMBER(38,0)). STRING, TEXT and VARCHAR are one type, as are INT and NUMBER(38,0).
import type { PolicyKind, PolicyReplacement, PolicySignature } from '../adapters/governance.js';
import { stableStringify } from '../project/hash.js';
import { canonicalType, type CanonicalType } from '../validate/compare-columns.js';

/** Snowflake's lengths when a type gives none. */
const DEFAULT_LENGTH: Readonly<Record<string, number>> = { string: 16_777_216, binary: 8_388_608 };

function stored(type: string, withParameters: boolean): CanonicalType {
  const canonical = canonicalType(type, 'snowflake');
  if (!withParameters) return canonical.family === 'other' ? canonical : { family: canonical.family };
  if ((canonical.family === 'string' || canonical.family === 'binary') && canonical.length === undefined) return { ...canonical, length: DEFAULT_LENGTH[canonical.family] };
  return canonical;
}

const same = (a: CanonicalType, b: CanonicalType): boolean => stableStringify(a) === stableStringify(b);

/** Whether the warehouse's policy takes and returns what the definition says (names fold to upper case). */
export function sameSignature(defined: PolicySignature, deployed: PolicySignature): boolean {
  return (
    defined.args.length === deployed.args.length &&
    defined.args.every((arg, i) => {
      const other = deployed.args[i]!;
      return arg.name.toUpperCase() === other.name.toUpperCase() && same(stored(arg.type, false), stored(other.type, false));
    }) &&
    same(stored(defined.returns, true), stored(deployed.returns, true))
  );
}

/** `(val VARCHAR, consent BOOLEAN)`: names as Snowflake folds unquoted ones, read in lower case; types as written. */
export const signatureText = (signature: PolicySignature): string =>
  `(${signature.args.map((a) => `${a.name.toLowerCase()} ${a.type.toUpperCase()}`).join(', ')})`;

export const POLICY_KIND_NAME: Readonly<Record<PolicyKind, string>> = { masking: 'masking policy', row_access: 'row access policy', projection: 'projection policy' };

/** What the plan says of a replacement, after the policy's name: what changes and what moves. */
export function replacementReason(r: Pick<PolicyReplacement, 'from' | 'to' | 'attachments' | 'finish'>): string {
  if (r.finish) return `dropped by an apply that stopped while replacing it: its replacement takes its name`;
  const argsChanged = !sameSignature({ ...r.to, returns: r.from.returns }, r.from);
  const returns = same(stored(r.from.returns, true), stored(r.to.returns, true)) ? '' : `returns ${r.from.returns.toUpperCase()} -> ${r.to.returns.toUpperCase()}`;
  const what = [argsChanged ? `signature ${signatureText(r.from)} -> ${signatureText(r.to)}` : '', returns].filter(Boolean).join(', ');
  const n = r.attachments.length;
  return `${what}: replaced without a window, moving ${n} attachment${n === 1 ? '' : 's'}`;
}

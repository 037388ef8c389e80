// A documented exception to the governance gate (a column's masking_exemption, a contract's row_access_exemption):
// it holds through its `expires` day, and no longer after it.
import type { Contract } from '../../load/contract-schema.js';

export type Exemption = NonNullable<NonNullable<Contract['security_controls']>['row_access_exemption']>;

export type ExemptionState = { readonly holds: true } | { readonly holds: false; readonly expired: string };

export function exemptionState(exemption: Exemption, today: string): ExemptionState {
  const expires = exemption.expires?.slice(0, 10);
  return expires !== undefined && expires < today ? { holds: false, expired: expires } : { holds: true };
}

/** How an exemption is named in a message: its approver and, when it has one, its ticket. */
export const exemptionLabel = (exemption: Exemption): string =>
  `approved by ${exemption.approver}${exemption.ticket ? `, ${exemption.ticket}` : ''}`;

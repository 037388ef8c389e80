// How a customer's compliance programme bears on its subscription: the churn and expansion factors of its
// maturity and of the frameworks it chose (framework-choice.ts). The rules are listed in the header of
// subscription-events.ts, which applies them.

import type { CustomerRow } from './customers.js';
import type { Maturity } from './dataset.js';
import type { FrameworkRow } from './frameworks.js';

const CHURN_BY_MATURITY: Readonly<Record<Maturity, number>> = { beginner: 1.3, intermediate: 1, advanced: 0.6 };
const EXPANSION_BY_MATURITY: Readonly<Record<Maturity, number>> = { beginner: 0.8, intermediate: 1, advanced: 1.3 };
/** Churn factor per framework held besides SOC2 Type I: frameworks with a yearly audit hold customers most. */
const CHURN_PER_ANNUAL_AUDIT_FRAMEWORK = 0.5;
const CHURN_PER_OTHER_FRAMEWORK = 0.85;
/** Expansion factor from the frameworks held: EXPANSION_BASE + EXPANSION_PER_FRAMEWORK x their number. */
const EXPANSION_BASE = 0.1;
const EXPANSION_PER_FRAMEWORK = 0.3;

/** How a customer's frameworks bear on its subscription: churn and expansion factors, and the count. */
export interface Engagement {
  readonly frameworks: number;
  readonly churnFactor: number;
  readonly expansionFactor: number;
}

export function engagementOf(c: CustomerRow, frameworks: readonly FrameworkRow[]): Engagement {
  let churnFactor = CHURN_BY_MATURITY[c.compliance_maturity];
  for (const f of frameworks) {
    if (f.framework_name === 'SOC2_Type_I') continue;
    churnFactor *= f.annual_audit_required ? CHURN_PER_ANNUAL_AUDIT_FRAMEWORK : CHURN_PER_OTHER_FRAMEWORK;
  }
  const expansionFactor =
    EXPANSION_BY_MATURITY[c.compliance_maturity] * (EXPANSION_BASE + EXPANSION_PER_FRAMEWORK * frameworks.length);
  return { frameworks: frameworks.length, churnFactor, expansionFactor };
}

// policy.undefined and policy.invalid, as check-policies.ts finds them (a policy, role or tag named and not defined;
// a masking policy whose type differs from its column's, ...): a gap the gate reports with the others, not anew.
import { checkPolicies } from '../check-policies.js';
import type { CoverageRule } from './coverage-rule.js';

export const policyReferences: CoverageRule = {
  id: 'policy.undefined',
  summary: 'every policy, role and tag a contract or policies file names is defined, and fits where it is used',
  check: (context) => checkPolicies(context.contracts, context.policies),
};

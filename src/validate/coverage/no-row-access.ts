// governance.no_row_access: a contract that holds PHI (its product classification starts with PHI, as in
// PHI-pseudonymous, or a column is classified phi) filters rows with a row access policy, or documents an unexpired
// row_access_exemption.
import { error, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { locate, type LoadedContract, type YamlPath } from '../../load/load-contracts.js';
import type { CoverageRule } from './coverage-rule.js';
import { exemptionLabel, exemptionState } from './exemption.js';

/** Where a contract says it holds PHI, if it does: its product classification, else its first phi column. */
export function phiDeclaration(contract: LoadedContract): YamlPath | undefined {
  if (/^phi/i.test(contract.contract.classification ?? '')) return ['classification'];
  for (const governed of contract.models) {
    const i = governed.columns.findIndex((c) => c.classification === 'phi');
    if (i >= 0) return [...governed.base, 'columns', i, 'classification'];
  }
  return undefined;
}

export const noRowAccess: CoverageRule = {
  id: 'governance.no_row_access',
  summary: 'every contract holding PHI has a row access policy, or documents an unexpired row_access_exemption',
  check(context) {
    const diagnostics: Diagnostic[] = [];
    for (const contract of context.contracts) {
      const declared = phiDeclaration(contract);
      const controls = contract.contract.security_controls;
      const exemption = controls?.row_access_exemption;
      if (controls?.row_access_policy && exemption) {
        diagnostics.push({
          ...error('governance.stale_exemption', `contract ${contract.contract.name} has a row access policy, yet it carries a row_access_exemption (${exemptionLabel(exemption)})`, {
            location: locate(contract, ['security_controls'], 'row_access_exemption'), hint: 'remove the exemption: it documents an exception that no longer exists',
          }),
          severity: 'warning',
        });
      }
      if (!declared || controls?.row_access_policy) continue;
      const what = `contract ${contract.contract.name} holds PHI (${declared[0] === 'classification' ? `classification ${contract.contract.classification}` : 'a column classified phi'}) and has no row access policy`;
      const state = exemption ? exemptionState(exemption, context.today) : undefined;
      if (state?.holds) continue;
      diagnostics.push(
        state && !state.holds
          ? error('governance.no_row_access', `${what}; its row_access_exemption (${exemptionLabel(exemption!)}) expired on ${state.expired}`, {
            location: locate(contract, ['security_controls', 'row_access_exemption', 'expires']),
            hint: 'attach a row access policy, or renew the exemption with its approver (a later `expires`)',
          })
          : error('governance.no_row_access', what, {
            location: locate(contract, declared),
            hint: 'add security_controls.row_access_policy with row_access_on, or document why every reader may see every row: security_controls.row_access_exemption: {reason, approver, expires}',
          }),
      );
    }
    return diagnostics;
  },
};

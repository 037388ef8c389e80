// governance.unmasked: a column classified pii or phi is masked (by its own policy, a tag's or the product's), or
// carries a masking_exemption that says why not, who accepted it, and has not expired. An exemption on a column
// that is masked anyway is stale, and said so.
import { error, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { locate } from '../../load/load-contracts.js';
import type { ColumnGovernance } from '../../project/governance.js';
import { storedFamily } from '../../project/snowflake-types.js';
import { SENSITIVE, type CoverageContext, type CoverageRule, type GovernedRelation } from './coverage-rule.js';
import { exemptionLabel, exemptionState } from './exemption.js';

export type MaskingState = 'masked' | 'exempt' | 'unmasked';

/**
 * Why a resolved masking cannot protect the column, if it cannot: the product's default policy is attached to every
 * pii and phi column whatever its type, and Snowflake refuses one whose first argument's type differs.
 */
export function maskingMismatch(column: ColumnGovernance, context: Pick<CoverageContext, 'policies'>): string | undefined {
  if (!column.masking || column.masking.via !== 'product') return undefined;
  const policy = context.policies.maskingPolicies.get(column.masking.policy);
  const masks = policy ? Object.values(policy.definition.signature)[0] : undefined;
  const [want, have] = [storedFamily(masks), storedFamily(column.dataType)];
  return want && have && want !== have ? `the product's masking policy ${column.masking.policy} masks ${masks}, and the column is ${column.dataType}` : undefined;
}

/** Each sensitive column of a governed relation with whether it is masked, exempt or neither, for the rule and the summary. */
export function sensitiveColumns(relation: GovernedRelation, context: Pick<CoverageContext, 'policies' | 'today'>) {
  return relation.governed.columns.flatMap((column, i) => {
    const governance = relation.governance.columns[i];
    if (!governance || !column.classification || !SENSITIVE.has(column.classification)) return [];
    const mismatch = maskingMismatch(governance, context);
    const masked = governance.masking !== undefined && mismatch === undefined;
    const exemption = column.masking_exemption;
    const state: MaskingState = masked ? 'masked' : exemption && exemptionState(exemption, context.today).holds ? 'exempt' : 'unmasked';
    return [{ column, index: i, governance, mismatch, state }];
  });
}

export const unmasked: CoverageRule = {
  id: 'governance.unmasked',
  summary: 'every pii and phi column is masked, or documents an unexpired masking_exemption',
  check(context) {
    const diagnostics: Diagnostic[] = [];
    for (const relation of context.governed.values()) {
      const { contract, governed, model } = relation;
      for (const { column, index, mismatch, state } of sensitiveColumns(relation, context)) {
        const at = [...governed.base, 'columns', index];
        const exemption = column.masking_exemption;
        if (state === 'masked' && exemption) {
          diagnostics.push({
            ...error('governance.stale_exemption', `column \`${column.name}\` of ${model.name} is masked, yet it carries a masking_exemption (${exemptionLabel(exemption)})`, {
              location: locate(contract, at, 'masking_exemption'), hint: 'remove the exemption: it documents an exception that no longer exists',
            }),
            severity: 'warning',
          });
        }
        if (state !== 'unmasked') continue;
        const expired = exemption ? exemptionState(exemption, context.today) : undefined;
        const what = `column \`${column.name}\` of ${model.name} is classified ${column.classification} and ${mismatch ? `cannot be masked: ${mismatch}` : 'has no masking policy'}`;
        diagnostics.push(
          expired && !expired.holds
            ? error('governance.unmasked', `${what}; its masking_exemption (${exemptionLabel(exemption!)}) expired on ${expired.expired}`, {
              location: locate(contract, [...at, 'masking_exemption', 'expires']), hint: 'mask the column, or renew the exemption with its approver (a later `expires`)',
            })
            : error('governance.unmasked', what, {
              location: locate(contract, [...at, 'classification']),
              hint: mismatch
                ? `give the column a masking_policy for ${column.data_type}, or document why it stays in clear: masking_exemption: {reason, approver, expires}`
                : 'give it a masking_policy (or a tag or the product a policy for its type), or document why it stays in clear: masking_exemption: {reason, approver, expires}',
            }),
        );
      }
    }
    return diagnostics;
  },
};

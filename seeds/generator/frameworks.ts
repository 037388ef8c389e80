// dim_compliance_frameworks: the 8 compliance frameworks with the specification's fixed reference values.

import type { TableSpec } from './dataset.js';

export type FrameworkName =
  | 'SOC2_Type_I'
  | 'SOC2_Type_II'
  | 'ISO27001'
  | 'HIPAA'
  | 'GDPR'
  | 'PCI_DSS'
  | 'FedRAMP'
  | 'NIST_CSF';

export type FrameworkRow = {
  readonly framework_id: number;
  readonly framework_name: FrameworkName;
  readonly framework_category: string;
  readonly complexity_score: number;
  readonly avg_completion_days: number;
  readonly industry_relevance: string;
  readonly geographic_scope: string;
  readonly automation_percentage: number;
  readonly annual_audit_required: boolean;
  readonly certification_cost_usd: number;
};

export const FRAMEWORKS_TABLE: TableSpec = {
  name: 'dim_compliance_frameworks',
  description: 'Phantom Sec compliance frameworks (8 fixed reference rows).',
  gzip: false,
  columns: [
    { name: 'framework_id', kind: 'integer' },
    { name: 'framework_name', kind: 'varchar' },
    { name: 'framework_category', kind: 'varchar' },
    { name: 'complexity_score', kind: 'integer' },
    { name: 'avg_completion_days', kind: 'integer' },
    { name: 'industry_relevance', kind: 'varchar' },
    { name: 'geographic_scope', kind: 'varchar' },
    { name: 'automation_percentage', kind: 'integer' },
    { name: 'annual_audit_required', kind: 'boolean' },
    { name: 'certification_cost_usd', kind: 'money' },
  ],
};

function fw(
  framework_id: number,
  framework_name: FrameworkName,
  framework_category: string,
  complexity_score: number,
  avg_completion_days: number,
  industry_relevance: string,
  geographic_scope: string,
  automation_percentage: number,
  annual_audit_required: boolean,
  certification_cost_usd: number,
): FrameworkRow {
  return {
    framework_id,
    framework_name,
    framework_category,
    complexity_score,
    avg_completion_days,
    industry_relevance,
    geographic_scope,
    automation_percentage,
    annual_audit_required,
    certification_cost_usd,
  };
}

/** Exactly the specification's reference values; ids 1-8 in the specification's order. */
export const FRAMEWORKS: readonly FrameworkRow[] = [
  fw(1, 'SOC2_Type_I', 'security_audit', 4, 90, 'all_industries', 'global', 75, false, 25000),
  fw(2, 'SOC2_Type_II', 'security_audit', 7, 180, 'all_industries', 'global', 65, true, 45000),
  fw(3, 'ISO27001', 'security_management', 8, 240, 'all_industries', 'global', 60, true, 35000),
  fw(4, 'HIPAA', 'healthcare_privacy', 6, 150, 'healthtech', 'usa', 70, false, 15000),
  fw(5, 'GDPR', 'data_privacy', 7, 120, 'all_industries', 'eu_global', 55, false, 20000),
  fw(6, 'PCI_DSS', 'payment_security', 5, 90, 'ecommerce_fintech', 'global', 80, true, 30000),
  fw(7, 'FedRAMP', 'government_cloud', 9, 365, 'government_contractors', 'usa', 45, true, 150000),
  fw(8, 'NIST_CSF', 'cybersecurity_framework', 6, 180, 'all_industries', 'usa_global', 70, false, 25000),
];

export function frameworkById(id: number): FrameworkRow {
  const found = FRAMEWORKS.find((f) => f.framework_id === id);
  if (!found) throw new Error(`unknown framework_id ${id}`);
  return found;
}

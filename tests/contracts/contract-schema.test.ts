import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { contractSchema } from '../../src/load/contract-schema.js';
import { parseContract } from '../../src/load/load-contracts.js';
import { compileSchema } from '../../src/load/json-schema.js';
import { repoRoot } from '../helpers/project.js';
import { ORDERS_CORE_FILE, ordersCoreText } from './helpers.js';

describe('the contract JSON Schema', () => {
  it('is the same in schemas/contract.schema.json as in src, so editors and charter agree', () => {
    const onDisk: unknown = JSON.parse(readFileSync(path.join(repoRoot, 'schemas/contract.schema.json'), 'utf8'));
    expect(onDisk).toEqual(contractSchema);
  });

  it('compiles under ajv strict mode', () => {
    expect(() => compileSchema('contract', contractSchema)({})).not.toThrow();
  });
});

describe('the orders_core example contract', () => {
  it('validates as written in the design, with a column section added', () => {
    const { contract, diagnostics } = parseContract(ORDERS_CORE_FILE, ordersCoreText());
    expect(diagnostics).toEqual([]);
    expect(contract?.contract).toMatchObject({
      name: 'orders_core',
      classification: 'PHI-pseudonymous',
      retention_policy: { bronze: '30d', silver: '400d', platinum: '5y' },
      security_controls: { masking_policy: 'MASK_EMAIL', roles_allowed: ['ANALYST_PHI', 'DATA_SCI_COMMERCE'] },
      audit_evidence: [{ access_history: 'enabled' }, { dbt_tests: 'required' }, { lineage: 'required' }],
      cost: { monthly_cap_usd: 1200, tags: { cost_center: 'CC-123', env: 'prod', domain: 'commerce' } },
      deprecation: { replaces: 'orders_core_v2', sunset: '2026-03-31' },
    });
    expect(contract?.models.map((m) => m.name)).toEqual(['dim_orders']);
    expect(contract?.models[0]?.columns.map((c) => c.name)).toEqual([
      'order_id', 'customer_id', 'customer_email', 'status', 'total_usd', 'region', 'updated_at',
    ]);
  });

  it('validates without charter additions too: the product section alone is a contract, governing its interface table', () => {
    const productOnly = ordersCoreText().split('\ncolumns:')[0]?.replace(/^(version|model|description):.*$/gm, '') ?? '';
    const { contract, diagnostics } = parseContract(ORDERS_CORE_FILE, productOnly);
    expect(diagnostics).toEqual([]);
    expect(contract?.models.map((m) => [m.name, m.byRelation])).toEqual([['BROOK_COMMERCE.PLATINUM.ORDERS', true]]);
    expect(contract?.models[0]?.slos.map((s) => s.slo.kind)).toEqual(['freshness', 'completeness', 'drift']);
    expect(contract?.unassignedSlos).toEqual([]);
  });

  it('types the product-level SLO strings and hands them to the governed model', () => {
    const { contract } = parseContract(ORDERS_CORE_FILE, ordersCoreText());
    const slos = contract?.models[0]?.slos.map((s) => s.slo) ?? [];
    expect(slos).toEqual([
      { kind: 'freshness', maxAge: { text: '10m', seconds: 600 }, inclusive: true, percentile: 95, severity: 'error' },
      { kind: 'completeness', column: 'total_usd', maxNullRate: 0.001, inclusive: true, severity: 'error' },
      { kind: 'drift', column: 'total_usd', method: 'numeric', bins: 10, fail: 0.1 },
      { kind: 'freshness', column: 'updated_at', maxAge: { text: '36h', seconds: 129_600 }, asOf: '2024-12-31', inclusive: true, severity: 'error' },
    ]);
  });

  it('accepts a data product that lists several models, each with columns, tests and SLOs', () => {
    const product = [
      'name: commerce',
      'version: 2.0.0',
      'models:',
      '  - name: dim_orders',
      '    columns: [{name: order_id, data_type: NUMBER, constraints: {primary_key: true}}]',
      '    tests: [{row_count: {min: 1}}]',
      '  - name: dim_customers',
      '    columns: [{name: segment, data_type: VARCHAR(20)}]',
      '    quality_slo: {drift: {column: segment}}',
    ].join('\n');
    const { contract, diagnostics } = parseContract('contracts/commerce.yml', product);
    expect(diagnostics).toEqual([]);
    expect(contract?.models.map((m) => [m.name, m.base])).toEqual([['dim_orders', ['models', 0]], ['dim_customers', ['models', 1]]]);
    // A drift SLO that does not say follows the column's declared type.
    expect(contract?.models[1]?.slos[0]?.slo).toMatchObject({ kind: 'drift', method: 'categorical', warn: 0.1, fail: 0.25 });
  });
});

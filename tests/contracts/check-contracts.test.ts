import { describe, expect, it } from 'vitest';
import { checkContracts, columnMismatchDiagnostic, compareColumns } from '../../src/validate/check-contracts.js';
import { edited, fakeProject, loaded, marked, ORDERS_CORE_FILE, ordersCoreText } from './helpers.js';

const project = fakeProject({ models: ['dim_orders', 'stg_orders', 'dim_customers'], seeds: ['raw_orders'] });
const lineOf = (text: string): number => ordersCoreText().split('\n').indexOf(text) + 1;
const errors = (d: ReturnType<typeof checkContracts>) => d.filter((x) => x.severity === 'error');

describe('checkContracts', () => {
  it('accepts the orders_core contract against a project that has its models', () => {
    const diagnostics = checkContracts([loaded(ordersCoreText())], project);
    expect(errors(diagnostics)).toEqual([]);
    // The seed's freshness_p95 names no column and asks for a percentile: recorded, but said not to run.
    expect(diagnostics.map((d) => [d.severity, d.message])).toEqual([
      ['warning', 'freshness_p95 is recorded but not measured: charter checks the age of the latest value'],
    ]);
  });

  it('reports a contract for a model that does not exist, with a did-you-mean', () => {
    const { text, line, column } = marked(edited(ordersCoreText(), 'model: dim_orders', 'model: «dim_order'));
    const [first] = errors(checkContracts([loaded(text)], project));
    expect(first).toMatchObject({
      code: 'contract.model_unknown',
      message: 'contract `orders_core` governs unknown model `dim_order`',
      location: { file: ORDERS_CORE_FILE, line, column },
      hint: 'did you mean `dim_orders`?',
    });
  });

  it('says when the name is a seed, not a model', () => {
    const text = edited(ordersCoreText(), 'model: dim_orders', 'model: raw_orders');
    expect(errors(checkContracts([loaded(text)], project))[0]?.hint).toBe('`raw_orders` is a seed; contracts govern models');
  });

  it('reports a relationship to an unknown model at its `to`', () => {
    const { text, line, column } = marked(edited(ordersCoreText(), '{to: stg_orders,', '{to: «stg_ordrs,'));
    expect(errors(checkContracts([loaded(text)], project))).toEqual([
      {
        code: 'contract.relationship_unknown',
        severity: 'error',
        message: 'column `order_id` refers to unknown model `stg_ordrs`',
        location: { file: ORDERS_CORE_FILE, line, column },
        hint: 'did you mean `stg_orders`?',
      },
    ]);
  });

  it('accepts a relationship to a seed', () => {
    const text = edited(ordersCoreText(), '{to: stg_orders,', '{to: raw_orders,');
    expect(errors(checkContracts([loaded(text)], project))).toEqual([]);
  });

  it('reports two contracts for one model, pointing at the second and naming the first', () => {
    const other = marked('name: orders_again\nmodel: «dim_orders\n');
    const diagnostics = errors(checkContracts([loaded(ordersCoreText()), loaded(other.text, 'contracts/again.yml')], project));
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({
      code: 'contract.duplicate',
      message: 'model `dim_orders` has two contracts: `orders_core` and `orders_again`',
      location: { file: 'contracts/again.yml', line: other.line, column: other.column },
      detail: 'first contract: contracts/orders_core.yml:5:8',
    });
  });

  it('an SLO on a column the contract does not declare is an error (it could only fail at run time)', () => {
    const text = edited(ordersCoreText(), 'drift_psi: "<=0.1 for total_usd"', 'drift_psi: "<=0.1 for totl_usd"');
    const problem = checkContracts([loaded(text)], project).find((d) => d.message.includes('totl_usd'));
    expect(problem).toMatchObject({ severity: 'error', hint: 'did you mean `total_usd`?', location: { line: lineOf('  drift_psi: "<=0.1 for total_usd"') } });
  });

  it('refuses a contract that governs no model', () => {
    const diagnostics = checkContracts([loaded('name: lonely\nowners: [me]\n', 'contracts/lonely.yml')], project);
    expect(diagnostics).toMatchObject([{ severity: 'error', code: 'contract.unbound', message: 'contract `lonely` governs no model, so none of its checks would run' }]);
  });
});

describe('columnMismatchDiagnostic', () => {
  it('turns mismatches into one located error with the table as detail', () => {
    const contract = loaded(ordersCoreText());
    const governed = contract.models[0];
    if (!governed) throw new Error('no model');
    const actual = governed.columns
      .filter((c) => c.name !== 'region')
      .map((c) => ({ name: c.name, type: c.name === 'total_usd' ? 'DOUBLE' : (c.data_type ?? 'VARCHAR') }));
    const d = columnMismatchDiagnostic(contract, governed, compareColumns(governed.columns, actual, 'duckdb'));
    expect(d).toMatchObject({
      severity: 'error',
      message: 'model `dim_orders` does not match its contract `orders_core`: 2 columns differ',
      location: { file: ORDERS_CORE_FILE, line: lineOf('  - name: total_usd'), column: 5 },
    });
    expect(d?.detail?.split('\n')[1]).toMatch(/^total_usd\s+NUMBER\(18,2\)\s+DOUBLE\s+type differs$/);
    expect(columnMismatchDiagnostic(contract, governed, [])).toBeUndefined();
  });
});

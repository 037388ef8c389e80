import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { loadContracts, parseContract } from '../../src/load/load-contracts.js';
import { writeFiles } from '../helpers/project.js';
import { edited, marked, ORDERS_CORE_FILE, ordersCoreText } from './helpers.js';

/** Loads the fixture with one edit; the edit's « marks where the one expected error must point. */
function errorAt(from: string, to: string): { diagnostic: Diagnostic; line: number; column: number } {
  const { text, line, column } = marked(edited(ordersCoreText(), from, to));
  const { contract, diagnostics } = parseContract(ORDERS_CORE_FILE, text);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  expect(errors, JSON.stringify(errors, null, 2)).toHaveLength(1);
  expect(contract === undefined || errors[0]?.code !== 'yaml.syntax').toBe(true);
  return { diagnostic: errors[0] as Diagnostic, line, column };
}

function expectAt(d: Diagnostic, line: number, column: number): void {
  expect(d.location).toEqual({ file: ORDERS_CORE_FILE, line, column });
}

describe('located validation errors with suggestions', () => {
  it('points at a misspelt column key and suggests the known one', () => {
    const { diagnostic, line, column } = errorAt('    masking_policy: MASK_EMAIL\n  - name: status', '    «masking_polcy: MASK_EMAIL\n  - name: status');
    expectAt(diagnostic, line, column);
    expect(diagnostic.message).toBe('/columns/2: unknown key `masking_polcy`');
    expect(diagnostic.hint).toBe('did you mean `masking_policy`?');
  });

  it('points at a misspelt product-level key', () => {
    const { diagnostic, line, column } = errorAt('security_controls:', '«securty_controls:');
    expectAt(diagnostic, line, column);
    expect(diagnostic.hint).toBe('did you mean `security_controls`?');
  });

  it('suggests the test kind for a misspelt one', () => {
    const { diagnostic, line, column } = errorAt('- accepted_values: {values: [EMEA', '- «acepted_values: {values: [EMEA');
    expectAt(diagnostic, line, column);
    expect(diagnostic.message).toContain('/columns/5/tests/0: unknown key `acepted_values`');
    expect(diagnostic.hint).toBe('did you mean `accepted_values`?');
  });

  it('says what type was expected and what was found', () => {
    const { diagnostic, line, column } = errorAt('monthly_cap_usd: 1200', 'monthly_cap_usd: «lots');
    expectAt(diagnostic, line, column);
    expect(diagnostic.message).toBe('/cost/monthly_cap_usd: must be number, found "lots"');
  });

  it('lists the allowed values of a closed vocabulary and suggests the closest', () => {
    const { diagnostic, line, column } = errorAt('classification: phi', 'classification: «phy');
    expectAt(diagnostic, line, column);
    expect(diagnostic.message).toBe('/columns/2/classification: expected one of public, internal, confidential, pii, phi, found "phy"');
    expect(diagnostic.hint).toContain('`phi`');
  });

  it('explains a pattern in words instead of printing the regex', () => {
    const version = errorAt('version: 1.2.0', 'version: «v1.2');
    expectAt(version.diagnostic, version.line, version.column);
    expect(version.diagnostic.message).toBe('/version: expected a semantic version like 1.2.0, found "v1.2"');
    const retention = errorAt('platinum: 5y', 'platinum: «5 years');
    expectAt(retention.diagnostic, retention.line, retention.column);
    expect(retention.diagnostic.message).toContain('/retention_policy/platinum: expected a duration like 10m, 36h, 7d or 5y');
    const threshold = errorAt('error_if: ">=10"', 'error_if: «"more than 10"');
    expect(threshold.diagnostic.message).toContain('expected a failing-row threshold like ">0"');
  });

  it('points at an SLO string that does not parse and says what it should look like', () => {
    const { diagnostic, line, column } = errorAt('completeness: "null_rate', 'completeness: «"nul_rate');
    expectAt(diagnostic, line, column);
    expect(diagnostic.message).toBe(
      '/quality_slo/completeness: expected a null-rate bound like "null_rate(total_usd) <= 0.1%", found "nul_rate(total_usd) <= 0.1%"',
    );
    const drift = errorAt('drift_psi: "<=0.1 for total_usd"', 'drift_psi: «">=0.1 for total_usd"');
    expect(drift.diagnostic.message).toContain('expected an upper bound on PSI ("<=" or "<"), not ">="');
    expectAt(drift.diagnostic, drift.line, drift.column);
    // A mapping where a string would also do: only the mapping's own error is reported, not "must be string".
    const age = errorAt('max_age: 36h', 'max_age: «36 hours');
    expectAt(age.diagnostic, age.line, age.column);
    expect(age.diagnostic.message).toContain('/columns/6/quality_slo/freshness/max_age: expected a duration');
    const neither = errorAt('completeness: "null_rate(total_usd) <= 0.1%"', 'completeness: «12');
    expect(neither.diagnostic.message).toBe('/quality_slo/completeness: must be string or object or array, found 12');
    expectAt(neither.diagnostic, neither.line, neither.column);
  });

  it('catches a misspelt Snowflake type before anything is built', () => {
    const { diagnostic, line, column } = errorAt('data_type: TIMESTAMP_NTZ', 'data_type: «TIMESTAMP_NZT');
    expectAt(diagnostic, line, column);
    expect(diagnostic.message).toBe('/columns/6/data_type: expected a Snowflake data type, found `TIMESTAMP_NZT`');
    expect(diagnostic.hint).toContain('`TIMESTAMP_NTZ`');
  });

  it('wants exactly one test kind per list item', () => {
    const { diagnostic, line, column } = errorAt('  - row_count: {min: 1}', '  - «row_count: {min: 1}\n    expression: {sql: "1 = 1"}');
    expectAt(diagnostic, line, column);
    expect(diagnostic.message).toBe('/tests/0: expected exactly one key per list item (e.g. `- not_null: {}`), found several keys');
  });

  it('reports bounds that cannot hold', () => {
    const { diagnostic, line, column } = errorAt('range: {min: 0}', 'range: {min: «5, max: 1}');
    expectAt(diagnostic, line, column);
    expect(diagnostic.message).toContain('expected `min` no larger than `max` (1), found 5');
  });

  it('refuses `model` and `models` together, and columns with no model to describe', () => {
    const both = errorAt('model: dim_orders', 'model: dim_orders\n«models: [{name: other}]');
    expectAt(both.diagnostic, both.line, both.column);
    expect(both.diagnostic.message).toContain('use either `model`');
    const withoutModel = edited(edited(ordersCoreText(), 'model: dim_orders\n', ''), '  tables: [BROOK_COMMERCE.PLATINUM.ORDERS]\n', '');
    const { text, line, column } = marked(edited(withoutModel, '\ncolumns:', '\n«columns:'));
    const orphan = parseContract(ORDERS_CORE_FILE, text).diagnostics;
    expect(orphan.map((d) => d.message)).toEqual([
      "/: top-level `columns` describe the contract's `model`, but it names none",
      "/: top-level `tests` describe the contract's `model`, but it names none",
    ]);
    expectAt(orphan[0] as Diagnostic, line, column);
    expect(orphan[0]?.hint).toBe('add `model: <model name>`');
  });

  it('reports invalid YAML at its position', () => {
    const { diagnostic, line, column } = errorAt('owners: [data-commerce@brookhealth.com]', 'owners: [data-commerce@brookhealth.com«');
    expect(diagnostic.code).toBe('yaml.syntax');
    expect(diagnostic.location?.line).toBeGreaterThanOrEqual(line);
    expect(column).toBeGreaterThan(0);
  });

  it('reports a YAML alias bomb instead of throwing', () => {
    const levels = ['a0: &a0 [x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++) levels.push(`a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(', ')}]`);
    const { contract, diagnostics } = parseContract('contracts/bomb.yml', levels.join('\n'));
    expect(contract).toBeUndefined();
    expect(diagnostics[0]).toMatchObject({ code: 'yaml.syntax', location: { file: 'contracts/bomb.yml', line: 1, column: 1 } });
  });
});

describe('loadContracts', () => {
  it('reads every .yml and .yaml under the folder and reports all errors of all files in one run', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'charter-contracts-'));
    writeFiles(dir, {
      'contracts/orders_core.yml': ordersCoreText(),
      'contracts/finance/ledger.yaml': 'name: ledger\nmodel: ledger\ncolumns:\n  - name: amount\n    data_typ: NUMBER\n',
      'contracts/broken.yml': 'name: broken\nowners: [a\n',
      'contracts/typos.yml': 'nme: typos\nmodel: x\nversion: one\n',
      'contracts/notes.txt': 'not a contract',
    });
    const { contracts, diagnostics } = await loadContracts(dir, 'contracts');
    expect(contracts.map((c) => c.file)).toEqual(['contracts/orders_core.yml']);
    expect(diagnostics.map((d) => `${d.location?.file}:${d.location?.line}:${d.location?.column} ${d.message}`)).toEqual([
      'contracts/broken.yml:3:1 invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
      'contracts/finance/ledger.yaml:5:5 /columns/0: unknown key `data_typ`',
      'contracts/typos.yml:1:1 /: missing required key `name`',
      'contracts/typos.yml:1:1 /: unknown key `nme`',
      'contracts/typos.yml:3:10 /version: expected a semantic version like 1.2.0, found "one"',
    ]);
    expect(diagnostics.find((d) => d.message.includes('data_typ'))?.hint).toBe('did you mean `data_type`?');
    expect(diagnostics.find((d) => d.message.includes('nme'))?.hint).toBe('did you mean `name`?');
  });

  it('finds nothing, and no error, when the project has no contracts folder', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'charter-contracts-'));
    expect(await loadContracts(dir, 'contracts')).toEqual({ contracts: [], diagnostics: [] });
  });
});

// The break rules shared by the plan and charter diff, and a manifest older than them read as a base. Pure.
import { describe, expect, it } from 'vitest';
import { changeStateFromManifest } from '../../src/artifacts/manifest-change-state.js';
import { compareStates } from '../../src/plan/breaking-changes.js';
import type { ChangeState } from '../../src/plan/change-state.js';
import { contractBreakList, contractBreaks, typeChange } from '../../src/plan/contract-breaks.js';

describe('a change of column type', () => {
  it.each([
    ['VARCHAR(100)', 'VARCHAR(50)', 'narrowed'],
    ['VARCHAR', 'VARCHAR(50)', 'narrowed'],
    ['VARCHAR(50)', 'TEXT', 'widened'],
    ['NUMBER(38,2)', 'NUMBER(18,2)', 'narrowed'],
    ['NUMBER(18,2)', 'NUMBER(38,4)', 'widened'],
    ['NUMBER(18,0)', 'NUMBER(18,2)', 'retyped'],
    ['NUMBER(18,2)', 'VARCHAR', 'retyped'],
    ['DECIMAL(18,2)', 'NUMBER(18,2)', 'same'],
  ])('%s -> %s is %s', (from, to, expected) => {
    expect(typeChange(from, to)).toBe(expected);
  });

  it('breaks the plan on any change of type, and a diff only on a narrowing or another family', () => {
    const old = { name: 'c', columns: [{ name: 'amount', dataType: 'NUMBER(18,2)' }] };
    const wider = { name: 'c', columns: [{ name: 'amount', dataType: 'NUMBER(38,2)' }] };
    expect(contractBreaks({ ...old, version: null }, { ...wider, version: null })).toEqual(['column amount retyped NUMBER(18,2) -> NUMBER(38,2)']);
    expect(contractBreakList(old, wider, { types: 'narrowing' })).toEqual([]);
  });
});

describe('a relaxed guarantee', () => {
  it('is a dropped not_null or unique, and a dropped or widened accepted_values or range', () => {
    const old = { name: 'c', columns: [{ name: 'x', notNull: true as const, unique: true as const, acceptedValues: ['a', 'b'], range: { min: 0, max: 10 } }] };
    const next = { name: 'c', columns: [{ name: 'x', acceptedValues: ['a', 'b', 'c'], range: { min: 0, max: 100 } }] };
    expect(contractBreakList(old, next, { types: 'narrowing' }).map((b) => b.detail)).toEqual([
      'column x not_null dropped', 'column x unique dropped', 'column x accepted_values widened: adds c', 'column x range widened [0, 10] -> [0, 100]',
    ]);
    expect(contractBreakList(old, { name: 'c', columns: [{ name: 'x', acceptedValues: ['a'] }] }, { types: 'narrowing' }).map((b) => b.detail))
      .toEqual(['column x not_null dropped', 'column x unique dropped', 'column x range dropped']);
  });
});

describe('a manifest as a base', () => {
  it('reads one written before contracts carried their columns as partial, and anything else as no manifest', () => {
    const old = { metadata: { charter_version: '0.0.9' }, nodes: { 'model.p.a': { kind: 'model', name: 'a', depends_on: [], data_sha256: 'd', metadata_sha256: 'm', path: 'models/a.sql' } }, contracts: { 'model.p.a': { name: 'c', version: '1.0.0', file: 'contracts/c.yml', columns: 2 } } };
    const read = changeStateFromManifest(old);
    expect(read).toMatchObject({ partial: true, charterVersion: '0.0.9', state: { nodes: { 'model.p.a': { dataHash: 'd', location: { file: 'models/a.sql' } } }, contracts: { 'model.p.a': { name: 'c', columns: [] } } } });
    expect(changeStateFromManifest({ nodes: [] })).toBeUndefined();
  });
});

describe('a removed model', () => {
  const node = (name: string, dependsOn: string[] = []) => ({ name, kind: 'model' as const, dataHash: name, metadataHash: name, dependsOn, location: { file: `models/${name}.sql`, line: 1, column: 1 } });
  const contract = { name: 'y_contract', version: '1.0.0', owners: ['o@example.com'], file: 'contracts/y.yml', columns: [], interfaces: ['PLATINUM.Y', 'PLATINUM.X_V'], approvedChanges: [] };

  it('breaks when a contract\'s interfaces publish it, and passes when nothing relied on it', () => {
    const base: ChangeState = { nodes: { 'model.p.y': node('y'), 'model.p.x_v': node('x_v'), 'model.p.z': node('z') }, contracts: { 'model.p.y': contract }, semanticViews: {} };
    const current: ChangeState = { nodes: { 'model.p.y': node('y') }, contracts: { 'model.p.y': contract }, semanticViews: {} };
    const { breaking, modified } = compareStates(base, current, '2026-01-01');
    expect(breaking).toEqual([
      {
        kind: 'model_removed', model: 'x_v', contract: 'y_contract', owners: ['o@example.com'], detail: "model x_v removed (published in y_contract's interfaces)",
        location: { file: 'models/x_v.sql', line: 1, column: 1 }, id: 'model_removed:x_v',
      },
    ]);
    expect(modified).toEqual([]);
  });
});

// The controls as pure functions of the facts: what makes change management and integrity pass, which the fixture
// builds (no git commit, no key) never show.
import { describe, expect, it } from 'vitest';
import { evaluateControls } from '../../src/artifacts/evidence-controls.js';
import type { EvidenceFacts } from '../../src/artifacts/evidence-facts.js';

const FACTS: EvidenceFacts = {
  run: {
    id: '00000000-0000-4000-8000-000000000001', command: 'build', startedAt: '2026-11-29T10:00:00Z', endedAt: '2026-11-29T10:01:00Z',
    passed: true, aborted: null, charterVersion: '0.1.0', project: 'p', target: { name: 'prod', engine: 'snowflake', user: 'DEPLOY', role: 'TRANSFORMER' },
    osUser: 'ci', host: 'runner', git: { commit: 'a'.repeat(40), branch: 'main', dirty: false },
    ci: { system: 'GitHub Actions', runUrl: 'https://github.com/o/r/actions/runs/1', actor: 'ana', changeRequest: 'https://github.com/o/r/pull/7' },
  },
  models: [],
  tests: [{ id: 't1', name: 'not_null_orders_id', model: 'model.p.orders', kind: 'not_null', column: 'id', severity: 'error', status: 'pass', failures: 0, role: null }],
  slos: [],
  governance: { relations: [], coverage: { unavailable: 'not measured here' }, enforcedBy: 'warehouse' },
  changes: { against: '00000000-0000-4000-8000-000000000000', contracts: [] },
  statements: { count: 3, failed: 0, tagged: 3 },
  signedBy: 'f'.repeat(64),
};

const control = (facts: EvidenceFacts, id: string) => evaluateControls(facts).find((c) => c.id === id)!;

describe('change management (CC8.1)', () => {
  it('passes for a clean commit with a recorded pull request and no breaking change', () => {
    expect(control(FACTS, 'CC8.1')).toMatchObject({ status: 'pass', findings: [] });
  });

  it('has no evidence without a pull request, and fails on a dirty tree or a breaking contract change', () => {
    expect(control({ ...FACTS, run: { ...FACTS.run, ci: null } }, 'CC8.1').status).toBe('no-evidence');
    expect(control({ ...FACTS, run: { ...FACTS.run, git: { ...FACTS.run.git!, dirty: true } } }, 'CC8.1').status).toBe('fail');
    const breaking = { ...FACTS, changes: { ...FACTS.changes, contracts: [{ model: 'orders', change: 'changed' as const, contract: 'c', from: '1.0.0', to: '1.1.0', breaks: ['column id removed'] }] } };
    expect(control(breaking, 'CC8.1').findings).toEqual(['breaking contract change on orders: column id removed']);
  });
});

describe('integrity (164.312(c)(1))', () => {
  it('passes when the attestation is signed, and has no evidence when it is not', () => {
    expect(control(FACTS, '164.312(c)(1)')).toMatchObject({ status: 'pass', findings: [] });
    expect(control({ ...FACTS, signedBy: null }, '164.312(c)(1)').status).toBe('no-evidence');
  });
});

describe('logical access (CC6.1)', () => {
  it('fails on every difference between the contracts and what the warehouse has in force', () => {
    const relation = { model: 'model.p.orders', relation: 'P.S.ORDERS', masking: { email: 'MASK_PII' }, rowAccess: null, grants: ['ANALYST'], classification: { email: 'pii' }, exempt: [] };
    const coverage = { classified: { count: 1, of: 1, percent: 100 }, masked: { count: 1, of: 1, percent: 100, exempt: 0 }, rowAccess: { count: 0, of: 0, percent: null }, lineageUnknown: 0, findings: [] };
    const facts: EvidenceFacts = { ...FACTS, governance: { ...FACTS.governance, relations: [relation], coverage }, inForce: { source: 'warehouse', objects: 1, differences: ['P.S.ORDERS.EMAIL: masking MASK_PII expected, none found'] } };
    expect(control(facts, 'CC6.1')).toMatchObject({ status: 'fail', findings: ['in force differs from the contracts: P.S.ORDERS.EMAIL: masking MASK_PII expected, none found'] });
    expect(control({ ...facts, inForce: { ...facts.inForce!, differences: [] } }, 'CC6.1').status).toBe('pass');
  });
});

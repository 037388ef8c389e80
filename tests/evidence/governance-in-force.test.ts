// governance/in-force.json on the local target (what charter enforces itself, said as such), the comparison of what is
// in force with the contracts (pure), and the evidence chain head kept in the target's OPS.charter_evidence_head,
// which `charter evidence verify --against-warehouse` compares with HEAD.json.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EvidenceHead } from '../../src/artifacts/evidence-chain.js';
import { mirroredHeadProblem } from '../../src/artifacts/evidence-head-mirror.js';
import { warehouseHead, warehouseHeadDiagnostics } from '../../src/pipeline/evidence-head-mirror.js';
import { governanceDifferences, type InForceObject, type InForceReport } from '../../src/plan/governance-in-force.js';
import { charter, fixtureCopy } from '../helpers/project.js';

const json = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;

describe('what is in force against the contracts (pure)', () => {
  const desired: InForceObject = {
    relation: 'DB.SILVER.CUSTOMERS', node: 'model.p.customers',
    masking: { EMAIL: 'DB.GOV.MASK_PII' }, projection: { SSN: 'DB.GOV.NO_SSN' },
    row_access: { policy: 'DB.GOV.BY_REGION', on: ['REGION'] },
    tags: { EMAIL: { 'DB.GOV.PII': 'pii' } }, grants: ['ANALYST'],
  };
  const managed = new Set(['DB.GOV.PII']);

  it('finds nothing when the warehouse has what the contract says, whatever it has of tags it does not manage', () => {
    const live = { ...desired, tags: { EMAIL: { 'DB.GOV.PII': 'pii', 'SNOWFLAKE.CORE.SEMANTIC_CATEGORY': 'EMAIL' } } };
    expect(governanceDifferences(desired, live, managed)).toEqual([]);
  });

  it('names each policy, tag and grant missing, different or extra, by relation and column', () => {
    const live: InForceObject = {
      ...desired, masking: { PHONE: 'DB.GOV.MASK_PII' }, projection: {}, row_access: { policy: 'DB.GOV.BY_REGION', on: ['COUNTRY'] },
      tags: { EMAIL: {}, PHONE: { 'DB.GOV.PII': 'phi' } }, grants: [],
    };
    const at = { object: 'DB.SILVER.CUSTOMERS', node: 'model.p.customers' };
    expect(governanceDifferences(desired, live, managed)).toEqual([
      { ...at, column: 'EMAIL', what: 'masking', expected: 'DB.GOV.MASK_PII', found: null },
      { ...at, column: 'PHONE', what: 'masking', expected: null, found: 'DB.GOV.MASK_PII' },
      { ...at, column: 'SSN', what: 'projection', expected: 'DB.GOV.NO_SSN', found: null },
      { ...at, column: null, what: 'row_access', expected: 'DB.GOV.BY_REGION ON (REGION)', found: 'DB.GOV.BY_REGION ON (COUNTRY)' },
      { ...at, column: 'EMAIL', what: 'tag', expected: 'DB.GOV.PII=pii', found: null },
      { ...at, column: 'PHONE', what: 'tag', expected: null, found: 'DB.GOV.PII=phi' },
      { ...at, column: null, what: 'grant', expected: 'ANALYST', found: null },
    ]);
  });

  it('reads an unreadable relation as having nothing in force', () => {
    expect(governanceDifferences(desired, undefined, managed).map((d) => d.what)).toEqual(['masking', 'projection', 'row_access', 'tag', 'grant']);
  });
});

describe('the chain head against the warehouse\'s (pure)', () => {
  const head: EvidenceHead = { format: 'charter-evidence-head', version: 1, runId: 'b', digest: 'd2', chain: ['a', 'b'] };
  it('agrees, or says how it does not', () => {
    expect(mirroredHeadProblem(head, { runId: 'b', digest: 'd2', chainLength: 2, recordedAt: 't' })).toBeUndefined();
    expect(mirroredHeadProblem(undefined, undefined)).toBeUndefined();
    expect(mirroredHeadProblem(head, { runId: 'b', digest: 'dX', chainLength: 2, recordedAt: 't' })).toBe('run b: HEAD.json records digest d2, the warehouse dX');
    expect(mirroredHeadProblem(head, { runId: 'a', digest: 'd1', chainLength: 1, recordedAt: 't' })).toMatch(/^HEAD.json names run b, the warehouse's newest evidence head is run a .*an earlier run of the chain/);
    expect(mirroredHeadProblem(head, undefined)).toBe('HEAD.json names run b, but the warehouse has no evidence head recorded');
  });
});

describe('on the local DuckDB target', () => {
  let project: string;
  let runId: string;
  beforeAll(async () => {
    project = fixtureCopy('tiny');
    const built = await charter(['build', '-q', '--log-format', 'json'], project);
    expect(built.code).toBe(0);
    runId = json<EvidenceHead>(path.join(project, 'target/evidence/HEAD.json')).runId;
  }, 60_000);

  it('says charter enforces the policies itself, and lists those of the view it found under the public name', () => {
    const report = json<InForceReport>(path.join(project, 'target/evidence', runId, 'governance/in-force.json'));
    expect(report).toMatchObject({ engine: 'duckdb', source: 'charter', differences: [] });
    expect(report.note).toMatch(/^DuckDB has no policies of its own/);
    expect(report.objects).toEqual([expect.objectContaining({ node: 'model.tiny.orders', masking: { CUSTOMER_ID: expect.stringMatching(/\.GOVERNANCE\.MASK_PII$/) }, tags: {}, grants: [] })]);
    // The bundle's hashes cover it.
    expect(Object.keys(json<{ files: Record<string, string> }>(path.join(project, 'target/evidence', runId, 'hashes.json')).files)).toContain('governance/in-force.json');
  });

  it('keeps the chain head in OPS.charter_evidence_head; verify --against-warehouse agrees, and fails on a HEAD.json that differs', async () => {
    const headFile = path.join(project, 'target/evidence/HEAD.json');
    const head = json<EvidenceHead>(headFile);
    expect((await warehouseHead({ projectDir: project })).head).toMatchObject({ runId, digest: head.digest, chainLength: 1 });
    expect(await warehouseHeadDiagnostics({ projectDir: project }, head)).toEqual([]);
    const agreed = await charter(['evidence', 'verify', '--against-warehouse'], project);
    expect(agreed.code).toBe(0);

    const original = readFileSync(headFile, 'utf8');
    try {
      writeFileSync(headFile, JSON.stringify({ ...head, digest: '0'.repeat(64) }));
      const [problem] = await warehouseHeadDiagnostics({ projectDir: project }, json<EvidenceHead>(headFile));
      expect(problem).toMatchObject({ code: 'evidence.head_mismatch', severity: 'error' });
      expect(problem?.message).toBe(`target dev: run ${runId}: HEAD.json records digest ${'0'.repeat(64)}, the warehouse ${head.digest}`);
      const refused = await charter(['evidence', 'verify', '--against-warehouse'], project);
      expect(refused.code).toBe(1);
      expect(refused.stdout + refused.stderr).toContain('evidence.head_mismatch');
    } finally {
      writeFileSync(headFile, original);
    }
  });
});

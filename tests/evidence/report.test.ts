// What a bundle tells an auditor: controls.json (each SOC 2 / HIPAA control with pass, fail or no evidence, and
// why), the governance files, and report.md (report.html in headless Chromium: report-in-browser.test.ts).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ControlResult } from '../../src/artifacts/evidence-controls.js';
import type { EvidenceHead } from '../../src/artifacts/evidence-chain.js';
import { ciOf } from '../../src/pipeline/evidence-facts.js';
import { redactCommandLine } from '../../src/artifacts/redact-command-line.js';
import { fixtureCopy } from '../helpers/project.js';
import { buildWithContracts } from '../helpers/warehouse.js';

const json = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;

interface Bundle {
  readonly dir: string;
  readonly controls: Record<string, ControlResult>;
  readonly summary: Record<string, number>;
  readonly report: string;
}

function newestBundle(project: string): Bundle {
  const root = path.join(project, 'target', 'evidence');
  const dir = path.join(root, json<EvidenceHead>(path.join(root, 'HEAD.json')).runId);
  const doc = json<{ summary: Record<string, number>; controls: ControlResult[] }>(path.join(dir, 'controls.json'));
  return { dir, controls: Object.fromEntries(doc.controls.map((c) => [c.id, c])), summary: doc.summary, report: readFileSync(path.join(dir, 'report.md'), 'utf8') };
}

// tiny's orders: customer_id is pii and masked; its PLATINUM models leave columns unclassified (a coverage gap).
let project: string;
let first: Bundle;
let second: Bundle;

beforeAll(async () => {
  project = fixtureCopy('tiny');
  // The gate warns instead of stopping, so the build runs and its coverage gaps are measured.
  const config = path.join(project, 'project.yml');
  writeFileSync(config, readFileSync(config, 'utf8').replace('governance: {coverage_gate: off}', 'governance: {coverage_gate: warn}'));
  // One check, so monitoring has something to show.
  const contract = path.join(project, 'contracts', 'orders.yml');
  writeFileSync(contract, readFileSync(contract, 'utf8').replace('data_type: NUMBER(18,0)', 'data_type: NUMBER(18,0)\n    constraints: {not_null: true}'));
  expect((await buildWithContracts(project)).passed).toBe(true);
  first = newestBundle(project);
  // The same column becomes phi and loses its masking: a breaking contract change, and ePHI left in clear.
  writeFileSync(contract, readFileSync(contract, 'utf8').replace('classification: pii\n    masking_policy: GOVERNANCE.MASK_PII', 'classification: phi').replace('version: 1.0.0', 'version: 1.1.0'));
  await buildWithContracts(project);
  second = newestBundle(project);
}, 60_000);

describe('controls.json', () => {
  it('lists every control the issue names, each with a status, a summary and the files that evidence it', () => {
    expect(Object.keys(first.controls)).toEqual(['CC6.1', 'CC6.3', 'CC7.2', 'CC8.1', '164.312(b)', '164.312(a)(1)', '164.514(b), 164.502(b)', '164.312(c)(1)']);
    for (const c of Object.values(first.controls)) {
      expect(['pass', 'fail', 'no-evidence', 'not-applicable'], c.id).toContain(c.status);
      expect(c.summary.length, c.id).toBeGreaterThan(10);
      for (const e of c.evidence) expect(existsSync(path.join(first.dir, e.file)), `${c.id}: ${e.file}`).toBe(true);
    }
  });

  it('says when coverage was not measured, and fails logical access for it', async () => {
    const dir = fixtureCopy('tiny');
    await buildWithContracts(dir);
    const bundle = newestBundle(dir);
    expect(bundle.controls['CC6.1']).toMatchObject({ status: 'fail', findings: ['coverage not measured: the project turns the coverage gate off (governance.coverage_gate: off)'] });
  });

  it('says what is missing instead of passing by default', () => {
    // A fixture copy is no git commit: change management fails, and says why.
    expect(first.controls['CC8.1']).toMatchObject({ status: 'fail' });
    expect(first.controls['CC8.1']!.findings.join('\n')).toContain('not a git commit');
    // No role test and no grant in tiny: least privilege has no evidence here, and no phi: HIPAA access control is n/a.
    expect(first.controls['CC6.3']!.status).toBe('no-evidence');
    expect(first.controls['164.312(a)(1)']!.status).toBe('not-applicable');
    // tiny's coverage gaps (PLATINUM columns unclassified) fail logical access, each named.
    expect(first.controls['CC6.1']!.status).toBe('fail');
    expect(first.controls['CC6.1']!.findings.some((f) => f.includes('customer_totals'))).toBe(true);
  });

  it('passes what the run proves: the statement log, the checks, the masking of pii', () => {
    expect(first.controls['164.312(b)']).toMatchObject({ status: 'pass' });
    expect(first.controls['164.312(b)']!.summary).toMatch(/^\d+ statements recorded/);
    expect(first.controls['CC7.2']!.status).toBe('pass');
    const relations = json<Array<{ model: string; masking: Record<string, string> }>>(path.join(first.dir, 'governance/relations.json'));
    expect(relations.find((r) => r.model === 'model.tiny.orders')?.masking).toEqual({ customer_id: 'MASK_PII' });
  });

  it('fails de-identification when a phi column is left unmasked, and reports the breaking change against the previous run', () => {
    expect(second.controls['164.514(b), 164.502(b)']).toMatchObject({ status: 'fail' });
    expect(second.controls['164.514(b), 164.502(b)']!.findings.join('\n')).toMatch(/orders\.customer_id \(phi\) is not masked/);
    expect(second.controls['CC8.1']!.findings.join('\n')).toContain('breaking contract change on orders: column customer_id masking policy GOVERNANCE.MASK_PII removed');
    expect(second.report).toContain('| orders | tiny_orders | changed | 1.0.0 -> 1.1.0 |');
    expect(first.report).toContain('No contract changed since the start of the chain');
  });
});

describe('report.md', () => {
  it('opens with the verdict and who ran what, from where', () => {
    const lines = first.report.split('\n');
    expect(lines[0]).toMatch(/^# Evidence: charter build on dev, run [0-9a-f-]{36}$/);
    expect(lines[2]).toMatch(/^\*\*The run passed\. Controls: \d+ pass, \d+ fail, \d+ without evidence in this run, \d+ not applicable\.\*\*$/);
    expect(first.report).toContain('| source | not a git work tree |');
    expect(first.report).toContain('- `hashes.json`');
  });
});

describe('a run that stops before its end', () => {
  it('still leaves a bundle, marked aborted with the reason, that verifies', async () => {
    // tiny's coverage gaps stop a build whose gate is on: nothing is built, and that is on record.
    const dir = fixtureCopy('tiny');
    const config = path.join(dir, 'project.yml');
    writeFileSync(config, readFileSync(config, 'utf8').replace('governance: {coverage_gate: off}', 'governance: {coverage_gate: error}'));
    await expect(buildWithContracts(dir)).rejects.toThrow(/customer_totals/);
    const bundle = newestBundle(dir);
    const run = json<Record<string, unknown>>(path.join(bundle.dir, 'run.json'));
    expect(run).toMatchObject({ status: 'aborted', passed: false, aborted_because: expect.stringContaining('customer_totals') });
    expect(bundle.report.split('\n')[2]).toMatch(/^\*\*The run was ABORTED \(.*customer_totals/);
    const { verifyEvidence } = await import('../../src/pipeline/evidence.js');
    expect((await verifyEvidence({ projectDir: dir })).problems).toEqual([]);
  });
});

describe('the CI environment', () => {
  it('names the pull request a GitHub Actions run is for, and GitLab merge requests', () => {
    expect(ciOf({ GITHUB_ACTIONS: 'true', GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'acme/dw', GITHUB_RUN_ID: '42', GITHUB_REF: 'refs/pull/7/merge', GITHUB_ACTOR: 'ana' })).toEqual({
      system: 'GitHub Actions', runUrl: 'https://github.com/acme/dw/actions/runs/42', actor: 'ana', changeRequest: 'https://github.com/acme/dw/pull/7',
    });
    expect(ciOf({ GITLAB_CI: 'true', CI_PROJECT_URL: 'https://gitlab.example/dw', CI_MERGE_REQUEST_IID: '3' })?.changeRequest).toBe('https://gitlab.example/dw/-/merge_requests/3');
    expect(ciOf({})).toBeNull();
  });
});

describe('the command line in run.json', () => {
  it('masks secret-named --vars and any secret environment value typed on it, and keeps the rest', () => {
    const env = { SNOWFLAKE_PASSWORD: 'hunter2-long', HOME: '/root', DEBUG_KEY: '1' };
    expect(redactCommandLine(['charter', 'build', '--vars', '{as_of_date: 2024-12-31, db_password: x, nested: {api_key: y}}', '-s', 'hunter2-long'], env)).toEqual([
      'charter', 'build', '--vars', '{ as_of_date: 2024-12-31, db_password: "***", nested: { api_key: "***" } }', '-s', '***',
    ]);
    expect(redactCommandLine(['charter', 'run', '--vars={token: abc}'], {})).toEqual(['charter', 'run', '--vars={ token: "***" }']);
    expect(redactCommandLine(['charter', 'run', '--vars', '{unclosed'], {})).toEqual(['charter', 'run', '--vars', '***']);
  });
});

// `charter ci --base HEAD~1` on a scratch git repository of the tiny fixture: a contract column removed fails the
// gate, named in JUnit, SARIF and the summary; approved with a major version bump, the gate passes and builds
// state:modified+ on a fresh DuckDB.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { charter, fixtureCopy } from '../helpers/project.js';
import { validateSarif } from './sarif-schema.js';
import { approveWithMajorBump, commitAll, editFile, initRepo } from '../helpers/scratch-git.js';
import { ciOutputs as outputs, readOutput as read } from './ci-outputs.js';

const CHANNEL_MODEL = `select order_id, customer_id, amount_usd, 'web' as channel
from {{ ref('orders_landed') }}
where amount_usd >= {{ var('min_amount') }}
`;
const CHANNEL_COLUMN = '  - name: channel\n    data_type: VARCHAR\n';


describe('charter ci on a scratch git repository (tiny)', () => {
  let project: string;

  beforeAll(() => {
    // The base: orders with a channel column its contract promises.
    project = fixtureCopy('tiny', { 'models/silver/orders.sql': CHANNEL_MODEL });
    editFile(project, 'contracts/orders.yml', (t) => `${t.trimEnd()}\n${CHANNEL_COLUMN}`);
    // The fixture's PLATINUM models have no contracts: a lint warning here, not the error it is by default.
    editFile(project, 'project.yml', (t) => `${t.trimEnd()}\nlint: {rules: {platinum_contract: warn}}\n`);
    initRepo(project);
    // The pull request: the column is gone, from the model and from the contract.
    editFile(project, 'models/silver/orders.sql', (t) => t.replace(", 'web' as channel", ''));
    editFile(project, 'contracts/orders.yml', (t) => t.replace(CHANNEL_COLUMN, ''));
    commitAll(project, 'drop channel');
  });

  it('fails on the removed column, named in JUnit, SARIF and the summary', async () => {
    const out = outputs();
    const r = await charter(['ci', '--base', 'HEAD~1', ...out.args], project);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stderr + r.stdout).toContain('charter ci: FAILED');

    const junit = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(read(out.dir, 'junit.xml'));
    const breaking = [junit.testsuites.testsuite].flat().find((s: any) => s.name === 'charter ci: breaking changes');
    const failed = [breaking.testcase].flat().find((c: any) => c.failure);
    expect(failed.name).toContain('contract tiny_orders');
    expect(failed.failure.message).toMatch(/channel/);

    const sarif = JSON.parse(read(out.dir, 'charter.sarif'));
    expect(validateSarif(sarif)).toEqual([]);
    const result = sarif.runs[0].results.find((x: any) => x.ruleId === 'contract.breaking_change');
    expect(result.level).toBe('error');
    expect(result.message.text).toMatch(/tiny_orders.*data@example\.com.*channel/s);
    expect(result.locations[0].physicalLocation.artifactLocation.uri).toMatch(/^contracts\/orders\.yml$|^models\//);

    const summary = read(out.dir, 'summary.md');
    expect(summary.split('\n')[0]).toMatch(/^## ❌ charter ci failed against `HEAD~1`: breaking changes/);
    expect(summary).toMatch(/\| orders \| tiny_orders \| [^|]*channel[^|]* \| data@example\.com \|/);
  });

  it('prints GitHub annotations and appends the summary to the job\'s when run in GitHub Actions', async () => {
    const out = outputs();
    const jobSummary = path.join(out.dir, 'step-summary.md');
    writeFileSync(jobSummary, '# earlier step\n');
    const saved = { actions: process.env['GITHUB_ACTIONS'], summary: process.env['GITHUB_STEP_SUMMARY'] };
    process.env['GITHUB_ACTIONS'] = 'true';
    process.env['GITHUB_STEP_SUMMARY'] = jobSummary;
    try {
      const r = await charter(['ci', '--base', 'HEAD~1', '--quiet'], project);
      expect(r.stdout).toMatch(/^::error file=contracts\/orders\.yml,line=\d+,col=\d+,title=charter contract\.breaking_change::breaking change to orders \(contract tiny_orders; owners: data@example\.com\)/m);
      expect(r.stdout).toMatch(/^::warning file=models\/platinum\/big_orders\.sql,line=1,col=1,title=charter lint\.platinum_contract::/m);
      const appended = readFileSync(jobSummary, 'utf8');
      expect(appended.startsWith('# earlier step\n## ❌ charter ci failed against `HEAD~1`')).toBe(true);
    } finally {
      for (const [key, value] of [['GITHUB_ACTIONS', saved.actions], ['GITHUB_STEP_SUMMARY', saved.summary]] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });

  it('passes once the contract approves the change with a major version bump, and builds modified+ fresh', async () => {
    editFile(project, 'contracts/orders.yml', (t) =>
      approveWithMajorBump(t, { change: 'column_removed:orders.channel', approver: 'ana', ticket: 'DATA-7', date: '2026-11-29' }));
    commitAll(project, 'approve');
    // HEAD~1 is now the unapproved removal: compare with the base before it.
    const out = outputs();
    const r = await charter(['ci', '--base', 'HEAD~2', ...out.args], project);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const summary = read(out.dir, 'summary.md');
    expect(summary.split('\n')[0]).toBe('## ✅ charter ci passed against `HEAD~2`');
    expect(summary).toContain('| orders | tiny_orders |');
    expect(summary).toContain('| ana | DATA-7 | 2026-11-29 |');
    expect(summary).toMatch(/\*\*Evidence bundle:\*\* `target\/evidence\//);
    // The build ran on charter ci's own database, not the developer's.
    expect(existsSync(path.join(project, 'target/ci/tiny.duckdb'))).toBe(true);
    expect(existsSync(path.join(project, 'target/tiny.duckdb'))).toBe(false);
    const sarif = JSON.parse(read(out.dir, 'charter.sarif'));
    expect(validateSarif(sarif)).toEqual([]);
    expect(sarif.runs[0].results.filter((x: any) => x.level === 'error')).toEqual([]);
    expect(sarif.runs[0].results.find((x: any) => x.ruleId === 'contract.breaking_change').level).toBe('note');
    // The approval is carried into the build's evidence bundle, which still verifies.
    const bundle = /\*\*Evidence bundle:\*\* `([^`]+)`/.exec(summary)![1]!;
    const gate = JSON.parse(readFileSync(path.join(project, bundle, 'ci', 'gate.json'), 'utf8'));
    expect(gate.approved_changes[0]).toMatchObject({ model: 'orders', contract: 'tiny_orders', approval: { approver: 'ana', ticket: 'DATA-7' } });
    expect(gate.steps.map((x: any) => x.step)).toEqual(['compile', 'lint', 'contracts', 'governance', 'breaking']);
    const verified = await charter(['evidence', 'verify'], project);
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
  });
});

describe('charter ci on a project that does not compile', () => {
  it('fails the compile step at the error, and skips what needs a compiled project', async () => {
    // No git repository at all: nothing past the compile needs one.
    const project = fixtureCopy('tiny', { 'models/platinum/big_orders.sql': "select order_id from {{ ref('orderz') }}\n" });
    const out = outputs();
    const r = await charter(['ci', '--base', 'main', ...out.args], project);
    expect(r.code).toBe(1);
    const sarif = JSON.parse(read(out.dir, 'charter.sarif'));
    expect(validateSarif(sarif)).toEqual([]);
    const unknown = sarif.runs[0].results.find((x: any) => x.ruleId === 'ref.unknown');
    expect(unknown.locations[0].physicalLocation.artifactLocation.uri).toBe('models/platinum/big_orders.sql');
    const summary = read(out.dir, 'summary.md');
    expect(summary).toContain('| compile | ❌ fail |');
    expect(summary).toContain('| breaking changes | ⏭️ skipped | needs a project that compiles |');
    expect(summary).toContain('| build and test (state:modified+) | ⏭️ skipped | needs a compiled project |');
  });
});

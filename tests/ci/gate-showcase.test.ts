// Issue 15's "done when", on a scratch git repository holding the showcase: removing a PLATINUM column makes
// `charter ci --base HEAD~1` fail with the breaking change named in JUnit, SARIF and the Markdown summary; approving
// it in the contract with a major version bump makes it pass (and builds state:modified+ on a fresh DuckDB).
// End-to-end tier (vitest.config.ts END_TO_END): the build of the modified mart and its parents takes a while.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { charter, repoRoot } from '../helpers/project.js';
import { validateSarif } from './sarif-schema.js';
import { approveWithMajorBump, commitAll, editFile, initRepo } from '../helpers/scratch-git.js';
import { ciOutputs as outputs, readOutput as read } from './ci-outputs.js';

const PROJECT_FILES = ['project.yml', 'models', 'contracts', 'macros', 'seeds', 'policies', 'semantic_views', 'tests/warehouse'];
const COLUMN = 'is_within_framework_typical_duration';
const CONTRACT = 'contracts/platinum/fct_framework_adoptions.yml';


describe('charter ci on a scratch git repository of the showcase', () => {
  let project: string;

  beforeAll(() => {
    project = mkdtempSync(path.join(tmpdir(), 'charter-ci-showcase-'));
    for (const entry of PROJECT_FILES) {
      cpSync(path.join(repoRoot, entry), path.join(project, entry), {
        recursive: true,
        filter: (src) => path.relative(repoRoot, src) !== path.join('seeds', 'generator'),
      });
    }
    initRepo(project);
    // The pull request: a PLATINUM column gone from the mart, its contract and its unit test's expected rows.
    editFile(project, 'models/platinum/fct_framework_adoptions.sql', (t) => t.replace(/\n\s*iff\(\n(?:(?![^\n]*iff\()[^\n]*\n)*?\s*\) as is_within_framework_typical_duration,/, ''));
    editFile(project, CONTRACT, (t) =>
      t
        .replace(/  - name: is_within_framework_typical_duration\n(?: {4}[^\n]*\n)+/, '')
        // ... and from the contract's tests that read it.
        .replace(/\n\s*and \(completion_date is null\) = \(is_within_framework_typical_duration is null\)/, '')
        .replace(/  - expression:\n      name: within_framework_typical_duration\n(?: {6}[^\n]*\n)+/, ''));
    editFile(project, 'tests/warehouse/unit/fct_framework_adoptions.yml', (t) => t.replace(/, is_within_framework_typical_duration: (?:true|false|null)/g, ''));
    commitAll(project, `drop ${COLUMN}`);
  });

  afterAll(() => rmSync(project, { recursive: true, force: true }));

  it('fails, naming the removed column, its contract and owners in JUnit, SARIF and the summary', async () => {
    const out = outputs();
    const r = await charter(['ci', '--base', 'HEAD~1', ...out.args], project);
    expect(r.code, r.stdout + r.stderr).toBe(1);

    const junit = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(read(out.dir, 'junit.xml'));
    const suite = [junit.testsuites.testsuite].flat().find((s: any) => s.name === 'charter ci: breaking changes');
    const failed = [suite.testcase].flat().filter((c: any) => c.failure);
    expect(failed.map((c: any) => c.failure.message).join('\n')).toContain(COLUMN);
    expect(failed[0].name).toContain('contract framework_adoptions');

    const sarif = JSON.parse(read(out.dir, 'charter.sarif'));
    expect(validateSarif(sarif)).toEqual([]);
    const result = sarif.runs[0].results.find((x: any) => x.ruleId === 'contract.breaking_change' && x.message.text.includes(COLUMN));
    expect(result.level).toBe('error');
    expect(result.message.text).toContain('compliance-analytics@phantomsec.example');

    const summary = read(out.dir, 'summary.md');
    expect(summary.split('\n')[0]).toContain('❌ charter ci failed against `HEAD~1`');
    expect(summary).toMatch(new RegExp(`\\| fct_framework_adoptions \\| framework_adoptions \\| [^|]*${COLUMN}[^|]* \\| compliance-analytics@phantomsec\\.example \\|`));
  });

  it('passes once the contract approves the removal with a major version bump', async () => {
    editFile(project, CONTRACT, (t) =>
      approveWithMajorBump(t, { change: `column_removed:fct_framework_adoptions.${COLUMN}`, approver: 'cdo@phantomsec.example', ticket: 'GOV-42', date: '2026-11-29' }));
    commitAll(project, 'approve');
    const out = outputs();
    const r = await charter(['ci', '--base', 'HEAD~2', ...out.args], project);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const summary = read(out.dir, 'summary.md');
    expect(summary.split('\n')[0]).toBe('## ✅ charter ci passed against `HEAD~2`');
    expect(summary).toContain('| cdo@phantomsec.example | GOV-42 | 2026-11-29 |');
    expect(summary).toMatch(/\| build and test \(state:modified\+\) \| ✅ pass \|/);
    expect(summary).toMatch(/\*\*Evidence bundle:\*\* `target\/evidence\//);
    const sarif = JSON.parse(read(out.dir, 'charter.sarif'));
    expect(validateSarif(sarif)).toEqual([]);
    expect(sarif.runs[0].results.filter((x: any) => x.level === 'error')).toEqual([]);
  });
});

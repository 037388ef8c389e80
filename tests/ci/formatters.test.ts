// charter ci's pure outputs from one report: SARIF 2.1.0, GitHub workflow annotations, the Markdown summary, JUnit.
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { breakingDiagnostic, type CiReport } from '../../src/artifacts/ci-report.js';
import { renderCiJunit } from '../../src/artifacts/ci-junit.js';
import { renderCiSummary } from '../../src/artifacts/ci-summary.js';
import { annotation, escapeData, escapeProperty, githubAnnotations } from '../../src/artifacts/github-annotations.js';
import { renderSarif } from '../../src/artifacts/sarif.js';
import { validateSarif } from './sarif-schema.js';

const removed = {
  kind: 'column_removed',
  model: 'dim_customer',
  contract: 'customer_360',
  owners: ['data-platform@phantomsec.example', 'risk-analytics'],
  detail: 'column lifetime_value removed or renamed',
  location: { file: 'contracts/customer_360.yml', line: 14, column: 7 },
};

const report: CiReport = {
  project: 'phantom_sec',
  base: 'origin/main',
  passed: false,
  pathPrefix: 'warehouse/',
  seconds: 12.5,
  breaking: [removed],
  cleared: [
    {
      ...removed,
      model: 'fact_orders',
      contract: 'orders',
      detail: 'column discount retyped NUMBER(10,2) -> NUMBER(8,2)',
      approval: { change: 'column discount retyped', approver: 'ana', ticket: 'DATA-12', date: '2026-11-01' },
    },
  ],
  steps: [
    { name: 'compile', status: 'pass', summary: '12 models compiled for dev', diagnostics: [] },
    {
      name: 'lint',
      status: 'fail',
      summary: '1 errors, 1 other findings',
      diagnostics: [
        { code: 'lint.select_star', severity: 'error', message: 'SELECT * in PLATINUM model dim_customer', location: { file: 'models/platinum/dim_customer.sql', line: 3, column: 8 }, hint: 'list the columns' },
        { code: 'lint.unused_macro', severity: 'warning', message: 'macro cents_to_dollars, is: unused\r\nat 100%' },
      ],
    },
    { name: 'contracts', status: 'pass', summary: '3 contracts bound, 40 data tests', diagnostics: [] },
    { name: 'governance', status: 'skipped', summary: 'governance.coverage_gate is off in project.yml', diagnostics: [] },
    { name: 'breaking', status: 'fail', summary: '1 breaking, 1 approved, 2 nodes modified against git HEAD~1', diagnostics: [breakingDiagnostic(removed)] },
    { name: 'build', status: 'pass', summary: '2 modified or downstream, 4 built', diagnostics: [] },
  ],
  build: {
    database: 'target/ci/phantom_sec.duckdb',
    modifiedPlus: ['model.phantom_sec.dim_customer'],
    built: ['seed.phantom_sec.raw', 'model.phantom_sec.dim_customer'],
    nodes: { success: 2, error: 0, skipped: 0 },
    tests: [
      { uniqueId: 'test.phantom_sec.not_null_dim_customer_id', name: 'not_null_dim_customer_id', modelId: 'model.phantom_sec.dim_customer', kind: 'not_null', severity: 'error', status: 'pass', seconds: 0.01, location: { file: 'contracts/customer_360.yml', line: 9, column: 5 } },
    ],
    slos: [],
    evidence: 'target/evidence/2026-11-29T16-00-00Z-abc',
  },
};

describe('SARIF', () => {
  const sarif = renderSarif(report, '0.1.0') as any;

  it('is a SARIF 2.1.0 log of one run whose rules are the diagnostic codes found', () => {
    expect(validateSarif(sarif)).toEqual([]);
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs).toHaveLength(1);
    expect(sarif.runs[0].tool.driver.name).toBe('charter');
    expect(sarif.runs[0].tool.driver.rules.map((r: any) => r.id)).toEqual(['contract.breaking_change', 'lint.select_star', 'lint.unused_macro']);
  });

  it('places each result at its file, relative to the repository, with its level', () => {
    const results = sarif.runs[0].results;
    const star = results.find((r: any) => r.ruleId === 'lint.select_star');
    expect(star.level).toBe('error');
    expect(star.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'warehouse/models/platinum/dim_customer.sql', uriBaseId: '%SRCROOT%' },
      region: { startLine: 3, startColumn: 8 },
    });
    for (const r of results) expect(sarif.runs[0].tool.driver.rules[r.ruleIndex].id).toBe(r.ruleId);
    // A finding without a place is shown at project.yml, which code scanning requires.
    expect(results.find((r: any) => r.ruleId === 'lint.unused_macro').locations[0].physicalLocation.artifactLocation.uri).toBe('warehouse/project.yml');
  });

  it('names the breaking change\'s contract and owners, and keeps an approved one as a note', () => {
    const breaking = sarif.runs[0].results.filter((r: any) => r.ruleId === 'contract.breaking_change');
    expect(breaking.map((r: any) => r.level)).toEqual(['error', 'note']);
    expect(breaking[0].message.text).toContain('contract customer_360; owners: data-platform@phantomsec.example, risk-analytics');
    expect(breaking[0].message.text).toContain('lifetime_value');
    expect(breaking[1].message.text).toContain('approved by ana, ticket DATA-12');
  });

  it('is checked against the schema for real: a wrong level, a line 0 or a missing message is refused', () => {
    const broken = structuredClone(sarif);
    broken.runs[0].results[0].level = 'fatal';
    broken.runs[0].results[1].locations[0].physicalLocation.region.startLine = 0;
    delete broken.runs[0].results[2].message;
    const problems = validateSarif(broken);
    expect(problems.some((p) => p.startsWith('/runs/0/results/0/level'))).toBe(true);
    expect(problems.some((p) => p.startsWith('/runs/0/results/1/locations/0/physicalLocation/region/startLine'))).toBe(true);
    expect(problems.some((p) => p.includes("must have required property 'message'"))).toBe(true);
  });

  it('is valid with nothing found', () => {
    const clean = renderSarif({ ...report, passed: true, breaking: [], cleared: [], steps: report.steps.map((s) => ({ ...s, diagnostics: [] })) }, '0.1.0') as any;
    expect(validateSarif(clean)).toEqual([]);
    expect(clean.runs[0].results).toEqual([]);
    expect(clean.runs[0].tool.driver.rules).toEqual([]);
  });
});

describe('GitHub annotations', () => {
  it('escapes %, CR and LF in a message, and : and , too in a property', () => {
    expect(escapeData('100% done\r\nnext')).toBe('100%25 done%0D%0Anext');
    expect(escapeProperty('a:b,c%\n')).toBe('a%3Ab%2Cc%25%0A');
  });

  it('points an error at file, line and column from the repository root', () => {
    const line = annotation(report.steps[1]!.diagnostics[0]!, 'warehouse/');
    expect(line).toBe('::error file=warehouse/models/platinum/dim_customer.sql,line=3,col=8,title=charter lint.select_star::SELECT * in PLATINUM model dim_customer%0Ahint: list the columns');
  });

  it('prints a warning without a place as a warning with a title only, escaped', () => {
    const line = annotation(report.steps[1]!.diagnostics[1]!, '');
    expect(line).toBe('::warning title=charter lint.unused_macro::macro cents_to_dollars, is: unused%0D%0Aat 100%25');
  });

  it('prints one line per finding, the breaking change among them', () => {
    const lines = githubAnnotations(report).trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toMatch(/^::error file=warehouse\/contracts\/customer_360\.yml,line=14,col=7,title=charter contract\.breaking_change::breaking change to dim_customer \(contract customer_360; owners/);
  });
});

describe('Markdown summary', () => {
  const md = renderCiSummary(report);

  it('starts with the verdict and the failed steps', () => {
    expect(md.split('\n')[0]).toBe('## ❌ charter ci failed against `origin/main`: lint, breaking changes');
  });

  it('has a row per step, the breaking changes with contract and owners, the counts and the evidence', () => {
    expect(md).toContain('| lint | ❌ fail | 1 errors, 1 other findings |');
    expect(md).toContain('| governance coverage | ⏭️ skipped |');
    expect(md).toContain('| dim_customer | customer_360 | column lifetime_value removed or renamed | data-platform@phantomsec.example, risk-analytics |');
    expect(md).toContain('| fact_orders | orders | column discount retyped NUMBER(10,2) -> NUMBER(8,2) | ana | DATA-12 | 2026-11-01 |');
    expect(md).toContain('**Lint:** 1 error, 1 other finding.');
    expect(md).toContain('**Tests:** 1 passed, 0 failed');
    expect(md).toContain('**Evidence bundle:** `warehouse/target/evidence/2026-11-29T16-00-00Z-abc`');
  });

  it('says passed when it passed', () => {
    expect(renderCiSummary({ ...report, passed: true }).split('\n')[0]).toBe('## ✅ charter ci passed against `origin/main`');
  });

  it('keeps a pipe in a cell from ending it', () => {
    const piped = renderCiSummary({ ...report, breaking: [{ ...removed, detail: 'a | b\nc' }] });
    expect(piped).toContain('| a \\| b<br>c |');
  });
});

describe('JUnit', () => {
  const xml = renderCiJunit(report);
  const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml);
  const suites: any[] = [parsed.testsuites.testsuite].flat();
  const cases = (name: string): any[] => [suites.find((s) => s.name === name)?.testcase ?? []].flat();

  it('fails a case per breaking change, naming the contract and the file', () => {
    const [broken] = cases('charter ci: breaking changes');
    expect(broken.name).toContain('contract.breaking_change warehouse/contracts/customer_360.yml:14');
    expect(broken.name).toContain('contract customer_360');
    expect(broken.failure.message).toContain('lifetime_value');
  });

  it('fails a case per lint error at its file, and passes the steps that passed', () => {
    expect(cases('charter ci: lint')[0].file).toBe('warehouse/models/platinum/dim_customer.sql');
    expect(cases('charter ci: lint')[0].failure).toBeDefined();
    expect(cases('charter ci: compile')[0].failure).toBeUndefined();
    expect(cases('charter ci: governance coverage')[0].skipped).toBeDefined();
  });

  it('carries the build\'s tests under their models', () => {
    expect(cases('model.phantom_sec.dim_customer')[0].name).toBe('not_null_dim_customer_id');
    expect(Number(parsed.testsuites.failures)).toBe(2);
  });
});

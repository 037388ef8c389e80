// `charter ci --junit`: the gate as JUnit XML. Each step is a test suite of its own (`charter ci: lint`, ...): a step
// with no error is one passing case, a step with errors has a failing case per finding (a breaking change named by
// its contract, a lint error by its file); the build's data tests and SLOs follow, one suite per model. Pure.
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { TestResult } from '../execute/run-data-test.js';
import { CI_STEP_TITLES, PROJECT_FILE_LOCATION, type CiReport, type CiStep } from './ci-report.js';
import { renderJunit, sloAsTest } from './junit.js';

const suiteOf = (step: CiStep): string => `charter ci: ${CI_STEP_TITLES[step.name]}`;

function findingCase(step: CiStep, d: Diagnostic, index: number, pathPrefix: string): TestResult {
  const at = d.location ?? PROJECT_FILE_LOCATION;
  const where = `${pathPrefix}${at.file}:${at.line}`;
  const status = d.severity === 'error' ? 'fail' : 'warn';
  return {
    uniqueId: `ci.${step.name}.${index}`,
    name: `${d.code} ${where}: ${d.message.split('\n')[0]}`,
    modelId: suiteOf(step),
    kind: 'singular',
    severity: d.severity === 'error' ? 'error' : 'warn',
    status,
    seconds: 0,
    location: { ...at, file: `${pathPrefix}${at.file}` },
    error: { ...d, detail: [d.hint ? `hint: ${d.hint}` : '', d.detail ?? ''].filter(Boolean).join('\n') || undefined },
  };
}

function stepCases(step: CiStep, pathPrefix: string): TestResult[] {
  // The build's failed tests and SLOs are cases of their own below, under their models.
  const shown = step.diagnostics.filter((d) => d.severity !== 'info' && !(step.name === 'build' && d.code === 'test.failed'));
  const cases = shown.map((d, i) => findingCase(step, d, i, pathPrefix));
  // A step that did not fail still needs a case of its own, so every step of the gate shows in the report.
  if (step.status !== 'fail') {
    cases.unshift({
      uniqueId: `ci.${step.name}`,
      name: `${CI_STEP_TITLES[step.name]}: ${step.summary}`,
      modelId: suiteOf(step),
      kind: 'singular',
      severity: 'error',
      status: step.status === 'skipped' ? 'skipped' : 'pass',
      seconds: 0,
      location: { ...PROJECT_FILE_LOCATION, file: `${pathPrefix}${PROJECT_FILE_LOCATION.file}` },
      ...(step.status === 'skipped' ? { skippedBecause: step.summary } : {}),
    });
  }
  return cases;
}

export function renderCiJunit(report: CiReport): string {
  const gate = report.steps.flatMap((s) => stepCases(s, report.pathPrefix));
  const built = report.build ? [...report.build.tests, ...report.build.slos.map(sloAsTest)] : [];
  return renderJunit([...gate, ...built], `charter ci ${report.project} against ${report.base}`);
}

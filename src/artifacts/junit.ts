// JUnit XML for CI systems: one testsuite per model, one testcase per contract test.
import type { SloResult } from '../execute/measure-slos.js';
import type { TestResult } from '../execute/run-data-test.js';
import { parseNodeId } from '../project/node-id.js';

const escape = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD]/g, '');

export function renderJunit(results: readonly TestResult[], suiteName = 'charter'): string {
  const byModel = new Map<string, TestResult[]>();
  for (const r of results) byModel.set(r.modelId, [...(byModel.get(r.modelId) ?? []), r]);
  const count = (rs: readonly TestResult[], ...statuses: string[]): number => rs.filter((r) => statuses.includes(r.status)).length;
  const seconds = (rs: readonly TestResult[]): string => rs.reduce((t, r) => t + r.seconds, 0).toFixed(3);
  const suites = [...byModel].map(([model, rs]) => {
    const cases = rs.map((r) => {
      const open = `    <testcase classname="${escape(model)}" name="${escape(r.name)}" time="${r.seconds.toFixed(3)}" file="${escape(r.location.file)}" line="${r.location.line}">`;
      const message = escape(r.error?.message ?? '');
      const body =
        r.status === 'fail'
          ? `\n      <failure message="${message}" type="${r.kind}">${escape(r.error?.detail ?? '')}</failure>\n    `
          : r.status === 'error'
            ? `\n      <error message="${message}" type="${r.error?.code ?? 'error'}">${escape(r.error?.detail ?? '')}</error>\n    `
            : r.status === 'skipped'
              ? `\n      <skipped message="${escape(r.skippedBecause ?? 'skipped')}"/>\n    `
              : r.status === 'warn'
                ? `\n      <system-out>${message}</system-out>\n    `
                : '';
      return `${open}${body}</testcase>`;
    });
    return [
      `  <testsuite name="${escape(model)}" tests="${rs.length}" failures="${count(rs, 'fail')}" errors="${count(rs, 'error')}" skipped="${count(rs, 'skipped')}" time="${seconds(rs)}">`,
      ...cases,
      '  </testsuite>',
    ].join('\n');
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${escape(suiteName)}" tests="${results.length}" failures="${count(results, 'fail')}" errors="${count(results, 'error')}" skipped="${count(results, 'skipped')}" time="${seconds(results)}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}

/** An SLO measurement as a JUnit test case: failing when outside its threshold. */
export function sloAsTest(slo: SloResult): TestResult {
  const problem = slo.status === 'pass' ? undefined : `${slo.kind}${slo.column ? ` ${slo.column}` : ''}: measured ${slo.measured ?? 'n/a'} ${slo.unit}, threshold ${slo.threshold}`;
  return {
    uniqueId: slo.id,
    name: parseNodeId(slo.id).parts.slice(1).join('.'),
    modelId: slo.modelId,
    kind: 'singular',
    column: slo.column,
    severity: slo.status === 'warn' ? 'warn' : 'error',
    status: slo.status,
    seconds: 0,
    location: slo.location,
    error: problem ? { code: 'test.failed', severity: slo.status === 'warn' ? 'warning' : 'error', message: problem, location: slo.location, detail: slo.detail } : undefined,
  };
}

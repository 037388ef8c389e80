// `charter ci --summary`: the gate as Markdown for the pull request's comment (and $GITHUB_STEP_SUMMARY): the
// verdict first, then each step, the breaking changes with their contracts and owners, the counts, the evidence. Pure.
import { BREAKING_CODE, CI_STEP_TITLES, ciFindings, ownersList, type CiBuild, type CiReport, type CiStep } from './ci-report.js';

/** Text for a table cell: a pipe or a line break would end the cell or the row. */
const cell = (text: string): string => text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
const code = (text: string): string => `\`${text.replace(/`/g, "'")}\``;

const MARK: Readonly<Record<CiStep['status'], string>> = { pass: '✅ pass', fail: '❌ fail', skipped: '⏭️ skipped' };

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** At most this many findings are listed (code scanning and the annotations have them all). */
const LISTED = 30;

/** Where the build ran: the fresh DuckDB file, or the gate's Snowflake database and what became of it. */
function where(b: CiBuild): string {
  if (!b.snowflake) return `on a fresh DuckDB (${code(b.database)})`;
  const made = b.snowflake.cloneOf ? `a zero-copy clone of ${code(b.snowflake.cloneOf)}` : 'made empty';
  return `in Snowflake database ${code(b.database)} (${made}; ${b.snowflake.dropped ? 'dropped after the build' : 'kept: drop it when done'})`;
}

export function renderCiSummary(report: CiReport): string {
  const out: string[] = [];
  const failedSteps = report.steps.filter((s) => s.status === 'fail').map((s) => CI_STEP_TITLES[s.name]);
  out.push(
    report.passed
      ? `## ✅ charter ci passed against ${code(report.base)}`
      : `## ❌ charter ci failed against ${code(report.base)}: ${failedSteps.join(', ')}`,
    '',
    `Project ${code(report.project)}, ${report.seconds.toFixed(1)} s.`,
    '',
    '| step | result | details |',
    '| --- | --- | --- |',
    ...report.steps.map((s) => `| ${CI_STEP_TITLES[s.name]} | ${MARK[s.status]} | ${cell(s.summary)} |`),
    '',
  );
  if (report.breaking.length) {
    out.push(
      `### ❌ Breaking changes (${report.breaking.length})`,
      '',
      '| model | contract | change | owners |',
      '| --- | --- | --- | --- |',
      ...report.breaking.map((b) => `| ${cell(b.model)} | ${cell(b.contract ?? '(none)')} | ${cell(b.detail)} | ${cell(ownersList(b.owners))} |`),
      '',
      'Approve a breaking change in its contract (`approved_changes`: change, approver, ticket, date) with a major version bump, or revert it.',
      '',
    );
  }
  if (report.cleared.length) {
    out.push(
      `### Approved breaking changes (${report.cleared.length})`,
      '',
      '| model | contract | change | approver | ticket | date |',
      '| --- | --- | --- | --- | --- | --- |',
      ...report.cleared.map((c) => `| ${cell(c.model)} | ${cell(c.contract ?? '(none)')} | ${cell(c.detail)} | ${cell(c.approval.approver)} | ${cell(c.approval.ticket)} | ${cell(c.approval.date)} |`),
      '',
    );
  }
  const lint = report.steps.find((s) => s.name === 'lint');
  if (lint && lint.status !== 'skipped') {
    const errors = lint.diagnostics.filter((d) => d.severity === 'error').length;
    out.push(`**Lint:** ${plural(errors, 'error')}, ${plural(lint.diagnostics.length - errors, 'other finding')}.`, '');
  }
  if (report.build) {
    const b = report.build;
    const count = <T extends { status: string }>(items: readonly T[], ...statuses: string[]): number => items.filter((i) => statuses.includes(i.status)).length;
    out.push(
      `**Build** ${where(b)}: ${plural(b.modifiedPlus.length, 'node')} modified or downstream, ${plural(b.built.length, 'node')} built ` +
        `(${b.nodes.success} ok, ${b.nodes.error} failed, ${b.nodes.skipped} skipped).`,
      '',
      `**Tests:** ${count(b.tests, 'pass')} passed, ${count(b.tests, 'fail', 'error')} failed, ${count(b.tests, 'warn')} warned, ${count(b.tests, 'skipped')} skipped. ` +
        `**SLOs:** ${count(b.slos, 'pass')} met, ${count(b.slos, 'fail', 'error')} missed, ${count(b.slos, 'warn')} warned.`,
      '',
      b.evidence ? `**Evidence bundle:** ${code(`${report.pathPrefix}${b.evidence}`)}` : '**Evidence bundle:** none written',
      '',
    );
  }
  const findings = ciFindings(report).filter(({ diagnostic: d }) => d.severity !== 'info' && d.code !== BREAKING_CODE);
  if (findings.length) {
    const listed = findings.slice(0, LISTED).map(({ step, diagnostic: d }) => {
      const at = d.location ? ` ${code(`${report.pathPrefix}${d.location.file}:${d.location.line}`)}` : '';
      return `- ${d.severity === 'error' ? '❌' : '⚠️'} ${CI_STEP_TITLES[step]}:${at} ${code(d.code)} ${d.message.split('\n')[0]}`;
    });
    const more = findings.length > LISTED ? [`- … and ${findings.length - LISTED} more (see the SARIF report)`] : [];
    out.push(`<details><summary>${plural(findings.length, 'finding')}</summary>`, '', ...listed, ...more, '', '</details>', '');
  }
  return out.join('\n');
}

// report.md: the run's evidence as a page an auditor reads in a minute: the verdict, who ran what from which commit,
// each control's status and why, policy coverage, failing checks, contract changes. Pure.
import type { ControlResult } from './evidence-controls.js';
import type { EvidenceFacts } from './evidence-facts.js';
import { checkCounts, reportFacts, STATUS_WORD } from './evidence-report-model.js';

const cell = (text: string): string => text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
const code = (text: string): string => `\`${text.replace(/`/g, "'")}\``;

function table(head: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)];
}

export function renderReportMarkdown(facts: EvidenceFacts, controls: readonly ControlResult[], files: readonly string[]): string {
  const view = reportFacts(facts, controls);
  const lines: string[] = [];
  lines.push(`# Evidence: charter ${facts.run.command} on ${facts.run.target.name}, run ${facts.run.id}`, '');
  lines.push(`**${view.verdict}**`, '');
  lines.push(...table(['run', ''], view.summary.map(([k, v]) => [k, v])), '');

  lines.push('## Controls', '');
  lines.push(...table(['control', 'framework', 'status', 'what this run shows', 'evidence'], controls.map((c) => [`${c.id} ${c.title}`, c.framework, STATUS_WORD[c.status], c.summary, c.evidence.map((e) => code(e.file)).join(', ')])), '');
  for (const c of controls.filter((c) => c.findings.length)) {
    lines.push(`### ${c.id} ${c.title}: ${STATUS_WORD[c.status]}`, '', ...c.findings.map((f) => `- ${f}`), '');
  }

  lines.push('## Policy coverage', '');
  lines.push(view.coverageLine, '');
  if (facts.governance.relations.length) {
    lines.push(
      ...table(
        ['relation', 'masked columns', 'row access', 'SELECT granted to'],
        facts.governance.relations.map((r) => [
          r.relation.replace(/"/g, ''),
          Object.entries(r.masking).map(([c, p]) => `${c} (${p})`).join(', ') || 'none',
          r.rowAccess ? `${r.rowAccess.policy} on ${r.rowAccess.on.join(', ')}` : 'none',
          r.grants.join(', ') || 'no role',
        ]),
      ),
      '',
    );
  }

  lines.push('## Tests and SLOs', '');
  const counts = checkCounts(facts);
  lines.push(`${counts.tests.total} data tests (${counts.tests.pass} passed, ${counts.tests.fail} failed, ${counts.tests.warn} warned, ${counts.tests.skipped} skipped); ${counts.slos.total} SLOs (${counts.slos.pass} met, ${counts.slos.fail} missed, ${counts.slos.warn} warned).`, '');
  if (view.failingChecks.length) lines.push(...table(['check', 'model', 'outcome'], view.failingChecks.map((f) => [f.check, f.model, f.outcome])), '');
  lines.push(...table(['model', 'status', 'tests passed', 'tests not passed', 'SLOs met', 'SLOs missed'], view.perModel.map((m) => [m.name, m.status, `${m.testsPassed}`, `${m.testsNotPassed}`, `${m.slosMet}`, `${m.slosMissed}`])), '');

  lines.push('## What changed', '');
  if (!facts.changes.contracts.length) lines.push(`No contract changed since ${facts.changes.against ?? 'the start of the chain (this is the first run)'}.`, '');
  else {
    lines.push(`Against run ${facts.changes.against ?? '(none)'}:`, '');
    lines.push(...table(['model', 'contract', 'change', 'version', 'breaking'], facts.changes.contracts.map((c) => [c.model, c.contract, c.change, `${c.from ?? '-'} -> ${c.to ?? '-'}`, c.breaks.join('; ') || 'no'])), '');
  }

  lines.push('## Files', '', 'Every file below is listed with its SHA-256 in `hashes.json`; `charter evidence verify` re-hashes them and walks the chain.', '');
  lines.push(...files.map((f) => `- ${code(f)}`), '');
  return `${lines.join('\n').trimEnd()}\n`;
}

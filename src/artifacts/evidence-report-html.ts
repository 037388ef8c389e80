// report.html: the same page as report.md, self-contained (inline style and SVG, no script, nothing fetched), so it
// opens from a write-once archive years later. Every value is escaped. Pure.
import type { ControlResult } from './evidence-controls.js';
import type { EvidenceFacts } from './evidence-facts.js';
import { escapeHtml as esc } from './docs/docs-html.js';
import { lineageSvg } from './evidence-lineage-svg.js';
import { checkCounts, reportFacts, STATUS_WORD } from './evidence-report-model.js';

const STYLE = `
body{font:14px/1.45 system-ui,sans-serif;color:#1d1d1f;margin:2rem auto;max-width:1100px;padding:0 1rem}
h1{font-size:1.45rem;margin-bottom:.3rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ddd}
.verdict{font-size:1.1rem;padding:.6rem .9rem;border-radius:6px}.ok{background:#dff3e4}.bad{background:#f9d6d5}
table{border-collapse:collapse;width:100%;margin:.5rem 0}td,th{border:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f5f5f7}.facts th{width:12rem;font-weight:500}.status{font-weight:600;white-space:nowrap}.s-pass{color:#11703a}.s-fail{color:#b3261e}.s-no-evidence{color:#8a5a00}.s-not-applicable{color:#666}
code{font:12px ui-monospace,monospace}.lineage{overflow-x:auto;border:1px solid #eee;padding:.5rem}ul{margin:.3rem 0}
`;

/** Label and value rows, no header: the run's summary. */
const labelled = (rows: ReadonlyArray<readonly [string, string]>): string =>
  `<table class="facts"><tbody>${rows.map(([k, v]) => `<tr><th scope="row">${esc(k)}</th><td>${esc(v)}</td></tr>`).join('')}</tbody></table>`;

function table(head: readonly string[], rows: readonly (readonly string[])[], raw = false): string {
  const cells = (r: readonly string[], tag: string): string => r.map((c) => `<${tag}>${raw ? c : esc(c)}</${tag}>`).join('');
  return `<table><thead><tr>${cells(head, 'th')}</tr></thead><tbody>${rows.map((r) => `<tr>${cells(r, 'td')}</tr>`).join('')}</tbody></table>`;
}

function controlsTable(controls: readonly ControlResult[]): string {
  const rows = controls.map((c) => [
    `<b>${esc(c.id)}</b> ${esc(c.title)}<br><small>${esc(c.asks)}</small>`,
    esc(c.framework),
    `<span class="status s-${c.status}">${STATUS_WORD[c.status]}</span>`,
    esc(c.summary) + (c.findings.length ? `<ul>${c.findings.map((f) => `<li>${esc(f)}</li>`).join('')}</ul>` : ''),
    c.evidence.map((e) => `<code title="${esc(e.what)}">${esc(e.file)}</code>`).join('<br>'),
  ]);
  return table(['control', 'framework', 'status', 'what this run shows', 'evidence'], rows, true);
}

export function renderReportHtml(facts: EvidenceFacts, controls: readonly ControlResult[], files: readonly string[]): string {
  const view = reportFacts(facts, controls);
  const counts = checkCounts(facts);
  const failed = controls.some((c) => c.status === 'fail') || !facts.run.passed;
  const relations = facts.governance.relations.map((r) => [
    r.relation.replace(/"/g, ''),
    Object.entries(r.masking).map(([c, p]) => `${c} (${p})`).join(', ') || 'none',
    r.rowAccess ? `${r.rowAccess.policy} on ${r.rowAccess.on.join(', ')}` : 'none',
    r.grants.join(', ') || 'no role',
  ]);
  const changes = facts.changes.contracts.map((c) => [c.model, c.contract, c.change, `${c.from ?? '-'} -> ${c.to ?? '-'}`, c.breaks.join('; ') || 'no']);
  const body = [
    `<h1>Evidence: charter ${esc(facts.run.command)} on ${esc(facts.run.target.name)}</h1>`,
    `<p><small>run ${esc(facts.run.id)}</small></p>`,
    `<p class="verdict ${failed ? 'bad' : 'ok'}">${esc(view.verdict)}</p>`,
    labelled(view.summary),
    '<h2>Controls</h2>',
    controlsTable(controls),
    '<h2>Policy coverage</h2>',
    `<p>${esc(view.coverageLine)}</p>`,
    relations.length ? table(['relation', 'masked columns', 'row access', 'SELECT granted to'], relations) : '<p>No governed relation was built in this run.</p>',
    '<h2>Tests and SLOs</h2>',
    `<p>${counts.tests.total} data tests (${counts.tests.pass} passed, ${counts.tests.fail} failed, ${counts.tests.warn} warned, ${counts.tests.skipped} skipped); ` +
      `${counts.slos.total} SLOs (${counts.slos.pass} met, ${counts.slos.fail} missed, ${counts.slos.warn} warned).</p>`,
    view.failingChecks.length ? table(['check', 'model', 'outcome'], view.failingChecks.map((f) => [f.check, f.model, f.outcome])) : '<p>Every check passed.</p>',
    `<details><summary>per model</summary>${table(['model', 'status', 'tests passed', 'tests not passed', 'SLOs met', 'SLOs missed'], view.perModel.map((m) => [m.name, m.status, `${m.testsPassed}`, `${m.testsNotPassed}`, `${m.slosMet}`, `${m.slosMissed}`]))}</details>`,
    '<h2>What changed</h2>',
    changes.length
      ? `<p>Against run ${esc(facts.changes.against ?? '(none)')}:</p>${table(['model', 'contract', 'change', 'version', 'breaking'], changes)}`
      : `<p>No contract changed since ${esc(facts.changes.against ?? 'the start of the chain (this is the first run)')}.</p>`,
    '<h2>Lineage of the models this run touched</h2>',
    `<div class="lineage">${lineageSvg(facts.models) || '<p>No model ran.</p>'}</div>`,
    '<h2>Files</h2>',
    '<p>Every file is listed with its SHA-256 in <code>hashes.json</code>; <code>charter evidence verify</code> re-hashes them and walks the chain.</p>',
    `<ul>${files.map((f) => `<li><code>${esc(f)}</code></li>`).join('')}</ul>`,
  ];
  return (
    '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">' +
    // No network: the page may fetch nothing, run no script, and frame nothing.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">` +
    `<title>Evidence ${esc(facts.run.id)}</title><style>${STYLE}</style></head>\n<body>\n${body.join('\n')}\n</body></html>\n`
  );
}

// What report.md and report.html both show, computed once from the facts: the verdict, the summary rows, the failing
// checks and per-model counts. Pure.
import type { ControlResult, ControlStatus } from './evidence-controls.js';
import type { EvidenceFacts } from './evidence-facts.js';

export const STATUS_WORD: Readonly<Record<ControlStatus, string>> = {
  pass: 'PASS',
  fail: 'FAIL',
  'no-evidence': 'NO EVIDENCE',
  'not-applicable': 'N/A',
};

const NOT_PASSED = new Set(['fail', 'error']);

export interface CheckCounts {
  readonly tests: { total: number; pass: number; fail: number; warn: number; skipped: number };
  readonly slos: { total: number; pass: number; fail: number; warn: number };
}

export function checkCounts(facts: EvidenceFacts): CheckCounts {
  const of = (list: readonly { status: string }[], status: string | Set<string>): number =>
    list.filter((x) => (typeof status === 'string' ? x.status === status : status.has(x.status))).length;
  return {
    tests: { total: facts.tests.length, pass: of(facts.tests, 'pass'), fail: of(facts.tests, NOT_PASSED), warn: of(facts.tests, 'warn'), skipped: of(facts.tests, 'skipped') },
    slos: { total: facts.slos.length, pass: of(facts.slos, 'pass'), fail: of(facts.slos, NOT_PASSED), warn: of(facts.slos, 'warn') },
  };
}

export interface ReportView {
  readonly verdict: string;
  readonly summary: ReadonlyArray<readonly [string, string]>;
  readonly coverageLine: string;
  readonly failingChecks: ReadonlyArray<{ check: string; model: string; outcome: string }>;
  readonly perModel: ReadonlyArray<{ name: string; status: string; testsPassed: number; testsNotPassed: number; slosMet: number; slosMissed: number }>;
}

const shortName = (id: string): string => id.split('.').at(-1) ?? id;

export function reportFacts(facts: EvidenceFacts, controls: readonly ControlResult[]): ReportView {
  const { run } = facts;
  const count = (s: ControlStatus): number => controls.filter((c) => c.status === s).length;
  const verdict =
    `${run.aborted !== null ? `The run was ABORTED (${run.aborted})` : run.passed ? 'The run passed' : 'The run FAILED'}. Controls: ${count('pass')} pass, ${count('fail')} fail, ` +
    `${count('no-evidence')} without evidence in this run, ${count('not-applicable')} not applicable.`;
  const git = run.git
    ? `${run.git.commit ?? '(no commit)'}${run.git.branch ? ` on ${run.git.branch}` : ''}${run.git.dirty ? ', with uncommitted changes' : ', clean'}`
    : 'not a git work tree';
  const counts = checkCounts(facts);
  const summary: Array<readonly [string, string]> = [
    ['command', `charter ${run.command} (charter ${run.charterVersion})`],
    ['started, ended', `${run.startedAt}, ${run.endedAt}`],
    ['run by', `${run.osUser ?? 'unknown user'} on ${run.host}${run.ci ? `, in ${run.ci.system}${run.ci.actor ? ` for ${run.ci.actor}` : ''}` : ''}`],
    ['warehouse', `${run.target.name} (${run.target.engine})${run.target.user ? ` as ${run.target.user}` : ''}${run.target.role ? `, role ${run.target.role}` : ''}`],
    ['source', git],
    ['change request', run.ci?.changeRequest ?? 'none recorded'],
    ['models', `${facts.models.length} (${facts.models.filter((m) => m.status === 'success').length} built)`],
    ['checks', `${counts.tests.total} tests (${counts.tests.fail} failed), ${counts.slos.total} SLOs (${counts.slos.fail} missed)`],
    ['statements', `${facts.statements.count} sent, ${facts.statements.failed} failed`],
  ];
  const coverage = facts.governance.coverage;
  const share = (s: { count: number; of: number; percent: number | null }): string => `${s.count}/${s.of}${s.percent === null ? '' : ` (${s.percent}%)`}`;
  const coverageLine =
    'findings' in coverage
      ? `Classified contract columns ${share(coverage.classified)}; pii/phi columns masked ${share(coverage.masked)}, ${coverage.masked.exempt} exempt; ` +
        `row access on ${share(coverage.rowAccess)} tables holding them; ${coverage.lineageUnknown} PLATINUM columns of unknown lineage; ` +
        `${coverage.findings.length} gaps. Policies are ${facts.governance.enforcedBy === 'warehouse' ? 'enforced by the warehouse' : "enforced by charter's local policy views on this target"}.`
      : `Coverage was not measured: ${coverage.unavailable}.`;
  const failingChecks = [
    ...facts.tests.filter((t) => NOT_PASSED.has(t.status) || t.status === 'warn').map((t) => ({ check: `test ${t.name}`, model: shortName(t.model), outcome: `${t.status}: ${t.failures ?? '?'} rows` })),
    ...facts.slos.filter((s) => NOT_PASSED.has(s.status) || s.status === 'warn').map((s) => ({
      check: `SLO ${s.kind}${s.column ? ` of ${s.column}` : ''}`,
      model: shortName(s.model),
      outcome: `${s.status}: ${s.measured ?? 'n/a'} ${s.unit} against ${s.threshold}`,
    })),
  ];
  const perModel = facts.models.map((m) => {
    const tests = facts.tests.filter((t) => t.model === m.id);
    const slos = facts.slos.filter((s) => s.model === m.id);
    return {
      name: m.name,
      status: m.status,
      testsPassed: tests.filter((t) => t.status === 'pass').length,
      testsNotPassed: tests.filter((t) => t.status !== 'pass' && t.status !== 'skipped').length,
      slosMet: slos.filter((s) => s.status === 'pass').length,
      slosMissed: slos.filter((s) => s.status !== 'pass').length,
    };
  });
  return { verdict, summary, coverageLine, failingChecks, perModel };
}

// Which SOC 2 and HIPAA controls a run's evidence speaks to, and what it shows for each: pass, fail, or no evidence
// in this run (never a pass by default). Each control says which bundle files hold its evidence. Pure.
import type { EvidenceFacts, EvidenceShare } from './evidence-facts.js';

export type ControlStatus = 'pass' | 'fail' | 'no-evidence' | 'not-applicable';

export interface ControlEvidence {
  /** A file of the bundle. */
  readonly file: string;
  /** What in it, in words. */
  readonly what: string;
}

export interface ControlResult {
  readonly id: string;
  readonly framework: 'SOC 2' | 'HIPAA';
  readonly title: string;
  /** The control's gist, paraphrased. */
  readonly asks: string;
  readonly status: ControlStatus;
  /** One sentence an auditor reads first. */
  readonly summary: string;
  /** Each thing that made it fail, or is missing. */
  readonly findings: readonly string[];
  readonly evidence: readonly ControlEvidence[];
}

interface Control {
  readonly id: string;
  readonly framework: ControlResult['framework'];
  readonly title: string;
  readonly asks: string;
  readonly evaluate: (facts: EvidenceFacts) => Pick<ControlResult, 'status' | 'summary' | 'findings' | 'evidence'>;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
const pct = (s: EvidenceShare): string => (s.percent === null ? 'n/a' : `${s.percent}%`);
const failing = (status: string): boolean => status === 'fail' || status === 'error';
/** A model's name from its unique id (model.<project>.<name>). */
const modelName = (id: string): string => id.split('.').at(-1) ?? id;

const RUN = { file: 'run.json', what: 'who ran the command, where, when, from which commit' };
const RESULTS = { file: 'run_results.json', what: 'every node, test and SLO with its outcome' };
const STATEMENTS = { file: 'statements.jsonl', what: 'every statement sent to the warehouse, tagged with the run' };
const GOVERNANCE = { file: 'governance/relations.json', what: 'masking, row access and grants per governed relation' };
const COVERAGE = { file: 'governance/coverage.json', what: 'classification, masking and row access coverage, and the gaps found' };
const IN_FORCE = { file: 'governance/in-force.json', what: 'the governance the warehouse reported in force after the run' };

/** Findings of the governance read-back, or why there is none. */
function inForceFindings(facts: EvidenceFacts): { findings: string[]; read: boolean } {
  if (!facts.inForce) return { findings: [], read: false };
  return { findings: facts.inForce.differences.map((d) => `in force differs from the contracts: ${d}`), read: true };
}

const sensitiveColumns = (facts: EvidenceFacts, which: (c: string) => boolean) =>
  facts.governance.relations.flatMap((r) =>
    Object.entries(r.classification)
      .filter(([, c]) => which(c.toLowerCase().split('-')[0] ?? ''))
      .map(([column]) => ({ relation: r, column, masked: r.masking[column] !== undefined, exempt: r.exempt.includes(column) })),
  );

const CONTROLS: readonly Control[] = [
  {
    id: 'CC6.1',
    framework: 'SOC 2',
    title: 'Logical access security',
    asks: 'access to protected data is restricted by logical access controls',
    evaluate(facts) {
      const relations = facts.governance.relations;
      if (!relations.length) return { status: 'no-evidence', summary: 'no governed relation was built in this run', findings: [], evidence: [] };
      const coverage = facts.governance.coverage;
      const gaps = 'findings' in coverage ? [...coverage.findings] : [`coverage not measured: ${coverage.unavailable}`];
      const { findings, read } = inForceFindings(facts);
      const where =
        facts.governance.enforcedBy === 'warehouse'
          ? read && facts.inForce?.source === 'warehouse' ? 'read back from the warehouse after the run' : 'sent to the warehouse, not read back'
          : "enforced by charter's local policy views";
      const masked = relations.reduce((n, r) => n + Object.keys(r.masking).length, 0);
      const all = [...gaps, ...findings];
      return {
        status: all.length ? 'fail' : 'pass',
        summary: `${plural(relations.length, 'governed relation')}: ${plural(masked, 'masked column')}, row access on ${relations.filter((r) => r.rowAccess).length}, grants to ${new Set(relations.flatMap((r) => r.grants)).size} roles; ${where}`,
        findings: all,
        evidence: [GOVERNANCE, COVERAGE, ...(read ? [IN_FORCE] : [])],
      };
    },
  },
  {
    id: 'CC6.3',
    framework: 'SOC 2',
    title: 'Access by role, least privilege',
    asks: 'access is granted, changed and removed by role, to what each role needs',
    evaluate(facts) {
      const policyTests = facts.tests.filter((t) => t.kind === 'policy');
      const ran = policyTests.filter((t) => t.status !== 'skipped');
      const grants = facts.governance.relations.filter((r) => r.grants.length);
      if (!ran.length && !grants.length) return { status: 'no-evidence', summary: 'no grant and no role test in this run', findings: [], evidence: [] };
      const bad = ran.filter((t) => failing(t.status));
      const skipped = policyTests.length - ran.length;
      return {
        status: bad.length ? 'fail' : ran.length ? 'pass' : 'no-evidence',
        summary:
          `grants from the contracts on ${plural(grants.length, 'relation')}; ${plural(ran.length, 'role test')} read the data as a role ` +
          `(${ran.length - bad.length} as expected)${skipped ? `, ${skipped} skipped on this target` : ''}`,
        findings: bad.map((t) => `${t.name} (as ${t.role ?? '?'}): ${t.failures ?? '?'} rows not as the contract states`),
        evidence: [GOVERNANCE, { ...RESULTS, what: 'the policy tests: what each role saw, masked or in clear' }],
      };
    },
  },
  {
    id: 'CC7.2',
    framework: 'SOC 2',
    title: 'Monitoring for anomalies',
    asks: 'system components are monitored and anomalies are detected and analysed',
    evaluate(facts) {
      const checks = [...facts.tests.filter((t) => t.kind !== 'policy'), ...facts.slos];
      if (!checks.length) return { status: 'no-evidence', summary: 'no data test or SLO ran in this run', findings: [], evidence: [] };
      const bad = [
        ...facts.tests.filter((t) => t.kind !== 'policy' && failing(t.status) && t.severity === 'error').map((t) => `test ${t.name} on ${t.model}: ${t.failures ?? '?'} failing rows`),
        ...facts.slos.filter((s) => failing(s.status)).map((s) => `SLO ${s.kind}${s.column ? ` of ${s.column}` : ''} on ${s.model}: measured ${s.measured ?? 'n/a'} ${s.unit}, threshold ${s.threshold}`),
      ];
      const warned = facts.tests.filter((t) => t.status === 'warn').length + facts.slos.filter((s) => s.status === 'warn').length;
      return {
        status: bad.length ? 'fail' : 'pass',
        summary: `${plural(facts.tests.filter((t) => t.kind !== 'policy').length, 'data test')} and ${plural(facts.slos.length, 'SLO')} checked; ${plural(bad.length, 'failure')}, ${plural(warned, 'warning')}`,
        findings: bad,
        evidence: [RESULTS],
      };
    },
  },
  {
    id: 'CC8.1',
    framework: 'SOC 2',
    title: 'Change management',
    asks: 'changes are authorised, tested, approved and documented before they are implemented',
    evaluate(facts) {
      const { git, ci } = facts.run;
      const findings: string[] = [];
      if (!git?.commit) findings.push('the project is not a git commit: the change cannot be traced to a review');
      else if (git.dirty) findings.push(`the work tree had uncommitted changes: what ran is not commit ${git.commit.slice(0, 12)} as reviewed`);
      if (!ci?.changeRequest) findings.push('no change request (pull request) recorded: approval is not evidenced by this run');
      const breaking = facts.changes.contracts.filter((c) => c.breaks.length);
      for (const c of breaking) findings.push(`breaking contract change on ${c.model}: ${c.breaks.join('; ')}`);
      const changed = facts.changes.contracts.length;
      const hardFail = !git?.commit || git.dirty || breaking.length > 0;
      return {
        status: hardFail ? 'fail' : ci?.changeRequest ? 'pass' : 'no-evidence',
        summary:
          `${git?.commit ? `commit ${git.commit.slice(0, 12)}${git.branch ? ` on ${git.branch}` : ''}${git.dirty ? ' (dirty)' : ''}` : 'no commit'}; ` +
          `${facts.changes.against ? `${plural(changed, 'contract change')} since run ${facts.changes.against.slice(0, 8)}` : 'no earlier run to compare the contracts with'}; ` +
          `${facts.tests.length + facts.slos.length} checks ran${ci ? `; ${ci.system}${ci.actor ? ` run by ${ci.actor}` : ''}` : ''}`,
        findings,
        evidence: [RUN, { file: 'governance/contracts.json', what: 'the contracts in force after the run; changes are against the previous bundle' }, RESULTS],
      };
    },
  },
  {
    id: '164.312(b)',
    framework: 'HIPAA',
    title: 'Audit controls',
    asks: 'activity in systems holding ePHI is recorded and can be examined',
    evaluate(facts) {
      const { count, tagged, failed } = facts.statements;
      if (!count) return { status: 'no-evidence', summary: 'no statement was sent in this run', findings: [], evidence: [] };
      const untagged = count - tagged;
      return {
        status: untagged ? 'fail' : 'pass',
        summary:
          `${plural(count, 'statement')} recorded with time, duration and outcome (${failed} failed), each tagged with run ${facts.run.id.slice(0, 8)}; ` +
          `the log is hashed${facts.changes.against ? ' and chained to the previous run' : ' (the first of its chain)'}`,
        findings: untagged ? [`${plural(untagged, 'statement')} carry no run tag`] : [],
        evidence: [STATEMENTS, { file: 'hashes.json', what: 'SHA-256 of every file, chained to the previous bundle' }],
      };
    },
  },
  {
    id: '164.312(a)(1)',
    framework: 'HIPAA',
    title: 'Access control to ePHI',
    asks: 'only authorised persons or programs reach electronic protected health information',
    evaluate(facts) {
      const phi = sensitiveColumns(facts, (c) => c === 'phi');
      if (!phi.length) return { status: 'not-applicable', summary: 'no column classified phi was built in this run', findings: [], evidence: [] };
      const relations = [...new Set(phi.map((p) => p.relation))];
      const findings = [
        ...relations.filter((r) => !r.grants.length).map((r) => `${modelName(r.model)} holds phi and grants SELECT to no named role`),
        ...relations.filter((r) => !r.rowAccess).map((r) => `${modelName(r.model)} holds phi with no row access policy`),
        ...inForceFindings(facts).findings,
      ];
      const roleTests = facts.tests.filter((t) => t.kind === 'policy' && relations.some((r) => r.model === t.model));
      findings.push(...roleTests.filter((t) => failing(t.status)).map((t) => `${t.name} (as ${t.role ?? '?'}) failed`));
      return {
        status: findings.length ? 'fail' : 'pass',
        summary: `${plural(phi.length, 'phi column')} in ${plural(relations.length, 'relation')}, granted to ${[...new Set(relations.flatMap((r) => r.grants))].join(', ') || 'no role'}; ${plural(roleTests.length, 'role test')}`,
        findings,
        evidence: [GOVERNANCE, RESULTS],
      };
    },
  },
  {
    id: '164.514(b), 164.502(b)',
    framework: 'HIPAA',
    title: 'De-identification and minimum necessary',
    asks: 'identifiers are removed or masked for those who do not need them',
    evaluate(facts) {
      const sensitive = sensitiveColumns(facts, (c) => c === 'phi' || c === 'pii');
      const phi = sensitive.filter((c) => c.relation.classification[c.column]?.toLowerCase().startsWith('phi'));
      if (!phi.length) return { status: 'not-applicable', summary: 'no column classified phi was built in this run', findings: [], evidence: [] };
      const open = sensitive.filter((c) => !c.masked && !c.exempt);
      const exempt = sensitive.filter((c) => c.exempt);
      return {
        status: open.length ? 'fail' : 'pass',
        summary: `${sensitive.filter((c) => c.masked).length} of ${plural(sensitive.length, 'pii/phi column')} masked (${phi.filter((c) => c.masked).length} of ${phi.length} phi)${exempt.length ? `, ${exempt.length} exempt` : ''}`,
        findings: [
          ...open.map((c) => `${modelName(c.relation.model)}.${c.column} (${c.relation.classification[c.column]}) is not masked`),
          ...exempt.map((c) => `${modelName(c.relation.model)}.${c.column} is unmasked under an exemption`),
        ],
        evidence: [GOVERNANCE, COVERAGE],
      };
    },
  },
  {
    id: '164.312(c)(1)',
    framework: 'HIPAA',
    title: 'Integrity',
    asks: 'a mechanism shows that data and its records were not altered improperly',
    evaluate(facts) {
      const coverage = facts.governance.coverage;
      return {
        // Hashes show a change only against a digest kept elsewhere: without a signature that is HEAD.json, in the same folder.
        status: facts.signedBy ? 'pass' : 'no-evidence',
        summary:
          `every file of this bundle is hashed${facts.changes.against ? ` and chained to run ${facts.changes.against.slice(0, 8)}` : ' (the first of its chain)'}, ` +
          `${facts.signedBy ? `and the attestation is signed (Ed25519 key ${facts.signedBy.slice(0, 16)})` : 'the attestation is not signed'}; ` +
          `charter evidence verify re-checks them${'masked' in coverage ? `; masking coverage ${pct(coverage.masked)}` : ''}`,
        findings: facts.signedBy ? [] : ['unsigned: whoever can write the evidence folder can rewrite the whole chain consistently; sign with --sign-key and keep the public key apart'],
        evidence: [{ file: 'hashes.json', what: 'SHA-256 of every file and the previous bundle\'s digest' }, { file: 'attestation.dsse.json', what: 'an in-toto statement of the same digests, signed when a key was given' }],
      };
    },
  },
];

export function evaluateControls(facts: EvidenceFacts): ControlResult[] {
  return CONTROLS.map(({ evaluate, ...control }) => ({ ...control, ...evaluate(facts) }));
}

/** controls.json: the controls, and a count per status. */
export function controlsDocument(facts: EvidenceFacts, controls: readonly ControlResult[]): object {
  const count = (s: ControlStatus): number => controls.filter((c) => c.status === s).length;
  return {
    format: 'charter-evidence-controls',
    version: 1,
    run_id: facts.run.id,
    summary: { pass: count('pass'), fail: count('fail'), no_evidence: count('no-evidence'), not_applicable: count('not-applicable') },
    controls,
  };
}

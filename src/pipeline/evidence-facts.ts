// Gathers a run's EvidenceFacts from what the run already holds: the compiled session, its results, the statement
// log, the governance coverage, the CI environment, and the previous bundle's contracts (to say what changed).
import { existsSync, readFileSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import path from 'node:path';
import type { EvidenceContractChange, EvidenceCoverage, EvidenceFacts, EvidenceRelationFacts, EvidenceRunFacts } from '../artifacts/evidence-facts.js';
import type { SloResult } from '../execute/measure-slos.js';
import type { NodeResult } from '../execute/node-result.js';
import type { TestResult } from '../execute/run-data-test.js';
import type { StatementRecord } from '../execute/statement-runner.js';
import { contractBreaks } from '../plan/contract-breaks.js';
import type { NodeContract } from '../plan/deployed-state.js';
import { deploymentOf, isDeployable } from '../plan/desired-state.js';
import { stableStringify } from '../project/hash.js';
import { nameOfId } from '../project/node-id.js';
import { SENSITIVE } from '../validate/coverage/coverage-rule.js';
import { exemptionState } from '../validate/coverage/exemption.js';
import { CHARTER_VERSION } from '../version.js';
import type { CompiledSession } from './compile.js';
import type { GitState } from './evidence-bundle.js';

/** Where governance/contracts.json sits in a bundle: the contracts in force after the run, for the next run to diff. */
export const CONTRACTS_FILE = 'governance/contracts.json';

export interface RunOutcome {
  readonly command: string;
  readonly startedAt: string;
  readonly endedAt: string;
  readonly passed: boolean;
  /** Why the run stopped before its end, when it did. */
  readonly aborted?: string;
  readonly nodes: readonly NodeResult[];
  readonly tests: readonly TestResult[];
  readonly slos: readonly SloResult[];
}

type Env = Readonly<Record<string, string | undefined>>;

/** The CI system running charter, and the change request it runs for, from its documented environment variables. */
export function ciOf(env: Env): EvidenceRunFacts['ci'] {
  if (env['GITHUB_ACTIONS'] === 'true') {
    const repo = env['GITHUB_SERVER_URL'] && env['GITHUB_REPOSITORY'] ? `${env['GITHUB_SERVER_URL']}/${env['GITHUB_REPOSITORY']}` : null;
    const pull = /^refs\/pull\/(\d+)\//.exec(env['GITHUB_REF'] ?? '')?.[1];
    return {
      system: 'GitHub Actions',
      runUrl: repo && env['GITHUB_RUN_ID'] ? `${repo}/actions/runs/${env['GITHUB_RUN_ID']}` : null,
      actor: env['GITHUB_ACTOR'] ?? null,
      changeRequest: pull ? (repo ? `${repo}/pull/${pull}` : `pull request #${pull}`) : null,
    };
  }
  if (env['GITLAB_CI'] === 'true') {
    const mr = env['CI_MERGE_REQUEST_IID'];
    return {
      system: 'GitLab CI',
      runUrl: env['CI_PIPELINE_URL'] ?? null,
      actor: env['GITLAB_USER_LOGIN'] ?? null,
      changeRequest: mr ? (env['CI_PROJECT_URL'] ? `${env['CI_PROJECT_URL']}/-/merge_requests/${mr}` : `merge request !${mr}`) : null,
    };
  }
  return null;
}

/** The login running charter; null where the system has no name for it (a container's bare uid). */
export function osUser(): string | null {
  try {
    return userInfo().username;
  } catch {
    return process.env['USER'] ?? null;
  }
}

/** Every governed model's contract as deployed after this run: what the next run's changes are measured against. */
export function contractsInForce(session: CompiledSession): Record<string, NodeContract> {
  const out: Record<string, NodeContract> = {};
  for (const [id, bound] of session.contracts.byModel) {
    const node = session.compiled.nodes.get(id);
    if (!node || !isDeployable(node)) continue;
    const { contract } = deploymentOf(node, bound, session.governance.relations.get(id));
    if (contract) out[id] = contract;
  }
  return out;
}

/** What changed in the contracts since the previous bundle recorded them. */
export function contractChanges(previous: Readonly<Record<string, NodeContract>> | undefined, next: Readonly<Record<string, NodeContract>>): EvidenceContractChange[] {
  if (!previous) return [];
  const changes: EvidenceContractChange[] = [];
  for (const [id, now] of Object.entries(next)) {
    const before = previous[id];
    if (!before) changes.push({ model: nameOfId(id), change: 'added', contract: now.name, from: null, to: now.version, breaks: [] });
    else if (stableStringify(before) !== stableStringify(now)) {
      changes.push({ model: nameOfId(id), change: 'changed', contract: now.name, from: before.version, to: now.version, breaks: contractBreaks(before, now) });
    }
  }
  for (const [id, before] of Object.entries(previous)) {
    if (!(id in next)) changes.push({ model: nameOfId(id), change: 'removed', contract: before.name, from: before.version, to: null, breaks: contractBreaks(before, null) });
  }
  return changes.sort((a, b) => a.model.localeCompare(b.model));
}

function readPreviousContracts(bundleDir: string | undefined): Record<string, NodeContract> | undefined {
  const file = bundleDir ? path.join(bundleDir, CONTRACTS_FILE) : undefined;
  if (!file || !existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, NodeContract>;
  } catch {
    return undefined;
  }
}

function statementCounts(logFile: string, runId: string): EvidenceFacts['statements'] {
  if (!existsSync(logFile)) return { count: 0, failed: 0, tagged: 0 };
  const records = readFileSync(logFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as StatementRecord);
  // The log is the run's own (statements-<run>.jsonl); the runner tags each statement with its purpose (and the run,
  // as Snowflake's QUERY_TAG), so a record without one went around it.
  const own = path.basename(logFile) === `statements-${runId}.jsonl`;
  return { count: records.length, failed: records.filter((r) => r.error !== undefined).length, tagged: own ? records.filter((r) => r.purpose).length : 0 };
}

/** Each governed relation the run built: the masking, row access and grants its contract resolves to. */
function governedRelations(session: CompiledSession, built: ReadonlySet<string>, today: string): EvidenceRelationFacts[] {
  const relations: EvidenceRelationFacts[] = [];
  for (const [id, governance] of session.governance.relations) {
    if (!built.has(id)) continue;
    const columns = session.contracts.byModel.get(id)?.governed.columns ?? [];
    const exempt = columns.filter((c) => {
      const masked = governance.columns.find((g) => g.column.toLowerCase() === c.name.toLowerCase())?.masking;
      return c.classification && SENSITIVE.has(c.classification) && !masked && c.masking_exemption && exemptionState(c.masking_exemption, today).holds;
    });
    relations.push({
      model: id,
      relation: session.compiled.nodes.get(id)?.relationName ?? id,
      masking: Object.fromEntries(governance.columns.flatMap((c) => (c.masking ? [[c.column, c.masking.policy]] : []))),
      rowAccess: governance.rowAccess ? { policy: governance.rowAccess.policy, on: [...governance.rowAccess.on] } : null,
      grants: [...governance.grants],
      classification: Object.fromEntries(governance.columns.flatMap((c) => (c.classification ? [[c.column, c.classification]] : []))),
      exempt: exempt.map((c) => c.name),
    });
  }
  return relations.sort((a, b) => a.relation.localeCompare(b.relation));
}

export interface GatherInput {
  readonly session: CompiledSession;
  readonly outcome: RunOutcome;
  readonly git: GitState | null;
  readonly logFile: string;
  readonly coverage: EvidenceCoverage | { readonly unavailable: string };
  /** The previous bundle in the chain: its id and folder. */
  readonly previous: { readonly runId: string; readonly dir: string } | undefined;
  readonly inForce?: EvidenceFacts['inForce'];
  readonly signedBy?: string;
  readonly env?: Env;
}

export function gatherEvidenceFacts(input: GatherInput): { facts: EvidenceFacts; contracts: Record<string, NodeContract> } {
  const { session, outcome } = input;
  const { loaded, compiled } = session;
  const target = loaded.target;
  const byTest = new Map(session.dataTests.map((t) => [t.id, t]));
  const built = new Set(outcome.nodes.filter((n) => n.status === 'success').map((n) => n.uniqueId));
  const today = outcome.startedAt.slice(0, 10);
  const contracts = contractsInForce(session);
  const facts: EvidenceFacts = {
    run: {
      id: session.runId,
      command: outcome.command,
      startedAt: outcome.startedAt,
      endedAt: outcome.endedAt,
      passed: outcome.passed,
      aborted: outcome.aborted ?? null,
      charterVersion: CHARTER_VERSION,
      project: compiled.projectName,
      target: { name: loaded.targetName, engine: target.engine, user: target.engine === 'snowflake' ? (target.user ?? null) : null, role: target.engine === 'snowflake' ? (target.role ?? null) : null },
      osUser: osUser(),
      host: hostname(),
      git: input.git,
      ci: ciOf(input.env ?? process.env),
    },
    models: outcome.nodes.map((n) => {
      const node = compiled.nodes.get(n.uniqueId);
      return {
        id: n.uniqueId,
        name: n.name,
        layer: node?.kind === 'model' ? (node.layer ?? null) : null,
        relation: n.relation,
        status: n.status,
        seconds: n.seconds,
        dependsOn: node ? [...node.dependsOn] : [],
      };
    }),
    tests: outcome.tests.map((t) => ({
      id: t.uniqueId,
      name: t.name,
      model: t.modelId,
      kind: t.kind,
      column: t.column ?? null,
      severity: t.severity,
      status: t.status,
      failures: t.failures ?? null,
      role: byTest.get(t.uniqueId)?.as?.role ?? null,
    })),
    slos: outcome.slos.map((s) => ({ model: s.modelId, kind: s.kind, column: s.column ?? null, measured: s.measured, unit: s.unit, threshold: s.threshold, status: s.status })),
    governance: {
      relations: governedRelations(session, built, today),
      coverage: input.coverage,
      enforcedBy: target.engine === 'snowflake' ? 'warehouse' : 'charter',
    },
    changes: { against: input.previous?.runId ?? null, contracts: contractChanges(readPreviousContracts(input.previous?.dir), contracts) },
    statements: statementCounts(input.logFile, session.runId),
    signedBy: input.signedBy ?? null,
    ...(input.inForce ? { inForce: input.inForce } : {}),
  };
  return { facts, contracts };
}

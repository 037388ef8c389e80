// `plan` and `apply` as library calls: the compiled project against what its target has deployed (OPS.charter_state).
// A plan is data (execute/deploy-steps.ts: DeployPlan): made here, printed, saved with --out, applied as it is.
// An apply without a file plans again under the lock, so the state cannot move between its plan and its work.
import { enforcesColumnsOf } from '../load/load-contracts.js';
import { execFileSync } from 'node:child_process';
import { hostname, userInfo } from 'node:os';
import path from 'node:path';
import type { RelationKind } from '../adapters/ddl.js';
import { readPlanFile, writePlanFile } from '../artifacts/plan-file.js';
import { error, throwIfErrors, UserError, type Diagnostic } from '../diagnostics/diagnostic.js';
import { applyChanges, type ApplyHooks } from '../execute/apply-deploy.js';
import { DeployLock } from '../execute/deploy-lock.js';
import { DeployState, type DeployContext } from '../execute/deploy-state.js';
import { planChange, type DeployPlan, type PlannedChange } from '../execute/deploy-steps.js';
import { NodeFailure } from '../execute/node-result.js';
import { StatementError, StatementRunner } from '../execute/statement-runner.js';
import { currentState, stateFingerprint, type StateRow } from '../plan/deployed-state.js';
import { diffDeployment, type DiffInput, type NodeChange } from '../plan/deploy-diff.js';
import { desiredState, isDeployable } from '../plan/desired-state.js';
import type { ModelNode, SeedNode } from '../project/nodes.js';
import { physicalRelation, type Relation } from '../project/relation.js';
import { layerSchema } from '../render/compile-project.js';
import { CHARTER_VERSION } from '../version.js';
import { describePlan } from './describe-deploy-plan.js';
import { planPolicyReplacements, stalePolicyReplacements } from './policy-replacements.js';
import { governanceOn, localProtectionOn } from './run-settings.js';
import type { RunResults } from './finish-run.js';
import type { RunOptions } from './options.js';
import type { Reporter } from './reporter.js';
import { onWarehouse, type WarehouseRun } from './warehouse-run.js';
import { purgeOf } from '../execute/retention-purge.js';

export interface PlanOptions extends RunOptions {
  /** Drop deployed nodes the project no longer has (otherwise they are listed as withheld). */
  readonly allowDrop?: boolean;
  /** Save the plan to this file, for review and `charter apply <file>`. */
  readonly out?: string;
  /** Rebuild incremental models that would be altered (their new columns added, their rows kept). */
  readonly fullRefresh?: boolean;
}

export interface ApplyOptions extends Omit<PlanOptions, 'out'> {
  /** Apply this saved plan as it is, instead of planning afresh. */
  readonly planFile?: string;
  /** How long the deploy lock lasts unless renewed (after each node); default 10 minutes. */
  readonly lockTimeoutMs?: number;
  /** Remove other applies' claims on the lock first. */
  readonly breakLock?: boolean;
  readonly onApplied?: ApplyHooks['onApplied'];
}

export interface DeployOutcome {
  readonly results: RunResults;
  /** The plan shown, saved or applied; absent only if the command failed before it was made. */
  readonly plan?: DeployPlan;
}

export const DEFAULT_LOCK_TIMEOUT_MS = 10 * 60_000;

export async function plan(options: PlanOptions): Promise<DeployOutcome> {
  let made: DeployPlan | undefined;
  const results = await onWarehouse(
    { name: 'plan', banner: ({ session }) => `charter ${CHARTER_VERSION} plan on ${session.loaded.targetName} (${session.loaded.target.engine})` },
    options,
    async (run) => {
      const deployPlan = await onDeploySession(run, async (ctx) => makePlan(run, ctx, currentState(await DeployState.read(ctx)), options));
      made = deployPlan;
      report(run.reporter, deployPlan, { sql: true, verb: 'plan' });
      if (options.out) {
        writePlanFile(path.resolve(options.out), deployPlan);
        run.reporter.info(`plan saved to ${options.out}; \`charter apply ${options.out}\` applies exactly it`);
      }
      return {};
    },
  );
  return { results, plan: made };
}

export async function apply(options: ApplyOptions): Promise<DeployOutcome> {
  const saved = options.planFile ? readPlanFile(path.resolve(options.planFile)) : undefined;
  if (saved) throwIfErrors(savedPlanOptionProblems(saved, options));
  const effective: ApplyOptions = saved ? { ...options, target: saved.target.name, vars: saved.vars } : options;
  let made: DeployPlan | undefined;
  const results = await onWarehouse(
    {
      name: 'apply',
      banner: ({ session }) =>
        `charter ${CHARTER_VERSION} apply on ${session.loaded.targetName} (${session.loaded.target.engine})${saved ? `: ${options.planFile}, planned ${saved.createdAt}` : ''}`,
    },
    effective,
    (run) =>
      onDeploySession(run, async (ctx) => {
        if (!saved) {
          // Nothing to do takes no lock and writes nothing.
          const first = await makePlan(run, ctx, currentState(await DeployState.read(ctx)), effective);
          if (!first.changes.length && !first.policies.length) {
            made = first;
            report(run.reporter, first, { sql: false, verb: 'applying' });
            return {};
          }
        }
        const state = await DeployState.open(ctx);
        const lock = await DeployLock.acquire(ctx, {
          timeoutMs: options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS,
          breakLock: options.breakLock ?? false,
          ownerGone,
        });
        for (const claim of lock.tookOver) run.reporter.info(`took over the deploy lock left by ${claim.owner} (run ${claim.runId}): it expired, or its process is gone`);
        try {
          const current = currentState(await state.read());
          const deployPlan = saved ? await checkSavedPlan(run, ctx, saved, current) : await makePlan(run, ctx, current, effective);
          made = deployPlan;
          report(run.reporter, deployPlan, { sql: false, verb: 'applying' });
          const { compiled, contracts } = run.session;
          const nodeOf = (id: string): ModelNode | SeedNode | undefined => {
            const node = compiled.nodes.get(id);
            return node && isDeployable(node) ? node : undefined;
          };
          const governance = governanceOn(run.session, deployPlan.policies);
          const ensureGovernance = governance && governanceOnce(ctx, governance.setup);
          // Policies are replaced in the setup, which then runs first, whatever the changes (there may be none).
          if (ensureGovernance && deployPlan.policies.length) await ensureGovernance().catch(policySetupFailed);
          const nodes = await applyChanges(
            {
              ...ctx, fullRefresh: true, contracts: contracts.byModel, ensureSchema: schemaOnce(ctx), state, lock,
              ...(governance && ensureGovernance ? { governance, ensureGovernance } : {}),
              ...localProtectionOn(run.session),
            },
            deployPlan.changes,
            { nodeOf, children: compiled.children },
            { onEvent: (e) => run.reporter.event(e), onApplied: options.onApplied },
          );
          await lock.release();
          return { nodes };
        } catch (e) {
          await lock.release().catch(() => undefined);
          throw e;
        }
      }),
  );
  return { results, plan: made };
}

/** One engine session for the state, the lock and (in an apply) the builds: an apply runs one change at a time. */
async function onDeploySession<T>(run: WarehouseRun, work: (ctx: DeployContext) => Promise<T>): Promise<T> {
  const adapter = await run.adapter();
  const session = await adapter.openSession();
  try {
    const { loaded, compiled, runId } = run.session;
    const user = who();
    return await work({
      adapter,
      runner: new StatementRunner(session, run.log),
      ops: { database: compiled.target.database, schema: layerSchema(loaded, 'ops') },
      runId,
      appliedBy: user,
      owner: `${user}@${hostname()}:${process.pid}`,
      gitCommit: gitCommit(loaded.rootDir),
      now: () => new Date(),
    });
  } finally {
    await session.close();
  }
}

/** The diff of the project against `current`, made concrete for this target (what exists decides the statements). */
async function makePlan(run: WarehouseRun, ctx: DeployContext, current: readonly StateRow[], options: PlanOptions): Promise<DeployPlan> {
  const { session, selected } = run;
  const { compiled, loaded, contracts } = session;
  const whole = !options.select?.length && !options.exclude?.length;
  const input: DiffInput = {
    desired: desiredState(compiled, contracts.byModel, whole ? undefined : selected, session.governance.relations),
    deployed: current,
    children: compiled.children,
    considerDrops: whole,
    allowDrop: options.allowDrop ?? false,
  };
  const governance = governanceOn(session);
  const protection = localProtectionOn(session).localProtection;
  const local = loaded.target.engine === 'duckdb';
  const isProtected = (change: NodeChange): boolean => change.kind !== 'drop' && (protection?.relations.has(change.node) ?? false);
  // A protected model's relation is its physical one (its public name is a view); an unprotected model on the local
  // engine may have a physical relation left from when it was protected.
  const existing = new Map<string, RelationKind | undefined>();
  const leftover = new Map<string, RelationKind | undefined>();
  const look = async (changes: readonly NodeChange[]): Promise<void> => {
    for (const change of changes) {
      if (existing.has(change.node)) continue;
      const relation = relationOf(change, compiled.target.database, isProtected(change));
      existing.set(change.node, await ctx.adapter.relationKind(ctx.runner.run, relation, change.node));
      if (local && change.kind !== 'drop' && change.nodeKind === 'model' && !isProtected(change)) {
        leftover.set(change.node, await ctx.adapter.relationKind(ctx.runner.run, physicalRelation(relation), change.node));
      }
    }
  };
  // A model with a late-arrival window decides at run time whether it is rebuilt: never altered by a plan.
  const alterable = new Set(options.fullRefresh ? [] : input.desired.filter((d) => {
    const node = compiled.nodes.get(d.node);
    return d.materialized === 'incremental' && node?.kind === 'model' && !node.lateArrival;
  }).map((d) => d.node));
  let diff = diffDeployment({ ...input, alterable });
  await look(diff.changes);
  // A relation the state records but the warehouse lost is rebuilt, not merely re-governed; only a table is altered.
  const missing = new Set(diff.changes.filter((c) => (c.kind === 'governance' || c.kind === 'alter') && !existing.get(c.node)).map((c) => c.node));
  const notTables = new Set(diff.changes.filter((c) => c.kind === 'alter' && existing.get(c.node) !== 'table').map((c) => c.node));
  if (missing.size || notTables.size) {
    diff = diffDeployment({ ...input, missing, alterable: new Set([...alterable].filter((id) => !notTables.has(id))) });
    await look(diff.changes);
  }
  const problems: Diagnostic[] = [];
  const purgeFor = (node: string): { purge?: (relation: Relation) => readonly string[] } => {
    const purge = purgeOf(ctx.adapter, contracts.byModel.get(node));
    return purge ? { purge } : {};
  };
  const changes = diff.changes.flatMap((change): PlannedChange[] => {
    const node = compiled.nodes.get(change.node);
    const deployable = node && isDeployable(node) ? node : undefined;
    try {
      return [planChange(change, change.kind === 'drop' ? undefined : deployable, {
        adapter: ctx.adapter,
        database: compiled.target.database,
        existing: existing.get(change.node),
        enforced: enforcesColumnsOf(contracts.byModel.get(change.node)?.governed),
        ...(governance ? {
          governance: {
            attach: (relation, kind) => governance.attach(change.node, relation, kind),
            reattach: (relation, kind, previous) => governance.reattach(change.node, relation, kind, previous),
          },
        } : {}),
        ...(isProtected(change) ? { protect: true } : {}),
        ...(leftover.get(change.node) ? { leftover: leftover.get(change.node) } : {}),
        ...purgeFor(change.node),
      })];
    } catch (e) {
      if (!(e instanceof NodeFailure)) throw e;
      problems.push(e.diagnostic);
      return [];
    }
  });
  const policies = await planPolicyReplacements(session, ctx);
  throwIfErrors([...problems, ...policies.problems]);
  return {
    format: 'charter-plan',
    version: 1,
    charterVersion: CHARTER_VERSION,
    createdAt: new Date().toISOString(),
    runId: session.runId,
    project: compiled.projectName,
    target: { name: loaded.targetName, engine: loaded.target.engine, database: compiled.target.database },
    vars: options.vars ?? {},
    selectors: { ...(options.select ? { select: options.select } : {}), ...(options.exclude ? { exclude: options.exclude } : {}) },
    allowDrop: input.allowDrop,
    state: { fingerprint: stateFingerprint(current), nodes: current.length },
    changes,
    policies: policies.replacements,
    withheld: diff.withheld,
    unchanged: diff.unchanged,
  };
}

/** `physical`: the model's private relation, where the local engine builds a model it protects. */
function relationOf(change: NodeChange, database: string, physical = false): Relation {
  const where = change.deployment?.relation ?? change.previous?.relation;
  if (!where) throw new Error(`${change.node}: a change with no relation`);
  const relation = { database, ...where };
  return physical ? physicalRelation(relation) : relation;
}

/**
 * A saved plan applies only to what it was made against: the same deployed state, the same relations in the
 * warehouse, and a project that still compiles to the checksums it deploys (a seed is loaded from its file).
 */
async function checkSavedPlan(run: WarehouseRun, ctx: DeployContext, saved: DeployPlan, current: readonly StateRow[]): Promise<DeployPlan> {
  const { compiled } = run.session;
  const target = run.session.loaded.targetName;
  if (saved.project !== compiled.projectName || saved.target.database !== compiled.target.database) {
    throw new UserError([
      error('deploy.plan_invalid', `the plan is for project ${saved.project}, database ${saved.target.database}; this is project ${compiled.projectName}, database ${compiled.target.database}`, {
        hint: 'apply a plan in the project and on the target it was made for',
      }),
    ]);
  }
  const hint = `plan again (\`charter plan --target ${target} --out <file>\`), review it, and apply the new plan`;
  const stale = (message: string): Diagnostic => error('deploy.stale', message, { hint });
  const fingerprint = stateFingerprint(current);
  if (fingerprint !== saved.state.fingerprint) {
    throw new UserError([
      stale(`the deployed state of target ${target} changed since the plan was made: it was made against ${saved.state.nodes} deployed node${saved.state.nodes === 1 ? '' : 's'} (state ${saved.state.fingerprint.slice(0, 12)}), the state is now ${current.length} (state ${fingerprint.slice(0, 12)})`),
    ]);
  }
  const problems: Diagnostic[] = [];
  for (const change of saved.changes) {
    const node = compiled.nodes.get(change.node);
    const d = change.deployment;
    if (d && (!node || !isDeployable(node) || node.dataHash !== d.dataChecksum || node.metadataHash !== d.metadataChecksum)) {
      problems.push(stale(`${change.name}: the project no longer compiles to what the plan deploys (it changed since the plan was made)`));
    }
    const now = (await ctx.adapter.relationKind(ctx.runner.run, relationOf(change, compiled.target.database, change.physical), change.node)) ?? null;
    if (now !== change.existing) {
      const as = (kind: RelationKind | null): string => (kind ? `a ${kind}` : 'missing');
      problems.push(stale(`${change.relationName} is ${as(now)} in the warehouse now; it was ${as(change.existing)} when the plan was made`));
    }
  }
  for (const message of await stalePolicyReplacements(run.session, ctx, saved.policies)) problems.push(stale(message));
  throwIfErrors(problems);
  // The plan fixes a seed's content (its checksum, checked above), not the folder of the checkout it was made in.
  const changes = saved.changes.map((change): PlannedChange => {
    const node = compiled.nodes.get(change.node);
    if (node?.kind !== 'seed') return change;
    const steps = change.build.steps.map((s) => (s.kind === 'load_csv' ? { ...s, seed: { ...s.seed, file: node.absolutePath } } : s));
    return { ...change, build: { ...change.build, steps } };
  });
  return { ...saved, changes };
}

/** Flags a saved plan has already settled. */
function savedPlanOptionProblems(saved: DeployPlan, options: ApplyOptions): Diagnostic[] {
  const usage = (message: string, hint: string): Diagnostic => error('cli.usage', message, { hint });
  const problems: Diagnostic[] = [];
  if (options.target !== undefined && options.target !== saved.target.name) {
    problems.push(error('deploy.plan_invalid', `${options.planFile} was made for target ${saved.target.name}, not ${options.target}`, { hint: `leave out --target, or make a plan for ${options.target}` }));
  }
  if (options.select?.length || options.exclude?.length) problems.push(usage('--select and --exclude do not apply to a saved plan: it holds the changes it was made with', 'select when making the plan: `charter plan --select ... --out <file>`'));
  if (options.vars) problems.push(usage('--vars does not apply to a saved plan: it is applied with the vars it was made with', 'pass --vars when making the plan'));
  if (options.allowDrop) problems.push(usage('--allow-drop does not apply to a saved plan: its drops were decided when it was made', 'pass --allow-drop when making the plan'));
  if (options.fullRefresh) problems.push(usage('--full-refresh does not apply to a saved plan: its alters and replaces were decided when it was made', 'pass --full-refresh when making the plan'));
  return problems;
}

function report(reporter: Reporter, deployPlan: DeployPlan, how: { sql: boolean; verb: string }): void {
  for (const line of describePlan(deployPlan, how)) reporter.info(line.message, line.fields);
}

/** Creates each schema once per apply. */
function schemaOnce(ctx: DeployContext): (relation: Relation) => Promise<void> {
  const made = new Set<string>();
  return async (relation) => {
    const key = `${relation.database}.${relation.schema}`;
    if (made.has(key)) return;
    await ctx.runner.run(ctx.adapter.ddl.createSchema(relation.database, relation.schema), { purpose: 'schema' });
    made.add(key);
  };
}

/** A policy replacement refused by the warehouse: what was moved stays protected (see policy-replacements.ts). */
function policySetupFailed(e: unknown): never {
  if (!(e instanceof StatementError)) throw e;
  throw new UserError([error('engine.error', `replacing a policy failed: ${e.message.split('\n')[0]!}`, {
    detail: `statement as run:\n${e.sql}`,
    hint: 'every attachment has the old or the new policy; fix the cause and apply again, which carries on where this one stopped',
  })]);
}

/** Runs the project's governance setup once per apply, before the first governed change that needs it. */
function governanceOnce(ctx: DeployContext, setup: readonly string[]): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () =>
    (done ??= (async () => {
      for (const sql of setup) await ctx.runner.run(sql, { purpose: 'governance' });
    })());
}

const who = (): string => process.env['USER'] ?? userInfo().username;

/** HEAD of the git repository the project is in; null outside one (or without git). */
function gitCommit(rootDir: string): string | null {
  try {
    const head = execFileSync('git', ['rev-parse', '--verify', '--quiet', 'HEAD'], { cwd: rootDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000 }).trim();
    return /^[0-9a-f]{40,64}$/.test(head) ? head : null;
  } catch {
    return null;
  }
}

/**
 * Whether a lock's owner (user@host:pid) ran on this host and its process is gone: a killed apply, whose lock the
 * next one may take at once. A pid reused since by another process only makes the lock wait for its expiry.
 */
function ownerGone(owner: string): boolean {
  const at = owner.lastIndexOf('@');
  const colon = owner.lastIndexOf(':');
  const host = owner.slice(at + 1, colon);
  const pid = Number(owner.slice(colon + 1));
  if (at < 0 || colon < at || host !== hostname() || !Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

// `migrate`, `migrate status` and `migrate repair` as library calls: the scripts in migrations/ against the history
// in the target's OPS.charter_migrations. A migrate refuses to start while an applied script has drifted.
import { userInfo } from 'node:os';
import { throwIfErrors, UserError } from '../diagnostics/diagnostic.js';
import { sourceReader } from '../diagnostics/source-reader.js';
import { MigrationHistory, type MigrationContext } from '../execute/run-migrations.js';
import { StatementRunner } from '../execute/statement-runner.js';
import { loadMigrations, type MigrationScript } from '../load/load-migrations.js';
import { planMigrations, type MigrationPlan } from '../plan/migration-plan.js';
import { layerSchema } from '../render/compile-project.js';
import { migrationEnvironment, renderMigration } from '../render/render-migration.js';
import { CHARTER_VERSION } from '../version.js';
import type { RunResults } from './finish-run.js';
import type { RunOptions } from './options.js';
import { onWarehouse, type WarehouseRun } from './warehouse-run.js';

export interface MigrateOptions extends RunOptions {
  /** Print what would run, with its rendered SQL, and run nothing. */
  readonly dryRun?: boolean;
}

export interface MigrateOutcome {
  readonly results: RunResults;
  readonly plan: MigrationPlan;
  /** Scripts run (or, on a dry run, that would run), in order. */
  readonly ran: readonly string[];
}

type Mode = 'migrate' | 'status' | 'repair';

const who = (): string => process.env['USER'] ?? userInfo().username;

export const migrate = (options: MigrateOptions): Promise<MigrateOutcome> => onMigrations('migrate', options);
export const migrateStatus = (options: RunOptions): Promise<MigrateOutcome> => onMigrations('status', options);
export const migrateRepair = (options: RunOptions): Promise<MigrateOutcome> => onMigrations('repair', options);

async function onMigrations(mode: Mode, options: MigrateOptions): Promise<MigrateOutcome> {
  let plan: MigrationPlan = { steps: [], status: [], problems: [] };
  const ran: string[] = [];
  const name = mode === 'migrate' ? 'migrate' : `migrate ${mode}`;
  const results = await onWarehouse(
    { name, banner: ({ session }) => `charter ${CHARTER_VERSION} ${name}${options.dryRun ? ' --dry-run' : ''} on ${session.loaded.targetName} (${session.loaded.target.engine})` },
    options,
    async (run) => {
      const loadedScripts = loadMigrations(run.session.loaded.rootDir);
      throwIfErrors(loadedScripts.diagnostics);
      await onHistory(run, async (history) => {
        plan = planMigrations(loadedScripts.scripts, history.rows);
        if (mode === 'status') return report(run, plan);
        if (mode === 'repair') return repair(run, history, plan, loadedScripts.scripts);
        throwIfErrors(plan.problems);
        const env = migrationEnvironment(run.session.loaded, run.session.compiled);
        // Every script renders before the first one runs: a template error leaves the warehouse untouched.
        const rendered = plan.steps.map((script) => ({ script, ...renderMigration(env, run.session.compiled, script) }));
        throwIfErrors(rendered.flatMap((r) => r.diagnostics));
        if (!rendered.length) run.reporter.info('migrations: nothing to run, up to date');
        for (const { script, sql } of rendered) {
          if (options.dryRun) {
            run.reporter.info(`would run ${script.path}:\n${sql}`);
          } else {
            const done = await history.apply(script, sql as string);
            run.reporter.info(`ran ${script.path}: ${done.statements} statement${done.statements === 1 ? '' : 's'} in ${Math.round(done.ms)} ms`);
          }
          ran.push(script.path);
        }
      });
      return {};
    },
  );
  return { results: { ...results, passed: results.passed && (mode !== 'status' || plan.problems.length === 0) }, plan, ran };
}

async function onHistory(run: WarehouseRun, work: (history: MigrationHistory) => Promise<void>): Promise<void> {
  const adapter = await run.adapter();
  const session = await adapter.openSession();
  try {
    const { loaded, compiled, runId } = run.session;
    const ops = { database: compiled.target.database, schema: layerSchema(loaded, 'ops') };
    const ctx: MigrationContext = { adapter, runner: new StatementRunner(session, run.log), ops, runId, appliedBy: who(), now: () => new Date() };
    await work(await MigrationHistory.open(ctx));
  } finally {
    await session.close();
  }
}

function report(run: WarehouseRun, plan: MigrationPlan): void {
  for (const s of plan.status) run.reporter.info(`${s.state.padEnd(12)} ${s.kind.padEnd(10)} ${s.version ?? ''}\t${s.script}`);
  run.reporter.diagnostics(plan.problems, sourceReader(run.session.loaded.rootDir));
}

async function repair(run: WarehouseRun, history: MigrationHistory, plan: MigrationPlan, scripts: readonly MigrationScript[]): Promise<void> {
  const byPath = new Map(scripts.map((s) => [s.path, s]));
  const changed = plan.status.filter((s) => s.state === 'drifted').map((s) => ({ version: s.version as string, checksum: (byPath.get(s.script) as MigrationScript).checksum }));
  const forget = plan.status.filter((s) => s.state === 'missing').map((s) => s.version as string);
  const outOfOrder = new Set(plan.status.filter((s) => s.state === 'out_of_order').map((s) => s.script));
  if (outOfOrder.size) {
    throw new UserError(plan.problems.filter((p) => outOfOrder.has(p.location?.file ?? '')).map((p) => ({ ...p, hint: `repair does not reorder versions: ${p.hint ?? ''}` })));
  }
  await history.repair(changed, forget);
  run.reporter.info(`repaired: ${changed.length} checksum${changed.length === 1 ? '' : 's'} realigned, ${forget.length} missing version${forget.length === 1 ? '' : 's'} forgotten, failed runs cleared`);
}



// After a run that built governed models (build, run, apply), what governance is in force on them, read while the
// engine is still open, compared with the contracts (plan/governance-in-force.ts) and handed to the evidence bundle
// as governance/in-force.json. Each difference is also a warning.
//
// On Snowflake the warehouse is asked (the adapter's GovernanceReader). DuckDB has no policies of its own: charter
// enforces masking and row access itself, through a view under each protected model's public name, so the report
// says so (source 'charter') and lists those views' policies, after checking that the public name is a view; it
// reads back nothing it could not.
import type { Adapter } from '../adapters/adapter.js';
import { canReadGovernance, type GovernedKind } from '../adapters/governance.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { NodeResult } from '../execute/node-result.js';
import { StatementRunner, type StatementLog } from '../execute/statement-runner.js';
import {
  describeDifference, desiredObject, governanceDifferences, inForceReport, liveObject, type InForceObject, type InForceReport, type PolicyHome,
} from '../plan/governance-in-force.js';
import type { CompiledSession } from './compile.js';
import { localProtectionOn, policyLocationOf } from './run-settings.js';

/** The commands after which governance is read back: those that build or re-govern relations. */
export const IN_FORCE_COMMANDS: ReadonlySet<string> = new Set(['build', 'run', 'apply']);

export interface InForceRead {
  readonly report: InForceReport;
  /** One per difference (governance.not_in_force), or one saying the state could not be read. */
  readonly warnings: readonly Diagnostic[];
}

const LOCAL_NOTE =
  'DuckDB has no policies of its own: charter enforces masking and row access by building each protected model under a private name, ' +
  'its public name a view that masks and filters for the role in session. Listed: those views\' policies, for each public name found to be a view. ' +
  'Tags, grants and projection policies are not enforced by the local engine.';

const kindOf = (materialized: string | undefined): GovernedKind => (materialized === 'view' ? 'view' : materialized === 'dynamic_table' ? 'dynamic_table' : 'table');

/**
 * What is in force on the governed relations the run built; undefined when it built none. A failure to read is a
 * warning and a report saying so: the run's own outcome stands.
 */
export async function readInForce(session: CompiledSession, adapter: Adapter, log: StatementLog, nodes: readonly NodeResult[], now: () => Date = () => new Date()): Promise<InForceRead | undefined> {
  const { relations } = session.governance;
  const built = [...new Set(nodes.filter((n) => n.status === 'success' && relations.has(n.uniqueId)).map((n) => n.uniqueId))].sort();
  if (built.length === 0) return undefined;
  const at = policyLocationOf(session);
  const home: PolicyHome = { database: at.database, schema: at.schema };
  const desired = built.map((id) => desiredObject(relations.get(id)!, home));
  const managed = new Set([...session.governance.policies.tags.keys()].map((tag) => [home.database, home.schema, tag].join('.').toUpperCase()));
  const engine = session.loaded.target.engine;
  let report: InForceReport;
  try {
    const engineSession = await adapter.openSession();
    try {
      const { run } = new StatementRunner(engineSession, log);
      if (canReadGovernance(adapter)) {
        const read: Array<{ desired: InForceObject; live: InForceObject }> = [];
        for (const want of desired) {
          const g = relations.get(want.node)!;
          const node = session.compiled.nodes.get(want.node);
          const materialized = node?.kind === 'model' ? node.config.materialized : undefined;
          read.push({ desired: want, live: liveObject(want.node, await adapter.readGovernance(run, g.relation, kindOf(materialized), want.node)) });
        }
        report = inForceReport(engine, now().toISOString(), read, managed);
      } else {
        const protectedOnes = localProtectionOn(session).localProtection?.relations ?? new Map();
        const objects: InForceObject[] = [];
        for (const want of desired) {
          const isView = protectedOnes.has(want.node) && (await adapter.relationKind(run, relations.get(want.node)!.relation, want.node)) === 'view';
          objects.push({ ...want, projection: {}, tags: {}, grants: [], ...(isView ? {} : { masking: {}, row_access: null }) });
        }
        // Compared on what the local engine enforces: masking and row access of the protected models.
        const enforced = desired.map((d) => ({ ...d, projection: {}, tags: {}, grants: [], ...(protectedOnes.has(d.node) ? {} : { masking: {}, row_access: null }) }));
        report = {
          format: 'charter-governance-in-force', version: 1, engine, source: 'charter', note: LOCAL_NOTE, read_at: now().toISOString(),
          objects, desired, differences: enforced.flatMap((d, i) => governanceDifferences(d, objects[i], new Set())),
        };
      }
    } finally {
      await engineSession.close();
    }
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return {
      report: { format: 'charter-governance-in-force', version: 1, engine, source: canReadGovernance(adapter) ? 'warehouse' : 'charter', note: `not read: ${message}`, read_at: now().toISOString(), objects: [], desired, differences: [] },
      warnings: [{ code: 'governance.not_in_force', severity: 'warning', message: `could not read the governance in force on ${built.length} governed relation(s): ${message}`, hint: 'the evidence bundle records the contracts\' side only; check that the role can read INFORMATION_SCHEMA.POLICY_REFERENCES and SHOW GRANTS' }],
    };
  }
  return {
    report,
    warnings: report.differences.map((d) => ({
      code: 'governance.not_in_force', severity: 'warning', message: describeDifference(d),
      hint: 'something changed it after charter did, or charter could not set it: run `charter build` (or `charter apply`) again to restore the contract\'s governance, or change the contract',
    })),
  };
}

// A compiled session's governance as the data the executor takes: contracts, tests and SLOs by node, OPS, and the
// statements that enforce policies on an engine that has its own (Snowflake).
import { governanceDdlFor } from '../adapters/dialects.js';
import type { PolicyLocation, PolicyReplacement } from '../adapters/governance.js';
import type { BuildChecks } from '../execute/run-graph.js';
import type { RunGovernance, RunSettings } from '../execute/run-context.js';
import { layerSchema } from '../render/compile-project.js';
import { needsProtection } from '../render/governance-sql.js';
import type { BoundSlo } from '../render/bind-contracts.js';
import type { CompiledSession } from './compile.js';

export function runSettings(session: CompiledSession, overrides: Partial<Omit<RunSettings, 'ops' | 'contracts'>> = {}): RunSettings {
  const governance = governanceOn(session);
  return {
    fullRefresh: false,
    storeFailures: false,
    unredactedFailures: false,
    resetBaselines: false,
    ...overrides,
    ops: { database: session.compiled.target.database, schema: layerSchema(session.loaded, 'ops') },
    contracts: session.contracts.byModel,
    ...(governance ? { governance } : {}),
    ...localProtectionOn(session),
  };
}

/** On the local engine, the models whose masking and row access charter enforces through views. */
export function localProtectionOn(session: CompiledSession): Pick<RunSettings, 'localProtection'> {
  if (session.loaded.target.engine !== 'duckdb') return {};
  const { relations, policies } = session.governance;
  const protectedOnes = new Map([...relations].filter(([, g]) => needsProtection(g)));
  return protectedOnes.size ? { localProtection: { policies, relations: protectedOnes } } : {};
}

/**
 * The target engine's governance statements, when it has its own and a model is governed. `replacements`: policies a
 * deploy plan replaces (deployed with another signature), in the setup.
 */
export function governanceOn(session: CompiledSession, replacements: readonly PolicyReplacement[] = []): RunGovernance | undefined {
  const ddl = governanceDdlFor(session.loaded.target.engine);
  const { relations, policies } = session.governance;
  if (!ddl || relations.size === 0) return undefined;
  const at = policyLocationOf(session);
  return {
    setup: ddl.setup(policies, at, relations.values(), replacements).flatMap((step) => ('sql' in step ? [step.sql] : [])),
    attach: (node, relation, kind) => {
      const governance = relations.get(node);
      return governance ? ddl.attach(governance, relation, kind, at) : [];
    },
    reattach: (node, relation, kind, previous) => {
      const governance = relations.get(node);
      return governance ? ddl.reattach(governance, relation, kind, at, previous) : [];
    },
  };
}

export function buildChecks(session: CompiledSession): BuildChecks {
  const slos = new Map<string, readonly BoundSlo[]>();
  for (const [id, bound] of session.contracts.byModel) if (bound.slos.length) slos.set(id, bound.slos);
  return { tests: session.testsByNode, slos };
}

/** Where the project's policies live on the target, and the role charter deploys as, which every policy lets read as stored. */
export function policyLocationOf(session: Pick<CompiledSession, 'compiled' | 'governance' | 'loaded'>): PolicyLocation {
  const role = session.loaded.target.engine === 'snowflake' ? session.loaded.target.role : undefined;
  return { database: session.compiled.target.database, schema: session.governance.policies.schema, ...(role ? { deployRole: role } : {}) };
}

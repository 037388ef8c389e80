// A compiled session's governance as the data the executor takes: contracts, tests and SLOs by node, and OPS.
import type { BuildChecks } from '../execute/run-graph.js';
import type { RunSettings } from '../execute/run-context.js';
import { layerSchema } from '../render/compile-project.js';
import type { BoundSlo } from '../render/bind-contracts.js';
import type { CompiledSession } from './compile.js';

export function runSettings(session: CompiledSession, overrides: Partial<Omit<RunSettings, 'ops' | 'contracts'>> = {}): RunSettings {
  return {
    fullRefresh: false,
    storeFailures: false,
    unredactedFailures: false,
    resetBaselines: false,
    ...overrides,
    ops: { database: session.compiled.target.database, schema: layerSchema(session.loaded, 'ops') },
    contracts: session.contracts.byModel,
  };
}

export function buildChecks(session: CompiledSession): BuildChecks {
  const slos = new Map<string, readonly BoundSlo[]>();
  for (const [id, bound] of session.contracts.byModel) if (bound.slos.length) slos.set(id, bound.slos);
  return { tests: session.testsByNode, slos };
}

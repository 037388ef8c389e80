// `baseline` as a library call: today's distribution of every selected drift SLO's column becomes its baseline.
import { runSlos } from '../execute/run-graph.js';
import type { ModelNode } from '../project/nodes.js';
import { CHARTER_VERSION } from '../version.js';
import type { RunResults } from './finish-run.js';
import type { RunOptions } from './options.js';
import { runSettings } from './run-settings.js';
import { onWarehouse } from './warehouse-run.js';

export function baseline(options: RunOptions): Promise<RunResults> {
  return onWarehouse(
    { name: 'baseline', banner: ({ selected }) => `charter ${CHARTER_VERSION} baseline: drift SLOs of ${selected.size} nodes` },
    options,
    async ({ session, selected, threads, log, reporter, adapter: openAdapter }) => {
      const models = [...session.contracts.byModel]
        .filter(([id]) => selected.has(id))
        .map(([id, b]) => ({ model: session.compiled.nodes.get(id) as ModelNode, slos: b.slos.filter((s) => s.slo.kind === 'drift') }))
        .filter((m) => m.slos.length);
      const adapter = await openAdapter();
      const settings = runSettings(session, { resetBaselines: true });
      const slos = await runSlos(models, adapter, { threads, settings, statementLog: log, onEvent: reporter.event.bind(reporter) });
      reporter.info(`recorded ${slos.filter((r) => r.status === 'pass').length} drift baselines`);
      return { slos };
    },
  );
}

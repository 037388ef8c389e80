// `charter baseline`: record today's distribution of every drift SLO's column as the baseline in OPS.
import { Command } from 'commander';
import type { ModelNode } from '../../project/nodes.js';
import { compileAndSelect } from '../../pipeline/compile.js';
import { withGlobalOptions, type GlobalOptions } from '../global-options.js';
import { createReporter } from '../reporter.js';

export function baselineCommand(): Command {
  return withGlobalOptions(new Command('baseline'))
    .description('record the current distribution of each drift SLO\'s column as its baseline (OPS.charter_baselines)')
    .action(async (options: GlobalOptions) => {
      const [{ createAdapter }, { runSlos }, { baselineTableFor }] = await Promise.all([
        import('../../adapters/create-adapter.js'),
        import('../../execute/run-graph.js'),
        import('../../pipeline/run-nodes.js'),
      ]);
      const reporter = createReporter(options.logFormat, options.quiet);
      const { session, selected } = await compileAndSelect(options);
      const selection = { selected };
      const models = [...session.contracts.byModel]
        .filter(([id]) => selection.selected.has(id))
        .map(([id, b]) => ({
          model: session.compiled.nodes.get(id) as ModelNode,
          slos: b.slos.filter((s) => s.slo.kind === 'drift'),
          locate: (p: readonly (string | number)[]) => b.contract.locate(p),
        }))
        .filter((m) => m.slos.length);
      const threads = options.threads ?? session.loaded.target.threads ?? 4;
      const adapter = createAdapter(session.loaded, threads);
      await adapter.open();
      try {
        const results = await runSlos(models, adapter, {
          threads,
          baselineTable: baselineTableFor(session),
          resetBaselines: true,
          onEvent: (e) => reporter.event(e),
        });
        reporter.info(`recorded ${results.filter((r) => r.status === 'pass').length} drift baselines`);
        process.exitCode = results.every((r) => r.status === 'pass') ? 0 : 1;
      } finally {
        await adapter.close();
      }
    });
}

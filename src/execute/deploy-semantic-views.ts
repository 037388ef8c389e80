// Sends the semantic views a build decided on (plan/semantic-view-deploys.ts) to the warehouse, each view's CREATE OR
// REPLACE and then its GRANTs on one session, through the statement runner like every statement. The grants go with
// the view each time: COPY GRANTS keeps those made elsewhere, and a role added to the file gets its grant now.
import type { Adapter } from '../adapters/adapter.js';
import { error, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { SemanticViewDecision } from '../plan/semantic-view-deploys.js';
import { StatementLog, StatementRunner } from './statement-runner.js';

export interface SemanticViewOutcome {
  readonly view: string;
  readonly name: string;
  readonly status: 'deployed' | 'error' | 'skipped';
  /** GRANT statements sent with it. */
  readonly grants: number;
  readonly because?: string;
  readonly error?: Diagnostic;
}

export async function deploySemanticViews(adapter: Adapter, log: StatementLog, decisions: readonly SemanticViewDecision[]): Promise<SemanticViewOutcome[]> {
  const outcomes: SemanticViewOutcome[] = [];
  const sending = decisions.filter((d) => d.send);
  for (const d of decisions) if (!d.send) outcomes.push({ view: d.deploy.view, name: d.deploy.name, status: 'skipped', grants: 0, because: d.because });
  if (sending.length === 0) return outcomes;
  const session = await adapter.openSession();
  const runner = new StatementRunner(session, log);
  try {
    for (const { deploy } of sending) {
      const node = `semantic_view.${deploy.view}`;
      const [create, ...grants] = deploy.statements;
      try {
        await runner.run(create!, { purpose: 'build', node });
        for (const grant of grants) await runner.run(grant, { purpose: 'governance', node });
        outcomes.push({ view: deploy.view, name: deploy.name, status: 'deployed', grants: grants.length });
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        outcomes.push({
          view: deploy.view, name: deploy.name, status: 'error', grants: 0,
          error: error('engine.error', `semantic view ${deploy.name} was not deployed: ${message}`, { location: { file: deploy.file, line: 1, column: 1 } }),
        });
      }
    }
  } finally {
    await session.close();
  }
  return outcomes;
}

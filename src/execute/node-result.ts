// What happened to one node in a run; run_results.json is a list of these.
import type { Diagnostic } from '../diagnostics/diagnostic.js';

export type NodeStatus = 'success' | 'error' | 'skipped';

export interface NodeResult {
  readonly uniqueId: string;
  readonly name: string;
  readonly kind: 'model' | 'seed';
  readonly materialized?: string;
  readonly status: NodeStatus;
  readonly relation: string;
  readonly startedAt?: string;
  readonly seconds: number;
  readonly rowsAffected?: number;
  /** For incremental models: whether this run merged into the existing table or rebuilt it. */
  readonly mode?: 'full' | 'incremental';
  readonly error?: Diagnostic;
  /** For skipped nodes: the failed upstream node. */
  readonly skippedBecause?: string;
  /** Why a node was built as it was, when that is news: e.g. an incremental model rebuilt in full for late rows. */
  readonly note?: string;
  /** Snowflake constructs rewritten to run on this engine. */
  readonly translated?: readonly string[];
}

/** A user-facing failure of one node; the run goes on with the rest. */
export class NodeFailure extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.message);
    this.name = 'NodeFailure';
  }
}

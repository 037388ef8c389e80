// The evidence chain head mirrored in the target's OPS schema: OPS.charter_evidence_head, append-only, one row per
// evidence-producing run (run id, bundle digest, chain length, when), written through the statement runner after
// the bundle and HEAD.json, with SQL that DuckDB and Snowflake both run. `charter evidence verify
// --against-warehouse` compares HEAD.json with the newest row (artifacts/evidence-head-mirror.ts).
import { positional, type Adapter, type RunStatement } from '../adapters/adapter.js';
import { quoteLiteral as literal } from '../adapters/dialect.js';
import type { Relation } from '../project/relation.js';
import type { OpsSchema } from './run-context.js';

/** A row of OPS.charter_evidence_head: one per evidence-producing run, written after its bundle. */
export interface MirroredHead {
  readonly runId: string;
  /** The bundle digest HEAD.json records for the run. */
  readonly digest: string;
  /** How many runs the chain held with this one (HEAD.json's chain length): the newest row has the highest. */
  readonly chainLength: number;
  readonly recordedAt: string;
}

export const evidenceHeadRelation = (ops: OpsSchema): Relation => ({ ...ops, identifier: 'charter_evidence_head' });

const COLUMNS = 'run_id VARCHAR, digest VARCHAR, chain_length BIGINT, recorded_at VARCHAR';

/** Appends the head, creating the table on first use. */
export async function recordEvidenceHead(adapter: Adapter, run: RunStatement, ops: OpsSchema, head: Omit<MirroredHead, 'recordedAt'>, now: Date): Promise<void> {
  const relation = evidenceHeadRelation(ops);
  await run(adapter.ddl.createSchema(relation.database, relation.schema), { purpose: 'schema' });
  const table = adapter.dialect.renderRelation(relation);
  await run(`CREATE TABLE IF NOT EXISTS ${table} (${COLUMNS})`, { purpose: 'setup' });
  await run(
    `INSERT INTO ${table} (run_id, digest, chain_length, recorded_at) VALUES (${literal(head.runId)}, ${literal(head.digest)}, ${head.chainLength}, ${literal(now.toISOString())})`,
    { purpose: 'deploy' },
  );
}

/** The newest head recorded; undefined when none is (or the table does not exist yet). Creates nothing. */
export async function readEvidenceHead(adapter: Adapter, run: RunStatement, ops: OpsSchema): Promise<MirroredHead | undefined> {
  const relation = evidenceHeadRelation(ops);
  if (!(await adapter.relationKind(run, relation))) return undefined;
  const [row] = positional(
    await run(`SELECT run_id, digest, chain_length, recorded_at FROM ${adapter.dialect.renderRelation(relation)} ORDER BY chain_length DESC, recorded_at DESC LIMIT 1`, { purpose: 'introspect' }),
  );
  if (!row) return undefined;
  const [runId, digest, chainLength, recordedAt] = row;
  return { runId: String(runId), digest: String(digest), chainLength: Number(chainLength), recordedAt: String(recordedAt) };
}

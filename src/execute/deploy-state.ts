// The target's deployed state, in its OPS schema: OPS.charter_state, append-only, one row per node deployed or
// dropped (see plan/deployed-state.ts), created on first use with SQL that DuckDB and Snowflake both run (VARCHAR
// and BIGINT columns, times as ISO strings). The deploy lock has a table of its own (deploy-lock.ts), so that taking
// and releasing it never touches the state's history.
import { positional, type Adapter } from '../adapters/adapter.js';
import { quoteLiteral as literal } from '../adapters/dialect.js';
import type { NodeContract, NodeDeployment, StateRow } from '../plan/deployed-state.js';
import type { NodeChange } from '../plan/deploy-diff.js';
import type { Relation } from '../project/relation.js';
import type { OpsSchema } from './run-context.js';
import type { StatementRunner } from './statement-runner.js';

export interface DeployContext {
  readonly adapter: Adapter;
  readonly runner: StatementRunner;
  readonly ops: OpsSchema;
  readonly runId: string;
  /** Who applies: the user name, recorded in state rows. */
  readonly appliedBy: string;
  /** The lock's owner: user@host:pid. */
  readonly owner: string;
  /** HEAD of the project's git repository, if it is in one. */
  readonly gitCommit: string | null;
  readonly now: () => Date;
}

export const stateRelation = (ops: OpsSchema): Relation => ({ ...ops, identifier: 'charter_state' });

const STATE_COLUMNS = [
  'seq BIGINT',
  'node_id VARCHAR',
  'action VARCHAR',
  'kind VARCHAR',
  'materialized VARCHAR',
  'relation VARCHAR',
  'schema_name VARCHAR',
  'relation_name VARCHAR',
  'data_checksum VARCHAR',
  'metadata_checksum VARCHAR',
  'contract VARCHAR',
  'contract_version VARCHAR',
  'governed_columns VARCHAR',
  'applied_at VARCHAR',
  'applied_by VARCHAR',
  'run_id VARCHAR',
  'git_commit VARCHAR',
];
const NAMES = STATE_COLUMNS.map((c) => c.split(' ')[0] as string);

const sqlValue = (v: string | number | null): string => (v === null ? 'NULL' : typeof v === 'number' ? String(v) : literal(v));
const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

/** The state table, created on first use; rows are read under the lock and appended as nodes complete. */
export class DeployState {
  private nextSeq = 1;

  private constructor(
    private readonly ctx: DeployContext,
    private readonly table: string,
  ) {}

  /** The current state without creating anything (a plan writes nothing): none when the table does not exist yet. */
  static async read(ctx: DeployContext): Promise<StateRow[]> {
    const relation = stateRelation(ctx.ops);
    if (!(await ctx.adapter.relationKind(ctx.runner.run, relation))) return [];
    return new DeployState(ctx, ctx.adapter.dialect.renderRelation(relation)).read();
  }

  static async open(ctx: DeployContext): Promise<DeployState> {
    const relation = stateRelation(ctx.ops);
    await ctx.runner.run(ctx.adapter.ddl.createSchema(relation.database, relation.schema), { purpose: 'schema' });
    const table = ctx.adapter.dialect.renderRelation(relation);
    await ctx.runner.run(`CREATE TABLE IF NOT EXISTS ${table} (${STATE_COLUMNS.join(', ')})`, { purpose: 'setup' });
    return new DeployState(ctx, table);
  }

  /** Each node's latest row (drops included; currentState() leaves them out); sets where new rows number from. */
  async read(): Promise<StateRow[]> {
    const { ctx, table } = this;
    const latest = `SELECT node_id AS latest_node, max(seq) AS latest_seq FROM ${table} GROUP BY node_id`;
    const rows = positional(
      await ctx.runner.run(
        `SELECT ${NAMES.map((n) => `s.${n}`).join(', ')} FROM ${table} s JOIN (${latest}) m ON s.node_id = m.latest_node AND s.seq = m.latest_seq ORDER BY s.node_id`,
        { purpose: 'introspect' },
      ),
    );
    const [max] = positional(await ctx.runner.run(`SELECT max(seq) FROM ${table}`, { purpose: 'introspect' }));
    this.nextSeq = Number(max?.[0] ?? 0) + 1;
    return rows.map(parseRow);
  }

  /** A node deployed: its row, with who, when, which run and which commit. */
  async record(d: NodeDeployment): Promise<void> {
    await this.insert(d.node, 'deploy', {
      kind: d.kind,
      materialized: d.materialized,
      relation: d.relationName,
      schema: d.relation.schema,
      identifier: d.relation.identifier,
      data: d.dataChecksum,
      metadata: d.metadataChecksum,
      contract: d.contract,
    });
  }

  /** A node dropped: its latest row says so, and it is no longer deployed. */
  async recordDrop(change: NodeChange): Promise<void> {
    const previous = change.previous;
    if (!previous) throw new Error(`drop of ${change.node} without the relation it drops`);
    await this.insert(change.node, 'drop', {
      kind: change.nodeKind,
      materialized: previous.materialized,
      relation: previous.relationName,
      schema: previous.relation.schema,
      identifier: previous.relation.identifier,
      data: null,
      metadata: null,
      contract: null,
    });
  }

  private async insert(
    node: string,
    action: StateRow['action'],
    row: { kind: string; materialized: string; relation: string; schema: string; identifier: string; data: string | null; metadata: string | null; contract: NodeContract | null },
  ): Promise<void> {
    const { ctx } = this;
    const values = [
      this.nextSeq++,
      node,
      action,
      row.kind,
      row.materialized,
      row.relation,
      row.schema,
      row.identifier,
      row.data,
      row.metadata,
      row.contract?.name ?? null,
      row.contract?.version ?? null,
      row.contract ? governedColumns(row.contract) : null,
      ctx.now().toISOString(),
      ctx.appliedBy,
      ctx.runId,
      ctx.gitCommit,
    ];
    await ctx.runner.run(`INSERT INTO ${this.table} (${NAMES.join(', ')}) VALUES (${values.map(sqlValue).join(', ')})`, { purpose: 'deploy', node });
  }
}

function parseRow(values: ReadonlyArray<unknown>): StateRow {
  const [seq, node, action, kind, materialized, relation, schema, identifier, data, metadata, contract, version, columns, appliedAt, appliedBy, runId, gitCommit] = values;
  return {
    seq: Number(seq),
    node: String(node),
    action: String(action) as StateRow['action'],
    kind: String(kind) as StateRow['kind'],
    materialized: String(materialized) as StateRow['materialized'],
    relationName: String(relation),
    relation: { schema: String(schema), identifier: String(identifier) },
    dataChecksum: text(data) ?? '',
    metadataChecksum: text(metadata) ?? '',
    contract: contract === null || contract === undefined ? null : contractOf(String(contract), text(version), JSON.parse(String(columns ?? '[]')) as unknown),
    appliedAt: String(appliedAt),
    appliedBy: String(appliedBy),
    runId: String(runId),
    gitCommit: text(gitCommit),
  };
}

/**
 * The governed_columns text: the columns; with a row access policy or grants, an object holding them all (rows written
 * before either was recorded stay arrays, and read back without them).
 */
function governedColumns({ columns, rowAccess, grants }: NodeContract): string {
  return JSON.stringify(rowAccess || grants ? { columns, ...(rowAccess ? { rowAccess } : {}), ...(grants ? { grants } : {}) } : columns);
}

function contractOf(name: string, version: string | null, stored: unknown): NodeContract {
  if (Array.isArray(stored)) return { name, version, columns: stored as NodeContract['columns'] };
  const { columns, rowAccess, grants } = stored as Pick<NodeContract, 'columns' | 'rowAccess' | 'grants'>;
  return { name, version, columns, ...(rowAccess ? { rowAccess } : {}), ...(grants ? { grants } : {}) };
}

// The one place every statement passes through on its way to an engine: tagged, timed and recorded.
import type { BindRows, EngineSession, QueryResult, StatementTag } from '../adapters/adapter.js';
import { sha256 } from '../project/hash.js';

export interface StatementRecord {
  readonly seq: number;
  readonly startedAt: string;
  readonly purpose: StatementTag['purpose'];
  readonly node?: string;
  readonly sql: string;
  readonly sqlHash: string;
  readonly ms: number;
  readonly rowsAffected?: number;
  /** Rows of bound values the statement ran with (the values themselves are data, and stay out of the log). */
  readonly boundRows?: number;
  /** The warehouse's id for the statement (Snowflake's query id), to find it in the warehouse's own history. */
  readonly queryId?: string;
  readonly error?: string;
}

/** One record as a line of the statement log (target/logs/statements-<run>.jsonl). */
export const statementLine = (record: StatementRecord): string => `${JSON.stringify(record)}\n`;

/**
 * Statements of a whole run, in the order they finished; later the evidence bundle is built from it. The listener
 * sees each record as it is added: the CLI streams them to the statement log file, so a killed run keeps its trail.
 */
export class StatementLog {
  readonly records: StatementRecord[] = [];
  private seq = 0;

  constructor(private readonly listener?: (record: StatementRecord) => void) {}

  nextSeq(): number {
    return ++this.seq;
  }

  add(record: StatementRecord): void {
    this.records.push(record);
    this.listener?.(record);
  }

  toJsonLines(): string {
    return this.records.map(statementLine).join('');
  }
}

/** A session wrapped so that nothing reaches the engine without a tag and a record. */
export class StatementRunner {
  constructor(
    private readonly session: EngineSession,
    private readonly log: StatementLog,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Bound, so it can be handed to an adapter as its RunStatement. */
  readonly run = async (sql: string, tag: StatementTag, binds?: BindRows): Promise<QueryResult> => {
    const seq = this.log.nextSeq();
    const started = this.clock();
    const t0 = performance.now();
    const base = {
      seq, startedAt: started.toISOString(), purpose: tag.purpose, node: tag.node, sql, sqlHash: sha256(sql),
      ...(binds ? { boundRows: binds.length } : {}),
    };
    let result: QueryResult;
    try {
      result = await this.session.execute(sql, tag, binds);
    } catch (e) {
      this.log.add({ ...base, ms: performance.now() - t0, error: e instanceof Error ? e.message : String(e) });
      throw new StatementError(sql, e);
    }
    // Outside the try: a log that cannot record (a full disk) is the log's error, not the statement's.
    this.log.add({ ...base, ms: performance.now() - t0, rowsAffected: result.rowsAffected, ...(result.queryId ? { queryId: result.queryId } : {}) });
    return result;
  };
}

export class StatementError extends Error {
  constructor(
    readonly sql: string,
    override readonly cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = 'StatementError';
  }
}

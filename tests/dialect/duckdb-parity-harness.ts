// Runs translated Snowflake SQL on a real in-memory DuckDB with charter's shims installed.
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { SHIM_SQL } from '../../src/adapters/duckdb/shims.js';
import { translateSnowflakeToDuckDB } from '../../src/adapters/duckdb/translate-snowflake.js';

export interface ParityCase {
  /** Construct under test, shown in the test name. */
  name: string;
  /** A Snowflake SELECT whose single column is named `v` (or several columns for `expectedRows`). */
  snowflake: string;
  /** The Snowflake result of column `v` in the first row, in getRowObjectsJson() form. */
  expected?: unknown;
  /** All rows, when the case returns several. */
  expectedRows?: Array<Record<string, unknown>>;
  /** DuckDB type of the first column, when the type is part of the Snowflake contract. */
  expectedType?: string | RegExp;
  /** The Snowflake rule being checked. */
  rule: string;
}

export interface RunResult {
  rows: Array<Record<string, unknown>>;
  types: string[];
  sql: string;
}

export class ParityDb {
  private constructor(private readonly instance: DuckDBInstance, readonly connection: DuckDBConnection) {}

  static async open(): Promise<ParityDb> {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    for (const statement of SHIM_SQL) await connection.run(statement);
    return new ParityDb(instance, connection);
  }

  /** Translates, fails on any unsupported construct, runs, and returns JSON rows and column types. */
  async runSnowflake(snowflakeSql: string): Promise<RunResult> {
    const t = translateSnowflakeToDuckDB(snowflakeSql);
    if (t.unsupported.length > 0) {
      throw new Error(`unexpected unsupported constructs: ${JSON.stringify(t.unsupported)}\n${t.sql}`);
    }
    const reader = await this.connection.runAndReadAll(t.sql);
    return {
      rows: reader.getRowObjectsJson() as Array<Record<string, unknown>>,
      types: reader.columnTypes().map(String),
      sql: t.sql,
    };
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

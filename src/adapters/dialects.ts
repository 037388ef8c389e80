// The explicit factories of an engine's pure rules: its naming, and the DDL its governance is enforced with.
import { duckdbDialect } from './duckdb/dialect.js';
import { snowflakeDialect } from './snowflake/dialect.js';
import type { SqlDialect } from './dialect.js';
import type { GovernanceDdl } from './governance.js';
import { snowflakeGovernanceDdl } from './snowflake/governance-ddl.js';
import type { Engine } from '../project/relation.js';

export function dialectFor(engine: Engine): SqlDialect {
  switch (engine) {
    case 'duckdb':
      return duckdbDialect;
    case 'snowflake':
      return snowflakeDialect;
  }
}

/** Snowflake enforces governance with its own DDL; the local DuckDB target has none to send (nothing, for now). */
export function governanceDdlFor(engine: Engine): GovernanceDdl | undefined {
  switch (engine) {
    case 'snowflake':
      return snowflakeGovernanceDdl;
    case 'duckdb':
      return undefined;
  }
}

// The explicit dialect factory: engine name to its pure naming rules.
import { duckdbDialect } from './duckdb/dialect.js';
import { snowflakeDialect } from './snowflake/dialect.js';
import type { SqlDialect } from './dialect.js';
import type { Engine } from '../project/relation.js';

export function dialectFor(engine: Engine): SqlDialect {
  switch (engine) {
    case 'duckdb':
      return duckdbDialect;
    case 'snowflake':
      return snowflakeDialect;
  }
}

// Readable compiled SQL for target/compiled/: a header naming the model, formatted for Snowflake.
import type { ModelNode } from '../project/nodes.js';

export function compiledSqlOf(model: ModelNode, variant: 'full' | 'incremental'): string {
  return variant === 'full' ? model.compiledSql : (model.incrementalSql ?? model.compiledSql);
}

/** The file text around already formatted SQL. */
export function compiledFileText(model: ModelNode, variant: 'full' | 'incremental', formattedSql: string): string {
  const header = [
    `-- charter compiled: ${model.uniqueId}${variant === 'incremental' ? ' (is_incremental() = true)' : ''}`,
    `-- source: ${model.path}`,
    `-- relation: ${model.relationName} (${model.config.materialized})`,
    `-- raw sha256: ${model.rawHash}`,
  ].join('\n');
  return `${header}\n${formattedSql}\n`;
}

// What purges a model's table of the rows its contract's retention says must not be kept (purge: true): the
// Snowflake DELETE as rendered; on an engine that translates Snowflake SQL, the same DELETE with its WHERE
// translated as the WHERE of a SELECT (the translator takes queries only). Pure apart from the translation.
import type { Adapter, Translator } from '../adapters/adapter.js';
import { error } from '../diagnostics/diagnostic.js';
import type { Relation } from '../project/relation.js';
import type { BoundContract } from '../render/bind-contracts.js';
import { expiredCondition, purgeSql } from '../render/retention-sql.js';
import { NodeFailure } from './node-result.js';

/** An engine's names, and its translator if it needs Snowflake SQL translated. */
export type PurgeEngine = Pick<Adapter, 'dialect' | 'engine'> & Partial<Pick<Translator, 'translate'>>;

/** The plan's purge for the model `bound` governs, in the engine's SQL; undefined when its retention purges nothing. */
export function purgeOf(adapter: PurgeEngine, bound: BoundContract | undefined): ((relation: Relation) => readonly string[]) | undefined {
  const retention = bound?.retention;
  if (!retention?.purge || retention.column === undefined || retention.keepDays === undefined) return undefined;
  const { keepDays, asOf } = retention;
  const column = adapter.dialect.quoteIdentifier(retention.column);
  return (relation) => {
    const name = adapter.dialect.renderRelation(relation);
    if (!adapter.translate) return [purgeSql(name, column, keepDays, asOf)];
    const translated = adapter.translate(`SELECT * FROM ${name} WHERE ${expiredCondition(column, keepDays, asOf)}`);
    const head = /^SELECT \* FROM /i.exec(translated.sql);
    const problem = translated.unsupported[0];
    if (problem || !head) {
      throw new NodeFailure(error('translate.unsupported', `the purge of ${name} cannot run on ${adapter.engine}${problem ? `: ${problem.construct}: ${problem.reason}` : ''}`, {
        location: retention.location,
      }));
    }
    return [`DELETE FROM ${translated.sql.slice(head[0].length)}`];
  };
}

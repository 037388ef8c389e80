// Cross-checks of a contract's retention against the models it governs: the column that ages a row is declared and
// is a date or timestamp, a purge has a table to delete from, time travel a table to keep; a retention that names
// no column is said to go unchecked, once per entry. Pure.
import { error, type Diagnostic, type SourceLocation } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../diagnostics/suggest.js';
import { locate, type GovernedModel, type LoadedContract } from '../load/load-contracts.js';
import type { Retention, RetentionField } from '../load/parse-retention.js';
import type { ModelNode } from '../project/nodes.js';
import { parseSnowflakeType } from '../project/snowflake-types.js';

const TEMPORAL = new Set(['date', 'ntz', 'ltz', 'tz']);

/** The retention of `model`'s layer in its contract entry, if it has one. */
export function retentionOf(governed: GovernedModel, model: Pick<ModelNode, 'layer'>): Retention | undefined {
  return model.layer ? governed.retention.find((r) => r.layer === model.layer) : undefined;
}

/** Every retention problem of one contract; `modelOf` finds the model an entry governs. */
export function checkRetention(contract: LoadedContract, modelOf: (governed: GovernedModel) => ModelNode | undefined): Diagnostic[] {
  const out: Diagnostic[] = [];
  const unchecked = new Map<string, { retention: Retention; models: string[]; dates: Set<string> }>();
  const at = (retention: Retention, field: RetentionField): SourceLocation => locate(contract, retention.writtenIn[field] ?? [...retention.path, retention.layer]);
  for (const governed of contract.models) {
    const model = modelOf(governed);
    const retention = model && retentionOf(governed, model);
    if (!model || !retention) continue;
    const declared = governed.columns;
    const dates = declared.filter((c) => TEMPORAL.has(parseSnowflakeType(c.data_type ?? '')?.family ?? ''));
    if (retention.column === undefined) {
      // A model whose every column is typed and none a date or timestamp has no row that ages: nothing to check.
      if (declared.length && declared.every((c) => c.data_type !== undefined) && dates.length === 0) continue;
      const key = [...retention.path, retention.layer].join('/');
      const entry = unchecked.get(key) ?? { retention, models: [], dates: new Set<string>() };
      entry.models.push(model.name);
      dates.forEach((c) => entry.dates.add(c.name));
      unchecked.set(key, entry);
    } else {
      const column = declared.find((c) => c.name.toLowerCase() === retention.column?.toLowerCase());
      if (declared.length && !column) {
        out.push(error('contract.column_unknown', `retention for ${retention.layer} ages rows by \`${retention.column}\`, which \`${model.name}\`'s contract does not declare`, {
          location: at(retention, 'column'),
          hint: didYouMean(retention.column, declared.map((c) => c.name)) ?? (dates.length ? `its date columns: ${dates.map((c) => c.name).join(', ')}` : undefined),
        }));
      } else if (column?.data_type !== undefined && !TEMPORAL.has(parseSnowflakeType(column.data_type)?.family ?? '')) {
        out.push(error('contract.invalid', `retention for ${retention.layer} ages rows by \`${column.name}\`, a ${column.data_type}: it needs a DATE or TIMESTAMP column`, {
          location: at(retention, 'column'),
          ...(dates.length ? { hint: `its date columns: ${dates.map((c) => c.name).join(', ')}` } : {}),
        }));
      }
    }
    out.push(...materializationProblems(retention, model, at));
  }
  for (const { retention, models, dates } of unchecked.values()) {
    out.push({
      ...error('contract.retention_unchecked', `retention for ${retention.layer} (${retention.keep.text}) is not checked: it names no column that ages a row of ${models.map((m) => `\`${m}\``).join(', ')}`, {
        location: locate(contract, retention.path, retention.layer),
        hint: `name it, e.g. \`${retention.layer}: {keep: ${retention.keep.text}, column: ${[...dates][0] ?? '<date column>'}}\`${dates.size > 1 ? ` (date columns: ${[...dates].join(', ')})` : ''}`,
      }),
      severity: 'warning',
    });
  }
  return out;
}

/** What Snowflake can do with the model's relation: DELETE needs a table it may write, time travel a table. */
function materializationProblems(retention: Retention, model: ModelNode, at: (r: Retention, f: RetentionField) => SourceLocation): Diagnostic[] {
  const { materialized, transient } = model.config;
  const out: Diagnostic[] = [];
  const isTable = materialized === 'table' || materialized === 'incremental';
  if (retention.purge && !isTable) {
    out.push(error('contract.invalid', `purge deletes rows from a table, but \`${model.name}\` is a ${materialized.replace('_', ' ')}`, {
      location: at(retention, 'purge'),
      hint: materialized === 'view' ? 'purge the table it reads, or materialize it as a table' : 'Snowflake refreshes a dynamic table itself: purge what it reads',
    }));
  }
  if (retention.timeTravelDays !== undefined && (materialized === 'view' || materialized === 'ephemeral')) {
    out.push(error('contract.invalid', `time travel is kept for tables, but \`${model.name}\` is a ${materialized}`, { location: at(retention, 'time_travel') }));
  }
  if (retention.timeTravelDays !== undefined && retention.timeTravelDays > 1 && transient && materialized !== 'view' && materialized !== 'ephemeral') {
    out.push(error('contract.invalid', `\`${model.name}\` is a TRANSIENT table, which keeps at most 1 day of time travel; the contract gives ${retention.timeTravelDays}`, {
      location: at(retention, 'time_travel'),
      hint: 'use time_travel: 0d or 1d, or drop transient=true from the model',
    }));
  }
  return out;
}

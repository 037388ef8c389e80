// Turns a contract's retention_policy (per layer: "400d", or {keep, column, purge, time_travel, as_of}) into typed
// retention, a product model's own entries laid over its product's. Pure; problems come back located, as values.
import type { RetentionPolicy } from './contract-schema.js';
import { parseDuration, type Duration } from './parse-slo.js';
import { LAYERS, type Layer } from '../project/layers.js';

type YamlPath = ReadonlyArray<string | number>;

/** Snowflake's limit on DATA_RETENTION_TIME_IN_DAYS (Enterprise edition; Standard allows 0 or 1). */
export const MAX_TIME_TRAVEL_DAYS = 90;

const DAY = 86_400;

export type RetentionField = 'keep' | 'column' | 'purge' | 'time_travel' | 'as_of' | 'severity';

/** One layer's retention as it applies to a model of that layer. */
export interface Retention {
  readonly layer: Layer;
  /** How long a row may be kept, as written. */
  readonly keep: Duration;
  /** `keep` in days; the check and the purge count whole days (undefined when `keep` is not whole days). */
  readonly keepDays?: number;
  /** The column that ages a row; without it nothing is checked or purged. */
  readonly column?: string;
  /** Delete the rows older than `keep` after each build. */
  readonly purge: boolean;
  /** Snowflake time travel on the table, in days: only when the contract gives it. */
  readonly timeTravelDays?: number;
  /** Age is measured from this date (a date, or {{ var('...') }} as written), else from today. */
  readonly asOf?: string;
  readonly severity: 'error' | 'warn';
  /** The entry that governs the model: [..., 'retention_policy'] and the layer, its key there. */
  readonly path: YamlPath;
  /** Where each field's value is written (in a product's entry or the model's own), for located messages. */
  readonly writtenIn: Readonly<Partial<Record<RetentionField, YamlPath>>>;
}

export interface RetentionProblem {
  readonly path: YamlPath;
  readonly message: string;
  readonly hint?: string;
}

/** One written entry: the fields it gives, and where. */
interface Entry {
  readonly path: YamlPath;
  readonly fields: Partial<{ keep: Duration; column: string; purge: boolean; timeTravelDays: number; asOf: string; severity: 'error' | 'warn' }>;
  readonly writtenIn: Partial<Record<RetentionField, YamlPath>>;
}

/**
 * A model's retention per layer: its own entry's fields (`models[i].retention_policy`) over its product's
 * (`retention_policy`). `product` and `own` are where each is written.
 */
export function parseRetention(
  product: { readonly policy?: RetentionPolicy; readonly at: YamlPath },
  own?: { readonly policy?: RetentionPolicy; readonly at: YamlPath },
): { retention: Retention[]; problems: RetentionProblem[] } {
  const problems: RetentionProblem[] = [];
  const retention: Retention[] = [];
  for (const layer of LAYERS) {
    const base = entryOf(product.policy?.[layer], [...product.at, layer], problems);
    const mine = own ? entryOf(own.policy?.[layer], [...own.at, layer], problems) : undefined;
    if (!base && !mine) continue;
    const fields = { ...base?.fields, ...mine?.fields };
    const writtenIn = { ...base?.writtenIn, ...mine?.writtenIn };
    const path = (mine ?? base)!.path;
    if (!fields.keep) {
      problems.push({ path, message: `retention for ${layer} gives no \`keep\`, here or in the product's retention_policy`, hint: 'add `keep: <duration>`, e.g. keep: 400d' });
      continue;
    }
    const days = fields.keep.seconds / DAY;
    const keepDays = Number.isInteger(days) ? days : undefined;
    // The check and the purge count days; a keep of hours means nothing to either.
    if (keepDays === undefined && (fields.column !== undefined || fields.purge)) {
      problems.push({ path: writtenIn.keep ?? path, message: `expected \`keep\` in whole days (the check and the purge count days), found ${fields.keep.text}` });
    }
    if (fields.purge && fields.column === undefined) {
      problems.push({
        path: writtenIn.purge ?? path,
        message: `purge needs the column that ages a row: retention for ${layer} names none`,
        hint: `add \`column: <DATE or TIMESTAMP column>\` beside \`purge: true\``,
      });
    }
    retention.push({
      layer,
      keep: fields.keep,
      ...(keepDays !== undefined ? { keepDays } : {}),
      ...(fields.column !== undefined ? { column: fields.column } : {}),
      purge: fields.purge ?? false,
      ...(fields.timeTravelDays !== undefined ? { timeTravelDays: fields.timeTravelDays } : {}),
      ...(fields.asOf !== undefined ? { asOf: fields.asOf } : {}),
      severity: fields.severity ?? 'error',
      path: path.slice(0, -1),
      writtenIn,
    });
  }
  return { retention, problems };
}

function entryOf(value: RetentionPolicy[Layer], path: YamlPath, problems: RetentionProblem[]): Entry | undefined {
  if (value === undefined) return undefined;
  // The plain form is a duration; the schema has already checked its shape.
  if (typeof value === 'string') {
    const keep = parseDuration(value);
    return keep ? { path, fields: { keep }, writtenIn: { keep: path } } : undefined;
  }
  const fields: Entry['fields'] = {};
  const writtenIn: Entry['writtenIn'] = {};
  const set = <K extends keyof Entry['fields']>(key: K, field: RetentionField, v: Entry['fields'][K] | undefined): void => {
    if (v === undefined) return;
    fields[key] = v;
    writtenIn[field] = [...path, field];
  };
  set('keep', 'keep', value.keep === undefined ? undefined : parseDuration(value.keep));
  set('column', 'column', value.column);
  set('purge', 'purge', value.purge);
  // Retention counts days: a time of day would be dropped, so it is not accepted.
  if (value.as_of !== undefined && !value.as_of.startsWith('{{') && !isDate(value.as_of)) {
    problems.push({ path: [...path, 'as_of'], message: `expected a date like 2024-12-31 (retention counts days), found ${value.as_of}` });
  } else set('asOf', 'as_of', value.as_of);
  set('severity', 'severity', value.severity);
  if (value.time_travel !== undefined) set('timeTravelDays', 'time_travel', timeTravelDays(value.time_travel, [...path, 'time_travel'], problems));
  return { path, fields, writtenIn };
}

/** A calendar date, as a retention's as_of must be once templated. */
export const isDate = (text: string): boolean => /^\d{4}-\d{2}-\d{2}$/.test(text);

/** DATA_RETENTION_TIME_IN_DAYS takes whole days, from 0 to 90. */
function timeTravelDays(text: string, path: YamlPath, problems: RetentionProblem[]): number | undefined {
  const duration = parseDuration(text);
  const days = duration ? duration.seconds / DAY : Number.NaN;
  if (Number.isInteger(days) && days >= 0 && days <= MAX_TIME_TRAVEL_DAYS) return days;
  problems.push({
    path,
    message: `expected time travel of 0 to ${MAX_TIME_TRAVEL_DAYS} whole days (Snowflake's DATA_RETENTION_TIME_IN_DAYS), found ${text}`,
    hint: 'Standard edition allows 0 or 1 day, Enterprise up to 90; time travel is how long old versions stay recoverable, not how long rows are kept (that is `keep`)',
  });
  return undefined;
}

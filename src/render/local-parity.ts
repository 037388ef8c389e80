// The local-parity report: per model, which Snowflake constructs were rewritten to run on DuckDB, and which can't run.
import type { TranslatedSql } from '../adapters/adapter.js';
import type { CompiledProject } from '../project/nodes.js';

export interface ParityEntry {
  readonly translated: readonly string[];
  /** `file` and `line`: where in the model (line null when only the translation shows it). */
  readonly unsupported: ReadonlyArray<{ construct: string; reason: string; file: string; line: number | null }>;
}

/** The calls in translated SQL that the local engine cannot bind (checked against its own catalog). */
export type BindingCheck = (translatedSql: string, snowflakeSql: string) => ReadonlyArray<{ construct: string; reason: string; line: number | null }>;

export function localParity(
  compiled: CompiledProject,
  translate: (snowflakeSql: string) => TranslatedSql,
  only?: ReadonlySet<string>,
  checkBinding?: BindingCheck,
): Record<string, ParityEntry> {
  const report: Record<string, ParityEntry> = {};
  for (const node of compiled.nodes.values()) {
    if (node.kind !== 'model' || node.config.materialized === 'ephemeral' || (only && !only.has(node.uniqueId))) continue;
    // Both variants of an incremental model run, so both must translate.
    const sources = [node.compiledSql, ...(node.incrementalSql === undefined ? [] : [node.incrementalSql])];
    const variants = sources.map(translate);
    const unsupported = variants.flatMap((t, k) => {
      const refused = t.unsupported.map((u) => ({ construct: u.construct, reason: u.reason, line: u.line ?? null }));
      // "Runs as written" must mean it binds: a translation with nothing refused is checked call by call.
      return refused.length || !checkBinding ? refused : checkBinding(t.sql, sources[k] ?? '');
    });
    report[node.uniqueId] = {
      translated: [...new Set(variants.flatMap((t) => t.notes.map((n) => n.construct)))],
      unsupported: dedupeByConstruct(unsupported).map((u) => ({ ...u, file: node.location.file })),
    };
  }
  return report;
}

function dedupeByConstruct<T extends { construct: string; line: number | null }>(items: T[]): T[] {
  const seen = new Set<string>();
  return items.filter((u) => {
    const key = `${u.construct}:${u.line ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

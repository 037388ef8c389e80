// The local-parity report: per model, which Snowflake constructs were rewritten to run on DuckDB, and which can't run.
import type { TranslatedSql } from '../adapters/adapter.js';
import type { CompiledProject } from '../project/nodes.js';

export interface ParityEntry {
  readonly translated: readonly string[];
  readonly unsupported: ReadonlyArray<{ construct: string; reason: string; line: number | null }>;
}

export function localParity(
  compiled: CompiledProject,
  translate: (snowflakeSql: string) => TranslatedSql,
  only?: ReadonlySet<string>,
): Record<string, ParityEntry> {
  const report: Record<string, ParityEntry> = {};
  for (const node of compiled.nodes.values()) {
    if (node.kind !== 'model' || node.config.materialized === 'ephemeral' || (only && !only.has(node.uniqueId))) continue;
    // Both variants of an incremental model run, so both must translate.
    const variants = [node.compiledSql, ...(node.incrementalSql === undefined ? [] : [node.incrementalSql])].map(translate);
    report[node.uniqueId] = {
      translated: [...new Set(variants.flatMap((t) => t.notes.map((n) => n.construct)))],
      unsupported: variants.flatMap((t) => t.unsupported.map((u) => ({ construct: u.construct, reason: u.reason, line: u.line ?? null }))),
    };
  }
  return report;
}

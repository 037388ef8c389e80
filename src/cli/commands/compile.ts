// `charter compile`: render every model, write target/compiled/ and target/manifest.json.
import { Command } from 'commander';
import type { CompiledProject } from '../../render/compiled-project.js';
import { compileFromOptions, compileShortcut } from '../compile-pipeline.js';
import { withGlobalOptions, type GlobalOptions } from '../global-options.js';
import { createReporter } from '../reporter.js';

interface CompileOptions extends GlobalOptions {
  readonly parity: boolean;
  readonly format: boolean;
}

/** Per model: which Snowflake constructs were rewritten for DuckDB, and which can't run there. */
// The transpiler loads a WASM module; only --parity pays for it.
export async function localParity(compiled: CompiledProject): Promise<Record<string, unknown>> {
  const { TranslationCache } = await import('../../adapters/duckdb/translate-snowflake.js');
  const cache = new TranslationCache();
  const report: Record<string, unknown> = {};
  for (const node of compiled.nodes.values()) {
    if (node.kind !== 'model' || node.config.materialized === 'ephemeral') continue;
    // Both variants of an incremental model run, so both must translate.
    const variants = [node.compiledSql, ...(node.incrementalSql === undefined ? [] : [node.incrementalSql])].map((sql) => cache.translate(sql));
    report[node.uniqueId] = {
      translated: [...new Set(variants.flatMap((t) => t.notes.map((n) => n.construct)))],
      unsupported: variants.flatMap((t) =>
        t.unsupported.map((u) => ({ construct: u.construct, reason: u.reason, line: u.position?.line ?? null })),
      ),
    };
  }
  return report;
}

export function compileCommand(): Command {
  return withGlobalOptions(new Command('compile'), { selection: false })
    .description('render models to SQL and write target/compiled/ and target/manifest.json')
    .option('--parity', 'translate each model for DuckDB and report what was rewritten or cannot run locally', false)
    .option('--no-format', 'write compiled SQL as rendered, without sql-formatter (much faster for thousands of models)')
    .action(async (options: CompileOptions) => {
      const reporter = createReporter(options.logFormat, options.quiet);
      const wantParity = options.parity;
      const shortcut = wantParity ? undefined : await compileShortcut(options, { format: options.format });
      if (shortcut) {
        reporter.info(`compiled ${shortcut.models} models (0 files written, ${shortcut.files} unchanged) in ${shortcut.seconds.toFixed(2)}s`, {
          models: shortcut.models,
          written: 0,
          unchanged: shortcut.files,
          seconds: shortcut.seconds,
        });
        return;
      }
      let parity: Record<string, unknown> | undefined;
      const session = await compileFromOptions(options, wantParity ? async (c) => (parity = await localParity(c)) : undefined, { format: options.format });
      const models = [...session.compiled.nodes.values()].filter((n) => n.kind === 'model').length;
      reporter.info(
        `compiled ${models} models (${session.files.written} files written, ${session.files.unchanged} unchanged) in ${session.seconds.toFixed(2)}s`,
        { models, ...session.files, seconds: session.seconds },
      );
      if (parity) printParity(parity, reporter.info);
      if (parity && Object.values(parity).some((p) => (p as { unsupported: unknown[] }).unsupported.length)) process.exitCode = 1;
    });
}

function printParity(parity: Record<string, unknown>, info: (message: string, fields?: Record<string, unknown>) => void): void {
  for (const [id, entry] of Object.entries(parity)) {
    const { translated, unsupported } = entry as { translated: string[]; unsupported: Array<{ construct: string; line: number | null }> };
    const bad = unsupported.map((u) => `${u.construct}${u.line ? ` (line ${u.line})` : ''}`);
    info(`${id}: ${translated.length ? `rewrote ${translated.join(', ')}` : 'runs as written'}${bad.length ? `; UNSUPPORTED: ${bad.join(', ')}` : ''}`, {
      node: id,
      translated,
      unsupported,
    });
  }
}

// `charter compile`: render every model, write target/compiled/ and target/manifest.json.
import { Command } from 'commander';
import { compile, compileShortcut } from '../../pipeline/compile.js';
import type { ParityEntry } from '../../render/local-parity.js';
import { withGlobalOptions, type GlobalOptions } from '../global-options.js';
import { createReporter } from '../reporter.js';
import { sourceReader } from '../../diagnostics/source-reader.js';

interface CompileOptions extends GlobalOptions {
  readonly parity: boolean;
  readonly format: boolean;
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
      const session = await compile({ ...options, parity: wantParity });
      reporter.diagnostics(session.warnings, sourceReader(session.loaded.rootDir));
      const parity = session.parity;
      const models = [...session.compiled.nodes.values()].filter((n) => n.kind === 'model').length;
      reporter.info(
        `compiled ${models} models (${session.files.written} files written, ${session.files.unchanged} unchanged) in ${session.seconds.toFixed(2)}s`,
        { models, ...session.files, seconds: session.seconds },
      );
      if (parity) printParity(parity, reporter.info);
      if (parity && Object.values(parity).some((p) => p.unsupported.length)) process.exitCode = 1;
    });
}

function printParity(parity: Readonly<Record<string, ParityEntry>>, info: (message: string, fields?: Record<string, unknown>) => void): void {
  for (const [id, entry] of Object.entries(parity)) {
    const { translated, unsupported } = entry;
    const bad = unsupported.map((u) => `${u.construct} (${u.file}${u.line ? `:${u.line}` : ''})`);
    info(`${id}: ${translated.length ? `rewrote ${translated.join(', ')}` : 'runs as written'}${bad.length ? `; UNSUPPORTED: ${bad.join(', ')}` : ''}`, {
      node: id,
      translated,
      unsupported,
    });
  }
}

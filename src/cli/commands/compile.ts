// `charter compile`: render every model, write target/compiled/ and target/manifest.json.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { compile, compileAndSelect, compileShortcut, type CompiledSession } from '../../pipeline/compile.js';
import type { ParityEntry } from '../../render/local-parity.js';
import { withGlobalOptions, type GlobalOptions } from '../global-options.js';
import { createReporter } from '../reporter.js';
import { sourceReader } from '../../diagnostics/source-reader.js';

interface CompileOptions extends GlobalOptions {
  readonly parity: boolean;
  readonly format: boolean;
}

export function compileCommand(): Command {
  return withGlobalOptions(new Command('compile'))
    .description('render models to SQL and write target/compiled/ and target/manifest.json; with --select, also print the selected models\' SQL')
    .option('--parity', 'translate each model for DuckDB and report what was rewritten or cannot run locally', false)
    .option('--no-format', 'write compiled SQL as rendered, without sql-formatter (much faster for thousands of models)')
    .action(async (options: CompileOptions) => {
      const reporter = createReporter(options.logFormat, options.quiet);
      const wantParity = options.parity;
      const selecting = Boolean(options.select?.length || options.exclude?.length);
      const shortcut = wantParity || selecting ? undefined : await compileShortcut(options, { format: options.format });
      if (shortcut) {
        reporter.info(`compiled ${shortcut.models} models (0 files written, ${shortcut.files} unchanged) in ${shortcut.seconds.toFixed(2)}s`, {
          models: shortcut.models,
          written: 0,
          unchanged: shortcut.files,
          seconds: shortcut.seconds,
        });
        return;
      }
      // The whole project compiles either way (a model's refs need the others); --select chooses what is printed.
      const { session, selected } = selecting
        ? await compileAndSelect({ ...options, parity: wantParity })
        : { session: await compile({ ...options, parity: wantParity }), selected: undefined };
      reporter.diagnostics(session.warnings, sourceReader(session.loaded.rootDir));
      if (selected) printCompiled(session, selected, options.logFormat);
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

/** The selected models' SQL as written to target/compiled/ (formatted), each under a comment naming it. */
function printCompiled(session: CompiledSession, selected: ReadonlySet<string>, logFormat: string | undefined): void {
  const { compiled, loaded } = session;
  for (const id of compiled.order) {
    const node = compiled.nodes.get(id);
    if (node?.kind !== 'model' || !selected.has(id)) continue;
    const file = path.join(loaded.rootDir, loaded.paths.target, 'compiled', node.path);
    const sql = (existsSync(file) ? readFileSync(file, 'utf8') : node.compiledSql).trimEnd();
    if (logFormat === 'json') process.stdout.write(`${JSON.stringify({ type: 'compiled', node: id, path: node.path, sql })}\n`);
    else process.stdout.write(`-- ${node.name} (${node.path})\n${sql}\n\n`);
  }
}

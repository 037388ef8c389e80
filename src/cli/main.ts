// charter's command line: parses flags, calls the stages, prints diagnostics, sets the exit code.
import { Command, CommanderError } from 'commander';
import { UserError, type Diagnostic } from '../diagnostics/diagnostic.js';
import { formatDiagnostics } from '../diagnostics/print.js';
import { CHARTER_VERSION } from '../version.js';
import { cleanCommand } from './commands/clean.js';
import { compileCommand } from './commands/compile.js';
import { initCommand } from './commands/init.js';
import { lsCommand } from './commands/ls.js';
import { lineageCommand } from './commands/lineage.js';
import { docsCommand } from './commands/docs.js';
import { buildCommand, runCommand, seedCommand } from './commands/run.js';
import { testCommand } from './commands/test.js';
import { baselineCommand } from './commands/baseline.js';
import { importOdcsCommand } from './commands/import-odcs.js';
import { importDbtCommand } from './commands/import-dbt.js';
import { migrateCommand } from './commands/migrate.js';
import { queryCommand } from './commands/query.js';
import { showCommand } from './commands/show.js';
import { planCommand } from './commands/plan.js';
import { applyCommand } from './commands/apply.js';
import { checkCommand } from './commands/check.js';
import { askCommand } from './commands/ask.js';
import { semanticCommand } from './commands/semantic.js';
import { evidenceCommand } from './commands/evidence.js';
import { lintCommand } from './commands/lint.js';
import { formatCommand } from './commands/format.js';
import { ciCommand } from './commands/ci.js';
import { diffCommand } from './commands/diff.js';
import { sourceReader } from '../diagnostics/source-reader.js';
import { ioProblem } from '../load/io-error.js';

/** Exit codes: 0 ok, 1 user error or failed node, 2 bad command line, 70 a bug in charter. */
export const EXIT = { ok: 0, failed: 1, usage: 2, bug: 70 } as const;

export function createProgram(): Command {
  const program = new Command('charter')
    .description('Governance-first SQL-as-code for Snowflake: compile, build and test models, locally on DuckDB')
    .version(CHARTER_VERSION, '-V, --version')
    .showSuggestionAfterError(true)
    .exitOverride();
  for (const command of [initCommand(), compileCommand(), seedCommand(), runCommand(), buildCommand(), testCommand(), baselineCommand(), migrateCommand(), planCommand(), applyCommand(), queryCommand(), showCommand(), askCommand(), semanticCommand(), checkCommand(), importOdcsCommand(), importDbtCommand(), lsCommand(), lineageCommand(), docsCommand(), evidenceCommand(), lintCommand(), formatCommand(), ciCommand(), diffCommand(), cleanCommand()]) {
    program.addCommand(command.exitOverride().showSuggestionAfterError(true));
  }
  return program;
}

export async function main(argv: readonly string[]): Promise<number> {
  guardOutput();
  // Commands report their outcome in process.exitCode; main() returns it and leaves the process's own untouched,
  // so it can run many times in one process (the tests do).
  const outer = process.exitCode;
  process.exitCode = undefined;
  try {
    return await run(argv);
  } finally {
    process.exitCode = outer;
  }
}

async function run(argv: readonly string[]): Promise<number> {
  const program = createProgram();
  // The command line as typed reaches the pipeline with the flags, for the evidence bundle's run.json.
  program.hook('preAction', (_program, action) => {
    action.setOptionValue('commandLine', ['charter', ...argv]);
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and --version arrive here too, with exit code 0.
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    const environment = ioProblem(e);
    if (e instanceof UserError || environment) {
      const diagnostics = e instanceof UserError ? e.diagnostics : [environment as Diagnostic];
      if (jsonLogs(argv)) {
        // Machines get the same one-object-per-line stream as for run events.
        for (const d of diagnostics) process.stdout.write(`${JSON.stringify({ ts: new Date().toISOString(), type: 'diagnostic', ...d })}\n`);
        return EXIT.failed;
      }
      const projectDir = projectDirOf(argv);
      const color = process.stderr.isTTY && !process.env['NO_COLOR'];
      process.stderr.write(`${formatDiagnostics(diagnostics, { readSource: sourceReader(projectDir), color })}\n`);
      return EXIT.failed;
    }
    const debug = argv.includes('--debug');
    process.stderr.write(
      `charter bug: ${e instanceof Error ? e.message : String(e)}\n` +
        (debug && e instanceof Error ? `${e.stack}\n` : 'run again with --debug for the stack trace, and please report it\n'),
    );
    return EXIT.bug;
  }
}

/**
 * `charter build | head`: once the reader is gone, writing to stdout fails with EPIPE. That is no reason to stop a
 * run half way (and leave staged tables behind): the error is swallowed, printing stops (see `outputClosed`), and
 * the run finishes and records its results as usual.
 */
let guarded = false;
function guardOutput(): void {
  if (guarded) return;
  guarded = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE' && e.code !== 'ERR_STREAM_DESTROYED') throw e;
    });
  }
}

function jsonLogs(argv: readonly string[]): boolean {
  const i = argv.indexOf('--log-format');
  return (i >= 0 && argv[i + 1] === 'json') || argv.includes('--log-format=json');
}

function projectDirOf(argv: readonly string[]): string {
  const i = argv.indexOf('--project-dir');
  const inline = argv.find((a) => a.startsWith('--project-dir='));
  return (i >= 0 ? argv[i + 1] : inline?.split('=')[1]) ?? '.';
}

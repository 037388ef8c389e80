// `charter semantic <subcommand>`: semantic views in and out of the project. `pull` reads a deployed view back from
// Snowflake (semantic-pull.ts); `export --format osi` writes each view as an Open Semantic Interchange document;
// `import` turns one back into charter YAML. One builder per subcommand: another is one more entry in SUBCOMMANDS.
import { Command, Option } from 'commander';
import { withGlobalOptions, type GlobalOptions } from '../global-options.js';
import { createReporter } from '../reporter.js';
import { semanticPullCommand } from './semantic-pull.js';

interface ExportCommandOptions extends GlobalOptions {
  readonly format: 'osi';
  readonly view?: string;
  readonly out?: string;
}

function exportCommand(): Command {
  return withGlobalOptions(new Command('export'), { selection: false })
    .description('write semantic views in an interchange format, one file per view, and print their paths')
    .addOption(new Option('--format <format>', 'osi: Open Semantic Interchange v0.1.1 YAML').choices(['osi']).makeOptionMandatory())
    .option('--view <name>', 'only this semantic view (default: all)')
    .option('--out <dir>', 'where to write <view>.osi.yaml (default: <target folder>/semantic_views/)')
    .action(async (options: ExportCommandOptions) => {
      const { exportSemanticViews } = await import('../../pipeline/semantic-interchange.js');
      const { written, extended } = await exportSemanticViews({ ...options, outDir: options.out });
      const reporter = createReporter(options.logFormat, options.quiet);
      for (const [view, carried] of extended) {
        const keys = [...new Set(carried.map((c) => c.slice(c.lastIndexOf(': ') + 2)))];
        if (keys.length) reporter.info(`note: ${view}: ${carried.length} attribute(s) with no OSI slot (${keys.join(', ')}) kept in charter's custom extension`);
      }
      for (const file of written) process.stdout.write(`${file}\n`);
    });
}

interface ImportCommandOptions {
  readonly out: string;
  readonly force: boolean;
}

function importCommand(): Command {
  return new Command('import')
    .description('convert an Open Semantic Interchange (OSI v0.1.1) document into charter semantic view YAML, one file per semantic model')
    .argument('<file>', 'the OSI document, e.g. financial.osi.yaml')
    .option('--out <dir>', 'where to write <view>.yml', 'semantic_views')
    .option('--force', 'overwrite semantic view files that already exist', false)
    .action(async (file: string, options: ImportCommandOptions) => {
      const { importSemanticViews } = await import('../../pipeline/semantic-interchange.js');
      const { written, notes } = await importSemanticViews(file, { outDir: options.out, force: options.force });
      const reporter = createReporter('text', false);
      for (const note of notes) reporter.info(`note: ${note}`);
      for (const out of written) process.stdout.write(`${out}\n`);
    });
}

const SUBCOMMANDS: ReadonlyArray<() => Command> = [semanticPullCommand, exportCommand, importCommand];

export function semanticCommand(): Command {
  const command = new Command('semantic').description('semantic views between the project, the warehouse and other tools (pull, export, import)');
  // Subcommands added with addCommand inherit no settings: each reports errors to main() rather than exiting.
  for (const make of SUBCOMMANDS) command.addCommand(make().exitOverride().showSuggestionAfterError(true));
  return command;
}

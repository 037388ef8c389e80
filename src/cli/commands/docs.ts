// `charter docs generate [--out DIR]` writes the static docs site (target/docs by default); `charter docs serve
// [--port N]` serves it on this machine until Ctrl-C.
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { sourceReader } from '../../diagnostics/source-reader.js';
import { withGlobalOptions, type GlobalOptions } from '../global-options.js';
import { createReporter } from '../reporter.js';

interface GenerateOptions extends GlobalOptions {
  readonly out?: string;
}

interface ServeCommandOptions extends GlobalOptions {
  readonly dir?: string;
  readonly port: number;
  readonly host: string;
}

function parsePort(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65_535) throw new InvalidArgumentError('expected a port number from 0 to 65535');
  return n;
}

export function docsCommand(): Command {
  const docs = new Command('docs').description('a static docs site of the project: models, contracts, columns, tests, SLOs, semantic views, lineage');
  docs.addCommand(
    withGlobalOptions(new Command('generate'), { selection: false })
      .description('compile and write the docs site (no network needed to view it); test and SLO results come from target/run_results.json when present')
      .option('--out <dir>', 'the folder to write (default: target/docs); replaced whole each time')
      .action(async (options: GenerateOptions) => {
        const { generateDocs } = await import('../../pipeline/docs.js');
        const reporter = createReporter(options.logFormat, options.quiet);
        const summary = await generateDocs({ ...options, ...(options.out ? { out: path.resolve(options.out) } : {}) });
        reporter.diagnostics(summary.warnings, sourceReader(summary.rootDir));
        reporter.info(
          `docs: ${summary.models} models, ${summary.files} files in ${path.relative(process.cwd(), summary.dir) || '.'}${summary.withResults ? ', with the last run\'s results' : ''} in ${summary.seconds.toFixed(2)}s; open index.html, or run \`charter docs serve\``,
          { dir: summary.dir, files: summary.files, models: summary.models, withResults: summary.withResults, seconds: summary.seconds },
        );
      })
      .exitOverride()
      .showSuggestionAfterError(true),
  );
  docs.addCommand(
    withGlobalOptions(new Command('serve'), { selection: false })
      .description('serve the generated docs site on localhost until Ctrl-C')
      .option('--dir <dir>', 'the site\'s folder (default: the project\'s target/docs)')
      .option('--port <n>', 'the port (0: any free one)', parsePort, 8080)
      .option('--host <address>', 'the address to listen on', '127.0.0.1')
      .action(async (options: ServeCommandOptions) => {
        const { serveDocs } = await import('../../pipeline/docs-serve.js');
        const dir = options.dir ? path.resolve(options.dir) : await defaultDocsDir(options.projectDir);
        const reporter = createReporter(options.logFormat, options.quiet);
        const { server, url } = await serveDocs({ dir, port: options.port, host: options.host });
        reporter.info(`docs: serving ${path.relative(process.cwd(), dir) || '.'} at ${url} (Ctrl-C to stop)`, { dir, url });
        await new Promise<void>((resolve) => {
          const stop = (): void => {
            process.off('SIGINT', stop);
            process.off('SIGTERM', stop);
            server.close(() => resolve());
            server.closeAllConnections();
          };
          process.on('SIGINT', stop);
          process.on('SIGTERM', stop);
        });
      })
      .exitOverride()
      .showSuggestionAfterError(true),
  );
  return docs;
}

/** target/docs of the project, its target folder as project.yml names it. */
async function defaultDocsDir(projectDir: string): Promise<string> {
  const { loadProjectConfig } = await import('../../load/load-project.js');
  const { config } = await loadProjectConfig(projectDir);
  return path.resolve(projectDir, config.paths?.target ?? 'target', 'docs');
}

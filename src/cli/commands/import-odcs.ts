// `charter import-odcs`: turn an ODCS v3 contract into charter contracts under contracts/.
import { Command } from 'commander';
import { importOdcsFile } from '../../pipeline/import-odcs.js';
import { createReporter } from '../reporter.js';

export function importOdcsCommand(): Command {
  return new Command('import-odcs')
    .description('convert an ODCS v3 data contract (YAML) into charter contracts, one per table')
    .argument('<file>', 'the ODCS contract')
    .option('--out-dir <dir>', 'where to write the charter contracts', 'contracts')
    .option('--force', 'overwrite contracts that already exist', false)
    .action(async (file: string, options: { outDir: string; force: boolean }) => {
      const reporter = createReporter('text', false);
      const { written, notes } = await importOdcsFile(file, options);
      for (const note of notes) reporter.info(`note: ${note}`);
      reporter.info(`wrote ${written.join(', ') || 'nothing'}`);
    });
}

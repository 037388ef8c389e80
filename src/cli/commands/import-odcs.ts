// `charter import-odcs`: turn an ODCS v3 contract into charter contracts under contracts/.
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Command } from 'commander';
import { error, throwIfErrors, UserError } from '../../diagnostics/diagnostic.js';
import { importOdcs, OdcsImportError } from '../../load/import-odcs.js';
import { parseContract } from '../../load/load-contracts.js';
import { createReporter } from '../reporter.js';

export function importOdcsCommand(): Command {
  return new Command('import-odcs')
    .description('convert an ODCS v3 data contract (YAML) into charter contracts, one per table')
    .argument('<file>', 'the ODCS contract')
    .option('--out-dir <dir>', 'where to write the charter contracts', 'contracts')
    .option('--force', 'overwrite contracts that already exist', false)
    .action(async (file: string, options: { outDir: string; force: boolean }) => {
      const reporter = createReporter('text', false);
      let imported;
      try {
        imported = importOdcs(await readFile(file, 'utf8'), path.basename(file));
      } catch (e) {
        if (e instanceof OdcsImportError || (e instanceof Error && e.name === 'YAMLParseError')) {
          throw new UserError([error('contract.invalid', e.message.split('\n')[0] ?? e.message, { location: { file, line: 1, column: 1 } })]);
        }
        throw e;
      }
      // Every contract written must load as a charter contract; check all before writing any.
      const targets = imported.contracts.map((c) => ({ ...c, out: path.join(options.outDir, c.file) }));
      throwIfErrors(targets.flatMap((c) => parseContract(c.out, c.yaml).diagnostics));
      const clashes = targets.filter((c) => existsSync(c.out) && !options.force);
      if (clashes.length) {
        throw new UserError(clashes.map((c) => error('cli.usage', `${c.out} exists`, { hint: 'pass --force to overwrite it' })));
      }
      await mkdir(options.outDir, { recursive: true });
      for (const c of targets) await writeFile(c.out, c.yaml);
      for (const note of imported.notes) reporter.info(`note: ${note}`);
      reporter.info(`wrote ${targets.map((c) => c.out).join(', ') || 'nothing'}`);
    });
}

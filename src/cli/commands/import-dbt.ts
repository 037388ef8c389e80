// `charter import-dbt`: write a charter project.yml from a dbt project's dbt_project.yml, reporting what did not carry.
import { Command } from 'commander';
import { importDbtDir } from '../../pipeline/import-dbt.js';
import { createReporter } from '../reporter.js';

export function importDbtCommand(): Command {
  return new Command('import-dbt')
    .description("convert a dbt project's dbt_project.yml into a charter project.yml in the same folder")
    .argument('<dir>', 'the dbt project folder')
    .option('--force', 'overwrite an existing project.yml', false)
    .action(async (dir: string, options: { force: boolean }) => {
      const reporter = createReporter('text', false);
      const { written, notes } = await importDbtDir(dir, options);
      for (const n of notes) reporter.info(`${n.location.file}:${n.location.line}:${n.location.column}: not carried: ${n.message}`);
      reporter.info(`wrote ${written}${notes.length ? ` (${notes.length} setting${notes.length === 1 ? '' : 's'} not carried)` : ''}`);
    });
}

// `charter init`: a new project with one model per layer and a seed, that builds at once.
import { Command } from 'commander';
import { scaffold } from '../../pipeline/scaffold.js';
import { charterInvocation } from '../charter-invocation.js';
import { createReporter } from '../reporter.js';

export function initCommand(): Command {
  return new Command('init')
    .description('create a new charter project in <dir> (which must be empty or missing)')
    .argument('<dir>', 'directory for the new project')
    .option('--name <name>', 'project name (default: the directory name)')
    .action(async (dir: string, options: { name?: string }) => {
      const { name, root } = await scaffold(dir, options);
      createReporter('text', false).info(`created project ${name} in ${root}\nnext: cd ${dir} && ${charterInvocation(root)} build`);
    });
}

// `charter semantic pull <view> [--merge]`: what differs between a semantic view as deployed on Snowflake and as the
// project defines it; --merge writes the verified queries only the warehouse has into the project's file.
import { Command } from 'commander';
import { withGlobalOptions, type GlobalOptions } from '../global-options.js';
import type { SemanticPull } from '../../pipeline/semantic-pull.js';

interface PullCommandOptions extends GlobalOptions {
  readonly merge: boolean;
}

const SIDE = { deployed: 'deployed only', project: 'project only', changed: 'changed' } as const;

/** The pull as lines: one per difference, then what was merged or could be. */
export function describePull(pull: SemanticPull, merging: boolean): string {
  const count = pull.differences.length;
  const lines = [`semantic view ${pull.name} (${pull.file}): ${count ? `${count} difference${count === 1 ? '' : 's'}` : 'deployed as the project defines it'}`];
  const width = Math.max(0, ...pull.differences.map((d) => d.kind.length));
  for (const d of pull.differences) lines.push(`${SIDE[d.side].padEnd(13)}  ${d.kind.padEnd(width)}  ${d.name}${d.detail ? `: ${d.detail}` : ''}`);
  const deployedQueries = pull.differences.filter((d) => d.side === 'deployed' && d.kind === 'verified query').length;
  if (pull.merged.length) lines.push(`merged into ${pull.file}: ${pull.merged.map((q) => q.name).join(', ')}`);
  else if (deployedQueries && !merging) lines.push(`pass --merge to write the ${deployedQueries} deployed-only verified quer${deployedQueries === 1 ? 'y' : 'ies'} into ${pull.file}`);
  return `${lines.join('\n')}\n`;
}

export function semanticPullCommand(): Command {
  return withGlobalOptions(new Command('pull'), { selection: false })
    .description('read a semantic view back from Snowflake (SYSTEM$READ_YAML_FROM_SEMANTIC_VIEW) and show what differs from the project')
    .argument('<view>', 'a semantic view of the project, as semantic_views/<view>.yml names it')
    .option('--merge', "write the verified queries only the deployed view has into the project's YAML", false)
    .action(async (view: string, options: PullCommandOptions) => {
      const { semanticPull } = await import('../../pipeline/semantic-pull.js');
      const pull = await semanticPull({ ...options, view, merge: options.merge });
      process.stdout.write(describePull(pull, options.merge));
    });
}

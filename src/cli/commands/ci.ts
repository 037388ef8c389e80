// `charter ci --base <ref>`: the pull-request gate in one command. Exit 0 when every step passes, 1 on any error
// finding or a failed build or test; --junit, --sarif and --summary write the same findings for CI systems, and on
// GitHub Actions they are printed as workflow annotations (and the summary appended to the job's summary).
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { renderCiJunit } from '../../artifacts/ci-junit.js';
import { renderCiSummary } from '../../artifacts/ci-summary.js';
import { githubAnnotations } from '../../artifacts/github-annotations.js';
import { renderSarif } from '../../artifacts/sarif.js';
import { writeFileAtomic } from '../../load/atomic-file.js';
import type { CiOptions } from '../../pipeline/ci.js';
import { CHARTER_VERSION } from '../../version.js';
import { withGlobalOptions, type GlobalOptions } from '../global-options.js';
import { untilInterrupted } from '../interrupt.js';
import { createReporter } from '../reporter.js';
import { withSigningKey } from '../sign-key-option.js';

type Options = GlobalOptions & CiOptions & { readonly junit?: string; readonly sarif?: string; readonly summary?: string };

export function ciCommand(): Command {
  return withSigningKey(withGlobalOptions(new Command('ci'), { selection: false }))
    .description('gate a pull request: compile, lint, contracts, governance, breaking changes against --base, then build and test state:modified+ on a fresh DuckDB, or on a Snowflake target in a database of its own, dropped after')
    .requiredOption('--base <ref>', 'the git ref to compare with (e.g. origin/main), or a manifest.json path')
    .option('--junit <file>', 'write the gate and the tests as JUnit XML')
    .option('--sarif <file>', 'write the findings as SARIF 2.1.0 (GitHub code scanning)')
    .option('--summary <file>', 'write a Markdown summary for the pull request (also appended to $GITHUB_STEP_SUMMARY when set)')
    .option('--keep', 'on a Snowflake target: keep the gate\'s database (<DATABASE>_CI_<id>) after the build instead of dropping it')
    .action(async (options: Options) => {
      const { ci } = await import('../../pipeline/ci.js');
      const reporter = createReporter(options.logFormat, options.quiet);
      const report = await untilInterrupted((signal) => ci({ ...options, signal, reporter }));
      if (options.junit) writeFileAtomic(path.resolve(options.junit), renderCiJunit(report));
      if (options.sarif) writeFileAtomic(path.resolve(options.sarif), `${JSON.stringify(renderSarif(report, CHARTER_VERSION), null, 2)}\n`);
      const summary = renderCiSummary(report);
      if (options.summary) writeFileAtomic(path.resolve(options.summary), summary);
      const stepSummary = process.env['GITHUB_STEP_SUMMARY'];
      if (stepSummary) appendFileSync(stepSummary, `${summary}\n`);
      if (process.env['GITHUB_ACTIONS'] === 'true') process.stdout.write(githubAnnotations(report));
      const failed = report.steps.filter((s) => s.status === 'fail').map((s) => s.name);
      reporter.info(
        report.passed ? `charter ci: PASSED against ${report.base} (${report.seconds.toFixed(1)}s)` : `charter ci: FAILED against ${report.base}: ${failed.join(', ')} (${report.seconds.toFixed(1)}s)`,
        { passed: report.passed, failed },
      );
      process.exitCode = report.passed ? 0 : 1;
    });
}

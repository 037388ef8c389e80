// `charter lint`: every lint rule over the rendered project (no database, no files written); exit 1 on any error.
import { Command } from 'commander';
import { hasErrors } from '../../diagnostics/diagnostic.js';
import { sourceReader } from '../../diagnostics/source-reader.js';
import { withGlobalOptions, type GlobalOptions } from '../global-options.js';
import { createReporter } from '../reporter.js';

interface LintCommandOptions extends GlobalOptions {
  readonly listRules: boolean;
}

export function lintCommand(): Command {
  return withGlobalOptions(new Command('lint'), { selection: false })
    .description('check models for SQL that does not parse, hardcoded tables, SELECT * and missing contracts in PLATINUM, skipped layers, unused macros and sources')
    .option('--list-rules', 'print the rules, their default severity and summary, and exit', false)
    .action(async (options: LintCommandOptions) => {
      const reporter = createReporter(options.logFormat, options.quiet);
      const { LINT_RULES } = await import('../../validate/lint/lint-rules.js');
      if (options.listRules) {
        for (const rule of LINT_RULES) reporter.info(`${rule.id.padEnd(20)} ${rule.defaultSeverity.padEnd(6)} ${rule.summary}`, { rule: rule.id, severity: rule.defaultSeverity, summary: rule.summary });
        return;
      }
      const t0 = performance.now();
      const { lintProject } = await import('../../pipeline/lint.js');
      const { diagnostics } = await lintProject(options);
      reporter.diagnostics(diagnostics, sourceReader(options.projectDir));
      const count = (severity: string): number => diagnostics.filter((d) => d.severity === severity).length;
      const [errors, warnings, infos] = [count('error'), count('warning'), count('info')];
      const seconds = (performance.now() - t0) / 1000;
      reporter.info(
        `${diagnostics.length ? '\n' : ''}lint: ${errors ? 'FAILED' : 'passed'}, ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}, ${infos} not checked (${seconds.toFixed(2)}s)`,
        { errors, warnings, unchecked: infos, seconds },
      );
      process.exitCode = hasErrors(diagnostics) ? 1 : 0;
    });
}

// `charter check <what>`: checks of the project that build nothing. `check governance` runs the governance coverage
// gate (every pii and phi column masked or exempt, row access on PHI, derived PLATINUM columns classified, policies
// defined) and prints each gap and the coverage summary; exit 1 on any error.
import { Command } from 'commander';
import { hasErrors } from '../../diagnostics/diagnostic.js';
import { sourceReader } from '../../diagnostics/source-reader.js';
import type { CoverageSummary } from '../../validate/check-governance-coverage.js';
import { withGlobalOptions, type GlobalOptions } from '../global-options.js';
import { createReporter } from '../reporter.js';

export function checkCommand(): Command {
  const check = new Command('check').description('check the project without building it (governance)');
  check.addCommand(
    withGlobalOptions(new Command('governance'), { selection: false })
      .description('the governance coverage gate: pii/phi masked or exempt, row access on PHI, derived PLATINUM columns classified')
      .action(async (options: GlobalOptions) => {
        // Column lineage (WebAssembly) loads only when this command runs.
        const { checkGovernance, coverageJson, coverageLine } = await import('../../pipeline/check-governance.js');
        const reporter = createReporter(options.logFormat, options.quiet);
        const report = await checkGovernance(options);
        reporter.diagnostics(report.diagnostics, sourceReader(report.rootDir));
        const errors = report.diagnostics.filter((d) => d.severity === 'error').length;
        reporter.info(
          [`${report.diagnostics.length ? '\n' : ''}${coverageLine(report.summary)}`, ...unknownLines(report.summary), verdict(errors, report.seconds)].join('\n'),
          { governance: coverageJson(report.summary), errors, seconds: report.seconds },
        );
        process.exitCode = hasErrors(report.diagnostics) ? 1 : 0;
      })
      .exitOverride()
      .showSuggestionAfterError(true),
  );
  return check;
}

function unknownLines(summary: CoverageSummary): string[] {
  return summary.lineageUnknown.map((u) => `  lineage unknown: ${u.model}.${u.column}: ${u.reasons.join('; ')}`);
}

const verdict = (errors: number, seconds: number): string =>
  errors ? `governance gate: FAILED, ${errors} error${errors === 1 ? '' : 's'} (${seconds.toFixed(2)}s)` : `governance gate: passed (${seconds.toFixed(2)}s)`;

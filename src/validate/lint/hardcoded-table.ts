// Rule: models and contract tests read other relations through ref() and source(), never by physical name (the DAG
// would not know the dependency). This is the `ref.hardcoded` warning build has always printed, as a lint rule.
// Its parser (node-sql-parser) reads only part of Snowflake SQL: what it cannot read is "could not check" (info).
import type { Diagnostic, SourceLocation } from '../../diagnostics/diagnostic.js';
import { checkTableReferences, checkTestReferences } from '../check-table-references.js';
import type { LintFinding, LintRule } from './lint-rule.js';

export const hardcodedTable: LintRule = {
  id: 'ref_hardcoded',
  summary: 'a model or contract test names a physical table instead of using ref() or source()',
  defaultSeverity: 'warn',
  check: ({ project, contractTests }) => {
    const models = project.order.flatMap((id) => {
      const node = project.nodes.get(id);
      return node?.kind === 'model' ? findings(checkTableReferences(node, project), node.name, { file: node.path, line: 1, column: 1 }) : [];
    });
    const tests = contractTests.flatMap((test) => findings(checkTestReferences(test, project), `test ${test.name}`, test.location));
    return [...models, ...tests];
  },
};

function findings(warnings: readonly Diagnostic[] | undefined, who: string, at: SourceLocation): LintFinding[] {
  if (!warnings) {
    return [{
      code: 'lint.unchecked',
      info: true,
      message: `could not check whether ${who} names tables outside ref() and source(): the table parser cannot read its SQL`,
      location: at,
      hint: 'nothing to do; read the SQL for table names written out',
    }];
  }
  return warnings.flatMap((d) => (d.location ? [{ code: d.code, message: d.message, location: d.location, hint: d.hint ?? '' }] : []));
}

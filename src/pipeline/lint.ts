// `charter lint` as a library call: load and render the project (no files written), then run every lint rule.
import { dialectFor } from '../adapters/dialects.js';
import { UserError, type Diagnostic } from '../diagnostics/diagnostic.js';
import { loadProject } from '../load/load-project.js';
import { bindContracts } from '../render/bind-contracts.js';
import { compileProject } from '../render/compile-project.js';
import type { SqlParse } from '../validate/lint/lint-rule.js';
import { runLint, unknownRuleIds } from '../validate/lint/run-lint.js';

export interface LintOptions {
  readonly projectDir: string;
  readonly target?: string;
}

/**
 * Every finding of every enabled rule, with file, line, column and hint; error-severity findings fail the gate.
 * A project that does not load or render gives those errors instead (nothing to lint).
 */
export async function lintProject(options: LintOptions): Promise<{ diagnostics: Diagnostic[] }> {
  try {
    const loaded = await loadProject({ projectDir: options.projectDir, target: options.target });
    const project = compileProject(loaded);
    const bound = bindContracts(loaded.contracts, project, dialectFor(loaded.target.engine), loaded.vars);
    const parsers = await sqlParsers();
    const context = { loaded, project, contractTests: bound.bindings.tests, governed: new Set([...bound.bindings.byModel].filter(([, b]) => !b.contract.fromProperties).map(([id]) => id)), ...parsers };
    const unknown: Diagnostic[] = unknownRuleIds(context).map((id) => ({
      code: 'project.invalid',
      severity: 'warning',
      message: `project.yml lint.rules names \`${id}\`, which is no lint rule`,
      location: { file: 'project.yml', line: 1, column: 1 },
      hint: 'charter lint --list-rules shows the rules',
    }));
    return { diagnostics: [...unknown, ...runLint(context)] };
  } catch (e) {
    if (e instanceof UserError) return { diagnostics: [...e.diagnostics] };
    throw e;
  }
}

/** polyglot's Snowflake parser, and node-sql-parser as the second opinion; both loaded only when lint runs. */
async function sqlParsers(): Promise<{ parseSnowflake: (sql: string) => SqlParse; parsesElsewhere: (sql: string) => boolean }> {
  const [{ parse, Dialect }, { default: sqlParser }] = await Promise.all([import('@polyglot-sql/sdk'), import('node-sql-parser')]);
  const other = new sqlParser.Parser();
  return {
    parseSnowflake: (sql) => {
      const result = parse(sql, Dialect.Snowflake);
      if (result.success) return { ok: true, ast: (result.ast ?? []) as unknown[] };
      return { ok: false, message: result.error ?? 'parse error', line: result.errorLine, column: result.errorColumn, start: result.errorStart, end: result.errorEnd };
    },
    parsesElsewhere: (sql) => {
      try {
        other.astify(sql, { database: 'snowflake' });
        return true;
      } catch {
        return false;
      }
    },
  };
}

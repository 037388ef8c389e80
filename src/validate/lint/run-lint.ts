// Runs the lint rules with the project's severities (project.yml `lint: {rules: {<id>: off|info|warn|error}}`).
import type { Diagnostic, Severity } from '../../diagnostics/diagnostic.js';
import type { LintContext, LintRule, LintSeverity } from './lint-rule.js';
import { LINT_RULES } from './lint-rules.js';

const SEVERITY: Record<Exclude<LintSeverity, 'off'>, Severity> = { info: 'info', warn: 'warning', error: 'error' };

export function runLint(context: LintContext, rules: readonly LintRule[] = LINT_RULES): Diagnostic[] {
  const configured = (context.loaded.config.lint?.rules ?? {}) as Readonly<Record<string, LintSeverity | undefined>>;
  return rules.flatMap((rule) => {
    const level = configured[rule.id] ?? rule.defaultSeverity;
    if (level === 'off') return [];
    return rule.check(context).map((f): Diagnostic => ({
      code: f.code,
      severity: f.info ? 'info' : SEVERITY[level],
      message: f.message,
      location: f.location,
      hint: f.hint,
    }));
  });
}

/** Rule ids project.yml names that no rule has: a typo would silently leave a rule on. */
export function unknownRuleIds(context: Pick<LintContext, 'loaded'>, rules: readonly LintRule[] = LINT_RULES): string[] {
  const known = new Set(rules.map((r) => r.id));
  return Object.keys(context.loaded.config.lint?.rules ?? {}).filter((id) => !known.has(id));
}

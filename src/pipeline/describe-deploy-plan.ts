// A deploy plan for people: one line per change (what, which node, why, what it breaks), its SQL indented under it,
// and a closing count. Each line also goes out with its fields, for --log-format json. Pure.
import type { PolicyReplacement } from '../adapters/governance.js';
import type { DeployPlan, PlannedChange } from '../execute/deploy-steps.js';
import type { NodeChange } from '../plan/deploy-diff.js';
import { POLICY_KIND_NAME, replacementReason } from '../plan/policy-changes.js';

export interface PlanLine {
  readonly message: string;
  readonly fields?: Record<string, unknown>;
}

const LABEL: Readonly<Record<NodeChange['kind'], string>> = { create: 'create', alter: 'alter', replace: 'replace', governance: 'governance', drop: 'drop' };

const indent = (text: string): string => text.split('\n').map((l) => `    ${l}`).join('\n');
const terminated = (sql: string): string => (sql.startsWith('--') ? sql : `${sql};`);

/**
 * With `sql`, each change's statements follow its line, and a blank line ends them (a plan shows them; an apply's
 * statement log records them). Policy replacements come first, as they run first. `verb` opens the closing count:
 * "plan", "applying".
 */
export function describePlan(plan: DeployPlan, { sql, verb }: { sql: boolean; verb: string }): PlanLine[] {
  const all: NodeChange[] = [...plan.changes, ...plan.withheld];
  const width = Math.max(0, ...all.map((c) => `${c.name} (${c.materialized})`.length));
  const line = (c: NodeChange, label: string, why: string): string =>
    `${label.padEnd(11)}${`${c.name} (${c.materialized})`.padEnd(width)}  ${c.relationName}: ${why}${c.breaking.length ? ` (breaking: ${c.breaking.join('; ')})` : ''}`;
  const changes = plan.changes.map((c: PlannedChange): PlanLine => {
    const head = line(c, LABEL[c.kind], c.reasons.join('; '));
    const body = sql ? (c.sql.length ? c.sql.map((s) => indent(terminated(s))).join('\n') : indent('-- no statements: the relation stays as it is')) : '';
    return { message: sql ? `${head}\n${body}\n` : head, fields: { change: summaryOf(c), sql: c.sql } };
  });
  const policies = plan.policies.map((p: PolicyReplacement): PlanLine => {
    const head = `${'policy'.padEnd(11)}${p.name} (${POLICY_KIND_NAME[p.kind]}): ${replacementReason(p)}`;
    return {
      message: sql ? `${head}\n${p.sql.map((s) => indent(terminated(s))).join('\n')}\n` : head,
      fields: { policy: { kind: p.kind, name: p.name, from: p.from, to: p.to, attachments: p.attachments, ...(p.finish ? { finish: true } : {}) }, sql: p.sql },
    };
  });
  const withheld = plan.withheld.map((c): PlanLine => ({
    message: line(c, 'would drop', `${c.reasons.join('; ')}; pass --allow-drop to drop it`),
    fields: { withheld: summaryOf(c) },
  }));
  return [...policies, ...changes, ...withheld, { message: closing(plan, verb), fields: { counts: counts(plan) } }];
}

function summaryOf(c: NodeChange): Record<string, unknown> {
  return {
    kind: c.kind, node: c.node, materialized: c.materialized, relation: c.relationName, reasons: c.reasons, breaking: c.breaking,
    ...(c.added ? { added: c.added.map((a) => ({ name: a.name, dataType: a.dataType })) } : {}),
  };
}

function counts(plan: DeployPlan): Record<string, number> {
  const n = (kind: NodeChange['kind']): number => plan.changes.filter((c) => c.kind === kind).length;
  return {
    create: n('create'), alter: n('alter'), replace: n('replace'), governance: n('governance'), drop: n('drop'), policies: plan.policies.length,
    withheld: plan.withheld.length, unchanged: plan.unchanged,
  };
}

function closing(plan: DeployPlan, verb: string): string {
  if (!plan.changes.length && !plan.withheld.length && !plan.policies.length) return `up to date: ${plan.unchanged} node${plan.unchanged === 1 ? '' : 's'} deployed as the project says`;
  const n = counts(plan);
  const parts = [`${n['create']} to create`, `${n['alter']} to alter`, `${n['replace']} to replace`, `${n['governance']} to re-apply governance`, `${n['drop']} to drop`];
  if (n['policies']) parts.push(`${n['policies']} polic${n['policies'] === 1 ? 'y' : 'ies'} to replace without a window`);
  const withheld = n['withheld'] ? `; ${n['withheld']} drop${n['withheld'] === 1 ? '' : 's'} withheld (pass --allow-drop)` : '';
  const breaking = plan.changes.filter((c) => c.breaking.length).length;
  return `${plan.changes.length || plan.policies.length ? verb : 'nothing to apply'}: ${parts.join(', ')}; ${plan.unchanged} unchanged${withheld}${breaking ? `; ${breaking} breaking` : ''}`;
}

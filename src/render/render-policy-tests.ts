// Policy tests: what a role must see of a governed model, as a contract states it (`policy_tests`), rendered as
// failing-row queries in Snowflake SQL. Each reads the model twice: through its public name, as the role sees it
// (the runner puts the session in the role first), and as stored; a failing row names the problem and the row's
// key, never a value, so a failure never carries the personal data it is about. Pure.
import { quoteLiteral, type SqlDialect } from '../adapters/dialect.js';
import { error, type Diagnostic } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../diagnostics/suggest.js';
import { locate, type GovernedModel, type LoadedContract } from '../load/load-contracts.js';
import type { PolicyTest } from '../load/contract-schema.js';
import type { ProjectPolicies } from '../load/load-policies.js';
import { testId } from '../project/node-id.js';
import type { CompiledProject, ModelNode } from '../project/nodes.js';
import { physicalRelation } from '../project/relation.js';
import type { ContractBindings } from './bind-contracts.js';
import type { GovernanceSpec } from './governance-spec.js';
import { needsProtection, rolesHeldBy } from './governance-sql.js';
import type { DataTest } from './render-contract-tests.js';

export function renderPolicyTests(
  bindings: ContractBindings,
  governance: GovernanceSpec,
  project: CompiledProject,
  dialect: SqlDialect,
): { tests: DataTest[]; diagnostics: Diagnostic[] } {
  const tests: DataTest[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const [id, bound] of bindings.byModel) {
    const model = project.nodes.get(id);
    if (model?.kind !== 'model') continue;
    // Locally a protected model keeps its rows under a private name; elsewhere the public name is all there is.
    const stored = needsProtection(governance.relations.get(id)) ? dialect.renderRelation(physicalRelation(model.relation)) : model.relationName;
    const used = new Map<string, number>();
    bound.governed.policyTests.forEach((test, i) => {
      const rendered = renderOne(test, [...bound.governed.base, 'policy_tests', i], { contract: bound.contract, governed: bound.governed, model, stored, project, dialect, policies: governance.policies });
      if (!('test' in rendered)) return void diagnostics.push(...rendered.problems);
      // Two tests as one role (say, one per region predicate) keep distinct ids.
      const seen = (used.get(rendered.test.id) ?? 0) + 1;
      used.set(rendered.test.id, seen);
      const { id: first, name, sql } = rendered.test;
      tests.push(seen === 1 ? rendered.test : { ...rendered.test, id: `${first}_${seen}`, name: `${name}_${seen}`, sql: sql.replace(first, `${first}_${seen}`) });
    });
  }
  return { tests, diagnostics };
}

interface Context {
  readonly contract: LoadedContract;
  readonly governed: GovernedModel;
  readonly model: ModelNode;
  /** The relation as stored, rendered. */
  readonly stored: string;
  readonly project: CompiledProject;
  readonly dialect: SqlDialect;
  readonly policies: ProjectPolicies;
}

function renderOne(test: PolicyTest, path: ReadonlyArray<string | number>, ctx: Context): { test: DataTest } | { problems: Diagnostic[] } {
  const { contract, governed, model, dialect } = ctx;
  const at = (...more: Array<string | number>) => locate(contract, [...path, ...more]);
  const problems: Diagnostic[] = [];
  const columns = governed.columns.map((c) => c.name);
  const column = (name: string, where: Array<string | number>): string | undefined => {
    const found = governed.columns.find((c) => c.name.toLowerCase() === name.toLowerCase());
    if (!found) {
      problems.push(error('contract.invalid', `policy test names column \`${name}\`, which the contract does not list for ${governed.name}`, {
        location: at(...where), hint: didYouMean(name, columns),
      }));
    }
    return found?.name;
  };
  const role = test.role.toUpperCase();
  if (!ctx.policies.roles.has(role)) {
    problems.push(error('policy.undefined', `role \`${test.role}\` is not defined`, {
      location: at('role'), hint: didYouMean(role, ctx.policies.roles.keys()) ?? 'define it under roles: in policies/*.yml',
    }));
  }
  const primary = governed.columns.find((c) => c.constraints?.primary_key)?.name;
  const key = test.key ? column(test.key, ['key']) : primary;
  if (!test.key && !primary) {
    problems.push(error('contract.invalid', `policy test on ${governed.name} needs a key column to match rows: the contract names no primary key`, {
      location: at('role'), hint: 'add key: <column> to the policy test, or constraints: {primary_key: true} to the column',
    }));
  }
  if (!test.masked?.length && !test.clear?.length && test.sees === undefined) {
    problems.push(error('contract.invalid', `policy test as ${test.role} on ${governed.name} checks nothing`, {
      location: at('role'), hint: 'say what the role sees: masked: [columns], clear: [columns], sees: all | none | <predicate>',
    }));
  }
  const masked = (test.masked ?? []).map((c, i) => column(c, ['masked', i]));
  const clear = (test.clear ?? []).map((c, i) => column(c, ['clear', i]));
  if (problems.length || !key) return { problems };

  const q = (name: string): string => dialect.quoteIdentifier(name);
  const k = q(key);
  const view = model.relationName;
  const asText = (expr: string): string => `CAST(${expr} AS VARCHAR)`;
  const parts: string[] = [];
  if (test.sees !== undefined) {
    const predicate = test.sees.trim().toLowerCase() === 'all' ? 'TRUE' : test.sees.trim().toLowerCase() === 'none' ? 'FALSE' : `(${test.sees})`;
    const expected = `(SELECT ${k} FROM ${ctx.stored} WHERE ${predicate})`;
    parts.push(
      `SELECT 'hidden from the role, but the test says it sees it' AS problem, ${asText(`e.${k}`)} AS row_key\nFROM ${expected} AS e\nWHERE NOT EXISTS (SELECT 1 FROM ${view} AS v WHERE v.${k} = e.${k})`,
      `SELECT 'visible to the role, but the test says it does not see it' AS problem, ${asText(`v.${k}`)} AS row_key\nFROM ${view} AS v\nWHERE NOT EXISTS (SELECT 1 FROM ${expected} AS e WHERE e.${k} = v.${k})`,
    );
  }
  const compared = (name: string, problem: string, condition: string): string =>
    `SELECT ${quoteLiteral(`${name} ${problem}`)} AS problem, ${asText(`v.${k}`)} AS row_key\nFROM ${view} AS v JOIN ${ctx.stored} AS s ON s.${k} = v.${k}\nWHERE ${condition}`;
  for (const name of masked) parts.push(compared(name!, 'in clear', `s.${q(name!)} IS NOT NULL AND v.${q(name!)} IS NOT DISTINCT FROM s.${q(name!)}`));
  for (const name of clear) parts.push(compared(name!, 'masked', `v.${q(name!)} IS DISTINCT FROM s.${q(name!)}`));

  const location = at();
  const id = testId(ctx.project.projectName, model.name, 'policy', role.toLowerCase());
  const what = [masked.length ? `masked: ${masked.join(', ')}` : '', clear.length ? `clear: ${clear.join(', ')}` : '', test.sees !== undefined ? `sees: ${test.sees.replace(/\s+/g, ' ')}` : '']
    .filter(Boolean).join('; ');
  return {
    test: {
      id,
      name: `policy_${governed.name}_as_${role.toLowerCase()}`,
      contract: contract.contract.name,
      modelId: model.uniqueId,
      kind: 'policy',
      severity: test.severity ?? 'error',
      errorIf: '!=0',
      warnIf: '!=0',
      sql: [
        `-- charter policy test ${id}`,
        `-- as ${role} on ${model.name} (${what}); contract ${contract.contract.name.replace(/[\r\n\u2028\u2029]+/g, ' ')} (${location.file}:${location.line}:${location.column})`,
        parts.join('\nUNION ALL\n'),
      ].join('\n'),
      location,
      dependsOn: [],
      as: { role, roles: rolesHeldBy(role, ctx.policies) },
    },
  };
}

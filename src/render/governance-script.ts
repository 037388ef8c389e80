// A project's governance as one script of the target engine's statements: the project-level ones (schema, roles,
// tags, policies), then each governed relation's, under its own name. `charter compile` writes it to
// target/compiled/governance/<engine>.sql for review; a build sends the same statements, each relation's on its
// staged relation before it takes its name. Pure.
import type { GovernanceDdl, GovernedKind, SetupStep } from '../adapters/governance.js';
import type { SqlDialect } from '../adapters/dialect.js';
import type { CompiledProject, ModelNode } from '../project/nodes.js';
import type { Relation } from '../project/relation.js';
import type { GovernanceSpec } from './governance-spec.js';

export interface GovernedRelation {
  readonly node: string;
  readonly name: string;
  readonly relation: Relation;
  readonly kind: GovernedKind;
  readonly statements: readonly string[];
}

export interface GovernanceScript {
  readonly database: string;
  readonly schema: string;
  readonly setup: readonly SetupStep[];
  /** In the project's build order. */
  readonly relations: readonly GovernedRelation[];
}

/** What a model is to the statements that govern it; an ephemeral model has no relation to govern. */
export function governedKind(model: ModelNode): GovernedKind | undefined {
  switch (model.config.materialized) {
    case 'ephemeral':
      return undefined;
    case 'view':
      return 'view';
    case 'dynamic_table':
      return 'dynamic_table';
    default:
      return 'table';
  }
}

/** `deployRole`: the role the target deploys as, which every policy lets read as stored (see PolicyLocation). */
export function governanceScript(spec: GovernanceSpec, project: CompiledProject, ddl: GovernanceDdl, deployRole?: string): GovernanceScript {
  const at = { database: project.target.database, schema: spec.schema, ...(deployRole ? { deployRole } : {}) };
  const relations: GovernedRelation[] = [];
  for (const id of project.order) {
    const governance = spec.relations.get(id);
    const model = project.nodes.get(id);
    const kind = model?.kind === 'model' ? governedKind(model) : undefined;
    if (!governance || !model || !kind) continue;
    relations.push({ node: id, name: model.name, relation: governance.relation, kind, statements: ddl.attach(governance, governance.relation, kind, at) });
  }
  return { ...at, setup: ddl.setup(spec.policies, at, spec.relations.values()), relations };
}

/** The script as a file: a header, the project's statements, then one section per relation; `;` ends each statement. */
export function governanceScriptText(script: GovernanceScript, dialect: SqlDialect, targetName: string): string {
  const q = (name: string): string => dialect.quoteIdentifier(name);
  const lines = (steps: readonly SetupStep[]): string => steps.map((s) => ('sql' in s ? `${s.sql};` : `-- ${s.comment}`)).join('\n\n');
  const header = [
    `-- charter governance for target ${targetName} (${dialect.engine}): policies and tags in ${q(script.database)}.${q(script.schema)}`,
    '-- A build runs the project statements once, before its first governed model, and attaches each relation\'s statements',
    '-- to the relation it has just built, under its staged name, before that takes the name below.',
  ].join('\n');
  const sections = [
    `-- ==== project: schema, roles, tags, masking and row access policies\n${lines(script.setup)}`,
    ...script.relations.map((r) =>
      `-- ==== ${r.name}: ${dialect.renderRelation(r.relation)} (${r.kind.replace('_', ' ')})\n${r.statements.length ? lines(r.statements.map((sql) => ({ sql }))) : '-- nothing to attach'}`),
  ];
  return `${header}\n\n${sections.join('\n\n')}\n`;
}

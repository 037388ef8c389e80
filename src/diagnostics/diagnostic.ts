// User-facing problems as values: every stage collects them and one printer shows them.

/** `info`: worth knowing, never a failure (a lint rule that could not check a model). */
export type Severity = 'error' | 'warning' | 'info';

/** A place in a project file: 1-based line and column. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export interface Diagnostic {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  readonly message: string;
  readonly location?: SourceLocation;
  /** What to do about it, e.g. "did you mean `stg_customers`?" */
  readonly hint?: string;
  /** Extra lines shown under the message (a failing statement, a cycle path). */
  readonly detail?: string;
}

/** Every code charter can report, declared once. */
export const DIAGNOSTIC_CODES = {
  'yaml.syntax': 'a YAML file does not parse',
  'schema.invalid': 'a YAML document does not match its JSON Schema',
  'project.missing': 'no project.yml where one was expected',
  'project.invalid': 'project.yml is well-formed but says something unsafe or impossible (a path outside the project)',
  'template.syntax': 'a model or macro template does not parse or render',
  'template.forbidden': 'a template reaches for what the sandbox refuses: JavaScript internals, the process, or files',
  'template.log': 'a template called log() or exceptions.warn(): its message, among the run\'s other notes',
  'template.unsupported': 'a template uses a Jinja or dbt construct charter does not support (named, at its file and line)',
  'macro.invalid': 'two macros share one name, or a macro takes the name of a built-in such as ref, source or var',
  'ref.unknown': 'ref() names a model or seed that does not exist',
  'ref.hardcoded': 'a model reads a relation by name instead of through ref() or source()',
  'lint.sql_parse': 'a model\'s rendered SQL does not parse as Snowflake SQL',
  'lint.unchecked': 'a lint rule could not check a model (a construct the SQL parser does not know)',
  'lint.select_star': 'a PLATINUM model selects * in its outermost select list',
  'lint.platinum_contract': 'a PLATINUM model has no contract',
  'lint.layer_skip': 'a model refs a model more than one layer below it, where project.yml forbids skipping a layer',
  'lint.unused_macro': 'a macro in macros/ is called by no model, macro or test',
  'lint.unused_source': 'a declared source table is read by no model or test',
  'format.unsafe': 'charter format could not format a model without changing what it renders to',
  'format.changed': 'charter format --check: a model is not formatted',
  'source.unknown': 'source() names a source table that is not declared',
  'var.missing': 'var() names a variable with no value and no default',
  'env_var.refused': 'env_var() names a variable project.yml does not allow under env_vars.allow, or one whose name looks like a secret (never read)',
  'env_var.missing': 'env_var() names an allowed variable that is not set, and gives no default',
  'config.invalid': 'a config() call has an unknown key or a bad value',
  'node.duplicate': 'two nodes share one name',
  'node.invalid': 'a model or seed has a name or alias reserved for charter\'s own relations',
  'graph.cycle': 'models depend on each other in a cycle',
  'select.invalid': 'a --select or --exclude expression does not parse or names nothing known',
  'translate.unsupported': 'a Snowflake construct cannot be run faithfully on DuckDB',
  'sql.syntax': "a model's SQL does not parse as Snowflake SQL",
  'engine.connect': 'charter could not log in to the warehouse (credentials, account, network)',
  'engine.error': 'the database rejected a statement',
  'engine.interrupted': 'the run was interrupted (Ctrl-C); running statements were cancelled in the warehouse',
  'engine.locked': 'the database file is held by another process',
  'seed.invalid': 'a seed file or its config is unusable',
  'cli.usage': 'the command line is not valid',
  'io.error': 'a file or folder could not be read or written (disk full, permission denied, missing folder)',
  'clean.refused': 'clean found a target folder charter has not marked as its own, and left it untouched',
  'contract.invalid': 'a contract is well-formed YAML but says something impossible (min > max, unknown type)',
  'contract.slo_invalid': 'a quality_slo string or value does not parse',
  'contract.model_unknown': 'a contract governs a model that does not exist',
  'contract.relationship_unknown': 'a relationship points at an unknown model or column',
  'contract.duplicate': 'two contracts govern one model',
  'contract.column_unknown': 'a test or SLO names a column the contract does not declare',
  'contract.slo_not_runnable': 'an SLO cannot be measured as written',
  'contract.columns_mismatch': 'a built relation does not have the columns and types its contract declares',
  'test.failed': 'a data test, SLO or unit test failed',
  'unit_test.invalid': 'a unit test file is malformed or names an unknown model or input',
  'schema.changed': 'an incremental model no longer has its table\'s columns, and its on_schema_change refuses the change',
  'contract.unbound': 'a contract names tables that resolve to no model of the project',
  'contract.deprecated': 'a contract is past its deprecation sunset date',
  'dbt.unsupported': 'a dbt construct (a property-file key, a generic test, a dbt_project.yml key) has no charter meaning and is not carried over',
  'dbt.invalid': 'a dbt property file or dbt_project.yml says something impossible (tests and data_tests on one node, an unreadable relationships target)',
  'diff.base_invalid': 'charter diff: the base (a git ref or a manifest.json) cannot be read, checked out or compiled',
  'diff.approval_refused': 'an approved_changes entry clears a breaking change but the contract\'s major version is not bumped against the base',
  'diff.deprecated_dependency': 'a model depends on a model whose contract is past its deprecation sunset: an error when the dependency is new against the base',
  'contract.breaking_change': 'charter ci: a change against the base breaks the consumers of a contract (a column removed or retyped, a protection weakened) and no approved_changes entry clears it',
  'ci.database': 'charter ci could not make or drop its own Snowflake database (CREATE DATABASE ... [CLONE], DROP DATABASE): the role may lack the privilege',
  'contract.retention_unchecked': 'a retention applies to a model but names no column that ages a row, so nothing checks it',
  'data.late': 'an incremental run sees source rows older than the model\'s late-arrival window',
  'migration.invalid': 'a file in migrations/ is not a V, R or A script charter can order, or two scripts share a version',
  'migration.drift': 'an applied versioned migration has changed since it ran, or is gone, or a pending one is older than the newest applied',
  'migration.failed': 'a migration script failed; it is recorded as failed and runs again on the next migrate',
  'policy.invalid': 'a policies file defines something twice or inconsistently (a role that inherits itself, a policy of the wrong shape)',
  'policy.undefined': 'a contract or policies file names a policy, role or tag that no policies file defines',
  'policy.projection': 'a query selects a column whose projection policy does not let the role select it (filtering on it is allowed)',
  'governance.unmasked': 'a pii or phi column has no masking policy and no unexpired masking_exemption',
  'governance.no_row_access': 'a contract holding PHI has no row access policy and no unexpired row_access_exemption',
  'governance.unclassified_derived': 'a PLATINUM column is derived (by column lineage) from a pii or phi column but is not classified pii or phi',
  'governance.stale_exemption': 'an exemption documents an exception that no longer exists (the column is masked, the row access policy is there)',
  'governance.not_in_force': 'after a run, the warehouse reports governance on a relation other than its contract says: a policy, tag or grant missing, different or extra',
  'deploy.locked': 'another apply holds the target\'s deploy lock',
  'deploy.stale': 'a saved plan no longer matches the deployed state, the warehouse or the project it was made from',
  'deploy.plan_invalid': 'a plan file is not one charter wrote, was edited, or is for another project or target',
  'deploy.policy_unmovable': 'a policy deployed with another signature cannot be replaced without a window: an attachment cannot be moved, or an earlier replacement left a different one',
  'semantic.empty': 'a semantic view defines no dimension and no metric',
  'semantic.duplicate': 'a semantic view, or a table, fact, dimension or metric within one, is defined twice',
  'semantic.model_unknown': 'a semantic view\'s logical table names a model that does not exist',
  'semantic.table_unknown': 'a relationship or expression of a semantic view names a logical table the view does not define',
  'semantic.key_invalid': 'a semantic view relationship does not reference the primary key or a unique key of its table',
  'semantic.cycle': 'a semantic view\'s relationships form a cycle, or a table references itself',
  'semantic.not_aggregate': 'a semantic view metric does not aggregate, or a derived metric aggregates',
  'semantic.metric_unknown': 'a derived metric names a metric the semantic view does not define',
  'semantic.unreachable': 'a semantic view expression reads a table its own table cannot reach many-to-one',
  'semantic.column_unknown': 'a semantic view expression or key names a column its model does not have',
  'semantic.not_deployed': 'a semantic view is not deployed on the target (or the target cannot hold one)',
  'semantic.cortex': 'Cortex Analyst refused a question or could not be reached',
  'semantic.osi_invalid': 'an Open Semantic Interchange (OSI) document says what a charter semantic view cannot hold (a query source, no SQL expression, an unknown dataset)',
  'evidence.head_mismatch': 'the evidence chain head recorded in the target\'s OPS.charter_evidence_head differs from HEAD.json, or one of them is missing',
  'evidence.tampered': 'an evidence bundle or its chain differs from what was recorded: a file changed, missing or added, a digest or link broken, the head not the newest',
  'evidence.signature': 'a public key was given to check evidence with, and a bundle is not signed, signed by another key, or its signature does not verify',
  'evidence.key_invalid': 'an evidence signing key or public key cannot be read, or is not an Ed25519 key in PEM',
} as const;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

export function error(
  code: DiagnosticCode,
  message: string,
  extra: { location?: SourceLocation; hint?: string; detail?: string } = {},
): Diagnostic {
  return { code, severity: 'error', message, ...extra };
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Thrown by a stage that collected user errors; the CLI prints them all and exits 1. */
export class UserError extends Error {
  constructor(readonly diagnostics: readonly Diagnostic[]) {
    super(diagnostics.map((d) => d.message).join('\n'));
    this.name = 'UserError';
  }
}

/** Throw when any error was collected, so a stage hands on only valid values. */
export function throwIfErrors(diagnostics: readonly Diagnostic[]): void {
  if (hasErrors(diagnostics)) throw new UserError(diagnostics);
}

// What a lint rule is: an id, a one-line summary, a default severity and a pure check over the rendered project.
import type { DiagnosticCode, SourceLocation } from '../../diagnostics/diagnostic.js';
import type { LoadedProject } from '../../load/project-files.js';
import type { CompiledProject } from '../../project/nodes.js';
import type { ContractTestSql } from '../check-table-references.js';

export type LintSeverity = 'off' | 'info' | 'warn' | 'error';

/** One Snowflake parse of rendered SQL: the statements' syntax trees, or where the parser gave up. */
export type SqlParse =
  | { readonly ok: true; readonly ast: readonly unknown[] }
  | { readonly ok: false; readonly message: string; readonly line?: number; readonly column?: number; readonly start?: number; readonly end?: number };

/** Everything a rule may read; the parsers are passed in, so rules stay pure and the WebAssembly loads once, outside. */
export interface LintContext {
  readonly loaded: LoadedProject;
  readonly project: CompiledProject;
  /** Contract tests as rendered (expression, relationship and the like). */
  readonly contractTests: readonly ContractTestSql[];
  /** Model ids a contract governs. */
  readonly governed: ReadonlySet<string>;
  /** polyglot's Snowflake parser. */
  readonly parseSnowflake: (sql: string) => SqlParse;
  /** A second opinion: true when another Snowflake-aware parser reads the SQL (a polyglot gap, not an error). */
  readonly parsesElsewhere: (sql: string) => boolean;
}

/** A rule's finding, before the project's configured severity is applied. */
export interface LintFinding {
  readonly code: DiagnosticCode;
  readonly message: string;
  readonly location: SourceLocation;
  readonly hint: string;
  /** Informational whatever the rule's severity ("could not check"). */
  readonly info?: boolean;
}

export interface LintRule {
  readonly id: string;
  readonly summary: string;
  readonly defaultSeverity: Exclude<LintSeverity, 'off'>;
  readonly check: (context: LintContext) => readonly LintFinding[];
}


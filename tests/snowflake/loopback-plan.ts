// What the loopback server does with one Snowflake statement: a plan, read from the SQL by loopback-statement.ts
// (pure) and carried out by loopback-session.ts against the session's DuckDB connection.
import type { TranslatedSql } from '../../src/adapters/adapter.js';
import { SnowflakeError, syntaxError, type ObjectName } from './loopback-names.js';
import type { SessionCommand } from './loopback-sql.js';
import type { GovernanceOp, PolicyKind, RelationObject } from './loopback-governance-sql.js';
import type { SemanticOp } from './loopback-semantic.js';

/** Snowflake SQL to DuckDB SQL: charter's own translator, as the local DuckDB target uses it. */
export type Translate = (snowflakeSql: string) => TranslatedSql;

/** An INFORMATION_SCHEMA view a statement reads, materialised into a temp table before it runs. */
export interface CatalogRef {
  readonly database: string;
  readonly view: InfoView;
  /** The temp table the statement was rewritten to read. */
  readonly table: string;
  /** Whether the statement may read ROW_COUNT or BYTES (counting every table's rows costs a scan each). */
  readonly counts: boolean;
}
export const INFO_VIEWS = ['TABLES', 'COLUMNS', 'SCHEMATA', 'VIEWS'] as const;
export type InfoView = (typeof INFO_VIEWS)[number];

/** What Snowflake knows about a relation that DuckDB does not keep. */
export interface RelationTraits {
  readonly kind: 'TABLE' | 'TRANSIENT' | 'TEMPORARY' | 'VIEW';
  readonly secure?: boolean;
  /** A dynamic table: emulated as a table built once from its SELECT (DuckDB form kept for REFRESH). */
  readonly dynamic?: { readonly targetLag: string; readonly warehouse: string; readonly text: string; readonly select: string };
  /** The CREATE statement as Snowflake received it (VIEW_DEFINITION, SHOW VIEWS text). */
  readonly text: string;
}

/** How the driver reads the result: rows, one row of counts it sums, or one status row. */
export type ResultShape =
  | { readonly kind: 'rows' }
  | { readonly kind: 'count'; readonly column: string; readonly statementTypeId: number }
  | { readonly kind: 'status' };

export type ShowObject = 'TABLES' | 'VIEWS' | 'SCHEMAS' | 'OBJECTS' | 'DATABASES' | 'DYNAMIC TABLES';
export type ShowScope =
  | { readonly kind: 'account' }
  | { readonly kind: 'database'; readonly database: string }
  | { readonly kind: 'schema'; readonly database: string; readonly schema: string };

export interface ShowRequest {
  readonly object: ShowObject;
  readonly terse: boolean;
  /** The LIKE pattern, matched case-insensitively. */
  readonly like: string | undefined;
  readonly startsWith: string | undefined;
  readonly limit: number | undefined;
  readonly scope: ShowScope;
}

/**
 * A call of an INFORMATION_SCHEMA governance table function, as `TABLE([db.]INFORMATION_SCHEMA.<fn>(...))` names it:
 * POLICY_REFERENCES of one policy or of one relation, TAG_REFERENCES of one object, TAG_REFERENCES_ALL_COLUMNS of a
 * relation's columns.
 */
export type GovernanceRead =
  | { readonly fn: 'POLICY_REFERENCES'; readonly policy: ObjectName }
  | { readonly fn: 'POLICY_REFERENCES'; readonly entity: ObjectName; readonly domain: string }
  | { readonly fn: 'TAG_REFERENCES' | 'TAG_REFERENCES_ALL_COLUMNS'; readonly relation: ObjectName; readonly column?: string };

export interface RunPlan {
  readonly kind: 'run';
  /** DuckDB statements, run in order; binds and the result belong to the last. Parameters are `$N`. */
  readonly statements: readonly string[];
  readonly result: ResultShape;
  /** Snowflake commits an open transaction before DDL and runs the DDL on its own. */
  readonly ddl: boolean;
  readonly catalog: readonly CatalogRef[];
  /** The governance table function the statement reads (its rows go into a temp table made before it runs). */
  readonly governanceRead?: GovernanceRead;
  /** For array binds: the same INSERT reading the binds from the temp table `__sf_binds` (columns c1..cN). */
  readonly bulk?: string;
  readonly creates?: { readonly relation: ObjectName; readonly traits: RelationTraits };
  /** The relation a DROP removes (with what was attached to it). */
  readonly drops?: ObjectName;
}

export type Plan =
  | RunPlan
  | { readonly kind: 'session'; readonly command: SessionCommand }
  | { readonly kind: 'transaction'; readonly op: 'begin' | 'commit' | 'rollback' }
  | { readonly kind: 'show'; readonly show: ShowRequest }
  | { readonly kind: 'describe'; readonly relation: ObjectName }
  | { readonly kind: 'describe-policy'; readonly policy: PolicyKind; readonly name: ObjectName }
  /** SHOW GRANTS ON TABLE | VIEW | DYNAMIC TABLE <name>: what the governance state holds on it. */
  | { readonly kind: 'show-grants'; readonly object: RelationObject; readonly relation: ObjectName }
  | { readonly kind: 'swap'; readonly a: ObjectName; readonly b: ObjectName }
  | { readonly kind: 'rename'; readonly object: 'TABLE' | 'VIEW'; readonly from: ObjectName; readonly to: ObjectName }
  /** CREATE [OR REPLACE] DATABASE, with `clone`: a zero-copy clone of that database (CREATE DATABASE ... CLONE). */
  | { readonly kind: 'database'; readonly op: 'create' | 'replace' | 'ensure' | 'drop' | 'drop-if-exists'; readonly name: string; readonly clone?: string }
  | { readonly kind: 'refresh'; readonly relation: ObjectName }
  /** Roles, tags, policies and what is attached to relations: kept, not enforced (loopback-governance.ts). */
  | { readonly kind: 'governance'; readonly op: GovernanceOp }
  /** Semantic views: created, granted on, read back as YAML (loopback-semantic.ts). */
  | { readonly kind: 'semantic'; readonly op: SemanticOp }
  /** Accepted and recorded, nothing to emulate (other GRANTs and REVOKEs, ALTER VIEW ... SET SECURE). */
  | { readonly kind: 'ignored' };

/** A SELECT translated for DuckDB; a construct the translator refuses is answered as Snowflake would a bad query. */
export function translateSelect(translate: Translate, select: string): string {
  const t = translate(select);
  const problem = t.unsupported[0];
  if (!problem) return t.sql;
  const at = problem.line !== undefined ? ` line ${problem.line} at position ${problem.column ?? 0}` : '';
  if (problem.construct === 'syntax') throw syntaxError(`syntax error${at}: ${problem.reason}`);
  throw new SnowflakeError('000002', '0A000', `SQL compilation error:\nUnsupported feature '${problem.construct}'${at}: ${problem.reason}`);
}

/** `SELECT <expression>` translated, without the SELECT: for DEFAULT clauses. */
export function translateExpression(translate: Translate, expression: string): string {
  return translateSelect(translate, `SELECT ${expression}`).replace(/^SELECT\s+/i, '');
}

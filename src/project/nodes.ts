// The compile stage's frozen output: every node, resolved and hashed. The manifest is this, serialised.
//
// Compiled SQL, once and for all: `compiledSql` is the SQL as rendered and sent to Snowflake, unformatted. Golden
// files, checksums and deployed state use it (or, for DuckDB, its translation as the statement log records it);
// the formatted files under target/compiled/ are presentation only.
//
// Two hashes tell kinds of change apart, and neither holds a target-specific name, so they compare across
// environments: `dataHash` changes when what the node computes changes (its SQL with every relation named by node
// id, its materialization); `metadataHash` when only its governance changes (tags, contract, policies).
import type { Engine, Relation } from './relation.js';
import type { SourceLocation } from '../diagnostics/diagnostic.js';
import type { Layer } from './layers.js';
import type { LateArrival, ModelConfig } from './model-config.js';

interface NodeBase {
  readonly uniqueId: string;
  readonly name: string;
  readonly relation: Relation;
  /** The relation rendered for the target, quoted. */
  readonly relationName: string;
  readonly dependsOn: readonly string[];
  readonly location: SourceLocation;
}

export interface ModelNode extends NodeBase {
  readonly kind: 'model';
  readonly path: string;
  readonly layer?: Layer;
  readonly folders: readonly string[];
  readonly config: ModelConfig;
  readonly refs: readonly string[];
  readonly sources: readonly string[];
  /** Snowflake SQL of the model's SELECT, references resolved and ephemerals inlined. */
  readonly compiledSql: string;
  /** The same with is_incremental() true, for incremental models whose template asks. */
  readonly incrementalSql?: string;
  /** The template as written, for pointing errors at its lines. */
  readonly rawSql: string;
  readonly rawHash: string;
  /** sha256 of compiledSql and incrementalSql as sent: target-specific. */
  readonly compiledHash: string;
  /** What the data depends on: the SQL with relations named by node id, and the materialization. */
  readonly dataHash: string;
  /** What governance depends on: tags, and the contract that governs the model (columns, policies, owners). */
  readonly metadataHash: string;
  /** config(late_arrival=...), its input resolved to the relation it reads. */
  readonly lateArrival?: LateArrival & { readonly inputId: string; readonly inputRelation: string };
}

export interface SeedNode extends NodeBase {
  readonly kind: 'seed';
  readonly path: string;
  readonly absolutePath: string;
  readonly compressed: boolean;
  readonly contentHash: string;
  readonly tags: readonly string[];
  /** Column name to Snowflake type, from the seed's YAML; empty means inferred. */
  readonly columns: Readonly<Record<string, string>>;
  readonly delimiter?: string;
  /** The file's content and its column types. */
  readonly dataHash: string;
  /** Its tags. */
  readonly metadataHash: string;
}

export interface SourceNode extends NodeBase {
  readonly kind: 'source';
  readonly sourceName: string;
}

export type ProjectNode = ModelNode | SeedNode | SourceNode;

/** A project's own test query (a .sql file under its tests folder): every row it returns is a failure. */
export interface SingularTest {
  readonly uniqueId: string;
  readonly name: string;
  readonly path: string;
  readonly sql: string;
  readonly dependsOn: readonly string[];
}

export interface CompiledProject {
  readonly projectName: string;
  readonly projectVersion: string;
  readonly target: { readonly name: string; readonly engine: Engine; readonly database: string };
  readonly nodes: ReadonlyMap<string, ProjectNode>;
  /** Every node id, parents before children. */
  readonly order: readonly string[];
  readonly parents: ReadonlyMap<string, readonly string[]>;
  readonly children: ReadonlyMap<string, readonly string[]>;
  readonly macrosHash: string;
  readonly singularTests: readonly SingularTest[];
  /** What templates passed to log() while this compile rendered them, by file, in call order. */
  readonly templateLogs?: ReadonlyArray<{ readonly file: string; readonly message: string }>;
}

// The typed, located contents of a project directory: what the load stage hands to render.
import type { ProjectConfig, TargetConfig } from './project-schema.js';
import type { Layer } from '../project/layers.js';
import type { SeedConfig } from './seed-schema.js';
import type { Diagnostic, SourceLocation } from '../diagnostics/diagnostic.js';
import type { ProjectPolicies } from './load-policies.js';
import type { LoadedContract } from './load-contracts.js';
import type { LoadedSemanticView } from './load-semantic-views.js';

export interface ModelFile {
  readonly name: string;
  /** Project-relative, forward slashes: models/silver/stg_customers.sql */
  readonly path: string;
  readonly layer: Layer | undefined;
  /** Folders between models/ and the file, e.g. ['silver', 'finance']. */
  readonly folders: readonly string[];
  readonly raw: string;
  readonly rawHash: string;
}

export interface MacroFile {
  readonly path: string;
  readonly raw: string;
  readonly rawHash: string;
}

export interface SeedFile {
  readonly name: string;
  readonly path: string;
  /** Absolute path, for the engine's bulk reader. */
  readonly absolutePath: string;
  readonly compressed: boolean;
  readonly contentHash: string;
  readonly config: SeedConfig;
  readonly configPath?: string;
}

export interface SourceTable {
  readonly sourceName: string;
  readonly name: string;
  readonly identifier: string;
  readonly database?: string;
  readonly schema: string;
  readonly location: SourceLocation;
}

export interface LoadedProject {
  readonly rootDir: string;
  readonly configPath: string;
  readonly config: ProjectConfig;
  readonly targetName: string;
  readonly target: TargetConfig;
  /** Where project.yml defines the target, for problems with its settings found after loading. */
  readonly targetLocation: SourceLocation;
  readonly vars: Readonly<Record<string, unknown>>;
  readonly paths: ProjectPaths;
  readonly models: readonly ModelFile[];
  readonly macros: readonly MacroFile[];
  readonly seeds: readonly SeedFile[];
  readonly sources: readonly SourceTable[];
  readonly contracts: readonly LoadedContract[];
  /** policies/*.yml: roles, tags and the policies contracts name. */
  readonly policies: ProjectPolicies;
  /** semantic_views/*.yml: Snowflake semantic views over the project's models. */
  readonly semanticViews: readonly LoadedSemanticView[];
  /** Singular tests: every .sql file under the tests folder but outside its unit/ folder; rows returned are failures. */
  readonly singularTests: readonly ModelFile[];
  /** Problems that do not stop a compile (defaults for a folder no model is in, and the like). */
  readonly warnings: readonly Diagnostic[];
}

export interface ProjectPaths {
  readonly models: string;
  readonly macros: string;
  readonly seeds: string;
  readonly contracts: string;
  readonly tests: string;
  readonly target: string;
}

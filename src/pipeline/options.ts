// What a pipeline call needs to know: which project, which target, which nodes. The CLI's flags map onto these.
import type { SigningKey } from '../artifacts/evidence-attestation.js';
import type { Reporter } from './reporter.js';
import type { LoadOptions } from '../load/load-project.js';

export interface ProjectOptions {
  readonly projectDir: string;
  /** A target in project.yml; default_target (else the first) when absent. */
  readonly target?: string;
  /** Overrides of project.yml vars. */
  readonly vars?: Readonly<Record<string, unknown>>;
  /** Targets added to project.yml's for this call only (charter ci's fresh local DuckDB). */
  readonly extraTargets?: LoadOptions['extraTargets'];
}

export interface SelectOptions extends ProjectOptions {
  readonly select?: readonly string[];
  readonly exclude?: readonly string[];
  /** The base state:modified compares with: a manifest.json path or a git ref (--state). */
  readonly state?: string;
}

export interface RunOptions extends SelectOptions {
  /** Nodes at once; the target's threads, else 4, when absent. */
  readonly threads?: number;
  /** Also write the test results as JUnit XML to this file. */
  readonly junit?: string;
  /** --fail-fast: after the first failure, start no other node (those running finish). */
  readonly failFast?: boolean;
  /** Also write the run as OpenLineage RunEvents (JSON lines) to this file. */
  readonly openlineage?: string;
  /** Live events and messages; silent when absent. */
  readonly reporter?: Reporter;
  /** Aborted (Ctrl-C): the statements running in the warehouse are cancelled and the run stops. */
  readonly signal?: AbortSignal;
  /** The command line as typed, for the evidence bundle (the process's own arguments when absent). */
  readonly commandLine?: readonly string[];
  /** Signs the evidence bundle's attestation; the CLI reads it from --sign-key or CHARTER_EVIDENCE_SIGNING_KEY. */
  readonly signingKey?: SigningKey;
  /** More files for the evidence bundle, by path inside it (charter ci's gate: ci/gate.json); hashed like the rest. */
  readonly evidenceFiles?: Readonly<Record<string, string>>;
}

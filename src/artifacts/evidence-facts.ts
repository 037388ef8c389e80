// What a run's evidence says, as one serialisable value: who ran what from which commit, what was built, what the
// contracts protect, what the tests and SLOs found, what changed since the previous run. The pipeline gathers it;
// controls.json and the reports are pure functions of it. Never a row's value: only names, counts and outcomes.

export interface EvidenceRunFacts {
  readonly id: string;
  readonly command: string;
  readonly startedAt: string;
  readonly endedAt: string;
  readonly passed: boolean;
  /** Why the run stopped before its end (an error, a gate, a Ctrl-C); null when it ran to the end. */
  readonly aborted: string | null;
  readonly charterVersion: string;
  readonly project: string;
  readonly target: { readonly name: string; readonly engine: string; readonly user: string | null; readonly role: string | null };
  readonly osUser: string | null;
  readonly host: string;
  readonly git: { readonly commit: string | null; readonly branch: string | null; readonly dirty: boolean } | null;
  /** CI run and change-request details read from the environment (GitHub Actions, GitLab CI), when present. */
  readonly ci: { readonly system: string; readonly runUrl: string | null; readonly actor: string | null; readonly changeRequest: string | null } | null;
}

export interface EvidenceModelFacts {
  readonly id: string;
  readonly name: string;
  readonly layer: string | null;
  readonly relation: string;
  readonly status: string;
  readonly seconds: number;
  /** Parents among the project's models and seeds, by unique id. */
  readonly dependsOn: readonly string[];
}

export interface EvidenceTestFacts {
  readonly id: string;
  readonly name: string;
  readonly model: string;
  readonly kind: string;
  readonly column: string | null;
  readonly severity: string;
  readonly status: string;
  readonly failures: number | null;
  /** For a policy test: the role it read as. */
  readonly role: string | null;
}

export interface EvidenceSloFacts {
  readonly model: string;
  readonly kind: string;
  readonly column: string | null;
  readonly measured: number | null;
  readonly unit: string;
  readonly threshold: string;
  readonly status: string;
}

/** One governed relation of the run: what its contract says is enforced. */
export interface EvidenceRelationFacts {
  readonly model: string;
  readonly relation: string;
  /** Column to masking policy. */
  readonly masking: Readonly<Record<string, string>>;
  readonly rowAccess: { readonly policy: string; readonly on: readonly string[] } | null;
  readonly grants: readonly string[];
  /** Column to classification, for the columns that have one. */
  readonly classification: Readonly<Record<string, string>>;
  /** Sensitive (pii or phi) columns left unmasked under a valid exemption. */
  readonly exempt: readonly string[];
}

export interface EvidenceShare {
  readonly count: number;
  readonly of: number;
  readonly percent: number | null;
}

export interface EvidenceCoverage {
  readonly classified: EvidenceShare;
  readonly masked: EvidenceShare & { readonly exempt: number };
  readonly rowAccess: EvidenceShare;
  readonly lineageUnknown: number;
  /** The coverage gate's findings (errors and warnings), as one line each. */
  readonly findings: readonly string[];
}

export interface EvidenceContractChange {
  readonly model: string;
  readonly change: 'added' | 'removed' | 'changed';
  readonly contract: string;
  readonly from: string | null;
  readonly to: string | null;
  /** What breaks consumers or weakens protection (a column removed or retyped, a classification lowered, a policy dropped). */
  readonly breaks: readonly string[];
}

export interface EvidenceFacts {
  readonly run: EvidenceRunFacts;
  readonly models: readonly EvidenceModelFacts[];
  readonly tests: readonly EvidenceTestFacts[];
  readonly slos: readonly EvidenceSloFacts[];
  readonly governance: {
    readonly relations: readonly EvidenceRelationFacts[];
    /** The project's coverage, or why it could not be measured. */
    readonly coverage: EvidenceCoverage | { readonly unavailable: string };
    /** How policies are enforced on this target: by the warehouse, or by charter's local policy views. */
    readonly enforcedBy: 'warehouse' | 'charter';
  };
  readonly changes: {
    /** The run the contracts are compared with (the previous bundle in the chain); null for the first. */
    readonly against: string | null;
    readonly contracts: readonly EvidenceContractChange[];
  };
  readonly statements: { readonly count: number; readonly failed: number; readonly tagged: number };
  /** The Ed25519 key id the bundle's attestation is signed with; null when unsigned. */
  readonly signedBy: string | null;
  /**
   * What the warehouse reports in force after the run, against what the contracts say (governance/in-force.json),
   * when the target could be read back; undefined when it was not.
   */
  readonly inForce?: { readonly source: 'warehouse' | 'charter'; readonly objects: number; readonly differences: readonly string[] };
}

// What `charter ci` found, step by step: the one frozen value its JUnit, SARIF, GitHub annotations and Markdown
// summary are all written from, so the four always say the same thing. Pure.
import type { BreakingChange } from '../plan/breaking-changes.js';
import type { Diagnostic, DiagnosticCode, SourceLocation } from '../diagnostics/diagnostic.js';
import type { SloResult } from '../execute/measure-slos.js';
import type { TestResult } from '../execute/run-data-test.js';

/** The gate's steps, in the order they run. */
export const CI_STEPS = ['compile', 'lint', 'contracts', 'governance', 'breaking', 'build'] as const;
export type CiStepName = (typeof CI_STEPS)[number];

export const CI_STEP_TITLES: Readonly<Record<CiStepName, string>> = {
  compile: 'compile',
  lint: 'lint',
  contracts: 'contract validation',
  governance: 'governance coverage',
  breaking: 'breaking changes',
  build: 'build and test (state:modified+)',
};

export interface CiStep {
  readonly name: CiStepName;
  /** skipped: the step could not run (what it needs failed) or had nothing to do; the summary says which. */
  readonly status: 'pass' | 'fail' | 'skipped';
  /** One line: what was checked, or why it was skipped. */
  readonly summary: string;
  /** Its findings, errors and warnings; a breaking change is one too (see breakingDiagnostic). */
  readonly diagnostics: readonly Diagnostic[];
}

/** A breaking change as the diff reports it (plan/breaking-changes.ts), without the id approvals name it by. */
export type CiBreakingChange = Omit<BreakingChange, 'id'>;

/** A breaking change the contract approves (approved_changes), with who approved it. */
export interface CiClearedChange extends CiBreakingChange {
  readonly approval: { readonly change: string; readonly approver: string; readonly ticket: string; readonly date: string };
}

export interface CiBuild {
  /** The fresh DuckDB file, project-relative; on a Snowflake target, the name of the gate's own database. */
  readonly database: string;
  /**
   * On a Snowflake target: the target database the gate's was a zero-copy clone of (null: it was made empty), and
   * whether it was dropped after the build (not with --keep, or when the drop failed).
   */
  readonly snowflake?: { readonly cloneOf: string | null; readonly dropped: boolean };
  /** The modified nodes and everything downstream of them (state:modified+). */
  readonly modifiedPlus: readonly string[];
  /** What was built: modified+ and the parents they need (built from their own definitions), or modified+ alone in a clone. */
  readonly built: readonly string[];
  readonly nodes: { readonly success: number; readonly error: number; readonly skipped: number };
  readonly tests: readonly TestResult[];
  readonly slos: readonly SloResult[];
  /** The run's evidence bundle, project-relative; null when none was written. */
  readonly evidence: string | null;
}

export interface CiReport {
  readonly project: string;
  /** The base as given: a git ref, or a manifest path. */
  readonly base: string;
  readonly passed: boolean;
  readonly steps: readonly CiStep[];
  readonly breaking: readonly CiBreakingChange[];
  readonly cleared: readonly CiClearedChange[];
  /** Null when the build did not run. */
  readonly build: CiBuild | null;
  /**
   * The project folder relative to the repository's root ('' at the root, else ending in '/'): diagnostics name files
   * relative to the project, code scanning and annotations relative to the repository.
   */
  readonly pathPrefix: string;
  readonly seconds: number;
}

/** The code a breaking change is reported under: a rule of its own in SARIF. */
export const BREAKING_CODE: DiagnosticCode = 'contract.breaking_change';

/** A contract's owners for a message or a table cell. */
export const ownersList = (owners: readonly string[]): string => (owners.length ? owners.join(', ') : 'no owner recorded');

/** A breaking change as an error at its place, naming the contract and its owners. */
export function breakingDiagnostic(change: CiBreakingChange): Diagnostic {
  const governed = change.contract ? `contract ${change.contract}` : 'no contract';
  return {
    code: BREAKING_CODE,
    severity: 'error',
    message: `breaking change to ${change.model} (${governed}; owners: ${ownersList(change.owners)}): ${change.detail}`,
    ...(change.location ? { location: change.location } : {}),
    hint: 'revert it, or approve it in the contract\'s approved_changes (change, approver, ticket, date) with a major version bump',
  };
}

/** The step's overall verdict from its findings: an error fails it. */
export function stepStatus(diagnostics: readonly Diagnostic[]): 'pass' | 'fail' {
  return diagnostics.some((d) => d.severity === 'error') ? 'fail' : 'pass';
}

/** Every finding of the gate, in step order, with the step that found it. */
export function ciFindings(report: Pick<CiReport, 'steps'>): Array<{ readonly step: CiStepName; readonly diagnostic: Diagnostic }> {
  return report.steps.flatMap((s) => s.diagnostics.map((diagnostic) => ({ step: s.name, diagnostic })));
}

/** Where a finding without a place of its own is shown (code scanning and JUnit want a file). */
export const PROJECT_FILE_LOCATION: SourceLocation = { file: 'project.yml', line: 1, column: 1 };


/**
 * What the gate found before its build, for the build's evidence bundle (ci/gate.json): the base, each step's
 * verdict, the breaking changes and, above all, the approved ones with who approved them and under which ticket.
 */
export function gateEvidence(
  gate: Pick<CiReport, 'base' | 'steps' | 'breaking' | 'cleared'> & {
    readonly resolved: string;
    readonly modified: readonly string[];
    /** On a Snowflake target: the gate's own database, and the statement that made it. */
    readonly database?: { readonly name: string; readonly cloneOf: string | null; readonly sql: string; readonly queryId?: string };
  },
): string {
  const document = {
    base: gate.base,
    resolved: gate.resolved,
    steps: gate.steps.map((s) => ({
      step: s.name,
      status: s.status,
      summary: s.summary,
      errors: s.diagnostics.filter((d) => d.severity === 'error').length,
      warnings: s.diagnostics.filter((d) => d.severity === 'warning').length,
    })),
    modified: gate.modified,
    ...(gate.database
      ? { database: { name: gate.database.name, clone_of: gate.database.cloneOf, created_by: gate.database.sql, ...(gate.database.queryId ? { query_id: gate.database.queryId } : {}) } }
      : {}),
    breaking: gate.breaking,
    approved_changes: gate.cleared,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

// `charter diff --base <git ref | manifest.json>`: what the project changes against a base, and which of those
// changes break consumers (the rules of plan/contract-breaks.ts, shared with plan/apply). `charter ci` builds on it.
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { compareStates, type BreakingChange, type ClearedChange } from '../plan/breaking-changes.js';
import { resolveBase, sessionState } from './base-state.js';
import { compile, type CompiledSession } from './compile.js';
import type { ProjectOptions } from './options.js';

export type { BreakingChange, ClearedChange } from '../plan/breaking-changes.js';

export interface BaseDiff {
  /** The base as given: a git ref or a manifest path. */
  readonly base: string;
  /** What it resolved to: `git HEAD~1 (0123456789ab)` or `manifest /path/to/manifest.json`. */
  readonly resolved: string;
  /** Breaking changes no approval clears: any one fails the gate. */
  readonly breaking: readonly BreakingChange[];
  /** Breaking changes cleared by an approved_changes entry under a major version bump: for the evidence. */
  readonly cleared: readonly ClearedChange[];
  /** Node unique ids whose checksums differ from the base's, new nodes included. */
  readonly modified: readonly string[];
  /** Refused approvals and new dependencies on sunset models (errors), older ones and base caveats (warnings). */
  readonly diagnostics: readonly Diagnostic[];
}

export interface DiffOptions extends ProjectOptions {
  /** A git ref of the project's repository, or the path of a manifest.json written by `charter compile`. */
  readonly base: string;
  /** Today as YYYY-MM-DD, for deprecation sunsets (the clock's, when absent). */
  readonly today?: string;
  /** The project as already compiled by the caller (charter ci), so it is not compiled twice. */
  readonly current?: CompiledSession;
}

/** Compiles the project and its base, and compares them. Throws a UserError when either does not compile. */
export async function diffAgainstBase(options: DiffOptions): Promise<BaseDiff> {
  const project = { target: options.target, vars: options.vars, extraTargets: options.extraTargets, format: false };
  const session = options.current ?? (await compile({ projectDir: options.projectDir, ...project }));
  // The base compiles with the same target (and the same added targets) as the project.
  const base = await resolveBase(options.base, options.projectDir, (projectDir) => compile({ projectDir, ...project }));
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const compared = compareStates(base.state, sessionState(session), today);
  return {
    base: options.base,
    resolved: base.description,
    breaking: compared.breaking,
    cleared: compared.cleared,
    modified: compared.modified,
    diagnostics: [...base.diagnostics, ...compared.diagnostics],
  };
}

/** Whether the diff fails the gate: an uncleared breaking change, a refused approval or a new sunset dependency. */
export const diffFails = (diff: BaseDiff): boolean => diff.breaking.length > 0 || diff.diagnostics.some((d) => d.severity === 'error');

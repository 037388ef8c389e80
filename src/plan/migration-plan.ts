// What a migrate will run, from the scripts on disk and the history the warehouse keeps: pure. Pending V scripts
// in version order, then R scripts whose text changed since they last ran, then every A script. Problems stop a
// migrate (not a status): an applied V script changed or gone, or a pending V older than the newest applied one.
import { error, type Diagnostic } from '../diagnostics/diagnostic.js';
import { compareVersions, versionKey, type MigrationKind, type MigrationScript } from '../load/load-migrations.js';

/** A row of OPS.charter_migrations. */
export interface HistoryRow {
  readonly rank: number;
  readonly kind: MigrationKind;
  readonly version: string | null;
  readonly script: string;
  readonly checksum: string;
  readonly success: boolean;
}

export type ScriptState = 'applied' | 'pending' | 'changed' | 'drifted' | 'failed' | 'missing' | 'out_of_order' | 'always';

export interface ScriptStatus {
  readonly script: string;
  readonly kind: MigrationKind;
  readonly version?: string;
  readonly state: ScriptState;
}

export interface MigrationPlan {
  /** In the order they run. */
  readonly steps: readonly MigrationScript[];
  readonly status: readonly ScriptStatus[];
  readonly problems: readonly Diagnostic[];
}

export function planMigrations(scripts: readonly MigrationScript[], history: readonly HistoryRow[]): MigrationPlan {
  const rows = [...history].sort((a, b) => a.rank - b.rank);
  const appliedV = new Map<string, HistoryRow>();
  const failedV = new Set<string>();
  for (const r of rows) {
    if (r.kind !== 'versioned' || r.version === null) continue;
    const key = versionKey(r.version.split(/[._]/).map(Number));
    if (r.success) appliedV.set(key, r);
    else failedV.add(key);
  }
  /** The checksum an R script last ran with, successfully. */
  const lastR = new Map<string, string>();
  const failedR = new Set<string>();
  for (const r of rows) {
    if (r.kind !== 'repeatable') continue;
    if (r.success) {
      lastR.set(r.script, r.checksum);
      failedR.delete(r.script);
    } else failedR.add(r.script);
  }
  const newest = [...appliedV.values()].map((r) => (r.version as string).split(/[._]/).map(Number)).sort(compareVersions).at(-1);

  const steps: MigrationScript[] = [];
  const status: ScriptStatus[] = [];
  const problems: Diagnostic[] = [];
  const at = (s: MigrationScript) => ({ file: s.path, line: 1, column: 1 });
  for (const s of scripts) {
    const base = { script: s.path, kind: s.kind, ...(s.version ? { version: s.version } : {}) };
    if (s.kind === 'versioned' && s.versionParts) {
      const key = versionKey(s.versionParts);
      const applied = appliedV.get(key);
      if (applied) {
        if (applied.checksum === s.checksum) status.push({ ...base, state: 'applied' });
        else {
          status.push({ ...base, state: 'drifted' });
          problems.push(
            error('migration.drift', `${s.path} has changed since it was applied (version ${s.version})`, {
              location: at(s),
              hint: 'an applied versioned migration is history: restore its text and put the change in a new version; if the change is only cosmetic, `charter migrate repair` records the new checksum',
            }),
          );
        }
      } else if (newest && compareVersions(s.versionParts, newest) < 0) {
        status.push({ ...base, state: 'out_of_order' });
        problems.push(
          error('migration.drift', `${s.path} is pending, but version ${newest.join('.')} is already applied: a version is missing in the middle`, {
            location: at(s),
            hint: `give it a version above ${newest.join('.')}, so it runs after what is applied`,
          }),
        );
      } else {
        status.push({ ...base, state: failedV.has(key) ? 'failed' : 'pending' });
        steps.push(s);
      }
    } else if (s.kind === 'repeatable') {
      const last = lastR.get(s.path);
      status.push({ ...base, state: last === s.checksum ? 'applied' : failedR.has(s.path) ? 'failed' : last === undefined ? 'pending' : 'changed' });
      if (last !== s.checksum) steps.push(s);
    } else {
      status.push({ ...base, state: 'always' });
      steps.push(s);
    }
  }
  const onDisk = new Set(scripts.filter((s) => s.versionParts).map((s) => versionKey(s.versionParts as number[])));
  for (const [key, row] of appliedV) {
    if (onDisk.has(key)) continue;
    status.push({ script: row.script, kind: 'versioned', version: row.version as string, state: 'missing' });
    problems.push(
      error('migration.drift', `version ${row.version} (${row.script}) is applied but no longer in migrations/`, {
        hint: 'restore the file; if it was removed on purpose, `charter migrate repair` forgets it',
      }),
    );
  }
  return { steps, status, problems };
}

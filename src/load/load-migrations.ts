// migrations/: imperative scripts for what models don't cover (roles, warehouses, grants, one-off backfills), named
// as Flyway names them: V<version>__<description>.sql runs once, in version order; R__<description>.sql runs again
// whenever its text changes; A__<description>.sql runs on every migrate. A script's checksum is of its file's text.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { error, type Diagnostic } from '../diagnostics/diagnostic.js';
import { sha256 } from '../project/hash.js';

export const MIGRATIONS_FOLDER = 'migrations';

export type MigrationKind = 'versioned' | 'repeatable' | 'always';

export interface MigrationScript {
  readonly kind: MigrationKind;
  /** V scripts only: the version as written (1, 1.2, 2_1), and its parts for ordering. */
  readonly version?: string;
  readonly versionParts?: readonly number[];
  readonly description: string;
  /** Project-relative, forward slashes: migrations/V1__roles.sql */
  readonly path: string;
  readonly text: string;
  /** sha256 of the text with line endings normalised, so a checkout on Windows is no change. */
  readonly checksum: string;
}

const NAME = /^(?:V(\d+(?:[._]\d+)*)|(R)|(A))__([^/\\]+)\.sql$/;

export function loadMigrations(rootDir: string): { scripts: MigrationScript[]; diagnostics: Diagnostic[] } {
  const folder = path.join(rootDir, MIGRATIONS_FOLDER);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) return { scripts: [], diagnostics: [] };
  const scripts: MigrationScript[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const file of readdirSync(folder).sort()) {
    const relative = `${MIGRATIONS_FOLDER}/${file}`;
    if (!statSync(path.join(folder, file)).isFile()) continue;
    const m = NAME.exec(file);
    if (!m) {
      if (file.endsWith('.sql')) {
        diagnostics.push(
          error('migration.invalid', `\`${file}\` is not named as a migration`, {
            location: { file: relative, line: 1, column: 1 },
            hint: 'name it V<version>__<description>.sql (once, in version order), R__<description>.sql (again when changed) or A__<description>.sql (every migrate)',
          }),
        );
      }
      continue;
    }
    const text = readFileSync(path.join(folder, file), 'utf8');
    const [, version, repeatable, , description = ''] = m;
    scripts.push({
      kind: version !== undefined ? 'versioned' : repeatable ? 'repeatable' : 'always',
      ...(version !== undefined ? { version, versionParts: version.split(/[._]/).map(Number) } : {}),
      description: description.replace(/_/g, ' '),
      path: relative,
      text,
      checksum: sha256(text.replace(/\r\n/g, '\n')),
    });
  }
  // Two files for one version (V1__a and V1_0__b are both version 1.0) would run in no defined order.
  const byVersion = new Map<string, MigrationScript[]>();
  for (const s of scripts) if (s.versionParts) byVersion.set(versionKey(s.versionParts), [...(byVersion.get(versionKey(s.versionParts)) ?? []), s]);
  for (const same of byVersion.values()) {
    if (same.length < 2) continue;
    for (const s of same) {
      diagnostics.push(
        error('migration.invalid', `version ${s.version} is used by ${same.map((o) => `\`${o.path}\``).join(' and ')}`, {
          location: { file: s.path, line: 1, column: 1 },
          hint: 'give each versioned migration a version of its own',
        }),
      );
    }
  }
  return { scripts: scripts.sort(compareScripts), diagnostics };
}

/** 1, 1.0 and 1_0 are one version: trailing zero parts do not count. */
export function versionKey(parts: readonly number[]): string {
  const trimmed = [...parts];
  while (trimmed.length > 1 && trimmed.at(-1) === 0) trimmed.pop();
  return trimmed.join('.');
}

export function compareVersions(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

const KIND_ORDER: Record<MigrationKind, number> = { versioned: 0, repeatable: 1, always: 2 };

/** V in version order, then R, then A, each by file name: the order a migrate runs them in. */
function compareScripts(a: MigrationScript, b: MigrationScript): number {
  if (a.kind !== b.kind) return KIND_ORDER[a.kind] - KIND_ORDER[b.kind];
  if (a.versionParts && b.versionParts) return compareVersions(a.versionParts, b.versionParts);
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

// One hash of everything a compile reads. When it equals the last compile's, the artifacts on disk are
// already right and only the manifest's run id changes: the "nothing changed" path.
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { glob } from 'tinyglobby';
import { sha256, stableHash } from '../load/hash.js';
import type { LoadedProject } from '../load/project-files.js';
import { CHARTER_VERSION } from '../version.js';

const fingerprintFile = (targetDir: string): string => path.join(targetDir, '.charter', 'fingerprint.json');

export async function projectFingerprint(project: LoadedProject): Promise<string> {
  // Unit test files are not in LoadedProject, but compile checks them: hash them too.
  const unitFiles = existsSync(path.join(project.rootDir, project.paths.tests))
    ? (await glob([`${project.paths.tests}/unit/**/*.{yml,yaml,csv}`], { cwd: project.rootDir })).sort()
    : [];
  return stableHash({
    charter: CHARTER_VERSION,
    config: project.config,
    target: project.targetName,
    vars: project.vars,
    models: project.models.map((m) => [m.path, m.rawHash]),
    macros: project.macros.map((m) => [m.path, m.rawHash]),
    seeds: project.seeds.map((s) => [s.path, s.contentHash, s.config]),
    sources: project.sources.map((s) => [s.sourceName, s.name, s.identifier, s.schema, s.database ?? null]),
    contracts: project.contracts.map((c) => [c.file, stableHash(c.contract)]),
    singular: project.singularTests.map((t) => [t.path, t.rawHash]),
    unit: unitFiles.map((f) => [f, sha256(readFileSync(path.join(project.rootDir, f)))]),
  });
}

export interface FingerprintRecord {
  readonly fingerprint: string;
  readonly models: number;
  readonly files: number;
}

export async function readFingerprint(targetDir: string): Promise<FingerprintRecord | undefined> {
  try {
    return JSON.parse(await readFile(fingerprintFile(targetDir), 'utf8')) as FingerprintRecord;
  } catch {
    return undefined;
  }
}

export async function writeFingerprint(targetDir: string, record: FingerprintRecord): Promise<void> {
  await mkdir(path.dirname(fingerprintFile(targetDir)), { recursive: true });
  await writeFile(fingerprintFile(targetDir), JSON.stringify(record));
}

/** Gives an unchanged manifest this run's id and time, without parsing its (possibly large) node section. */
export async function restampManifest(manifestFile: string, runId: string, generatedAt: string): Promise<boolean> {
  if (!existsSync(manifestFile)) return false;
  const text = await readFile(manifestFile, 'utf8');
  const head = text.slice(0, 400);
  const stamped = head
    .replace(/^\{"metadata":\{"run_id":"[^"]*"/, `{"metadata":{"run_id":"${runId}"`)
    .replace(/"generated_at":"[^"]*"/, `"generated_at":"${generatedAt}"`);
  if (stamped === head || !stamped.startsWith(`{"metadata":{"run_id":"${runId}"`)) return false;
  await writeFile(manifestFile, stamped + text.slice(400));
  return true;
}

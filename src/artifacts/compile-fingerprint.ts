// One hash of everything a compile reads. When it equals the last compile's, the artifacts on disk are
// already right and only the manifest's run id changes: the "nothing changed" path.
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, open, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { glob } from 'tinyglobby';
import { sha256, stableHash } from '../project/hash.js';
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

/**
 * Gives an unchanged manifest this run's id and time in place: the run id (a UUID) and the ISO time have fixed
 * lengths, so the head of the file is rewritten byte for byte and its (possibly large) node section is not read.
 */
export async function restampManifest(manifestFile: string, runId: string, generatedAt: string): Promise<boolean> {
  if (!existsSync(manifestFile)) return false;
  const handle = await open(manifestFile, 'r+');
  try {
    const buffer = Buffer.alloc(400);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const head = buffer.subarray(0, bytesRead).toString('latin1');
    const stamped = head
      .replace(/^\{"metadata":\{"run_id":"[0-9a-f-]{36}"/, `{"metadata":{"run_id":"${runId}"`)
      .replace(/"generated_at":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"/, `"generated_at":"${generatedAt}"`);
    if (stamped.length !== head.length || !stamped.startsWith(`{"metadata":{"run_id":"${runId}"`)) return false;
    await handle.write(Buffer.from(stamped, 'latin1'), 0, bytesRead, 0);
    return true;
  } finally {
    await handle.close();
  }
}

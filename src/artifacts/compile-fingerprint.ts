// One hash of everything a compile reads. When it equals the last compile's, and the artifacts on disk are still
// the ones that compile wrote (the manifest byte for byte, every compiled file at its size), only the manifest's run id
// changes: the "nothing changed" path.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, open, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { glob } from 'tinyglobby';
import { sha256, stableHash } from '../project/hash.js';
import type { LoadedProject } from '../load/project-files.js';
import { CHARTER_VERSION } from '../version.js';
import { writeFileAtomic } from '../load/atomic-file.js';
import { claimTargetDir } from './target-folder.js';
import { allowedEnvironment } from '../render/env-vars.js';

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
    // The variables templates may read with env_var(); only when project.yml allows any.
    ...(project.config.env_vars ? { env: [...allowedEnvironment(project.config.env_vars.allow, process.env).values].sort() } : {}),
    models: project.models.map((m) => [m.path, m.rawHash]),
    macros: project.macros.map((m) => [m.path, m.rawHash]),
    seeds: project.seeds.map((s) => [s.path, s.contentHash, s.config]),
    sources: project.sources.map((s) => [s.sourceName, s.name, s.identifier, s.schema, s.database ?? null]),
    contracts: project.contracts.map((c) => [c.file, stableHash(c.contract)]),
    // The governance script (and the contracts' checks) follow the policies' definitions.
    policies: [project.policies.schema, ...[project.policies.roles, project.policies.tags, project.policies.maskingPolicies, project.policies.rowAccessPolicies,
      project.policies.projectionPolicies, project.policies.networkPolicies].map((kind) => [...kind.values()].map((d) => [d.name, d.definition]))],
    semanticViews: project.semanticViews.map((v) => [v.file, stableHash(v.definition)]),
    singular: project.singularTests.map((t) => [t.path, t.rawHash]),
    unit: unitFiles.map((f) => [f, sha256(readFileSync(path.join(project.rootDir, f)))]),
  });
}

/** What the manifest a compile wrote looked like: its size, and the hash of all of it after the run id and time. */
export interface ManifestDigest {
  readonly bytes: number;
  readonly sha256: string;
}

export interface FingerprintRecord {
  readonly fingerprint: string;
  readonly models: number;
  readonly files: number;
  readonly manifest: ManifestDigest;
  /** Each compiled file that compile left in target/compiled/ (project-relative) and its size in bytes. */
  readonly compiled: Readonly<Record<string, number>>;
}

// The head every manifest starts with; only the run id and the time change when it is re-stamped.
const STAMPED_HEAD = /^\{"metadata":\{"run_id":"[0-9a-f-]{36}","charter_version":"[^"]*","generated_at":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"/;

/** Undefined when the bytes do not start like a manifest charter wrote. */
export function manifestDigest(bytes: Uint8Array): ManifestDigest | undefined {
  const head = STAMPED_HEAD.exec(Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 400)).toString('latin1'));
  return head ? { bytes: bytes.length, sha256: sha256(bytes.subarray(head[0].length)) } : undefined;
}

export async function readFingerprint(targetDir: string): Promise<FingerprintRecord | undefined> {
  try {
    const record = JSON.parse(await readFile(fingerprintFile(targetDir), 'utf8')) as Partial<FingerprintRecord>;
    const complete = typeof record.fingerprint === 'string' && record.manifest && record.compiled && typeof record.compiled === 'object';
    return complete ? (record as FingerprintRecord) : undefined;
  } catch {
    return undefined;
  }
}

export async function writeFingerprint(targetDir: string, record: FingerprintRecord): Promise<void> {
  claimTargetDir(targetDir);
  await mkdir(path.dirname(fingerprintFile(targetDir)), { recursive: true });
  // Unreadable after a power cut means no shortcut, never a wrong one: no fsync.
  writeFileAtomic(fingerprintFile(targetDir), JSON.stringify(record), { durable: false });
}

/** Removes the record before a compile writes anything, so an interrupted compile leaves none behind. */
export async function forgetFingerprint(targetDir: string): Promise<void> {
  await rm(fingerprintFile(targetDir), { force: true });
}

/** Every compiled file the record lists is still there, at its size (a deleted target/compiled/ means a full compile). */
export function compiledFilesIntact(rootDir: string, record: FingerprintRecord): boolean {
  return Object.entries(record.compiled).every(([file, bytes]) => {
    try {
      return statSync(path.join(rootDir, file)).size === bytes;
    } catch {
      return false;
    }
  });
}

/**
 * Gives an unchanged manifest this run's id and time in place, once it is known to be the very file the last compile
 * wrote (same size, same hash after the stamp): the run id (a UUID) and the ISO time have fixed lengths, so only the
 * head of the file is rewritten, byte for byte, and nothing can be truncated.
 */
export async function restampManifest(manifestFile: string, runId: string, generatedAt: string, expected: ManifestDigest): Promise<boolean> {
  if (!existsSync(manifestFile) || (await stat(manifestFile)).size !== expected.bytes) return false;
  const handle = await open(manifestFile, 'r+');
  try {
    const bytes = await handle.readFile();
    const digest = manifestDigest(bytes);
    if (!digest || digest.bytes !== expected.bytes || digest.sha256 !== expected.sha256) return false;
    const head = bytes.subarray(0, 400).toString('latin1');
    const stamped = head
      .replace(/^\{"metadata":\{"run_id":"[0-9a-f-]{36}"/, `{"metadata":{"run_id":"${runId}"`)
      .replace(/"generated_at":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"/, `"generated_at":"${generatedAt}"`);
    if (stamped.length !== head.length || !stamped.startsWith(`{"metadata":{"run_id":"${runId}"`)) return false;
    const out = Buffer.from(stamped, 'latin1');
    await handle.write(out, 0, out.length, 0);
    return true;
  } finally {
    await handle.close();
  }
}

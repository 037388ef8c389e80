// `evidence verify` and `evidence ls` as library calls: read a folder of evidence bundles (every file re-hashed) and
// check them against their hashes.json, their attestations and the chain up to HEAD.json (and their signatures,
// given a public key), or list the runs they record.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { ATTESTATION_FILE, checkAttestations, keyIdOf, PUBLIC_KEY_FILE, type BundleSignature } from '../artifacts/evidence-attestation.js';
import { checkEvidence, describeProblem, HASHES_FILE, PARTIAL_SUFFIX, type BundleHashes, type EvidenceHead, type EvidenceProblem, type FoundBundle } from '../artifacts/evidence-chain.js';
import { error, UserError, type Diagnostic } from '../diagnostics/diagnostic.js';
import { loadProject, loadProjectConfig } from '../load/load-project.js';
import { evidenceRoot } from '../load/project-paths.js';
import { sha256 } from '../project/hash.js';
import { readHead } from './evidence-bundle.js';
import { readPublicKey } from './evidence-keys.js';
import type { ProjectOptions } from './options.js';

export interface EvidenceOptions extends ProjectOptions {
  /** A folder of bundles (the one holding HEAD.json); the project's evidence folder when absent. */
  readonly dir?: string;
  /**
   * An Ed25519 public key (PEM file, relative to the working directory) every bundle must be signed by; else
   * project.yml's evidence.public_key. Without either, signatures are reported but not checked.
   */
  readonly publicKey?: string;
  /** Fail unless a public key was given: a verify that cannot check signatures is refused, not passed. */
  readonly requireSignature?: boolean;
}

export interface EvidenceReport {
  readonly dir: string;
  readonly bundles: readonly FoundBundle[];
  /** Bundles a killed run left half-written: never part of the chain, reported but not a failure. */
  readonly partial: readonly string[];
  readonly head: EvidenceHead | undefined;
  readonly problems: readonly EvidenceProblem[];
  /** Each bundle's signature: unsigned, signed (not checked without a key), verified or failed. */
  readonly signatures: readonly BundleSignature[];
  /** The key signatures were checked against, when one was given. */
  readonly publicKey?: { readonly file: string; readonly keyid: string };
}

export interface EvidenceRunSummary {
  readonly runId: string;
  readonly command: string | null;
  readonly startedAt: string | null;
  readonly status: string;
  readonly inChain: boolean;
}

async function evidenceDir(options: EvidenceOptions): Promise<string> {
  if (options.dir !== undefined) return path.resolve(options.dir);
  const loaded = await loadProject(options);
  return path.join(loaded.rootDir, evidenceRoot(loaded.config, loaded.paths, loaded.rootDir));
}

/**
 * The trusted public key's file: --public-key, else evidence.public_key of the project's project.yml (relative to
 * the project), read only when there is one: verifying a copied folder needs no project.
 */
async function publicKeyFile(options: EvidenceOptions): Promise<{ file: string; origin: string } | undefined> {
  if (options.publicKey !== undefined) return { file: path.resolve(options.publicKey), origin: 'the --public-key file' };
  const rootDir = path.resolve(options.projectDir);
  if (!existsSync(path.join(rootDir, 'project.yml'))) return undefined;
  const given = (await loadProjectConfig(rootDir)).config.evidence?.public_key;
  return given === undefined ? undefined : { file: path.resolve(rootDir, given), origin: 'evidence.public_key in project.yml,' };
}

/** Every file under `dir` (forward-slash paths relative to it) with its SHA-256. */
function hashTree(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() && !entry.isSymbolicLink()) continue;
    const file = path.join(entry.parentPath, entry.name);
    files[path.relative(dir, file).split(path.sep).join('/')] = sha256(readFileSync(file));
  }
  return files;
}

const textIfThere = (file: string): string | undefined => (existsSync(file) ? readFileSync(file, 'utf8') : undefined);

function readBundle(dir: string, runId: string): FoundBundle {
  const all = hashTree(dir);
  // Written after hashes.json, so not in it: the attestation is checked against hashes.json instead.
  const { [HASHES_FILE]: hashesFileDigest, [ATTESTATION_FILE]: _envelope, [PUBLIC_KEY_FILE]: _key, ...files } = all;
  const attestation = { envelope: textIfThere(path.join(dir, ATTESTATION_FILE)), publicKeyPem: textIfThere(path.join(dir, PUBLIC_KEY_FILE)) };
  const found = { runId, files, attestation, ...(hashesFileDigest !== undefined ? { hashesFileDigest } : {}) };
  const hashesFile = path.join(dir, HASHES_FILE);
  if (!existsSync(hashesFile)) return { ...found, hashes: undefined };
  try {
    const hashes = JSON.parse(readFileSync(hashesFile, 'utf8')) as BundleHashes;
    if (hashes.format !== 'charter-evidence-hashes' || typeof hashes.files !== 'object' || hashes.files === null) {
      return { ...found, hashes: undefined, hashesProblem: `${HASHES_FILE} is not a charter hashes file` };
    }
    if (hashes.runId !== runId) return { ...found, hashes: undefined, hashesProblem: `${HASHES_FILE} is for run ${hashes.runId}, not ${runId}` };
    return { ...found, hashes };
  } catch (e) {
    return { ...found, hashes: undefined, hashesProblem: `${HASHES_FILE} is not JSON: ${(e as Error).message}` };
  }
}

/** Reads every bundle under the evidence folder and checks the lot. */
export async function verifyEvidence(options: EvidenceOptions): Promise<EvidenceReport> {
  const dir = await evidenceDir(options);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new UserError([error('io.error', `no evidence folder at ${dir}`, { hint: 'run `charter build` first, or pass the folder that holds HEAD.json' })]);
  }
  // The key first: a wrong --public-key is reported before a large folder is re-hashed.
  const keyFile = await publicKeyFile(options);
  if (options.requireSignature && !keyFile) {
    throw new UserError([
      error('cli.usage', '--require-signature needs a public key to check the signatures with', { hint: 'pass --public-key <file>, or set evidence.public_key in project.yml' }),
    ]);
  }
  const trusted = keyFile && readPublicKey(keyFile.file, keyFile.origin);
  const bundles: FoundBundle[] = [];
  const partial: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    if (entry.name.endsWith(PARTIAL_SUFFIX)) partial.push(entry.name);
    else bundles.push(readBundle(path.join(dir, entry.name), entry.name));
  }
  const head = readHead(dir);
  const attested = checkAttestations(bundles, head, trusted);
  return {
    dir,
    bundles,
    partial,
    head,
    problems: [...checkEvidence(bundles, head), ...attested.problems],
    signatures: attested.signatures,
    ...(keyFile && trusted ? { publicKey: { file: keyFile.file, keyid: keyIdOf(trusted) } } : {}),
  };
}

function readJson(file: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** A run's status from its run_results.json: passed, failed (a node, test or SLO failed), or the record's own. */
function statusOf(results: Record<string, unknown> | undefined): string {
  const meta = results?.['metadata'] as { status?: string } | undefined;
  const summary = results?.['summary'] as { error?: number; tests?: Record<string, number>; slos?: Record<string, number> } | undefined;
  if (!meta?.status || !summary) return 'unknown';
  if (meta.status !== 'finished') return meta.status;
  const failed = (summary.error ?? 0) + (summary.tests?.['fail'] ?? 0) + (summary.tests?.['error'] ?? 0) + (summary.slos?.['fail'] ?? 0) + (summary.slos?.['error'] ?? 0);
  return failed ? 'failed' : 'passed';
}

/** The runs recorded, oldest first along the chain, then any outside it. */
export async function listEvidence(options: EvidenceOptions): Promise<readonly EvidenceRunSummary[]> {
  const dir = await evidenceDir(options);
  if (!existsSync(dir)) return [];
  const head = readHead(dir);
  const chain = head?.chain ?? [];
  const others = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.endsWith(PARTIAL_SUFFIX) && !chain.includes(e.name))
    .map((e) => e.name)
    .sort();
  return [...chain, ...others].map((runId) => {
    const run = readJson(path.join(dir, runId, 'run.json'));
    return {
      runId,
      command: typeof run?.['command'] === 'string' ? run['command'] : null,
      startedAt: typeof run?.['started_at'] === 'string' ? run['started_at'] : null,
      status: existsSync(path.join(dir, runId)) ? statusOf(readJson(path.join(dir, runId, 'run_results.json'))) : 'missing',
      inChain: chain.includes(runId),
    };
  });
}

/** Each problem of a verify as an error diagnostic, naming the run and the file or link. */
export const evidenceDiagnostics = (report: EvidenceReport): Diagnostic[] =>
  report.problems.map((p) =>
    error(p.kind === 'unsigned' || p.kind === 'signature-invalid' ? 'evidence.signature' : 'evidence.tampered', `${path.relative(process.cwd(), report.dir) || '.'}/${describeProblem(p)}`),
  );

// The evidence bundles' tamper evidence as pure data: each bundle's hashes.json (the SHA-256 of every other file,
// and the previous bundle's digest), the digest that chains bundles together, the head file beside them, and the
// check of a folder of bundles against all three (each bundle's attestation and signature: evidence-attestation.ts).
// Reading and writing files is the pipeline's job.
import { sha256, stableStringify } from '../project/hash.js';

export const HASHES_FILE = 'hashes.json';
export const HEAD_FILE = 'HEAD.json';
/** A bundle still being written: renamed to its run id only once complete, so it never verifies half-written. */
export const PARTIAL_SUFFIX = '.partial';

export interface ChainLink {
  readonly runId: string;
  readonly digest: string;
}

export interface BundleHashes {
  readonly format: 'charter-evidence-hashes';
  readonly version: 1;
  readonly runId: string;
  /** The bundle before this one in the chain; null for the first. */
  readonly previous: ChainLink | null;
  /** Path inside the bundle (forward slashes) to SHA-256 hex, sorted by path; hashes.json itself is not listed. */
  readonly files: Readonly<Record<string, string>>;
}

export interface EvidenceHead extends ChainLink {
  readonly format: 'charter-evidence-head';
  readonly version: 1;
  /** Every run id of the chain, oldest first; the last is `runId`. */
  readonly chain: readonly string[];
}

/** A bundle as found on disk: the files it holds (with their SHA-256) and its hashes.json, if it parsed. */
export interface FoundBundle {
  readonly runId: string;
  /** Every file but hashes.json and the attestation's, which are checked on their own. */
  readonly files: Readonly<Record<string, string>>;
  readonly hashes: BundleHashes | undefined;
  /** Why hashes.json could not be read, when it could not. */
  readonly hashesProblem?: string;
  /** SHA-256 of hashes.json as written (the attestation names it), when there is one. */
  readonly hashesFileDigest?: string;
  /** The texts of the DSSE envelope and the signer's public key, each when present (evidence-attestation.ts). */
  readonly attestation?: { readonly envelope?: string; readonly publicKeyPem?: string };
}

export type EvidenceProblem =
  | { readonly kind: 'file-changed' | 'file-missing' | 'file-added'; readonly runId: string; readonly file: string }
  | { readonly kind: 'hashes-unreadable'; readonly runId: string; readonly detail: string }
  | { readonly kind: 'digest-mismatch'; readonly runId: string; readonly expected: string; readonly actual: string; readonly recordedBy: string }
  | { readonly kind: 'run-missing'; readonly runId: string; readonly referencedBy: string }
  | { readonly kind: 'run-outside-chain'; readonly runId: string }
  | { readonly kind: 'head-missing' }
  | { readonly kind: 'head-not-newest'; readonly runId: string; readonly newer: string }
  | { readonly kind: 'head-chain-differs'; readonly recorded: readonly string[]; readonly walked: readonly string[] }
  | { readonly kind: 'no-bundles' }
  | { readonly kind: 'attestation-invalid'; readonly runId: string; readonly file: string; readonly detail: string }
  | { readonly kind: 'unsigned'; readonly runId: string; readonly keyid: string }
  /** `signedBy`: the keyids the envelope names when none is the trusted key's; absent when one is, yet fails. */
  | { readonly kind: 'signature-invalid'; readonly runId: string; readonly keyid: string; readonly signedBy?: readonly string[] };

export function hashesOf(runId: string, files: Readonly<Record<string, string>>, previous: ChainLink | null): BundleHashes {
  const sorted = Object.fromEntries(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return { format: 'charter-evidence-hashes', version: 1, runId, previous, files: sorted };
}

/** The text hashes.json is written as: canonical JSON (keys sorted, no spaces), so the digest reproduces from it. */
export const canonicalText = (value: unknown): string => stableStringify(value);

/** A bundle's digest: SHA-256 of its hashes.json in canonical form, which records the previous bundle's digest. */
export const bundleDigest = (hashes: BundleHashes): string => sha256(canonicalText(hashes));

/** The head after `newest` joins the chain of `earlier` run ids. */
export function headOf(earlier: readonly string[], newest: ChainLink): EvidenceHead {
  return { format: 'charter-evidence-head', version: 1, runId: newest.runId, digest: newest.digest, chain: [...earlier, newest.runId] };
}

/** Every way the bundles and the head disagree with each other; empty when the whole chain holds. */
export function checkEvidence(bundles: readonly FoundBundle[], head: EvidenceHead | undefined): EvidenceProblem[] {
  const problems: EvidenceProblem[] = [];
  if (!bundles.length && !head) return [{ kind: 'no-bundles' }];
  const byId = new Map(bundles.map((b) => [b.runId, b] as const));
  const digests = new Map<string, string>();
  for (const bundle of bundles) {
    if (!bundle.hashes) {
      problems.push({ kind: 'hashes-unreadable', runId: bundle.runId, detail: bundle.hashesProblem ?? `${HASHES_FILE} is missing` });
      continue;
    }
    digests.set(bundle.runId, bundleDigest(bundle.hashes));
    const listed = bundle.hashes.files;
    for (const [file, hash] of Object.entries(listed)) {
      const found = bundle.files[file];
      if (found === undefined) problems.push({ kind: 'file-missing', runId: bundle.runId, file });
      else if (found !== hash) problems.push({ kind: 'file-changed', runId: bundle.runId, file });
    }
    for (const file of Object.keys(bundle.files)) if (!(file in listed)) problems.push({ kind: 'file-added', runId: bundle.runId, file });
  }
  if (!head) return [...problems, { kind: 'head-missing' }];
  // Walk back from the head: each link's recorded digest must be the digest the previous bundle has now.
  const walked: string[] = [];
  const seen = new Set<string>();
  let link: ChainLink | null = head;
  let recordedBy = HEAD_FILE;
  while (link && !seen.has(link.runId)) {
    seen.add(link.runId);
    const bundle = byId.get(link.runId);
    if (!bundle) {
      problems.push({ kind: 'run-missing', runId: link.runId, referencedBy: recordedBy });
      walked.unshift(link.runId);
      break;
    }
    walked.unshift(link.runId);
    const actual = digests.get(link.runId);
    if (actual !== undefined && actual !== link.digest) problems.push({ kind: 'digest-mismatch', runId: link.runId, expected: link.digest, actual, recordedBy });
    recordedBy = `${link.runId}/${HASHES_FILE}`;
    link = bundle.hashes?.previous ?? null;
  }
  for (const bundle of bundles) {
    const previous = bundle.hashes?.previous;
    if (previous?.runId === head.runId) problems.push({ kind: 'head-not-newest', runId: head.runId, newer: bundle.runId });
    else if (!seen.has(bundle.runId)) problems.push({ kind: 'run-outside-chain', runId: bundle.runId });
  }
  const recorded = head.chain;
  if (recorded.length !== walked.length || recorded.some((id, i) => walked[i] !== id)) problems.push({ kind: 'head-chain-differs', recorded, walked });
  return problems;
}

/** One line per problem, naming the run and the file or link. */
export function describeProblem(p: EvidenceProblem): string {
  switch (p.kind) {
    case 'file-changed':
      return `${p.runId}/${p.file}: changed since the bundle was written (its SHA-256 differs from ${HASHES_FILE})`;
    case 'file-missing':
      return `${p.runId}/${p.file}: missing (listed in ${HASHES_FILE})`;
    case 'file-added':
      return `${p.runId}/${p.file}: added after the bundle was written (not in ${HASHES_FILE})`;
    case 'hashes-unreadable':
      return `${p.runId}/${HASHES_FILE}: ${p.detail}`;
    case 'digest-mismatch':
      return `${p.runId}: digest ${p.actual} differs from ${p.expected} recorded in ${p.recordedBy}`;
    case 'run-missing':
      return `${p.runId}: bundle missing from the chain (referenced by ${p.referencedBy})`;
    case 'run-outside-chain':
      return `${p.runId}: bundle is not in the chain from ${HEAD_FILE}`;
    case 'head-missing':
      return `${HEAD_FILE}: missing or unreadable, so the newest run cannot be checked`;
    case 'head-not-newest':
      return `${HEAD_FILE}: names ${p.runId}, but ${p.newer} follows it`;
    case 'head-chain-differs':
      return `${HEAD_FILE}: records the chain ${p.recorded.join(' > ') || '(empty)'}, the bundles link ${p.walked.join(' > ') || '(none)'}`;
    case 'no-bundles':
      return 'no evidence bundles here';
    case 'attestation-invalid':
      return `${p.runId}/${p.file}: ${p.detail}`;
    case 'unsigned':
      return `${p.runId}: not signed, but a public key was given (keyid ${p.keyid.slice(0, 12)}…): every bundle must be signed by it`;
    case 'signature-invalid':
      return p.signedBy
        ? `${p.runId}: signed by another key (keyid ${p.signedBy.map((k) => (k ? `${k.slice(0, 12)}…` : 'not given')).join(', ')}), not the public key given (keyid ${p.keyid.slice(0, 12)}…)`
        : `${p.runId}: the signature does not verify against the public key given (keyid ${p.keyid.slice(0, 12)}…): the attestation changed after it was signed`;
  }
}

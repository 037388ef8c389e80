// A bundle's attestation: an in-toto Statement v1 naming every file of the bundle by SHA-256, in a DSSE envelope,
// signed with Ed25519 when a key is given. Standard formats, so tools other than charter can check a bundle; this
// module builds, signs and checks them as data (reading keys and files is the pipeline's job).
import { createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { sha256 } from '../project/hash.js';
import { bundleDigest, canonicalText, HASHES_FILE, type BundleHashes, type ChainLink, type EvidenceHead, type EvidenceProblem, type FoundBundle } from './evidence-chain.js';

/** The DSSE envelope, written after hashes.json and so not listed in it; checked against it instead. */
export const ATTESTATION_FILE = 'attestation.dsse.json';
/** The signer's public key (SPKI PEM), beside a signed envelope: a hint for a reader, never trusted by verify. */
export const PUBLIC_KEY_FILE = 'attestation.pub.pem';
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
export const STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
/** What the predicate means: this bundle's place in charter's evidence chain (README, Evidence). */
export const PREDICATE_TYPE = 'https://charter.dev/evidence-bundle/v1';

export interface Subject {
  readonly name: string;
  readonly digest: { readonly sha256: string };
}

export interface EvidencePredicate {
  readonly runId: string;
  readonly bundleDigest: string;
  readonly previous: ChainLink | null;
  readonly charterVersion: string;
}

export interface InTotoStatement {
  readonly _type: typeof STATEMENT_TYPE;
  readonly subject: readonly Subject[];
  readonly predicateType: typeof PREDICATE_TYPE;
  readonly predicate: EvidencePredicate;
}

export interface DsseSignature {
  readonly keyid: string;
  readonly sig: string;
}

export interface DsseEnvelope {
  readonly payloadType: string;
  readonly payload: string;
  readonly signatures: readonly DsseSignature[];
}

/** An Ed25519 private key ready to sign, with what a bundle records of it. */
export interface SigningKey {
  readonly privateKey: KeyObject;
  readonly publicKeyPem: string;
  readonly keyid: string;
}

/** Whether a bundle is signed, and whether its signature was checked against a key given from outside. */
export type SignatureStatus = 'unsigned' | 'signed-unchecked' | 'verified' | 'failed' | 'unreadable';

export interface BundleSignature {
  readonly runId: string;
  readonly status: SignatureStatus;
}

/** A key's id: SHA-256 (hex) of its public key's SPKI DER, the same for the private key and its public half. */
export const keyIdOf = (key: KeyObject): string =>
  sha256((key.type === 'private' ? createPublicKey(key) : key).export({ type: 'spki', format: 'der' }));

export function signingKeyOf(privateKey: KeyObject): SigningKey {
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(), keyid: keyIdOf(publicKey) };
}

/** DSSE's pre-authentication encoding: what is signed, so the payload type cannot be swapped under a signature. */
export function pae(payloadType: string, body: Uint8Array): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([Buffer.from(`DSSEv1 ${type.length} `), type, Buffer.from(` ${body.length} `), body]);
}

/** The statement of a bundle: every file hashes.json lists, and hashes.json itself as written (`hashesFileDigest`). */
export function statementOf(hashes: BundleHashes, hashesFileDigest: string, charterVersion: string): InTotoStatement {
  const files: Record<string, string> = { ...hashes.files, [HASHES_FILE]: hashesFileDigest };
  const subject = Object.keys(files)
    .sort()
    .map((name) => ({ name, digest: { sha256: files[name]! } }));
  return {
    _type: STATEMENT_TYPE,
    subject,
    predicateType: PREDICATE_TYPE,
    predicate: { runId: hashes.runId, bundleDigest: bundleDigest(hashes), previous: hashes.previous, charterVersion },
  };
}

export function envelopeOf(statement: InTotoStatement, key: SigningKey | undefined): DsseEnvelope {
  const body = Buffer.from(canonicalText(statement), 'utf8');
  // Ed25519 hashes internally: node's sign() takes no digest for it (null).
  const signatures = key ? [{ keyid: key.keyid, sig: sign(null, pae(IN_TOTO_PAYLOAD_TYPE, body), key.privateKey).toString('base64') }] : [];
  return { payloadType: IN_TOTO_PAYLOAD_TYPE, payload: body.toString('base64'), signatures };
}

/** The files a bundle gains after hashes.json: the envelope, and the signer's public key when signed. */
export function attestationFiles(hashes: BundleHashes, hashesFileDigest: string, charterVersion: string, key: SigningKey | undefined): Record<string, string> {
  const envelope = envelopeOf(statementOf(hashes, hashesFileDigest, charterVersion), key);
  return { [ATTESTATION_FILE]: `${JSON.stringify(envelope, null, 2)}\n`, ...(key ? { [PUBLIC_KEY_FILE]: key.publicKeyPem } : {}) };
}

/** Base64 as DSSE allows it (standard or URL-safe), strictly: a changed character never decodes to the same bytes. */
export function decodeBase64(text: string): Buffer | undefined {
  const standard = text.replace(/-/g, '+').replace(/_/g, '/');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(standard)) return undefined;
  const padded = standard.padEnd(Math.ceil(standard.length / 4) * 4, '=');
  const bytes = Buffer.from(padded, 'base64');
  return bytes.toString('base64') === padded ? bytes : undefined;
}

interface Opened {
  readonly envelope: DsseEnvelope;
  readonly body: Buffer;
  readonly statement: InTotoStatement;
}

/** The envelope and its statement, or why they do not read as charter wrote them. */
function open(text: string): Opened | string {
  let envelope: DsseEnvelope;
  try {
    envelope = JSON.parse(text) as DsseEnvelope;
  } catch {
    return 'not JSON';
  }
  if (typeof envelope?.payload !== 'string' || typeof envelope.payloadType !== 'string' || !Array.isArray(envelope.signatures)) return 'not a DSSE envelope';
  if (envelope.payloadType !== IN_TOTO_PAYLOAD_TYPE) return `payloadType is ${envelope.payloadType}, not ${IN_TOTO_PAYLOAD_TYPE}`;
  if (envelope.signatures.some((s) => typeof s?.sig !== 'string')) return 'a signature has no sig';
  const body = decodeBase64(envelope.payload);
  if (!body) return 'its payload is not base64';
  let statement: InTotoStatement;
  try {
    statement = JSON.parse(body.toString('utf8')) as InTotoStatement;
  } catch {
    return 'its payload is not JSON';
  }
  const wellFormed =
    statement?._type === STATEMENT_TYPE &&
    statement.predicateType === PREDICATE_TYPE &&
    Array.isArray(statement.subject) &&
    statement.subject.every((s) => typeof s?.name === 'string') &&
    typeof statement.predicate === 'object' &&
    statement.predicate !== null;
  if (!wellFormed) {
    return `its payload is not an in-toto Statement v1 of ${PREDICATE_TYPE}`;
  }
  return { envelope, body, statement };
}

const short = (hex: string | undefined): string => (hex ? `${hex.slice(0, 12)}…` : 'none');

/** Where the statement and the bundle's hashes.json disagree, in words; undefined when they agree. */
function disagreement(statement: InTotoStatement, hashes: BundleHashes, hashesFileDigest: string, runId: string): string | undefined {
  const expected = statementOf(hashes, hashesFileDigest, statement.predicate.charterVersion);
  const recorded = new Map(statement.subject.map((s) => [s.name, s.digest?.sha256] as const));
  for (const { name, digest } of expected.subject) {
    const found = recorded.get(name);
    if (found === undefined) return `its statement does not list ${name}`;
    if (found !== digest.sha256) return `its statement records ${name} with SHA-256 ${short(found)}, the bundle has ${short(digest.sha256)}`;
  }
  const extra = statement.subject.find((s) => !expected.subject.some((e) => e.name === s.name));
  if (extra) return `its statement lists ${extra.name}, which ${HASHES_FILE} does not`;
  const p = statement.predicate;
  if (p.runId !== runId) return `its statement is for run ${p.runId}`;
  if (p.bundleDigest !== expected.predicate.bundleDigest) return `its statement records bundle digest ${short(p.bundleDigest)}, the bundle's is ${short(expected.predicate.bundleDigest)}`;
  if (canonicalText(p.previous ?? null) !== canonicalText(hashes.previous)) return `its statement links to another previous bundle than ${HASHES_FILE} does`;
  return undefined;
}

/** A bundle's attestation against its hashes.json, and its signature against `trusted` when a key was given. */
export function checkAttestation(bundle: FoundBundle, trusted: KeyObject | undefined): { problems: EvidenceProblem[]; signature: SignatureStatus } {
  const { runId, attestation } = bundle;
  const problem = (file: string, detail: string): EvidenceProblem => ({ kind: 'attestation-invalid', runId, file, detail });
  if (attestation?.envelope === undefined) return { problems: [problem(ATTESTATION_FILE, `missing (every bundle has one, written after ${HASHES_FILE})`)], signature: 'unreadable' };
  const opened = open(attestation.envelope);
  if (typeof opened === 'string') return { problems: [problem(ATTESTATION_FILE, `changed since the bundle was written: ${opened}`)], signature: 'unreadable' };
  const problems: EvidenceProblem[] = [];
  // hashes.json's own problems are the chain check's; without it there is nothing to compare the statement with.
  if (bundle.hashes && bundle.hashesFileDigest !== undefined) {
    const differs = disagreement(opened.statement, bundle.hashes, bundle.hashesFileDigest, runId);
    if (differs) problems.push(problem(ATTESTATION_FILE, `changed since the bundle was written, or ${HASHES_FILE} did: ${differs}`));
  }
  const signatures = opened.envelope.signatures;
  const recordedKey = attestation.publicKeyPem;
  if (!signatures.length) {
    if (recordedKey !== undefined) problems.push(problem(PUBLIC_KEY_FILE, `added after the bundle was written (the envelope is not signed)`));
  } else if (recordedKey === undefined) {
    problems.push(problem(PUBLIC_KEY_FILE, 'missing (the envelope is signed)'));
  } else {
    const keyid = publicKeyId(recordedKey);
    if (keyid === undefined || !signatures.some((s) => s.keyid === keyid)) problems.push(problem(PUBLIC_KEY_FILE, `changed since the bundle was written: it is not the key the envelope names (keyid ${short(signatures[0]?.keyid)})`));
  }
  if (!trusted) return { problems, signature: signatures.length ? 'signed-unchecked' : 'unsigned' };
  const trustedId = keyIdOf(trusted);
  if (!signatures.length) return { problems: [...problems, { kind: 'unsigned', runId, keyid: trustedId }], signature: 'unsigned' };
  const message = pae(opened.envelope.payloadType, opened.body);
  // The keyid is an unauthenticated hint (DSSE): every signature is tried against the trusted key.
  const valid = signatures.some((s) => {
    const sig = decodeBase64(s.sig);
    return sig !== undefined && verify(null, message, trusted, sig);
  });
  if (valid) return { problems, signature: 'verified' };
  const byTrusted = signatures.some((s) => s.keyid === trustedId);
  return { problems: [...problems, { kind: 'signature-invalid', runId, keyid: trustedId, signedBy: byTrusted ? undefined : signatures.map((s) => s.keyid) }], signature: 'failed' };
}

/** Every bundle's attestation (and signature, given `trusted`), oldest first along the chain, then any outside it. */
export function checkAttestations(bundles: readonly FoundBundle[], head: EvidenceHead | undefined, trusted: KeyObject | undefined): { problems: EvidenceProblem[]; signatures: BundleSignature[] } {
  const chain = head?.chain ?? [];
  const position = (runId: string): number => (chain.includes(runId) ? chain.indexOf(runId) : chain.length);
  const ordered = [...bundles].sort((a, b) => position(a.runId) - position(b.runId) || (a.runId < b.runId ? -1 : 1));
  const problems: EvidenceProblem[] = [];
  const signatures: BundleSignature[] = [];
  for (const bundle of ordered) {
    const checked = checkAttestation(bundle, trusted);
    problems.push(...checked.problems);
    signatures.push({ runId: bundle.runId, status: checked.signature });
  }
  return { problems, signatures };
}

function publicKeyId(pem: string): string | undefined {
  try {
    return keyIdOf(createPublicKey(pem));
  } catch {
    return undefined;
  }
}

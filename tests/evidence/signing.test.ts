// Each bundle's attestation (an in-toto Statement in a DSSE envelope), signed with Ed25519 when a key is given,
// and `charter evidence verify --public-key` refusing a bundle not signed by that key.
import { createHash, generateKeyPairSync, verify as verifySignature, type KeyObject } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { pae } from '../../src/artifacts/evidence-attestation.js';
import { bundleDigest, describeProblem, type BundleHashes, type EvidenceHead } from '../../src/artifacts/evidence-chain.js';
import { UserError } from '../../src/diagnostics/diagnostic.js';
import { verifyEvidence, type EvidenceReport } from '../../src/pipeline/evidence.js';
import { readPublicKey, readSigningKey } from '../../src/pipeline/evidence-keys.js';
import { charter, fixtureCopy } from '../helpers/project.js';

interface Envelope {
  payloadType: string;
  payload: string;
  signatures: { keyid: string; sig: string }[];
}

const json = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;
const sha256 = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex');
const pem = (key: KeyObject): string => key.export({ type: key.type === 'private' ? 'pkcs8' : 'spki', format: 'pem' }).toString();

let keys: string;
let project: string;
let evidence: string;
let head: EvidenceHead;
const signer = generateKeyPairSync('ed25519');
const stranger = generateKeyPairSync('ed25519');
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });

beforeAll(async () => {
  keys = mkdtempSync(path.join(tmpdir(), 'charter-keys-'));
  writeFileSync(path.join(keys, 'evidence.key'), pem(signer.privateKey));
  writeFileSync(path.join(keys, 'evidence.pub'), pem(signer.publicKey));
  writeFileSync(path.join(keys, 'stranger.pub'), pem(stranger.publicKey));
  writeFileSync(path.join(keys, 'ec.key'), pem(ec.privateKey));
  writeFileSync(path.join(keys, 'garbage.key'), 'not a key\n');
  project = fixtureCopy('tiny');
  // Once by --sign-key, once by the environment variable holding the PEM itself, as a CI secret would.
  expect((await charter(['build', '-q', '--sign-key', path.join(keys, 'evidence.key')], project)).code).toBe(0);
  process.env['CHARTER_EVIDENCE_SIGNING_KEY'] = pem(signer.privateKey);
  try {
    expect((await charter(['build', '-q'], project)).code).toBe(0);
  } finally {
    delete process.env['CHARTER_EVIDENCE_SIGNING_KEY'];
  }
  evidence = path.join(project, 'target', 'evidence');
  head = json<EvidenceHead>(path.join(evidence, 'HEAD.json'));
}, 30_000);

/** A copy of the evidence folder to spoil, so each case starts from the two good bundles. */
function spoilable(): string {
  const copy = mkdtempSync(path.join(tmpdir(), 'charter-signed-'));
  cpSync(evidence, copy, { recursive: true });
  return copy;
}

const verifyWith = (dir: string, publicKey?: string): Promise<EvidenceReport> =>
  verifyEvidence({ projectDir: project, dir, ...(publicKey ? { publicKey: path.join(keys, publicKey) } : {}) });
const messages = (report: EvidenceReport): string[] => report.problems.map(describeProblem);

/** Rewrites a bundle's envelope through `change`. */
function editEnvelope(dir: string, runId: string, change: (e: Envelope) => Envelope): void {
  const file = path.join(dir, runId, 'attestation.dsse.json');
  writeFileSync(file, JSON.stringify(change(json<Envelope>(file))));
}

describe('the attestation each bundle holds', () => {
  it('is a DSSE envelope of an in-toto Statement v1, checkable without charter', () => {
    // DSSE's own test vector (protocol.md).
    expect(pae('http://example.com/HelloWorld', Buffer.from('hello world')).toString()).toBe('DSSEv1 29 http://example.com/HelloWorld 11 hello world');
    const keyid = sha256(signer.publicKey.export({ type: 'spki', format: 'der' }));
    for (const runId of head.chain) {
      const bundle = path.join(evidence, runId);
      const envelope = json<Envelope>(path.join(bundle, 'attestation.dsse.json'));
      expect(envelope.payloadType).toBe('application/vnd.in-toto+json');
      const body = Buffer.from(envelope.payload, 'base64');
      // PAE by hand, per the DSSE spec: lengths are byte counts in ASCII decimal.
      const type = envelope.payloadType;
      const signed = Buffer.concat([Buffer.from(`DSSEv1 ${Buffer.byteLength(type)} ${type} ${body.length} `), body]);
      expect(envelope.signatures).toHaveLength(1);
      expect(envelope.signatures[0]!.keyid).toBe(keyid);
      expect(verifySignature(null, signed, signer.publicKey, Buffer.from(envelope.signatures[0]!.sig, 'base64'))).toBe(true);
      expect(readFileSync(path.join(bundle, 'attestation.pub.pem'), 'utf8')).toBe(pem(signer.publicKey));

      const statement = JSON.parse(body.toString('utf8')) as { _type: string; subject: { name: string; digest: { sha256: string } }[]; predicateType: string; predicate: Record<string, unknown> };
      const hashes = json<BundleHashes>(path.join(bundle, 'hashes.json'));
      expect(statement._type).toBe('https://in-toto.io/Statement/v1');
      expect(statement.predicateType).toBe('https://charter.dev/evidence-bundle/v1');
      // Every file hashes.json lists, and hashes.json itself, each with the SHA-256 of the bytes on disk.
      expect(statement.subject.map((s) => s.name)).toEqual([...Object.keys(hashes.files), 'hashes.json'].sort());
      for (const s of statement.subject) expect(s.digest.sha256, s.name).toBe(sha256(readFileSync(path.join(bundle, s.name))));
      expect(statement.predicate).toEqual({ runId, bundleDigest: bundleDigest(hashes), previous: hashes.previous, charterVersion: expect.any(String) });
    }
  });

  it('is there, unsigned, when no key is given', async () => {
    const dir = fixtureCopy('tiny');
    expect((await charter(['seed', '-q'], dir)).code).toBe(0);
    const report = await verifyEvidence({ projectDir: dir });
    expect(report.problems).toEqual([]);
    expect(report.signatures.map((s) => s.status)).toEqual(['unsigned']);
    const [runId] = report.head!.chain;
    expect(json<Envelope>(path.join(dir, 'target', 'evidence', runId!, 'attestation.dsse.json')).signatures).toEqual([]);
    expect(existsSync(path.join(dir, 'target', 'evidence', runId!, 'attestation.pub.pem'))).toBe(false);
    // A key given to verify makes an unsigned bundle a failure, named by its run.
    writeFileSync(path.join(dir, 'evidence.pub'), pem(signer.publicKey));
    const strict = await verifyEvidence({ projectDir: dir, publicKey: path.join(dir, 'evidence.pub') });
    expect(messages(strict)).toEqual([expect.stringMatching(new RegExp(`^${runId}: not signed, but a public key was given`))]);
  });
});

describe('verify with a public key', () => {
  it('passes with the signer\'s key, and says the signatures are unchecked without one', async () => {
    const report = await verifyWith(evidence, 'evidence.pub');
    expect(report.problems).toEqual([]);
    expect(report.signatures.map((s) => s.status)).toEqual(['verified', 'verified']);
    const checked = await charter(['evidence', 'verify', '--public-key', path.join(keys, 'evidence.pub')], project);
    expect(checked.code).toBe(0);
    expect(checked.stdout).toMatch(/chain intact to \S+; 2 signatures verified against key [0-9a-f]{12}…$/m);
    const unchecked = await charter(['evidence', 'verify'], project);
    expect(unchecked.code).toBe(0);
    expect(unchecked.stdout).toContain('; 2 signed, signature not checked (no public key given)');
  });

  it('fails with another key, naming each run', async () => {
    const report = await verifyWith(evidence, 'stranger.pub');
    expect(messages(report)).toEqual(head.chain.map((runId) => expect.stringMatching(new RegExp(`^${runId}: signed by another key \\(keyid [0-9a-f]{12}…\\), not the public key given`))));
    const r = await charter(['evidence', 'verify', '--public-key', path.join(keys, 'stranger.pub')], project);
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toContain(`${head.runId}: signed by another key`);
  });

  it('fails when a byte of the payload or of the signature changes', async () => {
    const [first, second] = head.chain as [string, string];
    const dir = spoilable();
    // One base64 character of the payload, inside a subject's digest: still base64, still JSON, another statement.
    editEnvelope(dir, first, (e) => {
      const body = Buffer.from(e.payload, 'base64').toString('utf8');
      const at = body.search(/"sha256":"[0-9a-f]/) + '"sha256":"'.length;
      const changed = `${body.slice(0, at)}${body[at] === '0' ? '1' : '0'}${body.slice(at + 1)}`;
      return { ...e, payload: Buffer.from(changed).toString('base64') };
    });
    editEnvelope(dir, second, (e) => {
      const sig = Buffer.from(e.signatures[0]!.sig, 'base64');
      sig[10] = sig[10]! ^ 0x01;
      return { ...e, signatures: [{ ...e.signatures[0]!, sig: sig.toString('base64') }] };
    });
    const report = await verifyWith(dir, 'evidence.pub');
    expect(messages(report)).toEqual([
      expect.stringMatching(new RegExp(`^${first}/attestation.dsse.json: changed since the bundle was written, or hashes.json did: its statement records \\S+ with SHA-256`)),
      `${first}: the signature does not verify against the public key given (keyid ${report.publicKey!.keyid.slice(0, 12)}…): the attestation changed after it was signed`,
      `${second}: the signature does not verify against the public key given (keyid ${report.publicKey!.keyid.slice(0, 12)}…): the attestation changed after it was signed`,
    ]);
    expect(report.signatures.map((s) => s.status)).toEqual(['failed', 'failed']);
  });

  it('fails when a subject no longer matches the bundle, even re-signed by the right key', async () => {
    const dir = spoilable();
    const runId = head.runId;
    // Whoever holds the key signs a statement that disagrees with the bundle: the signature holds, the subjects do not.
    const statement = JSON.parse(Buffer.from(json<Envelope>(path.join(dir, runId, 'attestation.dsse.json')).payload, 'base64').toString('utf8')) as {
      subject: { name: string; digest: { sha256: string } }[];
    };
    const run = statement.subject.find((s) => s.name === 'run.json')!;
    run.digest.sha256 = sha256('another run');
    const signing = readSigningKey(path.join(keys, 'evidence.key'), {}, keys)!;
    const { envelopeOf } = await import('../../src/artifacts/evidence-attestation.js');
    writeFileSync(path.join(dir, runId, 'attestation.dsse.json'), JSON.stringify(envelopeOf(statement as never, signing)));
    const report = await verifyWith(dir, 'evidence.pub');
    expect(messages(report)).toEqual([
      `${runId}/attestation.dsse.json: changed since the bundle was written, or hashes.json did: its statement records run.json with SHA-256 ${run.digest.sha256.slice(0, 12)}…, the bundle has ${json<BundleHashes>(path.join(dir, runId, 'hashes.json')).files['run.json']!.slice(0, 12)}…`,
    ]);
    expect(report.signatures.find((s) => s.runId === runId)?.status).toBe('verified');
  });

  it('names a recorded public key that is not the signer\'s, and a signed envelope without one', async () => {
    const [first, second] = head.chain as [string, string];
    const dir = spoilable();
    writeFileSync(path.join(dir, first, 'attestation.pub.pem'), pem(stranger.publicKey));
    rmSync(path.join(dir, second, 'attestation.pub.pem'));
    // The recorded key is only a hint: this is a problem with or without a key given.
    expect(messages(await verifyWith(dir))).toEqual([
      expect.stringMatching(new RegExp(`^${first}/attestation.pub.pem: changed since the bundle was written: it is not the key the envelope names`)),
      `${second}/attestation.pub.pem: missing (the envelope is signed)`,
    ]);
  });

  it('takes the key from project.yml\'s evidence.public_key', async () => {
    const dir = fixtureCopy('tiny', { 'keys/evidence.pub': pem(stranger.publicKey) });
    writeFileSync(path.join(dir, 'project.yml'), `${readFileSync(path.join(dir, 'project.yml'), 'utf8')}evidence: {public_key: keys/evidence.pub}\n`);
    const report = await verifyEvidence({ projectDir: dir, dir: evidence });
    expect(report.publicKey?.file).toBe(path.join(dir, 'keys', 'evidence.pub'));
    expect(report.signatures.map((s) => s.status)).toEqual(['failed', 'failed']);
    // --public-key wins over project.yml.
    expect((await verifyEvidence({ projectDir: dir, dir: evidence, publicKey: path.join(keys, 'evidence.pub') })).problems).toEqual([]);
  });

  it('refuses to pass unchecked signatures with --require-signature', async () => {
    const r = await charter(['evidence', 'verify', '--require-signature'], project);
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toContain('--require-signature needs a public key');
  });
});

describe('keys that cannot be used', () => {
  const problemOf = (f: () => unknown): string => {
    try {
      f();
    } catch (e) {
      if (e instanceof UserError) return e.diagnostics.map((d) => `${d.code}: ${d.message} (${d.hint})`).join('\n');
      throw e;
    }
    throw new Error('expected a UserError');
  };

  it('are named with the file and what was expected', () => {
    expect(problemOf(() => readSigningKey(path.join(keys, 'missing.key'), {}, keys))).toMatch(
      new RegExp(`^evidence.key_invalid: the --sign-key file ${path.join(keys, 'missing.key')} cannot be read: ENOENT \\(expected an Ed25519 private key in PEM`),
    );
    expect(problemOf(() => readSigningKey('ec.key', {}, keys))).toContain(`the --sign-key file ${path.join(keys, 'ec.key')} is an ec key, not Ed25519`);
    expect(problemOf(() => readSigningKey('evidence.pub', {}, keys))).toContain(`the --sign-key file ${path.join(keys, 'evidence.pub')} is not a private key in PEM: it holds a public key`);
    expect(problemOf(() => readSigningKey(undefined, { CHARTER_EVIDENCE_SIGNING_KEY: 'garbage.key' }, keys))).toContain(
      `$CHARTER_EVIDENCE_SIGNING_KEY's file ${path.join(keys, 'garbage.key')} is not a private key in PEM`,
    );
    // A PEM in the environment is a secret: the message names the variable, never its value.
    const secret = pem(ec.privateKey);
    const inline = problemOf(() => readSigningKey(undefined, { CHARTER_EVIDENCE_SIGNING_KEY: secret }, keys));
    expect(inline).toContain('the PEM in $CHARTER_EVIDENCE_SIGNING_KEY is an ec key, not Ed25519');
    expect(inline).not.toContain(secret.split('\n')[1]);
    expect(problemOf(() => readPublicKey(path.join(keys, 'evidence.key'), 'the --public-key file'))).toContain(
      `the --public-key file ${path.join(keys, 'evidence.key')} is not a public key in PEM: it holds a private key (expected an Ed25519 public key in PEM (SPKI)`,
    );
  });

  it('stop a run before it starts', async () => {
    const dir = fixtureCopy('tiny');
    const r = await charter(['build', '-q', '--sign-key', path.join(keys, 'ec.key')], dir);
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toContain('is an ec key, not Ed25519');
    expect(existsSync(path.join(dir, 'target', 'evidence'))).toBe(false);
  });
});

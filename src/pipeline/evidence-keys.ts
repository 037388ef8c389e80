// Reading the Ed25519 keys evidence is signed and checked with: the private key from --sign-key or
// CHARTER_EVIDENCE_SIGNING_KEY, the public key from --public-key or project.yml's evidence.public_key.
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { signingKeyOf, type SigningKey } from '../artifacts/evidence-attestation.js';
import { error, UserError } from '../diagnostics/diagnostic.js';

export const SIGNING_KEY_ENV = 'CHARTER_EVIDENCE_SIGNING_KEY';

const keyProblem = (message: string, hint: string): UserError => new UserError([error('evidence.key_invalid', message, { hint })]);

function readKeyFile(file: string, what: string, hint: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw keyProblem(`${what} ${file} cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, hint);
  }
}

const PRIVATE_HINT = 'expected an Ed25519 private key in PEM (PKCS#8, unencrypted), e.g. from `openssl genpkey -algorithm ed25519 -out evidence.key`';
const PUBLIC_HINT = 'expected an Ed25519 public key in PEM (SPKI), e.g. from `openssl pkey -in evidence.key -pubout -out evidence.pub`';

/**
 * The key to sign evidence with: --sign-key's file, else the environment variable, which holds either the PEM
 * itself (CI secrets usually do) or a path to it. Undefined when neither is set. Paths are relative to `cwd`.
 * A PEM given in the environment is never echoed in a message.
 */
export function readSigningKey(flag: string | undefined, env: NodeJS.ProcessEnv, cwd: string): SigningKey | undefined {
  const fromEnv = env[SIGNING_KEY_ENV]?.trim() || undefined;
  const given = flag ?? fromEnv;
  if (given === undefined) return undefined;
  const inline = flag === undefined && given.includes('-----BEGIN');
  const source = inline ? `the PEM in $${SIGNING_KEY_ENV}` : path.resolve(cwd, given);
  const what = flag !== undefined ? 'the --sign-key file' : `$${SIGNING_KEY_ENV}'s file`;
  const pem = inline ? given : readKeyFile(source, what, PRIVATE_HINT);
  let key: KeyObject;
  try {
    if (pem.includes('PUBLIC KEY') && !pem.includes('PRIVATE KEY')) throw new Error('it holds a public key (that one is for `charter evidence verify --public-key`)');
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch (e) {
    throw keyProblem(`${inline ? source : `${what} ${source}`} is not a private key in PEM: ${firstLine(e)}`, PRIVATE_HINT);
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw keyProblem(`${inline ? source : `${what} ${source}`} is an ${key.asymmetricKeyType ?? 'unknown'} key, not Ed25519`, PRIVATE_HINT);
  }
  return signingKeyOf(key);
}

/** The public key to check signatures with; `origin` says where the path came from, for the message. */
export function readPublicKey(file: string, origin: string): KeyObject {
  const pem = readKeyFile(file, origin, PUBLIC_HINT);
  let key: KeyObject;
  try {
    // createPublicKey would also take a private key (and derive its public half): refuse one, it should not be here.
    if (pem.includes('PRIVATE KEY')) throw new Error('it holds a private key');
    key = createPublicKey({ key: pem, format: 'pem' });
  } catch (e) {
    throw keyProblem(`${origin} ${file} is not a public key in PEM: ${firstLine(e)}`, PUBLIC_HINT);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw keyProblem(`${origin} ${file} is an ${key.asymmetricKeyType ?? 'unknown'} key, not Ed25519`, PUBLIC_HINT);
  return key;
}

const firstLine = (e: unknown): string => (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';

// How charter authorises a call to a Snowflake REST API (Cortex Analyst) with a target's connection settings: an
// OAuth or programmatic access token goes as a Bearer token of its type; a key pair signs a KEYPAIR_JWT; a password
// logs in as the driver does (POST /session/v1/login-request) and uses the session token, as Snowflake's own
// Streamlit samples do, the session closed again afterwards. Browser SSO has no token to send.
import { createHash, createPrivateKey, createPublicKey, sign } from 'node:crypto';
import { error, UserError } from '../../diagnostics/diagnostic.js';
import { CHARTER_VERSION } from '../../version.js';
import type { SnowflakeConnectionSettings } from './connection-settings.js';

export interface RestAuthorization {
  readonly headers: Readonly<Record<string, string>>;
  /** Ends what was opened for it (a password login's session). */
  close(): Promise<void>;
}

/** The account's REST base URL: the target's host when it names one, else <account>.snowflakecomputing.com. */
export const restBaseUrl = (s: Pick<SnowflakeConnectionSettings, 'account' | 'accessUrl'>): string =>
  (s.accessUrl ?? `https://${s.account.toLowerCase()}.snowflakecomputing.com`).replace(/\/+$/, '');

const refused = (message: string, hint?: string): UserError => new UserError([error('engine.connect', message, hint ? { hint } : {})]);

export async function restAuthorization(s: SnowflakeConnectionSettings, fetchFn: typeof fetch = fetch): Promise<RestAuthorization> {
  const none = async (): Promise<void> => undefined;
  switch (s.authenticator) {
    case 'OAUTH':
    case 'PROGRAMMATIC_ACCESS_TOKEN':
      return { headers: { Authorization: `Bearer ${s.token!.reveal()}`, 'X-Snowflake-Authorization-Token-Type': s.authenticator === 'OAUTH' ? 'OAUTH' : 'PROGRAMMATIC_ACCESS_TOKEN' }, close: none };
    case 'SNOWFLAKE_JWT':
      return { headers: { Authorization: `Bearer ${keyPairJwt(s)}`, 'X-Snowflake-Authorization-Token-Type': 'KEYPAIR_JWT' }, close: none };
    case 'SNOWFLAKE':
      return passwordSession(s, fetchFn);
    case 'EXTERNALBROWSER':
      throw refused('Cortex Analyst needs a token, and browser sign-in gives charter none', 'use an OAuth or programmatic access token (authenticator: programmatic_access_token), a key pair, or a password for this target');
  }
}

/** A JWT for the REST APIs: RS256, iss ACCOUNT.USER.SHA256:<public key fingerprint>, sub ACCOUNT.USER, for an hour. */
export function keyPairJwt(s: Pick<SnowflakeConnectionSettings, 'account' | 'user' | 'privateKey' | 'privateKeyPassphrase'>, now = Date.now()): string {
  const key = createPrivateKey({ key: s.privateKey!.reveal(), ...(s.privateKeyPassphrase ? { passphrase: s.privateKeyPassphrase.reveal() } : {}) });
  const fingerprint = createHash('sha256').update(createPublicKey(key).export({ type: 'spki', format: 'der' })).digest('base64');
  const who = `${s.account.split('.')[0]!.toUpperCase()}.${(s.user ?? '').toUpperCase()}`;
  const part = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  const iat = Math.floor(now / 1000);
  const signed = `${part({ alg: 'RS256', typ: 'JWT' })}.${part({ iss: `${who}.SHA256:${fingerprint}`, sub: who, iat, exp: iat + 3600 })}`;
  return `${signed}.${sign('RSA-SHA256', Buffer.from(signed), key).toString('base64url')}`;
}

async function passwordSession(s: SnowflakeConnectionSettings, fetchFn: typeof fetch): Promise<RestAuthorization> {
  const base = restBaseUrl(s);
  const query = new URLSearchParams({
    ...(s.warehouse ? { warehouse: s.warehouse } : {}), databaseName: s.database, ...(s.role ? { roleName: s.role } : {}),
  });
  const response = await fetchFn(`${base}/session/v1/login-request?${query.toString()}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ data: {
      ACCOUNT_NAME: s.account.split('.')[0]!.toUpperCase(), LOGIN_NAME: s.user, PASSWORD: s.password?.reveal(), AUTHENTICATOR: 'SNOWFLAKE',
      CLIENT_APP_ID: 'charter', CLIENT_APP_VERSION: CHARTER_VERSION,
    } }),
  }).catch((e: unknown) => {
    throw refused(`cannot reach ${base} to log in: ${e instanceof Error ? e.message : String(e)}`);
  });
  const body = (await response.json().catch(() => ({}))) as { success?: boolean; message?: string; data?: { token?: string; sessionToken?: string } };
  const token = body.data?.token ?? body.data?.sessionToken;
  if (!response.ok || !body.success || !token) throw refused(`login to ${base} as ${s.user ?? '?'} was refused: ${body.message ?? `HTTP ${response.status}`}`);
  const headers = { Authorization: `Snowflake Token="${token}"` };
  return {
    headers,
    close: async () => {
      await fetchFn(`${base}/session?delete=true`, { method: 'POST', headers: { ...headers, Accept: 'application/json' } }).catch(() => undefined);
    },
  };
}

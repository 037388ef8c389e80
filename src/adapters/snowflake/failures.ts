// Which Snowflake failures are worth another attempt, and how an error reads. Pure.
// snowflake-sdk already retries an HTTP 5xx, 408 or 429 and a dropped connection itself: 7 retries with its own
// backoff (1 s base, 16 s cap; not configurable in 3.3.0), and the same again when it fetches the failed result,
// 16 attempts in all (measured against the loopback server). What it gives up on arrives here as a network error, and
// charter's retry policy (the target's `retries`) decides whether to send the same request again. A SQL error is
// never retried: the same SQL fails the same way.
import type { RetryPolicy } from './connection-settings.js';

export type Transience = 'network' | 'session';

// snowflake-sdk's own codes (dist/lib/error_code.js): could not connect, response failure, and the same two for
// result chunks.
const NETWORK_CODES = new Set(['401001', '401002', '402001', '402002']);
// Snowflake's: session no longer exists, session expired, authentication token expired; and the driver's own for a
// connection it has terminated after one of those (407002).
const SESSION_CODES = new Set(['390111', '390112', '390114', '407002']);

export function classifyFailure(e: unknown): Transience | undefined {
  const err = e as { code?: unknown; isFatal?: unknown } | undefined;
  const code = err?.code === undefined ? '' : String(err.code);
  if (NETWORK_CODES.has(code)) return 'network';
  if (SESSION_CODES.has(code)) return 'session';
  if (/^(ECONNRESET|ECONNREFUSED|ETIMEDOUT|EPIPE|EAI_AGAIN)$/.test(code)) return 'network';
  return undefined;
}

/** Delay before retry number `attempt + 1`: the initial delay doubled each time, capped. */
export function retryDelayMs(policy: RetryPolicy, attempt: number): number {
  return Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** attempt);
}

/**
 * One line a reader can act on: Snowflake's message (its lines joined), its error code and SQL state, and the
 * query id to look up in QUERY_HISTORY.
 */
export function describeSnowflakeError(e: unknown, retried: number): string {
  const err = e as { message?: unknown; code?: unknown; sqlState?: unknown; data?: { queryId?: unknown } } | undefined;
  const message = String(err?.message ?? e).split('\n').map((l) => l.trim()).filter(Boolean).join(' ');
  const parts = [
    err?.code !== undefined ? `Snowflake ${String(err.code)}` : undefined,
    err?.sqlState ? `SQL state ${String(err.sqlState)}` : undefined,
    err?.data?.queryId ? `query id ${String(err.data.queryId)}` : undefined,
    retried > 0 ? `after ${retried} ${retried === 1 ? 'retry' : 'retries'}` : undefined,
  ].filter(Boolean);
  return parts.length ? `${message} [${parts.join(', ')}]` : message;
}

// snowflake-sdk 3.3.0 sleeps 1-16 s between its own retries of a failed HTTP request, and no setting changes that:
// statement.js passes the connection's sfRetry* values as `snowflakeRetryConfig`, but services/sf.js drops it on the
// way to the axios retry interceptor, which then uses its defaults (7 retries, 1 s base, 16 s cap). A test that
// injects transient failures runs the driver's backoff formula on a millisecond scale; its retry loop is otherwise
// untouched. Call the returned function to restore it.
import { createRequire } from 'node:module';

type NextSleepTime = (base: number, cap: number, previous: number) => number;

/**
 * HTTP attempts the driver makes for one statement before it reports a failure: its axios interceptor's first
 * attempt and 7 retries, and the same again when `complete` fetches the failed result (statement.js refresh).
 */
export const DRIVER_ATTEMPTS = 16;

export function fastDriverBackoff(): () => void {
  const sfUtil = createRequire(import.meta.url)('snowflake-sdk/dist/lib/util.js') as { nextSleepTime: NextSleepTime };
  const original = sfUtil.nextSleepTime;
  sfUtil.nextSleepTime = (_base, _cap, previous) => original(0.001, 0.005, Math.min(previous, 0.005));
  return () => {
    sfUtil.nextSleepTime = original;
  };
}

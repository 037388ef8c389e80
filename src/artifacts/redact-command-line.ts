// The command line as the evidence records it: a secret typed on it (a --vars value named like a password or token,
// or the value of a secret environment variable pasted in) is replaced by *** before it reaches a bundle. Pure.
import { parse, stringify } from 'yaml';

/** Names that hold secrets: passwords, tokens, private keys, credentials, API keys. */
const SECRET_NAME = /pass(word|phrase)?|secret|token|private|credential|api_?key|(^|_)key$/i;
const MASK = '***';

function redactValue(value: unknown, name: string): unknown {
  if (SECRET_NAME.test(name)) return MASK;
  if (Array.isArray(value)) return value.map((v) => redactValue(v, ''));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactValue(v, k)]));
  return value;
}

/** A --vars value with every secret-named key's value masked; all of it when it does not parse. */
function redactVars(text: string): string {
  try {
    const parsed: unknown = parse(text);
    if (!parsed || typeof parsed !== 'object') return text;
    return stringify(redactValue(parsed, ''), { flow: true }).trim();
  } catch {
    return MASK;
  }
}

/**
 * `secretEnv`: variables known to hold secrets whatever their names (those the target's password_env, token_env and
 * the like name), besides those named like one.
 */
export function redactCommandLine(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, secretEnv: readonly string[] = []): string[] {
  // Short values (a "1", a "true") would mask half the line; a real secret is longer.
  const secrets = Object.entries(env)
    .filter((e): e is [string, string] => e[1] !== undefined && e[1].length >= 6 && (SECRET_NAME.test(e[0]) || secretEnv.includes(e[0])))
    .map(([, v]) => v);
  return argv.map((arg, i) => {
    let out = arg;
    if (argv[i - 1] === '--vars') out = redactVars(out);
    else if (out.startsWith('--vars=')) out = `--vars=${redactVars(out.slice('--vars='.length))}`;
    for (const secret of secrets) out = out.split(secret).join(MASK);
    return out;
  });
}

// SQL as a stream of tokens, whitespace dropped: two texts with the same stream differ only in layout (and in the
// case of unquoted words, which Snowflake folds). How `charter format` proves a model renders as before.

const TOKEN = /'(?:[^'\\]|\\.|'')*'|"(?:[^"]|"")*"|--[^\n]*|\/\*[\s\S]*?\*\/|\$\$[\s\S]*?\$\$|[A-Za-z0-9_$]+|::|\|\||<=|>=|<>|!=|=>|->|\S/g;

export function sqlTokens(sql: string): string[] {
  return [...sql.matchAll(TOKEN)].map(([t]) => {
    if (t.startsWith('--')) return t.trimEnd();
    if (t.startsWith('/*')) return t.replace(/\s+/g, ' ');
    return /^[A-Za-z0-9_$]+$/.test(t) ? t.toLowerCase() : t;
  });
}

/** True when the two texts are the same SQL up to whitespace and the case of unquoted words. */
export function sameSqlTokens(a: string, b: string): boolean {
  const x = sqlTokens(a);
  const y = sqlTokens(b);
  return x.length === y.length && x.every((t, i) => t === y[i]);
}

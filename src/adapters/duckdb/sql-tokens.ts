// A small SQL tokenizer shared by the Snowflake pre-pass and the DuckDB post-pass: it keeps strings,
// quoted identifiers and comments whole so that rewrites never touch their contents.

export type TokenKind = 'ws' | 'comment' | 'string' | 'qident' | 'ident' | 'number' | 'op';

export interface Token {
  kind: TokenKind;
  text: string;
  /** Offset of the first character in the tokenized text. */
  start: number;
}

export type SqlDialect = 'snowflake' | 'duckdb';

// Snowflake strings accept backslash escapes and $$...$$; it also has `//` line comments. DuckDB has neither.
const SNOWFLAKE_RE =
  /(\s+)|(--[^\n]*|\/\/[^\n]*|\/\*[\s\S]*?\*\/)|('(?:[^'\\]|\\[\s\S]|'')*'|\$\$[\s\S]*?\$\$)|("(?:[^"]|"")*")|([\p{L}_][\p{L}\p{N}_$]*)|(\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)|(->>|->|::|=>|\|\||<=|>=|<>|!=|[^\s])/uy;
const DUCKDB_RE =
  /(\s+)|(--[^\n]*|\/\*[\s\S]*?\*\/)|('(?:[^']|'')*')|("(?:[^"]|"")*")|([\p{L}_][\p{L}\p{N}_$]*)|(\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)|(->>|->|::|=>|\|\||<=|>=|<>|!=|[^\s])/uy;
const KINDS: readonly TokenKind[] = ['ws', 'comment', 'string', 'qident', 'ident', 'number', 'op'];

export function tokenize(sql: string, dialect: SqlDialect): Token[] {
  const re = new RegExp(dialect === 'snowflake' ? SNOWFLAKE_RE : DUCKDB_RE);
  const tokens: Token[] = [];
  let pos = 0;
  while (pos < sql.length) {
    re.lastIndex = pos;
    const m = re.exec(sql);
    if (!m) {
      // Unreachable in practice (the last alternative matches any non-space), kept for safety.
      tokens.push({ kind: 'op', text: sql.charAt(pos), start: pos });
      pos += 1;
      continue;
    }
    const group = m.findIndex((g, i) => i > 0 && g !== undefined);
    tokens.push({ kind: KINDS[group - 1] ?? 'op', text: m[0], start: pos });
    pos += m[0].length;
  }
  return tokens;
}

export function isSignificant(t: Token | undefined): t is Token {
  return t !== undefined && t.kind !== 'ws' && t.kind !== 'comment';
}

export function isOp(t: Token | undefined, text: string): boolean {
  return t !== undefined && t.kind === 'op' && t.text === text;
}

export function isWord(t: Token | undefined, ...words: string[]): boolean {
  return t !== undefined && t.kind === 'ident' && words.includes(t.text.toUpperCase());
}

/** Index of the next significant token after i (or tokens.length). */
export function nextSig(tokens: readonly Token[], i: number): number {
  let j = i + 1;
  while (j < tokens.length && !isSignificant(tokens[j])) j++;
  return j;
}

/** Index of the previous significant token before i (or -1). */
export function prevSig(tokens: readonly Token[], i: number): number {
  let j = i - 1;
  while (j >= 0 && !isSignificant(tokens[j])) j--;
  return j;
}

const CLOSERS: Record<string, string> = { '(': ')', '[': ']' };

/** Index of the bracket matching the opener at `open`, or -1 when unbalanced. */
export function matchForward(tokens: readonly Token[], open: number): number {
  const opener = tokens[open]?.text ?? '';
  const closer = CLOSERS[opener];
  if (!closer) return -1;
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    const t = tokens[i];
    if (t?.kind !== 'op') continue;
    if (t.text === opener) depth++;
    else if (t.text === closer && --depth === 0) return i;
  }
  return -1;
}

/** Index of the opener matching the closing bracket at `close`, or -1. */
export function matchBackward(tokens: readonly Token[], close: number): number {
  const closer = tokens[close]?.text ?? '';
  const opener = closer === ')' ? '(' : closer === ']' ? '[' : '';
  if (!opener) return -1;
  let depth = 0;
  for (let i = close; i >= 0; i--) {
    const t = tokens[i];
    if (t?.kind !== 'op') continue;
    if (t.text === closer) depth++;
    else if (t.text === opener && --depth === 0) return i;
  }
  return -1;
}

/** Splits the tokens strictly between `open` and `close` into comma-separated [start, end) ranges at depth 0. */
export function splitTopLevel(tokens: readonly Token[], open: number, close: number): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  let depth = 0;
  let start = open + 1;
  for (let i = open + 1; i < close; i++) {
    const t = tokens[i];
    if (t?.kind !== 'op') continue;
    if (t.text === '(' || t.text === '[') depth++;
    else if (t.text === ')' || t.text === ']') depth--;
    else if (t.text === ',' && depth === 0) {
      ranges.push([start, i]);
      start = i + 1;
    }
  }
  const hasContent = tokens.slice(start, close).some(isSignificant);
  if (hasContent || ranges.length > 0) ranges.push([start, close]);
  return ranges;
}

/** The only significant token of a range, if the range holds exactly one. */
export function soleToken(tokens: readonly Token[], [start, end]: [number, number]): Token | undefined {
  const sig = tokens.slice(start, end).filter(isSignificant);
  return sig.length === 1 ? sig[0] : undefined;
}

/** 1-based line and column of an offset. */
export function positionOf(sql: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < sql.length; i++) {
    if (sql.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** The value of a Snowflake single-quoted string literal token (escapes resolved), or undefined. */
export function snowflakeStringValue(t: Token | undefined): string | undefined {
  if (t?.kind !== 'string') return undefined;
  if (t.text.startsWith('$$')) return t.text.slice(2, -2);
  const ESC: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '0': '\0' };
  return t.text
    .slice(1, -1)
    .replace(/''|\\([\s\S])/g, (whole, c: string | undefined) => (c === undefined ? "'" : (ESC[c] ?? c)));
}

/** A Snowflake string literal for a value. */
export function snowflakeStringLiteral(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

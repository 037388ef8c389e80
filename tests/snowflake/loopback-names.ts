// Reading Snowflake statements for the loopback server: a cursor over significant tokens, and object names resolved
// as Snowflake resolves them (quoted parts keep their case, unquoted ones are upper-cased; missing parts come from
// the session's database and schema).
import { isOp, isSignificant, matchForward, tokenize, type Token } from '../../src/adapters/duckdb/sql-tokens.js';
import { resolveIdentifier } from './loopback-sql.js';

/** A fully resolved three-part name. */
export interface ObjectName {
  readonly database: string;
  readonly schema: string;
  readonly name: string;
}

/** The session's current database and schema, which complete partial names. */
export interface NameContext {
  readonly database: string | undefined;
  readonly schema: string | undefined;
}

export const quote = (part: string): string => `"${part.replace(/"/g, '""')}"`;

/** `"DB"."S"."T"`: the name as DuckDB (and Snowflake) reads it. */
export const renderName = (n: ObjectName): string => `${quote(n.database)}.${quote(n.schema)}.${quote(n.name)}`;

/** A key for per-relation records: the three parts as Snowflake stores them. */
export const nameKey = (n: ObjectName): string => `${n.database}.${n.schema}.${n.name}`;

export const sameSchema = (a: ObjectName, b: ObjectName): boolean => a.database === b.database && a.schema === b.schema;

/** A Snowflake-style error raised while reading or running a statement; the server answers with its code. */
export class SnowflakeError extends Error {
  constructor(readonly code: string, readonly sqlState: string, message: string) {
    super(message);
  }
}

export const unsupported = (what: string): SnowflakeError =>
  new SnowflakeError('000002', '0A000', `SQL compilation error:\nUnsupported feature '${what}' (not emulated by the loopback server).`);

export const syntaxError = (detail: string): SnowflakeError => new SnowflakeError('001003', '42000', `SQL compilation error:\n${detail}`);

/** Significant tokens of a statement with a read position, plus the original text for slicing bodies out. */
export class Cursor {
  readonly tokens: Token[];
  i = 0;

  constructor(readonly sql: string) {
    this.tokens = tokenize(sql, 'snowflake').filter(isSignificant);
  }

  get done(): boolean {
    return this.i >= this.tokens.length || (this.i === this.tokens.length - 1 && isOp(this.tokens[this.i], ';'));
  }

  peek(offset = 0): Token | undefined {
    return this.tokens[this.i + offset];
  }

  /** Whether the next tokens are these words (case-insensitive), in order. */
  at(...words: string[]): boolean {
    return words.every((w, k) => {
      const t = this.tokens[this.i + k];
      return t !== undefined && (t.kind === 'ident' || t.kind === 'op') && t.text.toUpperCase() === w;
    });
  }

  /** Consumes the words if they come next. */
  take(...words: string[]): boolean {
    if (!this.at(...words)) return false;
    this.i += words.length;
    return true;
  }

  expect(...words: string[]): void {
    if (!this.take(...words)) throw syntaxError(`syntax error: expected ${words.join(' ')} near '${this.peek()?.text ?? 'end of statement'}'`);
  }

  /** The text from the current token to the end (a trailing semicolon dropped). */
  rest(): string {
    const t = this.peek();
    return t ? this.sql.slice(t.start).replace(/;\s*$/, '') : '';
  }

  /** Text of tokens [from, to) as written. */
  slice(from: number, to: number): string {
    const a = this.tokens[from];
    const b = this.tokens[to - 1];
    return a && b ? this.sql.slice(a.start, b.start + b.text.length) : '';
  }

  /** Skips a parenthesised group starting at the current token; returns its [open, close] token indexes. */
  group(): [number, number] {
    const close = matchForward(this.tokens, this.i);
    if (close < 0) throw syntaxError('syntax error: unbalanced parentheses');
    const open = this.i;
    this.i = close + 1;
    return [open, close];
  }

  /** One to three dotted identifier parts, as written, or undefined when no identifier comes next. */
  parts(): string[] | undefined {
    const first = this.peek();
    if (first?.kind !== 'ident' && first?.kind !== 'qident') return undefined;
    const parts = [first.text];
    this.i++;
    while (isOp(this.peek(), '.') && ['ident', 'qident'].includes(this.peek(1)?.kind ?? '')) {
      parts.push(this.tokens[this.i + 1]!.text);
      this.i += 2;
    }
    return parts;
  }

  /** An object name, completed from the session (`S.T` is in the current database, `T` in the current schema). */
  name(context: NameContext): ObjectName {
    const parts = this.parts();
    if (!parts || parts.length > 3) throw syntaxError(`syntax error: expected an object name near '${this.peek()?.text ?? 'end of statement'}'`);
    return completeName(parts.map(resolveIdentifier), context);
  }
}

export function completeName(parts: readonly string[], context: NameContext): ObjectName {
  const [name] = parts.slice(-1);
  const schema = parts.length >= 2 ? parts[parts.length - 2] : context.schema;
  const database = parts.length === 3 ? parts[0] : context.database;
  if (!database || !schema) throw new SnowflakeError('090105', '22000', 'Cannot perform operation. This session does not have a current database. Call \'USE DATABASE\', or use a qualified name.');
  return { database, schema, name: name! };
}

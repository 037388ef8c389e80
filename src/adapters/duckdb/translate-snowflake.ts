// Translates one rendered Snowflake SELECT (model body) to DuckDB SQL: a token-level pre-pass for constructs the
// transpiler gets wrong, the polyglot transpiler, then a token-level post-pass. Pure: no I/O.

import { createHash } from 'node:crypto';
import { Dialect, parse, transpile } from '@polyglot-sql/sdk';
import { memoizeText } from '../../project/memo.js';
import { fixupDuckdb } from './duckdb-fixups.js';
import { rewriteSnowflake } from './snowflake-rewrites.js';
import { rewriteLikeAny } from './snowflake-like-any.js';
import { rewriteValuesSources } from './snowflake-values.js';
import { isOp, isSignificant, isWord, positionOf, tokenize } from './sql-tokens.js';

export interface SqlPosition { line: number; column: number }
export interface TranslationNote { construct: string; detail: string }
export interface UnsupportedConstruct { construct: string; position?: SqlPosition; reason: string }
export interface Translation { sql: string; notes: TranslationNote[]; unsupported: UnsupportedConstruct[] }

export function translateSnowflakeToDuckDB(snowflakeSql: string): Translation {
  const unsupported: UnsupportedConstruct[] = [];
  const statement = checkStatement(snowflakeSql);
  if (statement) return freeze({ sql: '', notes: [], unsupported: [statement] });

  // Both passes keep every line where it was, so positions in their output are lines of the user's SQL.
  const values = rewriteValuesSources(snowflakeSql);
  const likeAny = rewriteLikeAny(values.sql);
  const pre = rewriteSnowflake(likeAny.sql);
  const located = (text: string, issues: ReadonlyArray<{ construct: string; offset: number; reason: string }>): void => {
    for (const i of issues) unsupported.push({ construct: i.construct, position: positionOf(text, i.offset), reason: i.reason });
  };
  located(snowflakeSql, values.issues);
  located(values.sql, likeAny.issues);
  located(likeAny.sql, pre.issues);
  if (likeAny.rewritten) pre.notes.unshift({ construct: 'LIKE ANY', detail: 'shims __sf_like_quantified over each pattern' });
  if (values.rewritten) pre.notes.unshift({ construct: 'VALUES', detail: 'explicit column names COLUMN1..N; $n -> the named column' });

  const result = safely(() => transpile(pre.sql, Dialect.Snowflake, Dialect.DuckDB));
  const statements = (result.sql ?? []).filter((s) => s.trim() !== '');
  if (!result.success || statements.length === 0) {
    unsupported.push(parseFailure(snowflakeSql, result.error ?? 'the transpiler returned no SQL'));
    return freeze({ sql: '', notes: pre.notes, unsupported });
  }
  if (statements.length > 1) {
    unsupported.push({ construct: 'multiple statements', reason: 'a model body must be a single SELECT' });
  }

  const post = fixupDuckdb(statements[0] ?? '', pre.jsonColumns);
  for (const problem of post.problems) unsupported.push({ construct: problem.construct, reason: problem.reason });
  return freeze({ sql: post.sql, notes: dedupe([...pre.notes, ...post.notes]), unsupported });
}

/** Only DDL-free SELECT bodies (optionally WITH ... SELECT, or parenthesised) are translated. */
function checkStatement(sql: string): UnsupportedConstruct | undefined {
  const tokens = tokenize(sql, 'snowflake');
  const index = tokens.findIndex(isSignificant);
  const first = tokens[index];
  if (!first) return { construct: 'empty model', reason: 'the model body is empty' };
  if (isWord(first, 'SELECT', 'WITH') || isOp(first, '(')) return undefined;
  return {
    construct: first.text.toUpperCase(),
    position: positionOf(sql, first.start),
    reason: 'only a SELECT (optionally with WITH) can be translated; charter wraps it in CREATE TABLE/VIEW itself',
  };
}

/** Re-parses the original input so a syntax error points at the user's SQL, not at the pre-pass output. */
function parseFailure(original: string, transpileError: string): UnsupportedConstruct {
  const parsed = safely(() => parse(original, Dialect.Snowflake));
  if (!parsed.success) {
    const position = parsed.errorLine !== undefined && parsed.errorColumn !== undefined
      ? { line: parsed.errorLine, column: parsed.errorColumn }
      : undefined;
    return { construct: 'syntax', ...(position ? { position } : {}), reason: parsed.error ?? 'syntax error' };
  }
  return { construct: 'translation', reason: `the SQL parses but could not be translated: ${transpileError}` };
}

interface PolyglotOutcome {
  success: boolean;
  sql?: string[] | null;
  error?: string | null;
  errorLine?: number;
  errorColumn?: number;
}

/** polyglot reports errors in its result; a thrown error (a WASM panic) is turned into one too. */
function safely(run: () => PolyglotOutcome): PolyglotOutcome {
  try {
    return run();
  } catch (e) {
    return { success: false, error: `transpiler failure: ${e instanceof Error ? e.message : String(e)}` };
  }
}

function dedupe(notes: TranslationNote[]): TranslationNote[] {
  const seen = new Map<string, TranslationNote>();
  for (const n of notes) if (!seen.has(n.construct)) seen.set(n.construct, n);
  return [...seen.values()];
}

function freeze(t: Translation): Translation {
  t.notes.forEach((n) => Object.freeze(n));
  t.unsupported.forEach((u) => Object.freeze(u));
  Object.freeze(t.notes);
  Object.freeze(t.unsupported);
  return Object.freeze(t);
}

/** Translations are pure and frozen, so every cache of the process shares what any of them translated. */
const translateOnce = memoizeText(translateSnowflakeToDuckDB, 5_000);

/**
 * In-memory cache keyed by the SHA-256 of the input SQL; evicts the least recently used entry beyond `max`.
 * Returned translations are frozen and shared between callers.
 */
export class TranslationCache {
  private readonly entries = new Map<string, Translation>();
  private added = 0;

  constructor(
    private readonly max = 1000,
    /** Translations saved by an earlier run (see `saved()`), keyed by the SQL's sha256. */
    earlier: Readonly<Record<string, Translation>> = {},
  ) {
    for (const [key, translation] of Object.entries(earlier)) this.entries.set(key, translation);
  }

  /** What to persist for the next run; undefined when nothing new was translated. */
  saved(): Record<string, Translation> | undefined {
    return this.added ? Object.fromEntries(this.entries) : undefined;
  }

  translate(sql: string): Translation {
    const key = createHash('sha256').update(sql).digest('hex');
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const translation = translateOnce(sql);
    this.entries.set(key, translation);
    this.added++;
    if (this.entries.size > this.max) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    return translation;
  }

  get size(): number {
    return this.entries.size;
  }
}

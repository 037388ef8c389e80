// Positions in a model's raw template text: what lint findings point at, computed from the file as written.

export interface TextPosition {
  readonly line: number;
  readonly column: number;
}

/** 1-based line and column of a character offset. */
export function positionAt(text: string, offset: number): TextPosition {
  const before = text.slice(0, Math.max(0, offset));
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: offset - lineStart + 1 };
}

/**
 * The text with Nunjucks tags, SQL comments and string literals blanked out (newlines kept, so offsets and lines
 * still match): what is left is the SQL a scan may read for keywords and punctuation.
 */
export function sqlSkeleton(text: string): string {
  const blank = (s: string): string => s.replace(/[^\n]/g, ' ');
  return text.replace(/\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}|\{#[\s\S]*?#\}|--[^\n]*|\/\*[\s\S]*?\*\/|'(?:[^']|'')*'/g, blank);
}

/** The first place `pattern` matches in `text`, as a position; undefined when it does not. */
export function findPosition(text: string, pattern: RegExp): TextPosition | undefined {
  const match = pattern.exec(text);
  return match ? positionAt(text, match.index) : undefined;
}

/** Where a call such as ref('orders') or source("a", "b") is written in template text. */
export function callPattern(fn: string, args: readonly string[]): RegExp {
  const quoted = args.map((a) => `['"]${escapeRegExp(a)}['"]`).join('\\s*,\\s*');
  return new RegExp(`\\b${fn}\\s*\\(\\s*${quoted}`);
}

/** A word (an identifier, possibly quoted parts), case-insensitive, not inside another word. */
export function wordPattern(word: string): RegExp {
  return new RegExp(`(?<![A-Za-z0-9_$])${escapeRegExp(word)}(?![A-Za-z0-9_$])`, 'i');
}

export const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// Turns a Nunjucks error, or a sandbox refusal, into located diagnostics.
import { error, type Diagnostic, type SourceLocation } from '../diagnostics/diagnostic.js';
import { TemplateForbiddenError } from './template-sandbox.js';

interface NunjucksError {
  message: string;
  lineno?: number;
  colno?: number;
  cause?: unknown;
}

/** A Nunjucks error, or one the sandbox raised, as located diagnostics (several when a template breaks several rules). */
export function templateDiagnostics(file: string, raw: unknown): Diagnostic[] {
  const cause = typeof raw === 'object' && raw !== null ? (raw as NunjucksError).cause : undefined;
  const refused = raw instanceof TemplateForbiddenError ? raw : cause instanceof TemplateForbiddenError ? cause : undefined;
  if (refused) {
    // A violation found in the syntax tree, or a run-time one with a located key, knows its place; others take the
    // place nunjucks was rendering.
    const fallback = errorLocation(file, raw as NunjucksError);
    return refused.violations.map((v) =>
      error('template.forbidden', `forbidden in a template: ${v.what}`, { location: v.location ?? fallback, hint: v.hint }),
    );
  }
  const e = raw as NunjucksError;
  const message = String(e.message ?? raw)
    .replace(/^\([^)]*\)\s*(\[Line \d+(, Column \d+)?\])?\s*/, '')
    .replace(/^Error: /, '')
    .trim();
  return [error('template.syntax', `template error: ${message}`, { location: errorLocation(file, e), hint: hintFor(message) })];
}

function errorLocation(file: string, e: NunjucksError): SourceLocation {
  // Parse errors carry 1-based positions; errors wrapped from a JS exception at render time carry 0-based ones.
  // Errors that lost their fields carry them only in the message text.
  const shift = e.cause instanceof Error ? 1 : 0;
  const inMessage = /\[Line (\d+), Column (\d+)\]/.exec(String(e.message ?? ''));
  const line = typeof e.lineno === 'number' ? e.lineno + shift : Number(inMessage?.[1] ?? 1);
  const column = typeof e.colno === 'number' ? e.colno + shift : Number(inMessage?.[2] ?? 1);
  return { file, line: Math.max(1, line), column: Math.max(1, column) };
}

function hintFor(message: string): string | undefined {
  if (message.includes('attempted to output null or undefined value')) {
    return 'a variable in {{ }} is undefined; check its spelling, or give var() a default';
  }
  if (message.includes('Unable to call')) return 'the function or macro is not defined; macros live in macros/*.sql';
  return undefined;
}

/** 1-based line and column of the first match of `pattern` in `text`, if any. */
export function findInTemplate(text: string, pattern: RegExp): { line: number; column: number } | undefined {
  const match = pattern.exec(text);
  if (!match) return undefined;
  const before = text.slice(0, match.index);
  const line = before.split('\n').length;
  return { line, column: match.index - before.lastIndexOf('\n') };
}

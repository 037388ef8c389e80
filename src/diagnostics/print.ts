// The one printer for diagnostics: `file:line:col error[code]: message`, a code frame, then hints.
import pc from 'picocolors';
import type { Diagnostic } from './diagnostic.js';

export interface PrintOptions {
  /** Reads a file's text for the code frame; absent or failing means no frame. */
  readSource?: (file: string) => string | undefined;
  color?: boolean;
}

export function formatDiagnostic(d: Diagnostic, options: PrintOptions = {}): string {
  const c = pc.createColors(options.color ?? false);
  const where = d.location ? `${d.location.file}:${d.location.line}:${d.location.column} ` : '';
  const label = d.severity === 'error' ? c.red(`error[${d.code}]`) : d.severity === 'info' ? c.blue(`info[${d.code}]`) : c.yellow(`warning[${d.code}]`);
  const lines = [`${c.bold(where)}${label}: ${d.message}`];
  const frame = d.location && options.readSource ? codeFrame(options.readSource(d.location.file), d.location.line, d.location.column) : undefined;
  if (frame) lines.push(frame);
  if (d.detail) lines.push(...d.detail.split('\n').map((l) => `  ${l}`));
  if (d.hint) lines.push(`  ${c.cyan('hint')}: ${d.hint}`);
  return lines.join('\n');
}

export function formatDiagnostics(ds: readonly Diagnostic[], options: PrintOptions = {}): string {
  const errors = ds.filter((d) => d.severity === 'error').length;
  const body = ds.map((d) => formatDiagnostic(d, options)).join('\n\n');
  return errors > 1 ? `${body}\n\n${errors} errors` : body;
}

function codeFrame(text: string | undefined, line: number, column: number): string | undefined {
  if (text === undefined) return undefined;
  const source = text.split(/\r?\n/)[line - 1];
  if (source === undefined) return undefined;
  const gutter = String(line).padStart(4);
  return `${gutter} | ${source}\n${' '.repeat(gutter.length)} | ${' '.repeat(Math.max(0, column - 1))}^`;
}

// The bad-input corpus as data: a case is a few files over a fixture, a command, and the one diagnostic it must give.
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { MARK, marked } from '../helpers/marker.js';
import { charter, fixtureCopy, writeFiles } from '../helpers/project.js';
import type { DiagnosticCode } from '../../src/diagnostics/diagnostic.js';

export interface ExpectedDiagnostic {
  /** The code of the diagnostic to look for; null when none is printed (a command-line error, exit 2). */
  readonly code: DiagnosticCode | null;
  /** Where it must point. Left out when a « marker in one of the case's files says where; null: no location. */
  readonly file?: string | null;
  readonly line?: number;
  readonly column?: number;
  /** 1 for user errors; 2 for a bad command line. Never 70 (a charter bug). Default 1. */
  readonly exit?: 0 | 1 | 2;
  /** Optional: the message, hint or (for exit 2) stderr must match. */
  readonly message?: RegExp;
  readonly hint?: RegExp;
  readonly stderr?: RegExp;
}

export interface CorpusCase {
  readonly name: string;
  /** Written over the fixture; null deletes the file. A « in one text marks where the diagnostic must point. */
  readonly files: Readonly<Record<string, string | null>>;
  /** Default ['compile']; `--log-format json` is always added after the command. */
  readonly args?: readonly string[];
  /** Default 'shop'. */
  readonly fixture?: string;
  readonly expect: ExpectedDiagnostic;
}

/** A case that does not pass today: the expectation a demanding user has, and what charter does instead. */
export interface KnownGap extends CorpusCase {
  readonly today: string;
}

export interface PreparedCase {
  readonly files: Readonly<Record<string, string | null>>;
  readonly expected: { code: string | null; location: { file: string; line: number; column: number } | null; exit: number };
}

/** Strips the « marker and turns the case's expectation into one exact value to compare with. */
export function prepare(c: CorpusCase): PreparedCase {
  let at: { file: string; line: number; column: number } | null | undefined;
  const files: Record<string, string | null> = {};
  for (const [file, text] of Object.entries(c.files)) {
    if (text !== null && text.includes(MARK)) {
      if (at) throw new Error(`${c.name}: more than one « marker`);
      const m = marked(text);
      at = { file, line: m.line, column: m.column };
      files[file] = m.text;
    } else files[file] = text;
  }
  const e = c.expect;
  if (e.file !== undefined) {
    if (at) throw new Error(`${c.name}: both a « marker and an explicit file`);
    at = e.file === null ? null : { file: e.file, line: e.line ?? 1, column: e.column ?? 1 };
  }
  if (at === undefined) {
    if (e.code !== null) throw new Error(`${c.name}: say where the diagnostic points (a « marker, or file: null)`);
    at = null;
  }
  return { files, expected: { code: e.code, location: at, exit: e.exit ?? 1 } };
}

export interface PrintedDiagnostic {
  readonly code: string;
  readonly severity: string;
  readonly message: string;
  readonly hint?: string;
  readonly location?: { file: string; line: number; column: number };
}

export interface CaseOutcome {
  readonly exit: number;
  readonly diagnostics: readonly PrintedDiagnostic[];
  readonly stderr: string;
}

/** Copies the fixture, writes the case's files, and runs the command in this process with JSON logs. */
export async function runCase(c: CorpusCase, files: Readonly<Record<string, string | null>>): Promise<CaseOutcome> {
  // The copy stays: the run's temporary folder goes at its end (tests/temp-root.ts), in one go.
  const dir = fixtureCopy(c.fixture ?? 'shop');
  const writes: Record<string, string> = {};
  for (const [file, text] of Object.entries(files)) {
    if (text === null) {
      if (existsSync(path.join(dir, file))) rmSync(path.join(dir, file), { recursive: true });
    } else writes[file] = text;
  }
  writeFiles(dir, writes);
  const [command = 'compile', ...rest] = c.args ?? ['compile'];
  // Right after the command, so a case can end with a flag that lacks its value.
  const result = await charter([command, '--log-format', 'json', ...rest], dir);
  const diagnostics = result.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { type: string } & PrintedDiagnostic)
    .filter((o) => o.type === 'diagnostic');
  return { exit: result.code, diagnostics, stderr: result.stderr };
}

/** What a case gave, in the shape of PreparedCase['expected']: the first diagnostic with the expected code. */
export function observed(outcome: CaseOutcome, code: string | null): PreparedCase['expected'] & { found: string } {
  const d = code === null ? undefined : outcome.diagnostics.find((x) => x.code === code);
  const found = outcome.diagnostics.map((x) => `${x.code}@${x.location ? `${x.location.file}:${x.location.line}:${x.location.column}` : '-'}`).join(' ');
  return {
    code: code === null ? (outcome.diagnostics.length ? (outcome.diagnostics[0]?.code ?? null) : null) : (d?.code ?? null),
    location: d?.location ? { file: d.location.file, line: d.location.line, column: d.location.column } : null,
    exit: outcome.exit,
    found: found || `(no diagnostics) ${outcome.stderr.split('\n')[0] ?? ''}`,
  };
}

// The gate's output files in a test: a fresh folder for JUnit, SARIF and the summary, and the flags that write them.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A fresh folder for a gate's JUnit, SARIF and summary, and the flags that write them there. */
export function ciOutputs(): { dir: string; args: string[] } {
  const dir = mkdtempSync(path.join(tmpdir(), 'charter-ci-out-'));
  return { dir, args: ['--junit', path.join(dir, 'junit.xml'), '--sarif', path.join(dir, 'charter.sarif'), '--summary', path.join(dir, 'summary.md')] };
}

export const readOutput = (dir: string, file: string): string => readFileSync(path.join(dir, file), 'utf8');

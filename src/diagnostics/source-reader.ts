// Reads project files for the code frames under a diagnostic; a file that cannot be read gets no frame.
import { readFileSync } from 'node:fs';
import path from 'node:path';

export function sourceReader(projectDir: string): (file: string) => string | undefined {
  return (file) => {
    try {
      return readFileSync(path.resolve(projectDir, file), 'utf8');
    } catch {
      return undefined;
    }
  };
}

// charter's own version, read from the package.json above this file (works from src/ and dist/src/).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** charter's npm name: scoped, since `charter` on npm is an unrelated package (the command is still `charter`). */
export const PACKAGE_NAME = '@charter-sql/charter';

function findPackageJson(): { version: string } {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, 'package.json');
    if (existsSync(candidate)) {
      const pkg = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === PACKAGE_NAME && pkg.version) return { version: pkg.version };
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('charter: cannot find its own package.json');
    dir = parent;
  }
}

export const CHARTER_VERSION = findPackageJson().version;

// The shop fixture's files as text, so a case can change one line of them and say so.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../helpers/project.js';

/** A file of tests/fixtures/shop as it is today. */
export function shopFile(file: string): string {
  return readFileSync(path.join(repoRoot, 'tests', 'fixtures', 'shop', file), 'utf8');
}

/** A shop file with `from` replaced by `to`; fails loudly when the fixture no longer contains `from`. */
export function edit(file: string, from: string, to: string): string {
  const text = shopFile(file);
  if (!text.includes(from)) throw new Error(`tests/fixtures/shop/${file} no longer contains ${JSON.stringify(from)}`);
  return text.replace(from, to);
}

/** YAML whose aliases expand to 9^5 nodes (a "billion laughs" bomb), which every YAML reader must refuse. */
export const ALIAS_BOMB = 'a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n';

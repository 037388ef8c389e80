// `import-odcs` as a library call: an ODCS v3 contract file to charter contracts, all checked before any is written.
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { error, throwIfErrors, UserError } from '../diagnostics/diagnostic.js';
import { importOdcs, OdcsImportError } from '../load/import-odcs.js';
import { parseContract } from '../load/load-contracts.js';

export async function importOdcsFile(file: string, options: { readonly outDir: string; readonly force?: boolean }): Promise<{ written: string[]; notes: readonly string[] }> {
  let imported;
  try {
    imported = importOdcs(await readFile(file, 'utf8'), path.basename(file));
  } catch (e) {
    if (e instanceof OdcsImportError || (e instanceof Error && e.name === 'YAMLParseError')) {
      throw new UserError([error('contract.invalid', e.message.split('\n')[0] ?? e.message, { location: { file, line: 1, column: 1 } })]);
    }
    throw e;
  }
  // Every contract written must load as a charter contract; check all before writing any.
  const targets = imported.contracts.map((c) => ({ ...c, out: path.join(options.outDir, c.file) }));
  throwIfErrors(targets.flatMap((c) => parseContract(c.out, c.yaml).diagnostics));
  const clashes = targets.filter((c) => existsSync(c.out) && !options.force);
  if (clashes.length) {
    throw new UserError(clashes.map((c) => error('cli.usage', `${c.out} exists`, { hint: 'pass --force to overwrite it' })));
  }
  await mkdir(options.outDir, { recursive: true });
  for (const c of targets) await writeFile(c.out, c.yaml);
  return { written: targets.map((c) => c.out), notes: imported.notes };
}

// The command that runs this charter from another folder, for the "next:" hints. `npx charter` there would ask the
// registry for an unrelated package of that name unless charter is installed where the folder can see it.
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';

/** The shell words that run this installation of charter with `folder` as the working directory. */
export function charterInvocation(folder: string, bin: string = process.argv[1] ?? ''): string {
  const running = safeRealpath(bin);
  // Installed in node_modules up the tree and pointing at this very charter: npx finds it without the registry.
  for (let dir = path.resolve(folder); ; dir = path.dirname(dir)) {
    const local = path.join(dir, 'node_modules', '.bin', 'charter');
    if (existsSync(local) && running && safeRealpath(local) === running) return 'npx --no-install charter';
    if (path.dirname(dir) === dir) break;
  }
  const target = running ?? path.resolve(bin);
  const quoted = /^[\w@%+=:,./-]+$/.test(target) ? target : `'${target.replace(/'/g, `'\\''`)}'`;
  return `node ${quoted}`;
}

function safeRealpath(file: string): string | undefined {
  try {
    return realpathSync(file);
  } catch {
    return undefined;
  }
}

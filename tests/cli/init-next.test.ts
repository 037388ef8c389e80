// `charter init`'s "next:" line is a command that works where it points, not `npx charter` (which, outside a project
// that installs charter, fetches an unrelated package of that name).
import { execSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { charterInvocation } from '../../src/cli/charter-invocation.js';
import { charterProcess, repoRoot } from '../helpers/project.js';

const BIN = path.join(repoRoot, 'bin', 'charter.js');

describe("charter init's next step", () => {
  it('runs this installation by its path outside a project that installs it, and npx --no-install inside one', () => {
    const outside = mkdtempSync(path.join(tmpdir(), 'charter-next-'));
    expect(charterInvocation(outside, BIN)).toBe(`node ${BIN}`);
    const installed = mkdtempSync(path.join(tmpdir(), 'charter-installed-'));
    mkdirSync(path.join(installed, 'node_modules', '.bin'), { recursive: true });
    symlinkSync(BIN, path.join(installed, 'node_modules', '.bin', 'charter'));
    mkdirSync(path.join(installed, 'warehouse'));
    expect(charterInvocation(path.join(installed, 'warehouse'), BIN)).toBe('npx --no-install charter');
  });

  it('prints a command that, run as printed, builds the new project', () => {
    const home = mkdtempSync(path.join(tmpdir(), 'charter-init-next-'));
    const init = charterProcess(['init', 'acme'], home);
    expect(init.code).toBe(0);
    const next = /^next: (.+)$/m.exec(init.stdout + init.stderr)?.[1];
    expect(next).toBe(`cd acme && node ${BIN} build`);
    const out = execSync(next!, { cwd: home, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(out).toContain('4 ok, 0 error, 0 skipped');
  }, 60_000);
});

// `charter build | head`, `charter ls | head`: when the reader of stdout goes away, charter stops printing and
// finishes its work cleanly (results recorded, no staged table left behind), instead of dying on EPIPE.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixtureCopy, repoRoot } from '../helpers/project.js';
import { queryWarehouse } from '../helpers/warehouse.js';

/** Runs the real CLI and closes its stdout after the first chunk, as `| head -1` does. */
function withStdoutClosedEarly(args: string[], cwd: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'charter.js'), ...args], { cwd, env: { ...process.env, NO_COLOR: '1' } });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('a closed stdout', () => {
  // Both commands run at once, from the start; each test waits for its own.
  let buildDir: string;
  let build: ReturnType<typeof withStdoutClosedEarly>;
  let ls: ReturnType<typeof withStdoutClosedEarly>;
  beforeAll(() => {
    buildDir = fixtureCopy('shop');
    build = withStdoutClosedEarly(['build', '--threads', '1'], buildDir);
    // Enough output (about 300 KB) to outlast the pipe's buffer, so the reader is gone while ls still writes: 300
    // models whose names (each printed four times) are long, rather than more models, which take longer to load.
    const long = 'x'.repeat(190);
    const models = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`models/silver/many_${i}_${long}.sql`, 'select 1 as x']));
    ls = withStdoutClosedEarly(['ls', '-o', 'json'], fixtureCopy('shop', models));
  });

  it('build | head: the build finishes, records its results and leaves no staged table', async () => {
    const dir = buildDir;
    const out = await build;
    expect(out.stderr).not.toMatch(/EPIPE|charter bug/);
    expect(out.code).toBe(0);
    const results = JSON.parse(readFileSync(path.join(dir, 'target', 'run_results.json'), 'utf8'));
    expect(results.metadata.status).toBe('finished');
    expect(results.results).toHaveLength(8);
    const staged = await queryWarehouse(dir, "select table_name from information_schema.tables where table_name like '%charter_staged%' or table_name like '%charter_backup%'");
    expect(staged).toEqual([]);
  });

  it('ls | head exits quietly', async () => {
    const out = await ls;
    expect(out.stderr).not.toMatch(/EPIPE|charter bug/);
    expect(out.code).toBe(0);
  });
});

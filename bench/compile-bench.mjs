// Compile benchmark: wall time and peak memory of `charter compile` for synthetic projects,
// cold (empty target/) and warm (nothing changed since the last compile).
// Usage: node bench/compile-bench.mjs [N ...]   (default 1000 10000 100000); needs `npm run build:ts`.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateProject } from './generate-project.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const sizes = process.argv.slice(2).map(Number);
const runs = sizes.length ? sizes : [1000, 10000, 100000];

function compileOnce(dir, extra = []) {
  // A fresh process per compile: no warm JIT or module cache carried over, and a clean peak-RSS figure.
  const out = execFileSync(process.execPath, ['--max-old-space-size=8192', path.join(here, 'compile-once.mjs'), dir, ...extra], { encoding: 'utf8' });
  const result = JSON.parse(out.trim().split('\n').pop());
  if (result.code !== 0) throw new Error(`compile failed for ${dir}`);
  return result;
}

console.log('models    phase        wall_s   peak_MB   models_per_s');
for (const n of runs) {
  const dir = path.join(tmpdir(), `charter-bench-${n}`);
  generateProject(dir, n);
  rmSync(path.join(dir, 'target'), { recursive: true, force: true });
  // cold: empty target/; warm: nothing changed since; unformatted: cold again with --no-format (no sql-formatter).
  for (const phase of ['cold', 'warm', 'unformatted']) {
    if (phase === 'unformatted') rmSync(path.join(dir, 'target'), { recursive: true, force: true });
    const r = compileOnce(dir, phase === 'unformatted' ? ['--no-format'] : []);
    console.log(`${String(n).padStart(6)}    ${phase.padEnd(11)} ${r.seconds.toFixed(2).padStart(7)}  ${r.peakMB.toFixed(0).padStart(8)}   ${Math.round(n / r.seconds).toString().padStart(12)}`);
  }
  rmSync(dir, { recursive: true, force: true });
}

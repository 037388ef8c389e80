// Showcase benchmark: wall time and peak memory (RSS) of (a) generating the Phantom Sec seed data,
// (b) `charter build` of the showcase project on a fresh database and (c) the edit-and-build loop (one model's text
// changed, `build --select` that model), each in a fresh child process.
// Usage: node bench/showcase-bench.mjs [runs]   (default 3); needs `npm run build:ts`.
// The same file is the child: `node bench/showcase-bench.mjs --child generate|build <dir> [build args]` prints one JSON line.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');
const seedsDir = path.join(repo, 'seeds');

async function child(task, dir, args) {
  const t0 = performance.now();
  let code = 0;
  if (task === 'generate') {
    // The generator's own entry point (dist/seeds/generator/main.js <dir>) without its console report.
    const { writeSeeds } = await import('../dist/seeds/generator/main.js');
    writeSeeds(dir);
  } else if (task === 'build') {
    // Through the real entry point, so the child gets the V8 flags bin/charter.js sets before dist/ loads.
    process.argv = [process.argv[0], path.join(repo, 'bin', 'charter.js'), 'build', '--project-dir', dir, '--quiet', ...args];
    await import('../bin/charter.js');
    code = process.exitCode ?? 0;
    process.exitCode = 0;
  } else {
    throw new Error(`unknown child task ${task}`);
  }
  const seconds = (performance.now() - t0) / 1000;
  process.stdout.write(`${JSON.stringify({ code, seconds, peakMB: process.resourceUsage().maxRSS / 1024 })}\n`);
}

/** Runs one child; `seconds` is measured inside it, `processSeconds` from spawn to exit (what a user waits). */
function runChild(task, dir, ...args) {
  const t0 = performance.now();
  const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--child', task, dir, ...args], { encoding: 'utf8' });
  const processSeconds = (performance.now() - t0) / 1000;
  const result = JSON.parse(out.trim().split('\n').pop());
  if (result.code !== 0) throw new Error(`${task} failed in ${dir} (exit ${result.code})`);
  return { ...result, processSeconds };
}

/** Data rows of every seed file (header excluded). */
function seedRows(dir) {
  let rows = 0;
  for (const name of readdirSync(dir)) {
    if (!/\.csv(\.gz)?$/.test(name)) continue;
    const bytes = readFileSync(path.join(dir, name));
    const text = (name.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
    rows += text.split('\n').filter((l) => l !== '').length - 1;
  }
  return rows;
}

/** Hash of the uncompressed seed data and configs: the generator's portable output guarantee. */
function seedDigest(dir) {
  const hash = createHash('sha256');
  for (const name of readdirSync(dir).filter((n) => /\.(csv|csv\.gz|yml)$/.test(n)).sort()) {
    const bytes = readFileSync(path.join(dir, name));
    hash.update(name).update(name.endsWith('.gz') ? gunzipSync(bytes) : bytes);
  }
  return hash.digest('hex');
}

/** A copy of the showcase; `governed` adds contracts and tests/warehouse, so the build also runs every test and SLO. */
function showcaseCopy(governed = true) {
  const dir = mkdtempSync(path.join(tmpdir(), 'charter-showcase-bench-'));
  for (const entry of ['project.yml', 'models', 'macros', 'seeds', ...(governed ? ['contracts', path.join('tests', 'warehouse')] : [])]) {
    cpSync(path.join(repo, entry), path.join(dir, entry), {
      recursive: true,
      filter: (src) => path.relative(repo, src) !== path.join('seeds', 'generator'),
    });
  }
  return dir;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (r) =>
  `${r.seconds.toFixed(2).padStart(7)}  ${r.processSeconds.toFixed(2).padStart(9)}  ${r.peakMB.toFixed(0).padStart(8)}`;

function parent(runs) {
  const rows = seedRows(seedsDir);
  console.log(`showcase bench: ${availableParallelism()} CPUs, node ${process.version}, ${runs} run(s) each, ${rows.toLocaleString('en-US')} source rows`);
  console.log('task                      wall_s  process_s  peak_MB   rows_per_s');

  const generated = [];
  for (let i = 0; i < runs; i++) {
    const dir = mkdtempSync(path.join(tmpdir(), 'charter-seeds-bench-'));
    const r = runChild('generate', dir);
    if (i === 0 && seedDigest(dir) !== seedDigest(seedsDir)) console.log('  warning: generated seeds differ from the committed seeds/');
    rmSync(dir, { recursive: true, force: true });
    generated.push(r);
    console.log(`generate seeds #${i + 1}         ${fmt(r)}   ${Math.round(rows / r.seconds).toLocaleString('en-US').padStart(10)}`);
  }

  const built = [];
  const project = showcaseCopy();
  for (let i = 0; i < runs; i++) {
    rmSync(path.join(project, 'target'), { recursive: true, force: true });
    const r = runChild('build', project);
    built.push(r);
    console.log(`charter build (fresh) #${i + 1}  ${fmt(r)}   ${Math.round(rows / r.seconds).toLocaleString('en-US').padStart(10)}`);
  }
  // Nothing changed: incremental models merge only their recent window, everything else rebuilds.
  const again = runChild('build', project);
  console.log(`charter build (rebuild)    ${fmt(again)}   ${Math.round(rows / again.seconds).toLocaleString('en-US').padStart(10)}`);
  // The edit-and-build loop: one model's text changes (a translation cache miss), only that model is rebuilt.
  const edited = path.join(project, 'models', 'silver', 'stg_customers.sql');
  const original = readFileSync(edited, 'utf8');
  for (let i = 0; i < runs; i++) {
    writeFileSync(edited, `-- showcase bench edit ${i + 1}\n${original}`);
    const r = runChild('build', project, '--select', 'stg_customers');
    console.log(`one-model rebuild #${i + 1}      ${fmt(r)}   ${'-'.padStart(10)}`);
  }
  rmSync(project, { recursive: true, force: true });
  // The same build without contracts and warehouse tests: what the tests and SLOs cost.
  const bare = showcaseCopy(false);
  const modelsOnly = runChild('build', bare);
  console.log(`charter build (no tests)   ${fmt(modelsOnly)}   ${Math.round(rows / modelsOnly.seconds).toLocaleString('en-US').padStart(10)}`);
  rmSync(bare, { recursive: true, force: true });

  const gen = median(generated.map((r) => r.seconds));
  const build = median(built.map((r) => r.seconds));
  const buildProcess = median(built.map((r) => r.processSeconds));
  console.log(
    `\nmedian: generate ${gen.toFixed(2)} s; fresh build ${build.toFixed(2)} s in-process, ${buildProcess.toFixed(2)} s end to end ` +
      `(${Math.round(rows / build).toLocaleString('en-US')} source rows/s); peak RSS ${Math.max(...built.map((r) => r.peakMB)).toFixed(0)} MB; ` +
      `target < 10 s end to end: ${buildProcess < 10 ? 'met' : 'NOT met'}`,
  );
}

if (process.argv[2] === '--child') {
  await child(process.argv[3], process.argv[4], process.argv.slice(5));
} else {
  parent(Number(process.argv[2] ?? 3));
}

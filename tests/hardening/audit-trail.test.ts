// The audit trail survives a run that never reaches its end: each statement is in the log the moment it completes,
// and run_results.json exists from the start (status "running") and follows the run.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Reporter } from '../../src/pipeline/reporter.js';
import { RunRecord } from '../../src/pipeline/run-record.js';
import { fixtureCopy, repoRoot } from '../helpers/project.js';

const readJson = (file: string): any => JSON.parse(readFileSync(file, 'utf8'));
const logLines = (file: string): any[] => (existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : []);

/**
 * Runs the real CLI's `build --threads 1` in `dir` and SIGKILLs it the moment it reports its third node done. A
 * thread of its own watches the output, so the kill comes on time even while this one is busy (with the first
 * test's build: the killed build runs alongside it).
 */
const KILL_AFTER_THIRD_NODE = `
const { parentPort, workerData: { bin, dir } } = require('node:worker_threads');
const { spawn } = require('node:child_process');
const child = spawn(process.execPath, [bin, 'build', '--threads', '1'], { cwd: dir, env: { ...process.env, NO_COLOR: '1' } });
let out = '';
let killed = false;
child.stdout.on('data', (d) => {
  out += d;
  if (!killed && /^3\\/8 OK/m.test(out)) killed = child.kill('SIGKILL');
});
child.stderr.on('data', (d) => (out += d));
child.on('close', (code, signal) => parentPort.postMessage({ code, signal, out }));
`;

interface Ended {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly out: string;
}

function buildKilledAfterThirdNode(dir: string): Promise<Ended> {
  const worker = new Worker(KILL_AFTER_THIRD_NODE, { eval: true, workerData: { bin: path.join(repoRoot, 'bin', 'charter.js'), dir } });
  return new Promise<Ended>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  }).finally(() => worker.terminate());
}

describe('the audit trail of a run', () => {
  let killedDir: string;
  let killed: Promise<Ended>;
  beforeAll(() => {
    killedDir = fixtureCopy('shop');
    killed = buildKilledAfterThirdNode(killedDir);
    killed.catch(() => undefined);
  });
  // The child is not left running: it ends, killed or not, within seconds.
  afterAll(async () => {
    await killed?.catch(() => undefined);
  });

  it('is on disk while the run is under way: the log as each statement completes, run_results from the start', async () => {
    const dir = fixtureCopy('shop');
    const { build } = await import('../../src/pipeline/build.js');
    const seen: Array<{ node: string; logged: boolean; status: string | undefined }> = [];
    let runId = '';
    const file = (name: string): string => path.join(dir, 'target', name);
    const reporter: Reporter = {
      info: (_message, fields) => {
        if (typeof fields?.['runId'] === 'string') runId = fields['runId'];
      },
      event: (e) => {
        if (e.type !== 'node_finished') return;
        const log = logLines(file(`logs/statements-${runId}.jsonl`));
        seen.push({
          node: e.result.uniqueId,
          logged: log.some((r) => r.node === e.result.uniqueId && (r.purpose === 'build' || r.purpose === 'seed')),
          status: existsSync(file('run_results.json')) ? readJson(file('run_results.json')).metadata.status : undefined,
        });
      },
      diagnostics: () => undefined,
      summary: () => undefined,
    };
    const results = await build({ projectDir: dir, threads: 2, reporter });
    expect(results.passed).toBe(true);
    expect(seen).toHaveLength(8);
    expect(seen.every((s) => s.logged && s.status === 'running')).toBe(true);
    const final = readJson(file('run_results.json'));
    expect(final.metadata).toMatchObject({ run_id: runId, status: 'finished', finished_at: expect.any(String) });
    // Nothing is written twice: the streamed log holds each statement once.
    const seqs = logLines(file(`logs/statements-${runId}.jsonl`)).map((r) => r.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
  });

  it('run_results.json follows the results in, and a run that stops on an error says so', async () => {
    const target = path.join(mkdtempSync(path.join(tmpdir(), 'charter-record-')), 'target');
    const meta = { runId: '00000000-0000-4000-8000-000000000000', charterVersion: '0', command: 'build', startedAt: new Date().toISOString(), target: { name: 'dev', engine: 'duckdb' }, selectors: {} };
    // The rewrite's timer runs on a fake clock: a quarter of a second passes at once.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const record = new RunRecord(target, meta);
      const results = (): any => readJson(path.join(target, 'run_results.json'));
      expect(results()).toMatchObject({ metadata: { status: 'running', finished_at: null }, results: [] });
      record.log.add({ seq: record.log.nextSeq(), startedAt: meta.startedAt, purpose: 'build', node: 'model.x.a', sql: 'select 1', sqlHash: 'h', ms: 1 });
      expect(logLines(record.logFile)).toEqual([expect.objectContaining({ node: 'model.x.a', sql: 'select 1' })]);
      record.observe({ type: 'node_finished', index: 1, total: 2, result: { uniqueId: 'model.x.a', name: 'a', kind: 'model', status: 'success', relation: 'a', seconds: 0.1 } });
      record.observe({ type: 'node_finished', index: 2, total: 2, result: { uniqueId: 'model.x.b', name: 'b', kind: 'model', status: 'success', relation: 'b', seconds: 0.1 } });
      // Rewrites are coalesced, but none waits more than a quarter of a second.
      vi.advanceTimersByTime(250);
      expect(results().results.map((r: { unique_id: string }) => r.unique_id)).toEqual(['model.x.a', 'model.x.b']);
      expect(results().metadata.status).toBe('running');
      record.finish('aborted');
      expect(results().metadata).toMatchObject({ status: 'aborted', finished_at: expect.any(String) });
    } finally {
      vi.useRealTimers();
    }
  });

  it('a build killed half way leaves a statement log of what it committed and run_results saying "running"', async () => {
    const dir = killedDir;
    const ended = await killed;
    expect(ended.signal, `build ended before it could be killed:\n${ended.out}`).toBe('SIGKILL');
    const results = readJson(path.join(dir, 'target', 'run_results.json'));
    expect(results.metadata.status).toBe('running');
    const log = logLines(path.join(dir, 'target', 'logs', `statements-${results.metadata.run_id}.jsonl`));
    const built = new Set(log.filter((r) => ['seed', 'build', 'swap'].includes(r.purpose) && !r.error).map((r) => r.node));
    expect(built.size).toBeGreaterThanOrEqual(3);
  });
});

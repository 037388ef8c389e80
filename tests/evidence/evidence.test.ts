// The evidence bundle a run leaves, its hash chain, and `charter evidence verify` finding every change to either.
import { appendFileSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleDigest, type BundleHashes, type EvidenceHead } from '../../src/artifacts/evidence-chain.js';
import { loadProject } from '../../src/load/load-project.js';
import type { CompiledSession } from '../../src/pipeline/compile.js';
import { runDescription } from '../../src/pipeline/evidence-bundle.js';
import { charter, compileErrors, fixtureCopy } from '../helpers/project.js';

const filesIn = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
const json = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;

let project: string;
let evidence: string;
let head: EvidenceHead;

beforeAll(async () => {
  project = fixtureCopy('tiny');
  for (let i = 0; i < 2; i++) expect((await charter(['build', '-q'], project)).code).toBe(0);
  evidence = path.join(project, 'target', 'evidence');
  head = json<EvidenceHead>(path.join(evidence, 'HEAD.json'));
}, 30_000);

/** A copy of the evidence folder to spoil, so each case starts from the two good bundles. */
function spoilable(): string {
  const copy = mkdtempSync(path.join(tmpdir(), 'charter-evidence-'));
  cpSync(evidence, copy, { recursive: true });
  return copy;
}

async function verify(dir: string): Promise<{ code: number; out: string }> {
  const r = await charter(['evidence', 'verify', dir], project);
  return { code: r.code, out: r.stdout + r.stderr };
}

describe('the bundle each build leaves', () => {
  it('holds run.json, the manifest, results, statement log and compiled SQL, chained to the previous run', () => {
    const [first, second] = head.chain;
    expect(head.chain).toHaveLength(2);
    expect(head.runId).toBe(second);
    const files = filesIn(path.join(evidence, second!));
    expect(files).toEqual(expect.arrayContaining(['hashes.json', 'manifest.json', 'run.json', 'run_results.json', 'statements.jsonl', 'compiled/models/silver/orders.sql']));
    const run = json<Record<string, unknown>>(path.join(evidence, second!, 'run.json'));
    expect(run).toMatchObject({ run_id: second, command: 'build', command_line: ['charter', 'build', '-q'], passed: true, git: null, target: { name: 'dev', engine: 'duckdb' } });
    const hashes = json<BundleHashes>(path.join(evidence, second!, 'hashes.json'));
    const before = json<BundleHashes>(path.join(evidence, first!, 'hashes.json'));
    expect(hashes.previous).toEqual({ runId: first, digest: bundleDigest(before) });
    expect(head.digest).toBe(bundleDigest(hashes));
    // hashes.json and the attestation written after it (checked against it, tests/evidence/signing.test.ts) aside.
    expect(Object.keys(hashes.files)).toEqual(files.filter((f) => f !== 'hashes.json' && f !== 'attestation.dsse.json'));
    expect(before.previous).toBeNull();
  });

  it('verifies, with a one-line summary', async () => {
    const r = await charter(['evidence', 'verify'], project);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^evidence: verified 2 bundles \(\d+ files\), chain intact to [0-9a-f-]+$/);
    const ls = await charter(['evidence', 'ls'], project);
    expect(ls.stdout.trim().split('\n').map((l) => l.split(/\s+/)[0])).toEqual(head.chain);
    expect(ls.stdout).toMatch(/build +\S+ +passed/);
  });
});

describe('verify finds what changed', () => {
  it('names each file of a bundle when one byte of it is edited', async () => {
    for (const runId of head.chain) {
      for (const file of filesIn(path.join(evidence, runId))) {
        const dir = spoilable();
        const target = path.join(dir, runId, file);
        const bytes = readFileSync(target);
        // In hashes.json, a byte of a recorded hash (the file stays JSON); elsewhere, the middle byte.
        const at = file === 'hashes.json' ? bytes.toString('latin1').search(/[0-9a-f]{64}/) : Math.floor(bytes.length / 2);
        bytes[at] = (bytes[at] ?? 0) ^ 0x01;
        writeFileSync(target, bytes);
        const r = await verify(dir);
        expect(r.code, `${runId}/${file}`).toBe(1);
        // An edit of hashes.json itself breaks the digest its successor (or HEAD.json) recorded.
        expect(r.out, `${runId}/${file}`).toContain(file === 'hashes.json' ? `${runId}: digest` : `${runId}/${file}: changed`);
        rmSync(dir, { recursive: true });
      }
    }
  });

  it('names a deleted file and an added one', async () => {
    const [first, second] = head.chain as [string, string];
    const dir = spoilable();
    rmSync(path.join(dir, first, 'run_results.json'));
    writeFileSync(path.join(dir, second, 'extra.txt'), 'slipped in later\n');
    const r = await verify(dir);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`${first}/run_results.json: missing`);
    expect(r.out).toContain(`${second}/extra.txt: added`);
  });

  it('names the earlier run when its bundle is removed from the chain', async () => {
    const [first, second] = head.chain as [string, string];
    const dir = spoilable();
    rmSync(path.join(dir, first), { recursive: true });
    const r = await verify(dir);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`${first}: bundle missing from the chain (referenced by ${second}/hashes.json)`);
  });

  it('names the newest run when its bundle is removed, and a HEAD.json that is not the newest', async () => {
    const [first, second] = head.chain as [string, string];
    const gone = spoilable();
    rmSync(path.join(gone, second), { recursive: true });
    expect((await verify(gone)).out).toContain(`${second}: bundle missing from the chain (referenced by HEAD.json)`);
    const stale = spoilable();
    const older = json<BundleHashes>(path.join(stale, first, 'hashes.json'));
    writeFileSync(path.join(stale, 'HEAD.json'), JSON.stringify({ ...head, runId: first, digest: bundleDigest(older), chain: [first] }));
    const r = await verify(stale);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`HEAD.json: names ${first}, but ${second} follows it`);
  });

  it('ignores a bundle a killed run left unfinished', async () => {
    const dir = spoilable();
    cpSync(path.join(dir, head.runId), path.join(dir, 'killed-run.partial'), { recursive: true });
    appendFileSync(path.join(dir, 'killed-run.partial', 'run.json'), 'cut short');
    const r = await verify(dir);
    expect(r.code).toBe(0);
    expect(r.out).toContain('1 unfinished bundle ignored (killed-run.partial)');
  });
});

describe('evidence.dir', () => {
  it('must stay inside the project', async () => {
    const dir = fixtureCopy('tiny');
    appendFileSync(path.join(dir, 'project.yml'), 'evidence: {dir: ../elsewhere}\n');
    const line = readFileSync(path.join(dir, 'project.yml'), 'utf8').trimEnd().split('\n').length;
    const problems = await compileErrors(dir);
    expect(problems.map((d) => [d.code, d.message, d.location?.line])).toEqual([
      ['project.invalid', expect.stringContaining('evidence.dir `../elsewhere` is outside the project directory'), line],
    ]);
  });
});

describe('secrets', () => {
  it('never reach a bundle file', async () => {
    const secrets = { password: 'pw-Planted-9f3a1c', envPassword: 'env-pw-Planted-77ab', token: 'tok-Planted-c0ffee', key: 'KEYMATERIAL-Planted-5e5e' };
    const dir = fixtureCopy('tiny', {
      'keys/rsa.p8': `-----BEGIN PRIVATE KEY-----\n${secrets.key}\n-----END PRIVATE KEY-----\n`,
    });
    const config = readFileSync(path.join(dir, 'project.yml'), 'utf8').replace(
      '    role: TRANSFORMER\n',
      '    role: TRANSFORMER\n    user: DEPLOYER\n    password_env: TINY_PLANTED_PW\n    private_key_path: keys/rsa.p8\n    token_env: TINY_PLANTED_TOKEN\n',
    );
    // The bundles go where project.yml says, too.
    writeFileSync(path.join(dir, 'project.yml'), `${config}evidence: {dir: audit/evidence}\n`);
    const saved = { ...process.env };
    Object.assign(process.env, { SNOWFLAKE_PASSWORD: secrets.envPassword, TINY_PLANTED_PW: secrets.password, TINY_PLANTED_TOKEN: secrets.token });
    try {
      // Typed on the command line too: a secret-named var, and a secret environment variable's value pasted in.
      const build = await charter(['build', '-q', '--vars', `{min_amount: 0, api_token: ${secrets.token}, note: "${secrets.password}"}`], dir);
      expect(build.code).toBe(0);
    } finally {
      for (const name of ['SNOWFLAKE_PASSWORD', 'TINY_PLANTED_PW', 'TINY_PLANTED_TOKEN']) {
        if (saved[name] === undefined) delete process.env[name];
        else process.env[name] = saved[name];
      }
    }
    const root = path.join(dir, 'audit', 'evidence');
    // run.json of a Snowflake target: who and as what role, never what logs in.
    const loaded = await loadProject({ projectDir: dir, target: 'prod' });
    const session = { runId: 'r1', loaded, compiled: { projectName: 'tiny' } } as unknown as CompiledSession;
    const run = {
      command: 'apply', startedAt: '', endedAt: '', passed: true, nodes: [], logFile: '', resultsFile: '',
      results: { nodes: [], tests: [], slos: [] }, coverage: { unavailable: 'not measured here' },
    };
    const described = JSON.stringify(runDescription(session, { projectDir: dir, commandLine: ['charter', 'apply', '-t', 'prod'] }, run, null));
    expect(JSON.parse(described)).toMatchObject({ target: { engine: 'snowflake', user: 'DEPLOYER', role: 'TRANSFORMER' } });
    writeFileSync(path.join(root, 'snowflake-run.json'), described);
    expect(existsSync(path.join(root, 'HEAD.json'))).toBe(true);
    const files = filesIn(root);
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      const text = readFileSync(path.join(root, file), 'utf8');
      for (const secret of Object.values(secrets)) expect(text, file).not.toContain(secret);
      expect(text, file).not.toContain('BEGIN PRIVATE KEY');
    }
  });
});

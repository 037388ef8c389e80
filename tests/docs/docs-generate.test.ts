// `charter docs generate` and `charter docs serve` on the tiny fixture: the site's files, untrusted descriptions
// escaped, the last run's results shown, only its own folder ever replaced, and a server that hands out files
// under the site's folder and nothing else.
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveDocs } from '../../src/pipeline/docs-serve.js';
import { charter, fixtureCopy, startCharter } from '../helpers/project.js';

const EVIL = '<script>window.__xss=1</script>"><img src=x onerror="window.__xss=2">';

const CONTRACT = `name: tiny_orders
version: 2.1.0
model: orders
owners: [data@example.com, ops@example.com]
description: '${EVIL.replace(/'/g, "''")}'
columns:
  - name: order_id
    data_type: NUMBER(18,0)
    description: '${EVIL.replace(/'/g, "''")}'
    constraints: {not_null: true}
  - name: customer_id
    data_type: VARCHAR
    classification: pii
    masking_policy: GOVERNANCE.MASK_PII
  - name: amount_usd
    data_type: NUMBER(18,2)
quality_slo:
  volume: {min: 1}
`;

const RUN_RESULTS = {
  metadata: { run_id: 'run-1', command: 'build', status: 'finished', finished_at: '2026-01-01T00:00:00Z' },
  tests: [{ unique_id: 'test.tiny.orders.order_id.not_null', status: 'fail', failures: 7 }],
  slos: [{ id: 'slo.tiny.orders.volume', status: 'pass', measured: 12, threshold: '>= 1', unit: 'rows' }],
};

describe('charter docs generate', () => {
  let dir: string;
  let site: string;
  beforeAll(async () => {
    dir = fixtureCopy('tiny', { 'contracts/orders.yml': CONTRACT, 'target/run_results.json': JSON.stringify(RUN_RESULTS) });
    site = path.join(dir, 'target', 'docs');
    const out = await charter(['docs', 'generate'], dir);
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/docs: 4 models, \d+ files in .*, with the last run's results/);
  });

  it('writes the index, a page per model and seed, and its own stylesheet and script', () => {
    for (const file of ['index.html', 'assets/docs.css', 'assets/docs.js', 'models/orders.html', 'models/customer_totals.html', 'seeds/raw_orders.html']) {
      expect(existsSync(path.join(site, file)), file).toBe(true);
    }
  });

  it('shows the contract, the columns with classification and masking, and the last results', () => {
    const html = readFileSync(path.join(site, 'models', 'orders.html'), 'utf8');
    expect(html).toContain('<dt>owners</dt><dd>data@example.com, ops@example.com</dd>');
    expect(html).toContain('<dt>version</dt><dd>2.1.0</dd>');
    expect(html).toContain('<span class="class class-pii">pii</span></td><td>MASK_PII (column)</td>');
    expect(html).toContain('not_null <span class="status s-fail">fail</span> <span class="failures">7 failing</span>');
    expect(html).toMatch(/<td>volume<\/td><td><\/td><td>at least 1 rows<\/td><td><span class="status s-pass">pass<\/span><\/td><td>12 rows \(&gt;= 1\)<\/td>/);
    expect(html).toContain('<pre class="sql raw"><code>select order_id, customer_id, amount_usd\nfrom {{ ref(&#39;orders_landed&#39;) }}');
  });

  it('escapes descriptions everywhere they appear', () => {
    for (const file of ['index.html', 'models/orders.html']) {
      const html = readFileSync(path.join(site, file), 'utf8');
      expect(html, file).not.toContain('<img');
      expect(html, file).not.toContain('<script>window');
    }
    expect(readFileSync(path.join(site, 'models', 'orders.html'), 'utf8')).toContain('&lt;script&gt;window.__xss=1&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=&quot;window.__xss=2&quot;&gt;');
  });

  it('replaces its own folder whole, and refuses a folder it did not make', async () => {
    writeFileSync(path.join(site, 'models', 'stale.html'), 'old');
    expect((await charter(['docs', 'generate'], dir)).code).toBe(0);
    expect(existsSync(path.join(site, 'models', 'stale.html'))).toBe(false);
    const foreign = path.join(dir, 'mine');
    mkdirSync(foreign);
    writeFileSync(path.join(foreign, 'notes.txt'), 'keep me');
    const out = await charter(['docs', 'generate', '--out', foreign], dir);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('is not empty and is not a docs site charter generated');
    expect(readFileSync(path.join(foreign, 'notes.txt'), 'utf8')).toBe('keep me');
  });

  describe('charter docs serve', () => {
    let url: URL;
    let close: () => Promise<void>;
    beforeAll(async () => {
      writeFileSync(path.join(dir, 'secret.txt'), 'project file');
      symlinkSync(path.join(dir, 'secret.txt'), path.join(site, 'leak.txt'));
      const served = await serveDocs({ dir: site, port: 0, host: '127.0.0.1' });
      url = new URL(served.url);
      close = () => new Promise((resolve) => served.server.close(() => resolve()));
    });
    afterAll(async () => close());

    /** A request with the path exactly as given: fetch() would tidy `..` away before sending. */
    const get = (rawPath: string, method = 'GET'): Promise<{ status: number; body: string; type: string }> =>
      new Promise((resolve, reject) => {
        const req = request({ host: url.hostname, port: url.port, path: rawPath, method }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (body += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body, type: String(res.headers['content-type'] ?? '') }));
        });
        req.on('error', reject);
        req.end();
      });

    it('listens on 127.0.0.1 and serves the site\'s files with their types', async () => {
      expect(url.hostname).toBe('127.0.0.1');
      const index = await get('/');
      expect(index.status).toBe(200);
      expect(index.type).toBe('text/html; charset=utf-8');
      expect(index.body).toContain('id="search"');
      expect((await get('/assets/docs.js')).type).toBe('text/javascript; charset=utf-8');
      expect((await get('/models/orders.html?x=1')).status).toBe(200);
    });

    it('refuses path traversal, encoded or not, dot files, links out of the folder and anything but GET', async () => {
      for (const p of ['/../secret.txt', '/../../etc/passwd', '/models/../../secret.txt', '/%2e%2e/secret.txt', '/%2E%2E%2Fsecret.txt', '/..%5csecret.txt', '/.charter-docs', '/leak.txt', '/nope.html']) {
        const res = await get(p);
        expect(res.status, p).toBe(404);
        expect(res.body, p).not.toContain('project file');
      }
      expect((await get('/', 'POST')).status).toBe(405);
      expect((await get('/', 'DELETE')).status).toBe(405);
    });

    it('as the CLI runs it: serves the project\'s target/docs on 127.0.0.1, refuses traversal, stops on SIGTERM', async () => {
      const running = startCharter(['docs', 'serve', '--port', '0'], dir);
      try {
        await expect.poll(() => running.output(), { timeout: 20_000 }).toMatch(/serving .* at http:\/\/127\.0\.0\.1:\d+\//);
        const served = new URL(running.output().match(/at (http:\/\/\S+)/)![1]!);
        const saved = url;
        url = served;
        try {
          expect((await get('/')).status).toBe(200);
          expect((await get('/../secret.txt')).status).toBe(404);
          expect((await get('/%2e%2e/%2e%2e/etc/passwd')).status).toBe(404);
        } finally {
          url = saved;
        }
      } finally {
        running.child.kill('SIGTERM');
      }
      expect(await running.exit).toEqual({ code: 0, signal: null });
    });
  });
});

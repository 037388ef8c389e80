// The docs site's pure parts, on a hand-made site (no compile, fast): escaping of untrusted names, descriptions and
// SQL; the JSON the pages embed; the search index; the layered graph layout; run results; and the serve path check.
import { describe, expect, it } from 'vitest';
import { layeredLayout } from '../../src/artifacts/docs/docs-graph-layout.js';
import { columnGraphSvg, modelGraphSvg } from '../../src/artifacts/docs/docs-graph-svg.js';
import { CONTENT_SECURITY_POLICY, escapeHtml, jsonForScript, pageFile } from '../../src/artifacts/docs/docs-html.js';
import { docsFiles } from '../../src/artifacts/docs/docs-files.js';
import { indexPage, summary } from '../../src/artifacts/docs/docs-index-page.js';
import { modelPage } from '../../src/artifacts/docs/docs-model-page.js';
import { searchIndex } from '../../src/artifacts/docs/docs-search-index.js';
import type { DocsNode, DocsSite } from '../../src/artifacts/docs/docs-site.js';
import { lastResults } from '../../src/artifacts/docs/last-results.js';
import { resolveRequestPath } from '../../src/pipeline/docs-serve.js';

const EVIL = '<script>alert(1)</script>"><img src=x onerror="alert(2)">';

const node = (name: string, over: Partial<DocsNode> = {}): DocsNode => ({
  id: `model.p.${name}`, name, kind: 'model', relation: `"P"."S"."${name}"`, parents: [], children: [], columns: [], tests: [], slos: [], ...over,
});

const SITE: DocsSite = {
  project: { name: 'p', version: '1.0.0', target: 'dev' },
  generatedAt: '2026-01-01T00:00:00Z',
  lastRun: { runId: 'r1', command: 'build', status: 'finished', finishedAt: '2026-01-01T00:00:00Z' },
  nodes: [
    { ...node('raw'), id: 'seed.p.raw', kind: 'seed', layer: 'seed', columns: [{ name: 'email', tests: [] }] },
    node('brz', { layer: 'bronze', parents: ['seed.p.raw'], children: ['model.p.stg'], columns: [{ name: 'email', tests: [] }] }),
    node('stg', {
      layer: 'silver',
      parents: ['model.p.brz'],
      description: EVIL,
      rawSql: `select email /* ${EVIL} */ from {{ ref('brz') }}`,
      compiledSql: `select email /* ${EVIL} */ from "P"."S"."brz"`,
      contract: { name: 'c', file: 'contracts/c.yml', owners: ['o@example.com'], version: '2.0.0', description: EVIL },
      columns: [
        { name: 'email', dataType: 'VARCHAR', classification: 'pii', masking: 'MASK_PII (column)', description: EVIL, tests: [{ id: 't1', name: 'not_null_stg_email', kind: 'not_null', severity: 'error', last: { status: 'fail', failures: 3 } }] },
        { name: 'n', tests: [] },
      ],
      slos: [{ id: 's1', kind: 'completeness', column: 'email', text: 'null rate of email <= 0.1%', last: { status: 'pass', measured: 0, threshold: '<= 0.001', unit: 'null rate' } }],
    }),
    node('side', { layer: 'silver', parents: ['model.p.brz'], columns: [{ name: 'x', tests: [] }] }),
    node('mart', { layer: 'platinum', parents: ['model.p.stg', 'model.p.side'], columns: [{ name: 'email_domain', tests: [] }] }),
  ],
  columnEdges: [
    { from: 'seed.p.raw|email', to: 'model.p.brz|email', how: 'direct' },
    { from: 'model.p.brz|email', to: 'model.p.stg|email', how: 'expression' },
    { from: 'model.p.stg|email', to: 'model.p.mart|email_domain', how: 'expression' },
  ],
  lineage: {
    'model.p.stg|email': { up: ['model.p.brz|email', 'seed.p.raw|email'], down: ['model.p.mart|email_domain'], unknown: [] },
    'model.p.stg|n': { up: [], down: [], unknown: [`n: ${EVIL}`] },
  },
  semanticViews: [{ name: 'sv', file: 'semantic_views/sv.yml', description: EVIL, tables: [{ name: 't', model: 'stg', dimensions: [], facts: [], metrics: [{ name: 'm', expr: 'count(*)', description: 'how many' }] }], metrics: [] }],
};

/** Tags and attributes a browser would act on. */
const active = (html: string): string[] => [...html.matchAll(/<(script(?![^>]*type="application\/json")[^>]*src=[^>]*|script(?![^>]*(type="application\/json"|src=))[^>]*|img[^>]*|[a-z]+[^>]*\son[a-z]+=[^>]*)>/gi)].map((m) => m[0]);

describe('escaping: names, descriptions and SQL are untrusted', () => {
  it('a model page shows them as text, never as markup', () => {
    const html = modelPage(SITE, SITE.nodes[2]!);
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<script>alert');
    expect(html).toContain(escapeHtml(EVIL));
    expect(html).toContain(`select email /* ${escapeHtml(EVIL)} */ from {{ ref(&#39;brz&#39;) }}`);
    // The only scripts: the site's own file, and JSON that cannot close its element.
    expect(active(html)).toEqual(['<script src="../assets/docs.js" defer>']);
    // No event handler or inline style attribute in any tag (the escaped text may say `onerror=`: it is text).
    expect(html).not.toMatch(/<[^>]*\son[a-z]+=/i);
    expect(html).not.toMatch(/<[^>]*\sstyle=/i);
  });

  it('the index, its search entries and the semantic view page do the same', () => {
    const files = docsFiles(SITE);
    for (const file of files.filter((f) => f.path.endsWith('.html'))) {
      expect(file.text, file.path).not.toContain('<img');
      expect(file.text, file.path).not.toContain('<script>alert');
      expect(file.text, file.path).toContain(`<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">`);
    }
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe');
  });

  it('JSON for a script element cannot end it, and parses back to the same value', () => {
    const value = { d: `</script><!-- ${EVIL} \u2028 &` };
    const text = jsonForScript(value);
    expect(text).not.toMatch(/[<>&\u2028]/);
    expect(JSON.parse(text)).toEqual(value);
  });

  it('page file names keep to safe characters', () => {
    expect(pageFile('legacy.events')).toBe('legacy.events.html');
    expect(pageFile('../../etc/x')).toBe('__.._etc_x.html');
  });
});

describe('the index page and its search', () => {
  it('lists every node, the last run, and embeds a search entry per node, column, view and metric', () => {
    const html = indexPage(SITE);
    expect(html).toContain('id="search"');
    expect(html).toContain('<a href="models/stg.html">stg</a>');
    expect(html).toContain('class="status s-finished"');
    const entries = JSON.parse(html.match(/<script type="application\/json" id="search-index">(.*?)<\/script>/s)![1]!);
    expect(entries).toEqual(searchIndex(SITE));
    expect(entries).toEqual(expect.arrayContaining([
      { kind: 'model', name: 'stg', description: EVIL, url: 'models/stg.html' },
      { kind: 'column', name: 'email', of: 'stg', description: EVIL, url: 'models/stg.html#col-email' },
      { kind: 'seed', name: 'raw', url: 'seeds/raw.html' },
      { kind: 'semantic view', name: 'sv', description: EVIL, url: 'semantic_views/sv.html' },
      { kind: 'metric', name: 'm', of: 'sv', description: 'how many', url: 'semantic_views/sv.html' },
    ]));
  });
});

describe('a model page', () => {
  const html = modelPage(SITE, SITE.nodes[2]!);
  it('shows the contract, columns with type, classification, masking, tests and their last results, and SLOs', () => {
    expect(html).toContain('<dt>owners</dt><dd>o@example.com</dd>');
    expect(html).toContain('<dt>version</dt><dd>2.0.0</dd>');
    expect(html).toMatch(/<td><span id="col-email" class="colname">email<\/span><\/td><td>VARCHAR<\/td><td><span class="class class-pii">pii<\/span><\/td><td>MASK_PII \(column\)<\/td>/);
    expect(html).toContain('not_null <span class="status s-fail">fail</span> <span class="failures">3 failing</span>');
    expect(html).toContain('null rate of email &lt;= 0.1%');
  });

  it('embeds its columns\' lineage, and draws them with the columns up and down', () => {
    const lineage = JSON.parse(html.match(/<script type="application\/json" id="column-lineage">(.*?)<\/script>/s)![1]!);
    expect(Object.keys(lineage)).toEqual(['model.p.stg|email', 'model.p.stg|n']);
    const svg = columnGraphSvg(SITE, SITE.nodes[2]!, '../');
    for (const key of ['seed.p.raw|email', 'model.p.brz|email', 'model.p.stg|email', 'model.p.stg|n', 'model.p.mart|email_domain']) expect(svg).toContain(`data-key="${key}"`);
    // side shares no column with stg: it is not drawn.
    expect(svg).not.toContain('side');
    expect(svg).toContain('data-from="model.p.stg|email" data-to="model.p.mart|email_domain"');
  });
});

describe('the lineage graph layout', () => {
  it('puts bands left to right, a node right of its parents in its band, and links every box to its page', () => {
    const svg = modelGraphSvg(SITE, '');
    const x = (id: string): number => Number(svg.match(new RegExp(`data-id="${id.replace(/\./g, '\\.')}"><title>[^<]*</title><rect x="(\\d+)`))![1]);
    expect(x('seed.p.raw')).toBeLessThan(x('model.p.brz'));
    expect(x('model.p.brz')).toBeLessThan(x('model.p.stg'));
    expect(x('model.p.stg')).toBe(x('model.p.side'));
    expect(x('model.p.stg')).toBeLessThan(x('model.p.mart'));
    expect(svg).toContain('<a href="models/mart.html" class="node-link">');
    expect(svg.match(/class="edge"/g)).toHaveLength(5);
  });

  it('stacks nodes of different heights without overlap, and orders a column by its parents', () => {
    const layout = layeredLayout(
      [
        { id: 'a', band: 0, parents: [], height: 40, label: 'a' },
        { id: 'b', band: 0, parents: [], height: 10, label: 'b' },
        { id: 'a2', band: 1, parents: ['b'], height: 20, label: 'a2' },
        { id: 'z', band: 1, parents: ['a'], height: 20, label: 'z' },
        { id: 'deep', band: 1, parents: ['z'], height: 20, label: 'deep' },
      ],
      { nodeWidth: 100, gapX: 20, gapY: 5, top: 10, pad: 10 },
    );
    const at = (id: string) => layout.nodes.get(id)!;
    expect(at('b').y).toBe(at('a').y + 40 + 5);
    // z's parent is above a2's: z comes first though its name sorts last.
    expect(at('z').y).toBeLessThan(at('a2').y);
    expect(at('deep').x).toBeGreaterThan(at('z').x);
    expect(layout.bands.map((b) => b.band)).toEqual([0, 1]);
    expect(layout.width).toBe(10 * 2 + 3 * 120 - 20);
  });
});

describe('last results from run_results.json', () => {
  it('reads tests and SLOs by id, and nothing from a file of another shape', () => {
    const last = lastResults({
      metadata: { run_id: 'r', command: 'build', status: 'finished', finished_at: 'x' },
      tests: [{ unique_id: 't1', status: 'fail', failures: 2 }, { status: 'pass' }],
      slos: [{ id: 's1', status: 'warn', measured: 0.2, threshold: '<= 0.1', unit: 'psi' }],
    });
    expect(last?.tests.get('t1')).toEqual({ status: 'fail', failures: 2 });
    expect(last?.tests.size).toBe(1);
    expect(last?.slos.get('s1')).toEqual({ status: 'warn', measured: 0.2, threshold: '<= 0.1', unit: 'psi' });
    expect(lastResults([1, 2])).toBeUndefined();
    expect(lastResults({ metadata: {} })).toBeUndefined();
  });
});

describe('docs serve: the path a request names', () => {
  const root = '/srv/docs';
  it('maps a request to a file under the folder, / to index.html', () => {
    expect(resolveRequestPath(root, '/')).toBe('/srv/docs/index.html');
    expect(resolveRequestPath(root, '/models/stg.html?x=1#a')).toBe('/srv/docs/models/stg.html');
    expect(resolveRequestPath(root, '/models/')).toBe('/srv/docs/models/index.html');
  });

  it('refuses any path out of the folder, encoded or not, and dot files', () => {
    for (const url of ['/../etc/passwd', '/models/../../etc/passwd', '/%2e%2e/etc/passwd', '/%2E%2E%2Fetc%2Fpasswd', '/..%5c..%5cetc', '/a%00.html', '/%', '/.charter-docs', 'etc/passwd', '//etc/passwd/..']) {
      expect(resolveRequestPath(root, url), url).toBeUndefined();
    }
  });
});

describe('the index keeps descriptions short', () => {
  it('shows a description\'s first sentence, cut at 160 characters', () => {
    expect(summary('One row per customer. Then much more.')).toBe('One row per customer.');
    expect(summary('x'.repeat(300))).toBe(`${'x'.repeat(159)}…`);
    expect(summary(undefined)).toBe('');
  });
});

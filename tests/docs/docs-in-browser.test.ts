// The showcase's docs site as a reader's browser shows it: headless Chromium (Debian's, installed by .ci/run) opens
// every page with no console error or warning (the pages' Content-Security-Policy would report any inline script or
// style) and no request outside the site; search finds a model and opens it; the lineage graph zooms, pans and
// opens a node's page; a column lights up its upstream and downstream columns; a description written to attack
// the page stays text. A screenshot of the index is kept in target/test-screenshots/.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { charter, repoRoot } from '../helpers/project.js';
import { removeShowcaseCopies, showcaseCopy } from '../helpers/showcase.js';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
const EVIL = '<script>window.__xss=1</script>"><img src=x onerror="window.__xss=2">';

let site: string;
let browser: Browser;

beforeAll(async () => {
  const dir = showcaseCopy({ contracts: true, semanticViews: true });
  const contract = path.join(dir, 'contracts', 'silver', 'stg_customers.yml');
  writeFileSync(contract, readFileSync(contract, 'utf8').replace(/description: >-\n(  .*\n)+/, `description: '${EVIL}'\n`));
  const out = await charter(['docs', 'generate'], dir);
  expect(out.stderr).toBe('');
  expect(out.code).toBe(0);
  site = path.join(dir, 'target', 'docs');
}, 120_000);

afterAll(async () => {
  await browser?.close();
  removeShowcaseCopies();
});

/** A page that records every console error or warning, uncaught error, dialog and request outside file://. */
async function watchedPage(): Promise<{ page: Page; problems: string[] }> {
  if (!browser) {
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM!, args: ['--no-sandbox'] });
  }
  const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  page.on('request', (r) => {
    if (!r.url().startsWith('file:')) problems.push(`request: ${r.url()}`);
  });
  return { page, problems };
}

const fileUrl = (relative: string): string => `file://${path.join(site, relative)}`;
const viewBox = (page: Page, id: string): Promise<string | null> => page.locator(`#${id}`).getAttribute('viewBox');

// The end-to-end tier, as CI runs it, requires the browser; elsewhere a machine without it skips.
const requireBrowser = process.env['CHARTER_TESTS'] === 'all' || process.env['CHARTER_TESTS'] === 'e2e';
describe.skipIf(!CHROMIUM && !requireBrowser)('the docs site in headless Chromium', () => {
  it('renders the index with no console error and no request, with the graph and every node; a screenshot is kept', async () => {
    expect(CHROMIUM, 'Debian chromium is not installed: apt-get install chromium').toBeDefined();
    const { page, problems } = await watchedPage();
    await page.goto(fileUrl('index.html'));
    await page.waitForLoadState('load');
    expect(await page.locator('#model-graph .node').count()).toBe(25);
    expect(await page.locator('#model-graph .band-title').allTextContents()).toEqual(['sources and seeds', 'bronze', 'silver', 'platinum', 'ops']);
    expect(await page.locator('table.nodes tbody tr').count()).toBe(25);
    const shots = path.join(repoRoot, 'target', 'test-screenshots');
    mkdirSync(shots, { recursive: true });
    const png = await page.screenshot({ path: path.join(shots, 'docs-index.png'), fullPage: true });
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('opens every page without a console error, a blocked script or style, or a request', async () => {
    const { page, problems } = await watchedPage();
    const pages = ['models', 'seeds', 'semantic_views'].flatMap((folder) => readdirSync(path.join(site, folder)).map((f) => `${folder}/${f}`));
    expect(pages.length).toBe(25 + 3);
    for (const file of pages) {
      await page.goto(fileUrl(file));
      expect(problems, file).toEqual([]);
    }
    await page.close();
  });

  it('search finds a model by name and by description, and a click opens its page', async () => {
    const { page, problems } = await watchedPage();
    await page.goto(fileUrl('index.html'));
    await page.locator('#search').fill('customer_360');
    const first = page.locator('#search-results li.result a').first();
    await expect.poll(() => first.textContent()).toBe('dim_customer_360');
    await page.locator('#search').fill('as of the as-of date: profile');
    await expect.poll(() => page.locator('#search-results a.result-name').allTextContents()).toContain('dim_customer_360');
    await page.locator('#search-results a.result-name', { hasText: 'dim_customer_360' }).first().click();
    await page.waitForURL(/models\/dim_customer_360\.html$/);
    expect(await page.locator('h1').innerText()).toMatch(/^dim_customer_360/);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('the lineage graph zooms with the wheel, pans by dragging without opening a page, and a click on a node opens it', async () => {
    const { page, problems } = await watchedPage();
    await page.goto(fileUrl('index.html'));
    const graph = page.locator('#model-graph');
    await graph.scrollIntoViewIfNeeded();
    const before = await viewBox(page, 'model-graph');
    const box = (await graph.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, -300);
    await expect.poll(() => viewBox(page, 'model-graph')).not.toBe(before);
    const zoomed = await viewBox(page, 'model-graph');
    const [, , zoomedWidth] = zoomed!.split(' ').map(Number);
    expect(zoomedWidth).toBeLessThan(Number(before!.split(' ')[2]));
    // Drag from a node: the picture moves, the page stays.
    const node = graph.locator('[data-id="model.phantom_sec.stg_customers"] rect');
    const at = (await node.boundingBox())!;
    await page.mouse.move(at.x + 10, at.y + 10);
    await page.mouse.down();
    await page.mouse.move(at.x + 60, at.y + 40, { steps: 5 });
    await page.mouse.up();
    expect(await viewBox(page, 'model-graph')).not.toBe(zoomed);
    expect(page.url()).toMatch(/index\.html$/);
    await page.locator('#model-graph').dispatchEvent('dblclick');
    await expect.poll(() => viewBox(page, 'model-graph')).toBe(before);
    await graph.locator('[data-id="model.phantom_sec.fct_mrr_monthly"]').click();
    await page.waitForURL(/models\/fct_mrr_monthly\.html$/);
    expect(await page.locator('h1').innerText()).toMatch(/^fct_mrr_monthly/);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('a picked column lights up the columns it is computed from and those computed from it', async () => {
    const { page, problems } = await watchedPage();
    await page.goto(fileUrl('models/stg_customers.html'));
    await page.locator('#column-pick').selectOption('model.phantom_sec.stg_customers|primary_contact_email');
    const keys = (cls: string): Promise<Array<string | null>> => page.locator(`#column-graph .col.${cls}`).evaluateAll((els) => els.map((e) => e.getAttribute('data-key')));
    await expect.poll(() => keys('sel')).toEqual(['model.phantom_sec.stg_customers|primary_contact_email']);
    expect(await keys('up')).toEqual(expect.arrayContaining(['model.phantom_sec.brz_customers|primary_contact_email', 'seed.phantom_sec.dim_customers|primary_contact_email']));
    expect(await keys('down')).toEqual(expect.arrayContaining(['model.phantom_sec.dim_customer_360|primary_contact_email']));
    // Nothing else: company_name is no part of the email's lineage.
    expect([...(await keys('up')), ...(await keys('down'))].some((k) => k?.endsWith('|company_name'))).toBe(false);
    expect(await page.locator('#column-graph .edge.lit').count()).toBeGreaterThanOrEqual(3);
    // Clicking a column in the picture picks it too.
    await page.locator('#column-graph [data-key="model.phantom_sec.stg_customers|company_name"]').click();
    await expect.poll(() => page.locator('#column-pick').inputValue()).toBe('model.phantom_sec.stg_customers|company_name');
    expect(await keys('up')).toEqual(expect.arrayContaining(['model.phantom_sec.brz_customers|company_name']));
    // Another model's column opens its page, with the column picked there.
    await page.locator('#column-graph [data-key="model.phantom_sec.dim_customer_360|primary_contact_email"]').click();
    await page.waitForURL(/models\/dim_customer_360\.html#col-primary_contact_email$/);
    await expect.poll(() => page.locator('#column-pick').inputValue()).toBe('model.phantom_sec.dim_customer_360|primary_contact_email');
    await expect.poll(() => keys('up')).toEqual(expect.arrayContaining(['model.phantom_sec.stg_customers|primary_contact_email']));
    expect(problems).toEqual([]);
    await page.close();
  });

  it('a description written to attack the page shows as text and runs nothing', async () => {
    const { page, problems } = await watchedPage();
    await page.goto(fileUrl('models/stg_customers.html'));
    expect(await page.locator('p.description').innerText()).toBe(EVIL);
    expect(await page.locator('main img').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    await page.goto(fileUrl('index.html'));
    await page.locator('#search').fill('xss');
    await expect.poll(() => page.locator('#search-results .result-description').first().textContent()).toBe(EVIL);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(problems).toEqual([]);
    await page.close();
  });
});

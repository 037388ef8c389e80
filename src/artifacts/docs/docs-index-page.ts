// The docs site's front page: search, the last run, the model lineage graph, every node and every semantic view. Pure.
import { escapeHtml, jsonScript, page, statusBadge, table } from './docs-html.js';
import { modelGraphSvg } from './docs-graph-svg.js';
import { nodeUrl, semanticViewUrl } from './docs-links.js';
import { searchIndex } from './docs-search-index.js';
import type { DocsSite } from './docs-site.js';

/** A description's first sentence, cut short if long: the model's page has it whole. */
export function summary(text: string | undefined, max = 160): string {
  if (!text) return '';
  const first = text.match(/^.*?[.!?](\s|$)/s)?.[0].trim() ?? text;
  return first.length > max ? `${first.slice(0, max - 1).trimEnd()}…` : first;
}

export function indexPage(site: DocsSite): string {
  const { project } = site;
  const run = site.lastRun
    ? `<p class="last-run">Last run: <code>${escapeHtml(site.lastRun.command)}</code> ${statusBadge(site.lastRun.status)} ${escapeHtml(site.lastRun.finishedAt ?? '')} <span class="muted">(${escapeHtml(site.lastRun.runId)})</span></p>`
    : '<p class="last-run muted">No run results: test and SLO outcomes appear after a build.</p>';
  const nodes = table(
    ['name', 'kind', 'layer', 'materialized', 'contract', 'owners', 'description'],
    site.nodes.map((n) => [
      `<a href="${escapeHtml(nodeUrl(n))}">${escapeHtml(n.name)}</a>`,
      escapeHtml(n.kind),
      escapeHtml(n.kind === 'model' ? (n.layer ?? '') : ''),
      escapeHtml(n.materialized ?? ''),
      n.contract ? `${escapeHtml(n.contract.name)}${n.contract.version ? ` <span class="muted">v${escapeHtml(n.contract.version)}</span>` : ''}` : '',
      escapeHtml((n.contract?.owners ?? []).join(', ')),
      escapeHtml(summary(n.description)),
    ]),
    'nodes',
  );
  const views = table(
    ['semantic view', 'tables', 'metrics', 'description'],
    site.semanticViews.map((v) => [
      `<a href="${escapeHtml(semanticViewUrl(v))}">${escapeHtml(v.name)}</a>`,
      escapeHtml(v.tables.map((t) => t.name).join(', ')),
      String(v.metrics.length + v.tables.reduce((n, t) => n + t.metrics.length, 0)),
      escapeHtml(summary(v.description)),
    ]),
  );
  const models = site.nodes.filter((n) => n.kind === 'model').length;
  const body = [
    `<h1>${escapeHtml(project.name)} <span class="muted">v${escapeHtml(project.version)}</span></h1>`,
    `<p class="muted">${models} models, ${site.nodes.length - models} seeds and sources, ${site.semanticViews.length} semantic views; target ${escapeHtml(project.target)}; generated ${escapeHtml(site.generatedAt)}</p>`,
    run,
    '<section class="search"><label for="search">Search models, columns, descriptions, metrics</label>',
    '<input id="search" type="search" autocomplete="off" spellcheck="false" placeholder="e.g. customer, mrr, email">',
    '<ul id="search-results" class="results"></ul></section>',
    jsonScript('search-index', searchIndex(site)),
    '<section><h2>Lineage</h2><p class="muted">Scroll to zoom, drag to pan, double-click to reset; click a box to open its page.</p>',
    `<div class="graph">${modelGraphSvg(site, '')}</div></section>`,
    `<section><h2>Models, seeds and sources</h2>${nodes}</section>`,
    `<section><h2>Semantic views</h2>${views}</section>`,
  ].join('\n');
  return page({ title: 'index', root: '', project: project.name, body });
}

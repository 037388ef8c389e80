// A semantic view's page in the docs site: its tables (each a link to the model it reads) with their dimensions,
// facts and metrics, and its derived metrics. Pure.
import { escapeHtml, page, table } from './docs-html.js';
import { nodeUrl } from './docs-links.js';
import type { DocsSemanticMember, DocsSemanticView, DocsSite } from './docs-site.js';

const members = (list: readonly DocsSemanticMember[]): string =>
  table(['name', 'expression', 'description'], list.map((m) => [`<code>${escapeHtml(m.name)}</code>`, `<code>${escapeHtml(m.expr)}</code>`, escapeHtml(m.description ?? '')]));

export function semanticViewPage(site: DocsSite, view: DocsSemanticView): string {
  const root = '../';
  const model = (name: string): string => {
    const node = site.nodes.find((n) => n.kind === 'model' && n.name === name);
    return node ? `<a href="${escapeHtml(root + nodeUrl(node))}">${escapeHtml(name)}</a>` : escapeHtml(name);
  };
  const tables = view.tables.map((t) =>
    [
      `<section><h2>${escapeHtml(t.name)} <span class="muted">reads ${model(t.model)}</span></h2>`,
      t.description ? `<p class="description">${escapeHtml(t.description)}</p>` : '',
      `<h3>Metrics</h3>${members(t.metrics)}`,
      `<h3>Dimensions</h3>${members(t.dimensions)}`,
      t.facts.length ? `<h3>Facts</h3>${members(t.facts)}` : '',
      '</section>',
    ].join(''),
  );
  const body = [
    `<h1>${escapeHtml(view.name)} <span class="muted kind">semantic view</span></h1>`,
    view.description ? `<p class="description">${escapeHtml(view.description)}</p>` : '',
    `<p class="muted">Defined in <code>${escapeHtml(view.file)}</code></p>`,
    view.metrics.length ? `<section><h2>Derived metrics</h2>${members(view.metrics)}</section>` : '',
    ...tables,
  ].join('\n');
  return page({ title: view.name, root, project: site.project.name, body });
}

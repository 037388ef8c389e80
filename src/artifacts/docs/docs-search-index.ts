// The index page's search entries: every node, column, semantic view and metric, with its description and the page
// it is on. The page's script filters them as the reader types. Pure.
import type { DocsSite } from './docs-site.js';
import { nodeUrl, semanticViewUrl } from './docs-links.js';

export interface SearchEntry {
  /** What it is: model, seed, source, column, semantic view, metric, dimension. */
  readonly kind: string;
  readonly name: string;
  /** The model (or view) a column (or metric) belongs to. */
  readonly of?: string;
  readonly description?: string;
  /** Relative to the site's root. */
  readonly url: string;
}

const described = (text: string | undefined): { description?: string } => (text ? { description: text } : {});

export function searchIndex(site: DocsSite): SearchEntry[] {
  const entries: SearchEntry[] = [];
  for (const node of site.nodes) {
    const url = nodeUrl(node);
    entries.push({ kind: node.kind, name: node.name, ...described(node.description), url });
    for (const c of node.columns) entries.push({ kind: 'column', name: c.name, of: node.name, ...described(c.description), url: `${url}#col-${c.name.toLowerCase()}` });
  }
  for (const view of site.semanticViews) {
    const url = semanticViewUrl(view);
    entries.push({ kind: 'semantic view', name: view.name, ...described(view.description), url });
    for (const table of view.tables) {
      for (const m of table.metrics) entries.push({ kind: 'metric', name: m.name, of: view.name, ...described(m.description), url });
      for (const d of table.dimensions) entries.push({ kind: 'dimension', name: d.name, of: view.name, ...described(d.description), url });
    }
    for (const m of view.metrics) entries.push({ kind: 'metric', name: m.name, of: view.name, ...described(m.description), url });
  }
  return entries;
}

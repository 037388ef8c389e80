// Every file of the docs site, path and text: the pages, the stylesheet and the script. Pure.
import { indexPage } from './docs-index-page.js';
import { nodeUrl, semanticViewUrl } from './docs-links.js';
import { modelPage } from './docs-model-page.js';
import { DOCS_SCRIPT } from './docs-script.js';
import { semanticViewPage } from './docs-semantic-page.js';
import type { DocsSite } from './docs-site.js';
import { DOCS_STYLE } from './docs-style.js';

export interface DocsFile {
  /** Relative to the site's root, forward slashes. */
  readonly path: string;
  readonly text: string;
}

export function docsFiles(site: DocsSite): DocsFile[] {
  return [
    { path: 'index.html', text: indexPage(site) },
    { path: 'assets/docs.css', text: DOCS_STYLE },
    { path: 'assets/docs.js', text: DOCS_SCRIPT },
    ...site.nodes.map((node) => ({ path: nodeUrl(node), text: modelPage(site, node) })),
    ...site.semanticViews.map((view) => ({ path: semanticViewUrl(view), text: semanticViewPage(site, view) })),
  ];
}

// Where each page of the docs site lives, relative to the site's root.
import { pageFile } from './docs-html.js';
import type { DocsNode, DocsSemanticView } from './docs-site.js';

const FOLDER: Readonly<Record<DocsNode['kind'], string>> = { model: 'models', seed: 'seeds', source: 'sources' };

export const nodeUrl = (node: Pick<DocsNode, 'kind' | 'name'>): string => `${FOLDER[node.kind]}/${pageFile(node.name)}`;
export const semanticViewUrl = (view: Pick<DocsSemanticView, 'name'>): string => `semantic_views/${pageFile(view.name)}`;

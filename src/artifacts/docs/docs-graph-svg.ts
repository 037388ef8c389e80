// The docs' lineage pictures as SVG: the model graph (every node a link to its page, one band per layer) and, on a
// model's page, the column graph (each model a box of the columns linked to the page's model, each column a row the
// page's script highlights). Zoom and pan are the script's; nothing here runs. Pure.
import { nameOfId } from '../../project/node-id.js';
import { layeredLayout, type Layout, type Placed } from './docs-graph-layout.js';
import { escapeHtml } from './docs-html.js';
import type { ColumnKey, DocsNode, DocsSite } from './docs-site.js';
import { nodeUrl } from './docs-links.js';

export const BANDS = ['source', 'bronze', 'silver', 'platinum', 'ops', 'other'] as const;
const BAND_TITLES = ['sources and seeds', 'bronze', 'silver', 'platinum', 'ops', 'other'];

export function bandOf(node: Pick<DocsNode, 'kind' | 'layer'>): number {
  if (node.kind !== 'model') return 0;
  const band = BANDS.indexOf((node.layer ?? 'other') as (typeof BANDS)[number]);
  return band > 0 ? band : BANDS.length - 1;
}

const MODEL_BOX = { nodeWidth: 190, gapX: 56, gapY: 10, top: 28, pad: 28, height: 26 };
const COLUMN_BOX = { nodeWidth: 210, gapX: 70, gapY: 16, top: 28, pad: 36, header: 24, row: 18 };

const trim = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

const curve = (x1: number, y1: number, x2: number, y2: number): string => {
  const bend = Math.max(20, Math.abs(x2 - x1) / 2);
  return `M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}`;
};

function bandTitles(layout: Layout): string {
  return layout.bands
    .map((b) => `<rect class="band band-${b.band % 2}" x="${b.x}" y="0" width="${b.width}" height="${layout.height}"/><text class="band-title" x="${b.x + 8}" y="18">${escapeHtml(BAND_TITLES[b.band] ?? '')}</text>`)
    .join('');
}

const svgOpen = (layout: Layout, id: string, label: string): string =>
  `<svg xmlns="http://www.w3.org/2000/svg" id="${id}" class="zoomable" role="img" aria-label="${escapeHtml(label)}" viewBox="0 0 ${layout.width} ${layout.height}" width="${layout.width}" height="${layout.height}">`;

/** Every node of the project, edges parent to child; each box links to the node's page. `root`: path to the site root. */
export function modelGraphSvg(site: DocsSite, root: string): string {
  const ids = new Set(site.nodes.map((n) => n.id));
  const layout = layeredLayout(
    site.nodes.map((n) => ({ id: n.id, band: bandOf(n), parents: n.parents.filter((p) => ids.has(p)), height: MODEL_BOX.height, label: n.name })),
    MODEL_BOX,
  );
  const at = (id: string): Placed => layout.nodes.get(id)!;
  const edges = site.nodes.flatMap((n) =>
    n.parents.filter((p) => ids.has(p)).map((p) => {
      const [from, to] = [at(p), at(n.id)];
      return `<path class="edge" data-from="${escapeHtml(p)}" data-to="${escapeHtml(n.id)}" d="${curve(from.x + from.width, from.y + from.height / 2, to.x, to.y + to.height / 2)}"/>`;
    }),
  );
  const boxes = site.nodes.map((n) => {
    const { x, y, width, height } = at(n.id);
    return (
      `<a href="${escapeHtml(root + nodeUrl(n))}" class="node-link"><g class="node kind-${n.kind} layer-${escapeHtml(n.layer ?? 'other')}" data-id="${escapeHtml(n.id)}">` +
      `<title>${escapeHtml(`${n.name} (${n.kind}${n.layer && n.kind === 'model' ? `, ${n.layer}` : ''})`)}</title>` +
      `<rect x="${x}" y="${y}" width="${width}" height="${height}" rx="5"/>` +
      `<text x="${x + 8}" y="${y + 17}">${escapeHtml(trim(n.name, 28))}</text></g></a>`
    );
  });
  return `${svgOpen(layout, 'model-graph', 'model lineage')}${bandTitles(layout)}<g class="edges">${edges.join('')}</g><g class="nodes">${boxes.join('')}</g></svg>`;
}

/**
 * The page model's columns, and every column linked to one of them up or down, grouped in boxes per model. Rows
 * carry `data-key` (node|column) and edges `data-from`/`data-to`, for the page's script to highlight.
 */
export function columnGraphSvg(site: DocsSite, node: DocsNode, root: string): string {
  const involved = new Map<string, Set<string>>([[node.id, new Set(node.columns.map((c) => c.name.toLowerCase()))]]);
  const add = (key: ColumnKey): void => {
    const bar = key.lastIndexOf('|');
    const [id, column] = [key.slice(0, bar), key.slice(bar + 1)];
    involved.set(id, (involved.get(id) ?? new Set()).add(column));
  };
  for (const c of node.columns) {
    const edges = site.lineage[`${node.id}|${c.name.toLowerCase()}`];
    edges?.up.forEach(add);
    edges?.down.forEach(add);
  }
  if (!node.columns.length) return '<p class="none">no columns known</p>';
  const byId = new Map(site.nodes.map((n) => [n.id, n]));
  const rows = new Map([...involved].map(([id, set]) => [id, orderedColumns(byId.get(id), set)]));
  const layout = layeredLayout(
    [...involved.keys()].map((id) => {
      const n = byId.get(id);
      return {
        id,
        band: n ? bandOf(n) : 0,
        parents: (n?.parents ?? []).filter((p) => involved.has(p)),
        height: COLUMN_BOX.header + rows.get(id)!.length * COLUMN_BOX.row + 6,
        label: n?.name ?? nameOfId(id),
      };
    }),
    COLUMN_BOX,
  );
  const rowAt = (key: ColumnKey): { x: number; y: number; width: number } | undefined => {
    const bar = key.lastIndexOf('|');
    const box = layout.nodes.get(key.slice(0, bar));
    const i = rows.get(key.slice(0, bar))?.indexOf(key.slice(bar + 1)) ?? -1;
    return box && i >= 0 ? { x: box.x, y: box.y + COLUMN_BOX.header + i * COLUMN_BOX.row + COLUMN_BOX.row / 2, width: box.width } : undefined;
  };
  const edges = site.columnEdges.flatMap((e) => {
    const [from, to] = [rowAt(e.from), rowAt(e.to)];
    if (!from || !to) return [];
    return [`<path class="edge how-${e.how}" data-from="${escapeHtml(e.from)}" data-to="${escapeHtml(e.to)}" d="${curve(from.x + from.width, from.y, to.x, to.y)}"/>`];
  });
  const boxes = [...involved.keys()].map((id) => {
    const { x, y, width, height } = layout.nodes.get(id)!;
    const n = byId.get(id);
    const title = escapeHtml(trim(n?.name ?? nameOfId(id), 30));
    const heading = n ? `<a href="${escapeHtml(root + nodeUrl(n))}" class="node-link"><text class="box-title" x="${x + 8}" y="${y + 16}">${title}</text></a>` : `<text class="box-title" x="${x + 8}" y="${y + 16}">${title}</text>`;
    const cells = rows.get(id)!.map((column, i) => {
      const top = y + COLUMN_BOX.header + i * COLUMN_BOX.row;
      return (
        `<g class="col" data-key="${escapeHtml(`${id}|${column}`)}"><rect x="${x + 4}" y="${top}" width="${width - 8}" height="${COLUMN_BOX.row - 2}" rx="3"/>` +
        `<text x="${x + 10}" y="${top + 12}">${escapeHtml(trim(column, 32))}</text></g>`
      );
    });
    const pageAttr = n && id !== node.id ? ` data-page="${escapeHtml(root + nodeUrl(n))}"` : '';
    return `<g class="col-box${id === node.id ? ' this' : ''}"${pageAttr}><rect class="box" x="${x}" y="${y}" width="${width}" height="${height}" rx="6"/>${heading}${cells.join('')}</g>`;
  });
  return `${svgOpen(layout, 'column-graph', `column lineage of ${node.name}`)}${bandTitles(layout)}<g class="edges">${edges.join('')}</g>${boxes.join('')}</svg>`;
}

/** A node's columns in its own order (as documented), the linked ones only, then any it does not list. */
function orderedColumns(node: DocsNode | undefined, wanted: ReadonlySet<string>): string[] {
  const own = (node?.columns ?? []).map((c) => c.name.toLowerCase()).filter((c) => wanted.has(c));
  return [...own, ...[...wanted].filter((c) => !own.includes(c)).sort()];
}

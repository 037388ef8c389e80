// The report's lineage picture: the models a run touched as boxes, laid out as the docs site lays out its graph (a
// band per layer), each edge drawn from a parent to its child, a box's colour its outcome. Inline SVG, no script. Pure.
import { escapeHtml as escapeXml } from './docs/docs-html.js';
import { layeredLayout } from './docs/docs-graph-layout.js';
import type { EvidenceModelFacts } from './evidence-facts.js';

const LAYERS = ['bronze', 'silver', 'gold', 'platinum'];
const BOX = { width: 210, height: 26, gapX: 70, gapY: 10, pad: 16 };
const FILL: Readonly<Record<string, string>> = { success: '#dff3e4', error: '#f9d6d5', skipped: '#eeeeee' };

/** A model's band: seeds and unlayered models first, then the layers in order. */
const bandOf = (m: EvidenceModelFacts): number => LAYERS.indexOf((m.layer ?? '').toLowerCase()) + 1;

export function lineageSvg(models: readonly EvidenceModelFacts[]): string {
  if (!models.length) return '';
  // The docs site's layered layout: a band per layer, parents' places ordering each column.
  const layout = layeredLayout(
    models.map((m) => ({ id: m.id, band: bandOf(m), parents: m.dependsOn, height: BOX.height, label: m.name })),
    { nodeWidth: BOX.width, gapX: BOX.gapX, gapY: BOX.gapY, top: 0, pad: BOX.pad },
  );
  const at = layout.nodes;
  const { width, height } = layout;
  const edges = models.flatMap((m) =>
    m.dependsOn.flatMap((p) => {
      const from = at.get(p);
      const to = at.get(m.id);
      if (!from || !to) return [];
      const [x1, y1, x2, y2] = [from.x + BOX.width, from.y + BOX.height / 2, to.x, to.y + BOX.height / 2];
      const bend = (x2 - x1) / 2;
      return [`<path d="M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}" class="edge"/>`];
    }),
  );
  const boxes = models.map((m) => {
    const { x, y } = at.get(m.id)!;
    const label = m.name.length > 30 ? `${m.name.slice(0, 29)}…` : m.name;
    return (
      `<g><title>${escapeXml(`${m.relation}: ${m.status}`)}</title>` +
      `<rect x="${x}" y="${y}" width="${BOX.width}" height="${BOX.height}" rx="4" fill="${FILL[m.status] ?? '#fff4d6'}" stroke="#888"/>` +
      `<text x="${x + 8}" y="${y + 17}">${escapeXml(label)}</text></g>`
    );
  });
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="lineage of the models this run touched" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    '<style>.edge{fill:none;stroke:#9aa;stroke-width:1.2}text{font:12px sans-serif;fill:#222}</style>' +
    `${edges.join('')}${boxes.join('')}</svg>`
  );
}

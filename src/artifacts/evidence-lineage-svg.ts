// The report's lineage picture: the models a run touched as boxes in one column per layer (bronze, silver, platinum,
// then any other), each edge drawn from a parent to its child, a box's colour its outcome. Inline SVG, no script. Pure.
import type { EvidenceModelFacts } from './evidence-facts.js';

const LAYERS = ['bronze', 'silver', 'gold', 'platinum'];
const BOX = { width: 210, height: 26, gapX: 70, gapY: 10, pad: 16 };
const FILL: Readonly<Record<string, string>> = { success: '#dff3e4', error: '#f9d6d5', skipped: '#eeeeee' };

export const escapeXml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** Column of a model: its layer's place, unknown layers after them; then pushed right of every parent drawn. */
function columns(models: readonly EvidenceModelFacts[]): Map<string, number> {
  const byId = new Map(models.map((m) => [m.id, m]));
  const column = new Map<string, number>();
  const place = (m: EvidenceModelFacts, seen: Set<string>): number => {
    const known = column.get(m.id);
    if (known !== undefined) return known;
    if (seen.has(m.id)) return 0;
    seen.add(m.id);
    const layer = LAYERS.indexOf((m.layer ?? '').toLowerCase());
    const parents = m.dependsOn.flatMap((p) => (byId.has(p) ? [place(byId.get(p)!, seen)] : []));
    const c = Math.max(layer < 0 ? 0 : layer, ...parents.map((p) => p + 1));
    column.set(m.id, c);
    return c;
  };
  for (const m of models) place(m, new Set());
  // Close up empty columns so the picture is no wider than it needs to be.
  const used = [...new Set(column.values())].sort((a, b) => a - b);
  return new Map([...column].map(([id, c]) => [id, used.indexOf(c)]));
}

export function lineageSvg(models: readonly EvidenceModelFacts[]): string {
  if (!models.length) return '';
  const column = columns(models);
  const rows = new Map<number, EvidenceModelFacts[]>();
  for (const m of [...models].sort((a, b) => a.name.localeCompare(b.name))) {
    const c = column.get(m.id) ?? 0;
    rows.set(c, [...(rows.get(c) ?? []), m]);
  }
  const at = new Map<string, { x: number; y: number }>();
  for (const [c, list] of rows) list.forEach((m, i) => at.set(m.id, { x: BOX.pad + c * (BOX.width + BOX.gapX), y: BOX.pad + i * (BOX.height + BOX.gapY) }));
  const width = BOX.pad * 2 + (Math.max(...rows.keys()) + 1) * (BOX.width + BOX.gapX) - BOX.gapX;
  const height = BOX.pad * 2 + Math.max(...[...rows.values()].map((l) => l.length)) * (BOX.height + BOX.gapY) - BOX.gapY;
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

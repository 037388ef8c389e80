// A layered layout for the docs' lineage graphs: one band of columns per layer (sources and seeds, bronze, silver,
// platinum, ops, the rest), inside a band one column per step of the dependencies among its own nodes, and inside a
// column nodes ordered by where their parents sit, so edges cross less. Boxes may differ in height. Pure.

export interface LayoutNode {
  readonly id: string;
  /** Index of its band: the layer's place, left to right. */
  readonly band: number;
  readonly parents: readonly string[];
  readonly height: number;
  /** Ties in ordering are broken by it. */
  readonly label: string;
}

export interface Placed {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface Layout {
  readonly nodes: ReadonlyMap<string, Placed>;
  /** Each band drawn, with where it starts and ends. */
  readonly bands: ReadonlyArray<{ readonly band: number; readonly x: number; readonly width: number }>;
  readonly width: number;
  readonly height: number;
}

export interface LayoutOptions {
  readonly nodeWidth: number;
  readonly gapX: number;
  readonly gapY: number;
  /** Room above the nodes for the bands' titles. */
  readonly top: number;
  readonly pad: number;
}

export function layeredLayout(nodes: readonly LayoutNode[], options: LayoutOptions): Layout {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  // Depth inside the band: one more than the deepest parent in the same band.
  const depth = new Map<string, number>();
  const depthOf = (n: LayoutNode, seen: Set<string>): number => {
    const known = depth.get(n.id);
    if (known !== undefined) return known;
    if (seen.has(n.id)) return 0;
    seen.add(n.id);
    const inBand = n.parents.map((p) => byId.get(p)).filter((p): p is LayoutNode => !!p && p.band === n.band);
    const d = Math.max(0, ...inBand.map((p) => depthOf(p, seen) + 1));
    depth.set(n.id, d);
    return d;
  };
  for (const n of nodes) depthOf(n, new Set());
  const bands = [...new Set(nodes.map((n) => n.band))].sort((a, b) => a - b);
  const columnOf = new Map<string, number>();
  const bandColumns: Array<{ band: number; first: number; count: number }> = [];
  let next = 0;
  for (const band of bands) {
    const members = nodes.filter((n) => n.band === band);
    const count = Math.max(...members.map((n) => depth.get(n.id)!)) + 1;
    for (const n of members) columnOf.set(n.id, next + depth.get(n.id)!);
    bandColumns.push({ band, first: next, count });
    next += count;
  }
  const columns: LayoutNode[][] = Array.from({ length: next }, () => []);
  for (const n of [...nodes].sort((a, b) => a.label.localeCompare(b.label))) columns[columnOf.get(n.id)!]!.push(n);
  // Barycentre ordering, left to right, twice: a node goes where its parents are on average.
  const rank = new Map<string, number>();
  const rankColumn = (column: LayoutNode[]): void => column.forEach((n, i) => rank.set(n.id, i / Math.max(1, column.length - 1)));
  columns.forEach(rankColumn);
  for (let pass = 0; pass < 2; pass++) {
    for (const column of columns) {
      const weight = (n: LayoutNode): number => {
        const placed = n.parents.filter((p) => rank.has(p) && columnOf.get(p)! < columnOf.get(n.id)!);
        return placed.length ? placed.reduce((s, p) => s + rank.get(p)!, 0) / placed.length : rank.get(n.id)!;
      };
      const weights = new Map(column.map((n) => [n.id, weight(n)]));
      column.sort((a, b) => weights.get(a.id)! - weights.get(b.id)! || a.label.localeCompare(b.label));
      rankColumn(column);
    }
  }
  const placed = new Map<string, Placed>();
  columns.forEach((column, c) => {
    let y = options.top + options.pad;
    for (const n of column) {
      placed.set(n.id, { x: options.pad + c * (options.nodeWidth + options.gapX), y, width: options.nodeWidth, height: n.height });
      y += n.height + options.gapY;
    }
  });
  const step = options.nodeWidth + options.gapX;
  const height = Math.max(options.top + options.pad * 2, ...[...placed.values()].map((p) => p.y + p.height + options.pad));
  return {
    nodes: placed,
    bands: bandColumns.map((b) => ({ band: b.band, x: options.pad + b.first * step - options.gapX / 2, width: b.count * step })),
    width: Math.max(options.pad * 2, options.pad * 2 + next * step - options.gapX),
    height,
  };
}

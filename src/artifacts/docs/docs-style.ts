// The docs site's stylesheet, served as assets/docs.css (the pages allow no inline style).
export const DOCS_STYLE = String.raw`:root { --ink: #1f2328; --muted: #656d76; --line: #d0d7de; --soft: #f6f8fa; --accent: #0969da; --up: #1a7f37; --down: #bc4c00; --sel: #8250df; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: #fff; }
header.top { display: flex; gap: 12px; align-items: baseline; padding: 10px 24px; border-bottom: 1px solid var(--line); background: var(--soft); }
header.top .home { font-weight: 600; font-size: 16px; color: var(--ink); text-decoration: none; }
header.top .sub { color: var(--muted); }
main { padding: 8px 24px 48px; max-width: 1400px; }
a { color: var(--accent); }
h1 { font-size: 24px; margin: 16px 0 4px; }
h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 16px 0 6px; }
.muted, .none { color: var(--muted); }
code, pre { font: 12.5px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
pre.sql { background: var(--soft); border: 1px solid var(--line); border-radius: 6px; padding: 12px; overflow: auto; max-height: 480px; }
table { border-collapse: collapse; width: 100%; margin: 6px 0; }
th, td { text-align: left; vertical-align: top; padding: 5px 8px; border-bottom: 1px solid var(--line); }
th { background: var(--soft); font-weight: 600; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 8px 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
.status { display: inline-block; padding: 0 6px; border-radius: 10px; font-size: 12px; background: #eaeef2; }
.s-pass, .s-success, .s-finished { background: #dafbe1; color: #116329; }
.s-warn { background: #fff8c5; color: #7d4e00; }
.s-fail, .s-error, .s-aborted { background: #ffebe9; color: #a40e26; }
.failures { color: #a40e26; font-size: 12px; }
.test { display: inline-block; margin: 0 6px 2px 0; }
.class { display: inline-block; padding: 0 6px; border-radius: 4px; font-size: 12px; background: #eaeef2; }
.class-pii, .class-phi { background: #ffebe9; color: #a40e26; }
.class-confidential { background: #fff8c5; color: #7d4e00; }
.search label { display: block; font-weight: 600; margin: 16px 0 4px; }
#search { width: 100%; max-width: 640px; padding: 8px 10px; font-size: 15px; border: 1px solid var(--line); border-radius: 6px; }
ul.results { list-style: none; padding: 0; margin: 6px 0; max-width: 900px; }
ul.results li { padding: 4px 0; border-bottom: 1px solid var(--soft); }
.result-name { font-weight: 600; margin-right: 8px; }
.result-kind { color: var(--muted); margin-right: 8px; font-size: 12px; }
.result-description { color: var(--ink); font-size: 13px; }
.graph { border: 1px solid var(--line); border-radius: 6px; height: 70vh; min-height: 200px; overflow: hidden; background: #fff; }
.graph svg { display: block; width: 100%; height: 100%; cursor: grab; user-select: none; touch-action: none; }
.graph svg.dragging { cursor: grabbing; }
svg text { font: 12px system-ui, sans-serif; fill: var(--ink); }
svg .band-0 { fill: #fbfcfd; }
svg .band-1 { fill: #f3f5f8; }
svg .band-title { font-weight: 600; fill: var(--muted); text-transform: uppercase; font-size: 11px; }
svg .edge { fill: none; stroke: #a5b0bb; stroke-width: 1.2; }
svg .node rect { fill: #fff; stroke: #8c959f; }
svg .node.kind-seed rect, svg .node.kind-source rect { fill: #eef6ff; }
svg .node.layer-bronze rect { fill: #f6ede4; }
svg .node.layer-silver rect { fill: #eef1f4; }
svg .node.layer-platinum rect { fill: #efeaff; }
svg .node.layer-ops rect { fill: #fff8e1; }
svg .node-link:hover rect, svg .node-link:focus rect { stroke: var(--accent); stroke-width: 2; }
svg .col-box .box { fill: #fff; stroke: #8c959f; }
svg .col-box.this .box { stroke: var(--sel); stroke-width: 2; }
svg .box-title { font-weight: 600; }
svg .col rect { fill: var(--soft); }
svg .col { cursor: pointer; }
svg .col text { pointer-events: none; }
svg.picking .col { opacity: 0.35; }
svg.picking .edge { opacity: 0.15; }
svg.picking .col.sel, svg.picking .col.up, svg.picking .col.down { opacity: 1; }
svg .col.sel rect { fill: #e8dcff; stroke: var(--sel); }
svg .col.up rect { fill: #dafbe1; stroke: var(--up); }
svg .col.down rect { fill: #fff1e5; stroke: var(--down); }
svg.picking .edge.lit { opacity: 1; stroke: var(--sel); stroke-width: 2; }
.legend .key { display: inline-block; padding: 0 6px; border-radius: 4px; font-size: 12px; border: 1px solid; }
.legend .key.up { color: var(--up); background: #dafbe1; }
.legend .key.sel { color: var(--sel); background: #e8dcff; }
.legend .key.down { color: var(--down); background: #fff1e5; }
ul.unknown { color: var(--muted); font-size: 12px; }
select { padding: 4px; }
`;

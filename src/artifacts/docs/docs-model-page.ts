// A node's page in the docs site: what it is, its contract, its columns (type, classification, masking, tests and
// their last results), model tests and SLOs, its column lineage picture, its neighbours, and its SQL as written and
// as compiled. Pure.
import { nameOfId } from '../../project/node-id.js';
import { columnGraphSvg } from './docs-graph-svg.js';
import { escapeHtml, jsonScript, page, statusBadge, table } from './docs-html.js';
import { nodeUrl } from './docs-links.js';
import type { ColumnEdges, DocsNode, DocsSite, DocsSlo, DocsTest } from './docs-site.js';

const testCell = (tests: readonly DocsTest[]): string =>
  tests
    .map((t) => `<span class="test" title="${escapeHtml(t.name)}">${escapeHtml(t.kind)}${t.last ? ` ${statusBadge(t.last.status)}${t.last.failures ? ` <span class="failures">${t.last.failures} failing</span>` : ''}` : ''}</span>`)
    .join(' ');

const sloRow = (s: DocsSlo): string[] => [
  escapeHtml(s.kind),
  escapeHtml(s.column ?? ''),
  escapeHtml(s.text),
  s.last ? statusBadge(s.last.status) : '<span class="muted">not measured</span>',
  s.last ? escapeHtml(`${s.last.measured ?? '–'} ${s.last.unit} (${s.last.threshold})`) : '',
];

export function modelPage(site: DocsSite, node: DocsNode): string {
  const root = '../';
  const byId = new Map(site.nodes.map((n) => [n.id, n]));
  const link = (id: string): string => {
    const n = byId.get(id);
    return n ? `<a href="${escapeHtml(root + nodeUrl(n))}">${escapeHtml(n.name)}</a>` : escapeHtml(nameOfId(id));
  };
  const facts = [
    ['kind', escapeHtml(node.kind)],
    ...(node.layer && node.kind === 'model' ? [['layer', escapeHtml(node.layer)]] : []),
    ...(node.materialized ? [['materialized', escapeHtml(node.materialized)]] : []),
    ['relation', `<code>${escapeHtml(node.relation)}</code>`],
    ...(node.path ? [['file', `<code>${escapeHtml(node.path)}</code>`]] : []),
    ['upstream', node.parents.map(link).join(', ') || '<span class="muted">none</span>'],
    ['downstream', node.children.map(link).join(', ') || '<span class="muted">none</span>'],
  ];
  const contract = node.contract
    ? `<section><h2>Contract</h2><dl class="facts">${[
        ['name', escapeHtml(node.contract.name)],
        ['version', escapeHtml(node.contract.version ?? '–')],
        ...(node.contract.status ? [['status', escapeHtml(node.contract.status)]] : []),
        ['owners', escapeHtml(node.contract.owners.join(', ') || '–')],
        ...(node.contract.classification ? [['classification', escapeHtml(node.contract.classification)]] : []),
        ['file', `<code>${escapeHtml(node.contract.file)}</code>`],
        // Often the model's own description, shown above already.
        ...(node.contract.description && node.contract.description !== node.description ? [['description', escapeHtml(node.contract.description)]] : []),
      ]
        .map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`)
        .join('')}</dl></section>`
    : node.kind === 'model'
      ? '<section><h2>Contract</h2><p class="none">no contract governs this model</p></section>'
      : '';
  const columns = table(
    ['column', 'type', 'classification', 'masking', 'description', 'tests'],
    node.columns.map((c) => [
      `<span id="col-${escapeHtml(c.name.toLowerCase())}" class="colname">${escapeHtml(c.name)}</span>${c.lineageUnknown ? ' <span class="muted" title="lineage incomplete">(lineage incomplete)</span>' : ''}`,
      escapeHtml(c.dataType ?? ''),
      c.classification ? `<span class="class class-${escapeHtml(c.classification)}">${escapeHtml(c.classification)}</span>` : '',
      escapeHtml(c.masking ?? ''),
      escapeHtml(c.description ?? ''),
      testCell(c.tests),
    ]),
    'columns',
  );
  const tests = table(['test', 'kind', 'severity', 'last result', 'failing rows'], node.tests.map((t) => [
    escapeHtml(t.name), escapeHtml(t.kind), escapeHtml(t.severity), t.last ? statusBadge(t.last.status) : '<span class="muted">not run</span>', t.last?.failures != null ? String(t.last.failures) : '',
  ]));
  const lineage: Record<string, ColumnEdges> = {};
  for (const c of node.columns) {
    const key = `${node.id}|${c.name.toLowerCase()}`;
    if (site.lineage[key]) lineage[key] = site.lineage[key];
  }
  const picker = node.columns.length
    ? `<label for="column-pick">Column</label> <select id="column-pick"><option value="">(pick a column)</option>${node.columns
        .map((c) => `<option value="${escapeHtml(`${node.id}|${c.name.toLowerCase()}`)}">${escapeHtml(c.name)}</option>`)
        .join('')}</select> <span class="legend"><span class="key up">upstream</span> <span class="key sel">selected</span> <span class="key down">downstream</span></span>`
    : '';
  const body = [
    `<h1>${escapeHtml(node.name)} <span class="muted kind">${escapeHtml(node.kind)}</span></h1>`,
    node.description ? `<p class="description">${escapeHtml(node.description)}</p>` : '',
    `<dl class="facts">${facts.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl>`,
    contract,
    `<section><h2>Columns</h2>${node.shapeUnknown ? `<p class="muted">Not every column is known: ${escapeHtml(node.shapeUnknown)}</p>` : ''}${columns}</section>`,
    node.kind === 'model' ? `<section><h2>Model tests</h2>${tests}</section>` : '',
    node.kind === 'model' ? `<section><h2>SLOs</h2>${table(['kind', 'column', 'objective', 'last result', 'measured'], node.slos.map(sloRow))}</section>` : '',
    `<section><h2>Column lineage</h2><p class="muted">Pick a column to light up the columns it is computed from and the columns computed from it. Scroll to zoom, drag to pan.</p>${picker}`,
    '<ul id="column-unknown" class="unknown"></ul>',
    `<div class="graph">${columnGraphSvg(site, node, root)}</div></section>`,
    jsonScript('column-lineage', lineage),
    node.rawSql !== undefined ? `<section><h2>SQL</h2><details open><summary>as written</summary><pre class="sql raw"><code>${escapeHtml(node.rawSql)}</code></pre></details>` : '',
    node.compiledSql !== undefined ? `<details><summary>compiled</summary><pre class="sql compiled"><code>${escapeHtml(node.compiledSql)}</code></pre></details></section>` : '',
  ].join('\n');
  return page({ title: node.name, root, project: site.project.name, body });
}

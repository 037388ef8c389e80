// The docs site's HTML building blocks: escaping (every name, description and SQL is untrusted input), JSON embedded
// for the page's script, and the page shell with its Content-Security-Policy (scripts and styles from the site's own
// files only: no inline script, no inline style, no event handler attribute, no request elsewhere). Pure.

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for element content and quoted attribute values alike. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);

/**
 * JSON inside `<script type="application/json">`: nothing in it can close the element or open a comment, and the
 * line separators JavaScript once refused are escaped too.
 */
export const jsonForScript = (value: unknown): string =>
  JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');

export const jsonScript = (id: string, value: unknown): string => `<script type="application/json" id="${escapeHtml(id)}">${jsonForScript(value)}</script>`;

export const CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'";

/** A file name for a node's or view's page: its name, with anything but letters, digits, `_`, `-` and `.` replaced. */
export const pageFile = (name: string): string => `${name.replace(/[^A-Za-z0-9_.-]/g, '_').replace(/^\.+/, '_')}.html`;

export interface PageShell {
  readonly title: string;
  /** The path from this page to the site's root: '' for the index, '../' one folder down. */
  readonly root: string;
  readonly project: string;
  readonly body: string;
}

export function page({ title, root, project, body }: PageShell): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    `<title>${escapeHtml(title)} · ${escapeHtml(project)} docs</title>`,
    `<link rel="stylesheet" href="${root}assets/docs.css">`,
    `<script src="${root}assets/docs.js" defer></script>`,
    '</head>',
    '<body>',
    `<header class="top"><a class="home" href="${root}index.html">${escapeHtml(project)}</a><span class="sub">charter docs</span></header>`,
    `<main>${body}</main>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** A status word as a coloured badge: pass, warn, fail, error, skipped, or anything else. */
export const statusBadge = (status: string): string => `<span class="status s-${escapeHtml(status.replace(/[^a-z_]/gi, ''))}">${escapeHtml(status)}</span>`;

export const table = (head: readonly string[], rows: readonly string[][], className = ''): string =>
  rows.length
    ? `<table${className ? ` class="${className}"` : ''}><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows
        .map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`)
        .join('')}</tbody></table>`
    : '<p class="none">none</p>';

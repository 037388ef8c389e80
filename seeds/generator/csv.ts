// CSV text of a table: header row, one line per row, RFC 4180 quoting where a field needs it.
//
// Each column kind has exactly one text form (ISO dates, true/false, amounts with two decimals), so the bytes
// depend only on the rows. Lines end in LF and the file ends with one; NULL is an empty field and an empty
// string is "" (the generator emits none).

import type { Cell, ColumnKind, Row, TableSpec } from './dataset.js';

const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

function quote(text: string): string {
  return NEEDS_QUOTES.test(text) || text === '' ? `"${text.replace(/"/g, '""')}"` : text;
}

function fail(kind: ColumnKind, value: Cell, column: string): never {
  throw new Error(`column ${column}: ${JSON.stringify(value)} is not a valid ${kind} value`);
}

export function formatCell(value: Cell, kind: ColumnKind, column: string): string {
  if (value === null) return '';
  switch (kind) {
    case 'varchar':
      return typeof value === 'string' ? quote(value) : fail(kind, value, column);
    case 'date':
      return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : fail(kind, value, column);
    case 'integer':
      return typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : fail(kind, value, column);
    case 'money':
    case 'percent':
      return typeof value === 'number' && Number.isFinite(value) ? value.toFixed(2) : fail(kind, value, column);
    case 'boolean':
      return typeof value === 'boolean' ? String(value) : fail(kind, value, column);
  }
}

export function toCsv(table: TableSpec, rows: readonly Row[]): string {
  const lines: string[] = [table.columns.map((c) => quote(c.name)).join(',')];
  for (const row of rows) {
    lines.push(table.columns.map((c) => formatCell(row[c.name] ?? null, c.kind, c.name)).join(','));
  }
  return lines.join('\n') + '\n';
}

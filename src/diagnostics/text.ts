// Small text shaping for diagnostics: the first meaningful line of an engine message, indented SQL.

export function firstLine(text: string): string {
  return text.split('\n').find((l) => l.trim()) ?? text;
}

/** SQL indented for a diagnostic's detail, cut after `maxLines` so a huge statement stays readable. */
export function indentSql(sql: string, maxLines = 40): string {
  const lines = sql.split('\n');
  const shown = lines.length > maxLines ? [...lines.slice(0, maxLines), `... (${lines.length - maxLines} more lines)`] : lines;
  return shown.map((l) => `  ${l}`).join('\n');
}

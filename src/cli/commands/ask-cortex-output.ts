// How `charter ask` prints Cortex Analyst's answer on a Snowflake target: its text, the result of its SQL as a table
// (when it was run), then the SQL under a comment naming the request; or its suggestions when it wrote no SQL.
import type { CortexAnswer } from '../../pipeline/ask-cortex.js';

const cell = (v: unknown): string => (v === null || v === undefined ? 'NULL' : typeof v === 'object' ? JSON.stringify(v) : String(v));

function table(columns: readonly string[], rows: ReadonlyArray<ReadonlyArray<unknown>>): string {
  const text = rows.map((r) => r.map(cell));
  const widths = columns.map((n, i) => Math.max(n.length, ...text.map((r) => r[i]!.length)));
  const line = (values: readonly string[]): string => values.map((v, i) => v.padEnd(widths[i]!)).join('  ').trimEnd();
  return `${line(columns)}\n${line(widths.map((w) => '-'.repeat(w)))}\n${text.map(line).join('\n')}${text.length ? '\n' : ''}`;
}

export function describeCortexAnswer(answer: CortexAnswer): string {
  let out = `${answer.sentence}\n`;
  for (const warning of answer.warnings) out += `warning: ${warning}\n`;
  if (!answer.answered) {
    if (answer.suggestions.length) out += `Cortex Analyst suggests:\n${answer.suggestions.map((s) => `  - ${s}`).join('\n')}\n`;
    return out;
  }
  if (answer.ran) out += table(answer.columns, answer.rows);
  const request = answer.requestId ? ` (request ${answer.requestId})` : '';
  const verified = answer.verifiedQuery ? `, from verified query ${answer.verifiedQuery}` : '';
  return `${out}\n-- Cortex Analyst${request} on ${answer.semanticViews.join(', ')}${verified}${answer.ran ? '' : ' (not run)'}\n${answer.sql}\n`;
}

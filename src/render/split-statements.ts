// One script's text to its statements, split at semicolons outside quotes, quoted identifiers, $$ bodies and
// comments; each with the line it starts on, so a failing statement is located in its file.

export interface ScriptStatement {
  readonly sql: string;
  readonly line: number;
}

export function splitStatements(text: string): ScriptStatement[] {
  const out: ScriptStatement[] = [];
  let start = 0;
  let i = 0;
  const push = (end: number): void => {
    const piece = text.slice(start, end);
    const sql = piece.trim();
    // A piece that is only comments is no statement; its line is where its first character is.
    if (stripComments(sql).trim()) out.push({ sql, line: lineAt(text, start + piece.length - piece.trimStart().length) });
  };
  while (i < text.length) {
    const ch = text[i];
    const next = text[i + 1];
    if (ch === '-' && next === '-') i = endOf(text, '\n', i + 2);
    else if (ch === '/' && next === '*') i = endOf(text, '*/', i + 2);
    else if (ch === '$' && next === '$') i = endOf(text, '$$', i + 2);
    else if (ch === "'" || ch === '"') i = endOfQuoted(text, ch, i + 1);
    else if (ch === ';') {
      push(i);
      start = ++i;
    } else i++;
  }
  push(text.length);
  return out;
}

function endOf(text: string, close: string, from: number): number {
  const at = text.indexOf(close, from);
  return at < 0 ? text.length : at + close.length;
}

/** After the closing quote; a doubled quote is an escaped one. */
function endOfQuoted(text: string, quote: string, from: number): number {
  let i = from;
  while (i < text.length) {
    if (text[i] === '\\' && quote === "'") i += 2;
    else if (text[i] === quote) {
      if (text[i + 1] === quote) i += 2;
      else return i + 1;
    } else i++;
  }
  return text.length;
}

const stripComments = (sql: string): string => sql.replace(/--[^\n]*/g, '').replace(/\/\*[\s\S]*?\*\//g, '');

const lineAt = (text: string, offset: number): number => text.slice(0, offset).split('\n').length;

// A CSV that DuckDB's reader would not load as typed, as a CsvRejected in the file's own terms.
import { CsvRejected, type CsvSeed } from '../adapter.js';

/** DuckDB's CSV errors say "CSV Error on Line: N", the original line, and the column and value it could not convert. */
export function csvRejection(seed: CsvSeed, message: string): CsvRejected | undefined {
  const line = /CSV Error on Line: (\d+)/.exec(message)?.[1];
  if (!line) return undefined;
  const original = /^Original Line: (.*)$/m.exec(message)?.[1];
  const conversion = /converting column "([^"]+)"\. Could not convert string "([^"]*)"/.exec(message);
  const column = conversion?.[1];
  const value = conversion?.[2];
  let position: number | undefined;
  if (original !== undefined && value !== undefined) {
    const at = original.indexOf(value);
    position = at >= 0 ? at + 1 : undefined;
  }
  return new CsvRejected(seed.file, Number(line), column, value, position, message.split('\n').slice(0, 3).join('\n'));
}


// Error-location fixtures: a « in the fixture text marks where an error must point (Malloy's markSource idea).

export const MARK = '«';

/** Removes the « marker from `text` and says where it was: the place an error must point at. */
export function marked(text: string): { text: string; line: number; column: number } {
  const at = text.indexOf(MARK);
  if (at < 0) throw new Error('no « marker in the fixture text');
  const before = text.slice(0, at).split('\n');
  return { text: text.slice(0, at) + text.slice(at + MARK.length), line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}

// The words of a question as `charter ask` compares them with a semantic view's names: lower case, punctuation
// gone, plurals folded ("activities" = "activity"), and the framework spellings people use folded into the data's
// ("SOC 2" = "SOC2", "Type 2" = "Type II"). Both sides go through the same function, so a fold only has to be
// consistent, not good English. Pure.

/** A phrase as normalised words between single spaces, with a space at each end (so " x " finds whole words). */
export function words(text: string): string {
  const plain = text
    .toLowerCase()
    .replace(/[_\-/]/g, ' ')
    .replace(/[^a-z0-9$% ]+/g, ' ')
    .replace(/\bsoc\s+2\b/g, 'soc2')
    .replace(/\biso\s+27001\b/g, 'iso27001')
    .replace(/\btype\s+(?:2|two)\b/g, 'type ii')
    .replace(/\btype\s+(?:1|one)\b/g, 'type i')
    .replace(/\s+/g, ' ')
    .trim();
  return ` ${plain.split(' ').map(stem).join(' ')} `;
}

/** Plurals folded: "activities" -> "activity", "checks" -> "check"; "status", "analysis", "less" stay. */
function stem(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  if (word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.endsWith('s') && !/(ss|us|is)$/.test(word)) return word.slice(0, -1);
  return word;
}

/** Where a phrase occurs in normalised text as whole words, or -1. */
export const find = (text: string, phrase: string): number => {
  const p = words(phrase);
  return p.trim().length ? text.indexOf(p) : -1;
};

export const has = (text: string, phrase: string): boolean => find(text, phrase) >= 0;

/** The text with a phrase's words blanked out (kept as spaces, so other phrases' boundaries hold). */
export const blank = (text: string, phrase: string): string => {
  const p = words(phrase);
  const at = text.indexOf(p);
  return at < 0 ? text : `${text.slice(0, at)} ${' '.repeat(p.length - 2)} ${text.slice(at + p.length)}`;
};

/** The words a question may hold besides the views' own: question words, verbs, time and comparison words. */
export const COMMON_WORDS = new Set(words(`
  a an the of to in on at for from with by per each every all any and or vs versus than as into over under up down
  what whats which who whom whose how when where why is are was were be been being do does did done doing have has had
  having can could would should will shall may might must our ours we us my me i you your their they them it its this
  that these those there here s t please show tell give list get find see display report compute calculate let know
  much many number count total sum overall altogether combined whole entire average avg mean typical typically median
  percentage percent share proportion fraction rate ratio highest lowest most least largest smallest biggest best worst
  fastest slowest top bottom more less fewer greater higher lower quick quickly fast slow long longer shortest longest
  vary varie variation differ difference different compare comparison compared between across among split broken break
  group grouped breakdown ranked rank ranking order sorted sort so far date period time during within through since
  until till before after ago current currently now today latest recent recently last this next previous prior past
  year years quarter quarters month months week day q1 q2 q3 q4 ytd qtd mtd end close start beginning as value values
  figure figures amount level levels customer customers company companies client clients business firm org
  organisation organization account accounts had got get gets getting occur occurred happen happened perform performed
  achieve achieved reach reached see saw run ran make made take took go went come came use used doing done via
  based also just only both either neither not no yes ok okay right exactly approximately roughly about around
  annual annually monthly quarterly yearly value worth x y n one two three four five six seven eight nine ten
  january february march april may june july august september october november december jan feb mar apr jun jul aug sep
  sept oct nov dec there then ever still yet again same other correlation correlate correlated relationship related
  relation relate require requires required need needs needed adopt adopted adopting adoption have vs first
  place placed buy bought order ordered spend spent pay paid sell sold second third fourth 1st 2nd 3rd 4th
`).trim().split(' '));

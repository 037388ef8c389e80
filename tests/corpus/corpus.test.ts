// The bad-input corpus: every case is a few bad files (or flags) over the shop fixture and the one diagnostic the
// command must print, with its code, file, line and column, and exit 1 (2 for a bad command line): never 70, never
// a hang. Cases are data in cases/*.ts; inputs charter does not handle well yet are in known-gaps.ts, not run here.
//
// Cases per area (COUNTS below): project.yml 40, models 51, macros 14, contracts 51, seeds 14, unit tests 26,
// vars 9, selectors 16, paths 14, command line 8: 243 in all. Known gaps: 27.
//
// The cases run one after another in this process: main() changes the working directory.
import { describe, expect, it } from 'vitest';
import { observed, prepare, runCase, type CaseOutcome, type CorpusCase } from './corpus-case.js';
import { COMMAND_LINE_CASES } from './cases/command-line.js';
import { CONTRACT_CASES } from './cases/contracts.js';
import { MACRO_CASES } from './cases/macros.js';
import { MODEL_CASES } from './cases/models.js';
import { PATH_CASES } from './cases/paths.js';
import { PROJECT_CASES } from './cases/project.js';
import { SEED_CASES } from './cases/seeds.js';
import { SELECTOR_CASES } from './cases/selectors.js';
import { UNIT_TEST_CASES } from './cases/unit-tests.js';
import { VAR_CASES } from './cases/vars.js';
import { KNOWN_GAPS } from './known-gaps.js';

const AREAS: ReadonlyArray<readonly [string, readonly CorpusCase[]]> = [
  ['project.yml', PROJECT_CASES],
  ['models', MODEL_CASES],
  ['macros', MACRO_CASES],
  ['contracts', CONTRACT_CASES],
  ['seeds', SEED_CASES],
  ['unit tests', UNIT_TEST_CASES],
  ['vars', VAR_CASES],
  ['selectors', SELECTOR_CASES],
  ['paths', PATH_CASES],
  ['command line', COMMAND_LINE_CASES],
];

/** The counts in the header comment, kept honest. */
const COUNTS: Readonly<Record<string, number>> = {
  'project.yml': 40,
  models: 51,
  macros: 14,
  contracts: 51,
  seeds: 14,
  'unit tests': 26,
  vars: 9,
  selectors: 16,
  paths: 14,
  'command line': 8,
};

/** Commands that open the warehouse get longer than a compile; anything past the limit counts as a hang. */
const limitFor = (c: CorpusCase): number => (['build', 'seed', 'test'].includes(c.args?.[0] ?? 'compile') ? 20_000 : 8_000);

function withinLimit(run: Promise<CaseOutcome>, ms: number): Promise<CaseOutcome> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s: a hang`)), ms);
  });
  return Promise.race([run, hang]).finally(() => clearTimeout(timer));
}

async function check(c: CorpusCase): Promise<void> {
  const { files, expected } = prepare(c);
  const outcome = await withinLimit(runCase(c, files), limitFor(c));
  expect(outcome.stderr).not.toMatch(/charter bug/);
  const got = observed(outcome, expected.code);
  // `found` lists every diagnostic printed, so a failure shows what came instead.
  expect({ code: got.code, location: got.location, exit: got.exit }, `printed: ${got.found}`).toEqual(expected);
  const d = expected.code === null ? undefined : outcome.diagnostics.find((x) => x.code === expected.code);
  if (c.expect.message) expect(d?.message).toMatch(c.expect.message);
  if (c.expect.hint) expect(d?.hint).toMatch(c.expect.hint);
  if (c.expect.stderr) expect(outcome.stderr).toMatch(c.expect.stderr);
}

describe('the bad-input corpus', () => {
  it('has the cases the header counts, each named once, and known gaps that are well-formed', () => {
    expect(Object.fromEntries(AREAS.map(([area, cases]) => [area, cases.length]))).toEqual(COUNTS);
    const names = [...AREAS.flatMap(([, cases]) => cases), ...KNOWN_GAPS].map((c) => c.name);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
    for (const gap of KNOWN_GAPS) expect(() => prepare(gap), gap.name).not.toThrow();
  });

  for (const [area, cases] of AREAS) {
    describe(area, () => {
      for (const c of cases) it(c.name, () => check(c), limitFor(c) + 5_000);
    });
  }
});

// The gaps fail today; run them with CORPUS_GAPS=1 to see which a change has closed.
describe.runIf(process.env['CORPUS_GAPS'])('known gaps', () => {
  for (const c of KNOWN_GAPS) it(c.name, () => check(c), limitFor(c) + 5_000);
});

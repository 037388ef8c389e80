// Every question of the seed documents through `charter ask` on the built showcase, checked against the answer
// computed independently with plain SQL on the seed files (tests/showcase/questions.ts), together with a rewording
// of each and five questions about what the warehouse does not hold; then the semantic views' verified queries, run
// on the warehouse and checked against their recorded answers and the same independent computation. Prints the
// scores and pins them, so a regression fails.
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProject } from '../../src/load/load-project.js';
import type { VerifiedQuery } from '../../src/load/semantic-view-schema.js';
import { ask, type AskAnswer } from '../../src/pipeline/ask.js';
import { query } from '../../src/pipeline/query.js';
import { nodeIndex } from '../../src/project/lookup.js';
import { compileProject } from '../../src/render/compile-project.js';
import { removeShowcaseCopies, showcaseCopy } from '../helpers/showcase.js';
import { buildWithContracts } from '../helpers/warehouse.js';
import { openReference, seedQuestions } from './questions.js';
import { comparable, holdsNoFigure, SEED_QUESTION_CASES, UNANSWERABLE, type AnswerCheck } from './seed-question-checks.js';

const AS_OF = '2024-12-31';
/** The scores this file pins: seed questions handled right (answered or declined as they should be), rewordings, declines. */
const EXPECTED = { seeds: 25, variants: 25, declines: 5 };

type Rows = Record<string, unknown>[];

let dir: string;
let reference: DuckDBInstance;

/** Rows of plain SQL on the seed files, loaded as tables customers, frameworks, events, adoptions and activities. */
async function seeds(sql: string): Promise<Rows> {
  const connection = await reference.connect();
  try {
    return (await connection.runAndReadAll(sql)).getRowObjectsJson() as Rows;
  } finally {
    connection.closeSync();
  }
}


/** The independent computation of a seed question (questions.ts), by its text. */
const independent = new Map(seedQuestions(AS_OF).flatMap((q) => ('seeds' in q ? [[q.question, q.seeds] as const] : [])));

beforeAll(async () => {
  reference = await openReference();
  dir = showcaseCopy({ contracts: true, semanticViews: true });
  const built = await buildWithContracts(dir, { threads: 4 });
  expect(built.nodes.filter((n) => n.status !== 'success').map((n) => n.name)).toEqual([]);
});

afterAll(() => {
  reference?.closeSync();
  removeShowcaseCopies();
});

const rowsOf = (answer: { columns: readonly string[]; rows: ReadonlyArray<ReadonlyArray<unknown>> }): Rows =>
  answer.rows.map((r) => Object.fromEntries(answer.columns.map((c, i) => [c.toLowerCase(), r[i]])));

/** Whether `ask` handled a question as its check says, with what went wrong if not. */
async function handled(question: string, check: SeedCheck, seedSql: string | undefined): Promise<{ ok: boolean; detail: string }> {
  // ADMIN: the customers table is dim_customer_360, under row access.
  const answer: AskAnswer = await ask({ projectDir: dir, question, role: 'ADMIN' });
  if ('decline' in check) {
    const ok = !answer.answered && holdsNoFigure(answer.sentence);
    return { ok, detail: `${question}\n  -> ${answer.sentence}` };
  }
  if (!answer.answered || !('mapping' in answer) || !seedSql) return { ok: false, detail: `${question}\n  -> ${answer.sentence}` };
  const { answer: got, seeds: want } = comparable(check, rowsOf(answer), await seeds(seedSql));
  const ok = JSON.stringify(got) === JSON.stringify(want);
  return { ok, detail: `${question}\n  -> ${answer.sentence}${ok ? '' : `\n  got ${JSON.stringify(got)}\n  want ${JSON.stringify(want)}`}` };
}

type SeedCheck = AnswerCheck | { readonly decline: string };

describe('charter ask on every seed question, a rewording of each, and questions it must decline', () => {
  it('answers each as the independent SQL on the seed files does, or declines it without a figure; prints and pins the scores', async () => {
    expect(SEED_QUESTION_CASES.map((c) => c.question).sort()).toEqual(seedQuestions(AS_OF).map((q) => q.question).sort());
    const seedResults: Array<{ ok: boolean; detail: string }> = [];
    const variantResults: Array<{ ok: boolean; detail: string }> = [];
    for (const c of SEED_QUESTION_CASES) {
      const sql = independent.get(c.question);
      seedResults.push(await handled(c.question, c.check, sql));
      variantResults.push(await handled(c.variant, c.check, sql));
    }
    const declineResults: Array<{ ok: boolean; detail: string }> = [];
    for (const question of UNANSWERABLE) declineResults.push(await handled(question, { decline: 'not in the warehouse' }, undefined));

    const score = (results: ReadonlyArray<{ ok: boolean }>) => results.filter((r) => r.ok).length;
    const answered = SEED_QUESTION_CASES.filter((c) => !('decline' in c.check)).length;
    const misses = [...seedResults, ...variantResults, ...declineResults].filter((r) => !r.ok).map((r) => r.detail);
    console.log([
      `seed questions answered correctly or declined as they should be: ${score(seedResults)}/${seedResults.length} ` +
        `(${answered} to answer, ${seedResults.length - answered} to decline)`,
      `reworded variants: ${score(variantResults)}/${variantResults.length}`,
      `declined correctly: ${score(declineResults)}/${declineResults.length}`,
      ...(misses.length ? ['misses:', ...misses] : []),
    ].join('\n'));
    expect({ seeds: score(seedResults), variants: score(variantResults), declines: score(declineResults) }).toEqual(EXPECTED);
  });
});

describe("the semantic views' verified queries", () => {
  /** A verified query's SQL over the logical tables, each bound to the relation its model was built as. */
  async function run(view: string, vq: VerifiedQuery): Promise<Rows> {
    const loaded = await loadProject({ projectDir: dir });
    const definition = loaded.semanticViews.find((v) => v.definition.name === view)!.definition;
    const index = nodeIndex(compileProject(loaded));
    const bindings = definition.tables.map((t) => `${t.name} AS (SELECT * FROM ${index.model(t.model)!.relationName})`);
    const result = await query({ projectDir: dir, role: 'ADMIN', sql: `WITH ${bindings.join(', ')}\n${vq.sql}` });
    return rowsOf({ columns: result.columns.map((c) => c.name), rows: result.rows });
  }

  /** A result in the words of an `answer`: each row's values (numbers to four decimals), rows joined by commas. */
  const inWords = (rows: Rows): string =>
    rows.map((r) => Object.values(r).map((v) => (typeof v === 'number' || /^-?\d+(\.\d+)?$/.test(String(v)) ? String(Number(Number(v).toFixed(4))) : String(v))).join(' ')).join(', ');

  it('each gives its recorded answer, and a seed question\'s matches the independent SQL on the seed files', async () => {
    const loaded = await loadProject({ projectDir: dir });
    const checks = new Map(SEED_QUESTION_CASES.map((c) => [c.question, c.check]));
    let checked = 0;
    let independentlyChecked = 0;
    for (const { definition } of loaded.semanticViews) {
      for (const vq of definition.verified_queries ?? []) {
        const rows = await run(definition.name, vq);
        expect(rows.length, vq.name).toBeGreaterThan(0);
        expect(vq.answer, `${definition.name}.${vq.name} records its answer`).toBeDefined();
        expect(inWords(rows), `${definition.name}.${vq.name}`).toBe(String(vq.answer));
        checked += 1;
        const check = checks.get(vq.question);
        const sql = independent.get(vq.question);
        if (check && !('decline' in check) && sql) {
          const { answer, seeds: want } = comparable(check, rows, await seeds(sql));
          expect(answer, `${definition.name}.${vq.name} against the seed files`).toEqual(want);
          independentlyChecked += 1;
        }
      }
    }
    console.log(`verified queries: ${checked} answers checked, ${independentlyChecked} against the seed files`);
    expect(independentlyChecked).toBe(EXPECTED.seeds - 4);
  });
});

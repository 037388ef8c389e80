// The showcase's unit tests (tests/warehouse/unit/*.yml) through the real CLI: `charter test --unit` on a copy of
// the Phantom Sec project passes every one of them, and once a logic bug is planted in fct_mrr_monthly.sql the
// incremental test fails with a row diff that names the wrong value. Unit tests build nothing upstream, so this
// file needs no warehouse build.

import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { charter, repoRoot, type CliResult } from '../helpers/project.js';

const UNIT_DIR = path.join('tests', 'warehouse', 'unit');
const INCREMENTAL_TEST = 'mrr_monthly_incremental_recomputes_recent_months';
const MRR_MODEL = path.join('models', 'platinum', 'fct_mrr_monthly.sql');

/** The planted bug: a month at 0 MRR (C1's churn month) counts as active. */
const CORRECT = /mrr > 0(\s+)as is_active/;
const BUGGY = 'mrr >= 0$1as is_active';

/** Temporary project copies, removed after the file's tests. */
const copies: string[] = [];

/** A private copy of the showcase project with its warehouse tests: project.yml, models/, macros/, seeds/, contracts/, policies/, tests/warehouse/. */
function showcaseCopy(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'charter-unit-'));
  copies.push(dir);
  for (const entry of ['project.yml', 'models', 'macros', 'seeds', 'contracts', 'policies', path.join('tests', 'warehouse')]) {
    cpSync(path.join(repoRoot, entry), path.join(dir, entry), {
      recursive: true,
      force: true,
      // The generator's TypeScript sources are not part of the project.
      filter: (src) => path.relative(repoRoot, src) !== path.join('seeds', 'generator'),
    });
  }
  return dir;
}

afterAll(() => {
  for (const copy of copies) rmSync(copy, { recursive: true, force: true });
});

/** Every unit test the showcase declares, by name, with its model. */
function declaredUnitTests(): Array<{ name: string; model: string }> {
  const files = readdirSync(path.join(repoRoot, UNIT_DIR)).filter((f) => /\.ya?ml$/.test(f));
  return files.flatMap((f) => {
    const doc = parse(readFileSync(path.join(repoRoot, UNIT_DIR, f), 'utf8')) as { unit_tests: Array<{ name: string; model: string }> };
    return doc.unit_tests.map(({ name, model }) => ({ name, model }));
  });
}

/** Status of each unit test from the CLI's result lines ("  PASS   name   0.12s"). */
function statuses(result: CliResult): Record<string, string> {
  return Object.fromEntries([...result.stdout.matchAll(/^\s+(PASS|FAIL|ERROR|WARN)\s+(\S+)\s+[\d.]+s$/gm)].map((m) => [m[2], m[1]]));
}

const output = (r: CliResult): string => `exit ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;

const declared = declaredUnitTests();

describe('the showcase unit tests', () => {
  it('cover the non-trivial models, including an incremental run of each incremental model', async () => {
    const models = new Set(declared.map((t) => t.model));
    for (const m of ['fct_mrr_monthly', 'fct_compliance_activities', 'dim_customer_360', 'fct_framework_adoptions']) expect(models).toContain(m);
    expect(declared.map((t) => t.name)).toContain(INCREMENTAL_TEST);
    expect(declared.map((t) => t.name)).toContain('compliance_activities_incremental_merges_from_latest_day');
  });

  describe('on the project as it is', () => {
    let result: CliResult;
    beforeAll(async () => {
      result = (await charter(['test', '--unit'], showcaseCopy()));
    });

    it('all pass', async () => {
      expect(result.code, output(result)).toBe(0);
      const seen = statuses(result);
      expect(seen, output(result)).toEqual(Object.fromEntries(declared.map((t) => [t.name, 'PASS'])));
      expect(result.stdout).toMatch(new RegExp(`tests: ${declared.length} pass, 0 warn, 0 fail, 0 error`));
    });
  });

  describe('with a logic bug planted in fct_mrr_monthly.sql (a churned month at 0 MRR counts as active)', () => {
    let result: CliResult;
    beforeAll(async () => {
      const dir = showcaseCopy();
      const file = path.join(dir, MRR_MODEL);
      const sql = readFileSync(file, 'utf8');
      expect(sql).toMatch(CORRECT);
      writeFileSync(file, sql.replace(CORRECT, BUGGY));
      // Only this model's tests: the others cannot see the bug (unit tests never build upstream models).
      result = (await charter(['test', '--unit', '--select', 'fct_mrr_monthly'], dir));
    });

    it('fails the incremental test', async () => {
      expect(result.code, output(result)).toBe(1);
      const seen = statuses(result);
      expect(Object.keys(seen).sort()).toEqual(declared.filter((t) => t.model === 'fct_mrr_monthly').map((t) => t.name).sort());
      expect(seen[INCREMENTAL_TEST], output(result)).toBe('FAIL');
      // The test without a churn month does not see this bug.
      expect(seen['mrr_monthly_downgrade_is_contraction'], output(result)).toBe('PASS');
    });

    it('shows the wrong value in a row diff, for both the selected rows and the table after the merge', async () => {
      // The incremental test's diagnostic: from its header to the next diagnostic or the summary.
      const start = result.stdout.indexOf(`unit test ${INCREMENTAL_TEST} (fct_mrr_monthly) failed`);
      expect(start, output(result)).toBeGreaterThanOrEqual(0);
      const rest = result.stdout.slice(start);
      const end = rest.search(/\n(?:\S+ error\[|\d+ errors?\n|Done in)/);
      const block = end < 0 ? rest : rest.slice(0, end);
      expect(block).toContain('expect: expected 4 rows, got 4: 1 changed');
      expect(block).toContain('expect_table: expected 9 rows, got 9: 1 changed');
      expect(block).toContain('output:');
      expect(block).toContain('table after merge:');
      // C1 churned in April 2024: expected is_active false, the buggy model says true; once in each diff, and the
      // caret row under the actual row marks the is_active column and nothing else.
      const lines = block.split('\n');
      const expectedLines = lines.filter((l) => /^\s*- .*\bC1\b.*2024-04-01.*\|\s*false\s+\(expected\)$/.test(l));
      expect(expectedLines, block).toHaveLength(2);
      const actualAt = lines.flatMap((l, i) => (/^\s*\+ .*\bC1\b.*2024-04-01.*\|\s*true\s+\(actual\)$/.test(l) ? [i] : []));
      expect(actualAt, block).toHaveLength(2);
      for (const i of actualAt) {
        const header = lines.slice(0, i).reverse().find((l) => /\bcustomer_id\s+\|/.test(l)) ?? '';
        const caret = lines[i + 1] ?? '';
        expect(caret.replace(/[\s|]/g, ''), block).toMatch(/^\^+$/);
        expect(caret.indexOf('^'), block).toBe(header.indexOf('is_active'));
      }
    });
  });
});

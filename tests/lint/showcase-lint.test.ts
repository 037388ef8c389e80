// The showcase at the repo root passes charter lint, and charter format can format every one of its models safely.
import { describe, expect, it } from 'vitest';
import { lintProject } from '../../src/pipeline/lint.js';
import { formatProject } from '../../src/pipeline/format.js';
import { repoRoot } from '../helpers/project.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';

describe('the showcase', () => {
  it('passes charter lint: no error, no warning; three contract tests the table parser cannot read are "could not check"', async () => {
    const { diagnostics } = await lintProject({ projectDir: repoRoot });
    expect(diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
    expect(diagnostics.map((d) => `${d.code} ${d.location?.file}:${d.location?.line}`)).toEqual([
      'lint.unchecked contracts/platinum/fct_framework_adoptions.yml:284',
      'lint.unchecked contracts/platinum/fct_framework_adoptions.yml:295',
      'lint.unchecked contracts/silver/stg_framework_adoptions.yml:126',
    ]);
  });

  it('format --check writes nothing, and every model formats safely (renders to the same SQL)', async () => {
    const before = readFileSync(path.join(repoRoot, 'models/platinum/fct_arr_quarterly.sql'), 'utf8');
    const report = await formatProject({ projectDir: repoRoot, check: true });
    expect(report.files).toHaveLength(19);
    expect(report.files.filter((f) => f.status === 'unsafe')).toEqual([]);
    expect(readFileSync(path.join(repoRoot, 'models/platinum/fct_arr_quarterly.sql'), 'utf8')).toBe(before);
  });
});

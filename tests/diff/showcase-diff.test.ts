// The showcase in a scratch git repository: a PLATINUM column removed in a commit is a breaking change of its
// contract against HEAD~1; approved with a major version bump, it is cleared. (End-to-end tier: two showcase compiles
// per diff.)
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { charter } from '../helpers/project.js';
import { removeShowcaseCopies, showcaseCopy } from '../helpers/showcase.js';
import { approveWithMajorBump, commitAll, git } from '../helpers/scratch-git.js';

afterAll(removeShowcaseCopies);

const CONTRACT = 'contracts/platinum/dim_customer_360.yml';
const MODEL = 'models/platinum/dim_customer_360.sql';

function edit(dir: string, file: string, replace: (text: string) => string): void {
  const full = path.join(dir, file);
  const before = readFileSync(full, 'utf8');
  const after = replace(before);
  expect(after).not.toBe(before);
  writeFileSync(full, after);
}

describe('charter diff on the showcase', () => {
  it('fails on a removed PLATINUM column against HEAD~1, and passes once it is approved under a major version', async () => {
    const dir = showcaseCopy({ contracts: true, semanticViews: true });
    writeFileSync(path.join(dir, '.gitignore'), 'target/\n');
    git(dir, 'init', '-q', '-b', 'main');
    commitAll(dir, 'base');

    edit(dir, CONTRACT, (t) => t.replace(/  - name: primary_cloud_provider\n(    .*\n|      .*\n)*/, ''));
    edit(dir, MODEL, (t) => t.replace(/\n\s*primary_cloud_provider,/, ''));
    commitAll(dir, 'drop primary_cloud_provider');
    const failed = await charter(['diff', '--base', 'HEAD~1'], dir);
    expect(failed.stderr).toBe('');
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain(
      `BREAKING  ${CONTRACT}:92: dim_customer_360: column primary_cloud_provider removed or renamed ` +
        '[contract customer_360; owners revenue-analytics@phantomsec.example, customer-success-ops@phantomsec.example]',
    );

    edit(dir, CONTRACT, (t) =>
      approveWithMajorBump(t, { change: 'column_removed:dim_customer_360.primary_cloud_provider', approver: 'cfo@phantomsec.example', ticket: 'DATA-7', date: '2026-11-29' }));
    commitAll(dir, 'approve');
    const passed = await charter(['diff', '--base', 'HEAD~2', '--json'], dir);
    expect(passed.code).toBe(0);
    expect(JSON.parse(passed.stdout)).toMatchObject({ breaking: [], cleared: [{ kind: 'column_removed', model: 'dim_customer_360', approval: { ticket: 'DATA-7' } }] });
  });
});

// state:modified+ for charter ci: the modified nodes, everything downstream, and the parents a fresh database needs;
// and the Snowflake database the gate builds them in.
import { describe, expect, it } from 'vitest';
import { modifiedSelection } from '../../src/graph/state-modified.js';
import { ciDatabase, ciDatabaseId } from '../../src/render/ci-database.js';
import { compileDir, fixtureCopy } from '../helpers/project.js';

describe('modifiedSelection', () => {
  it('takes the modified node and its descendants, and builds their parents too, in DAG order', async () => {
    const project = await compileDir(fixtureCopy('tiny'));
    const s = modifiedSelection(project, ['model.tiny.orders']);
    expect([...s.modifiedPlus].sort()).toEqual(['model.tiny.big_orders', 'model.tiny.customer_totals', 'model.tiny.orders']);
    expect(s.toBuild).toEqual(project.order.filter((id) => ['seed.tiny.raw_orders', 'model.tiny.orders_landed', ...s.modifiedPlus].includes(id)));
    expect(s.toBuild.indexOf('seed.tiny.raw_orders')).toBeLessThan(s.toBuild.indexOf('model.tiny.orders'));
  });

  it('builds a leaf with its parents only, and nothing for a node the change removed', async () => {
    const project = await compileDir(fixtureCopy('tiny'));
    const leaf = modifiedSelection(project, ['model.tiny.big_orders', 'model.tiny.gone']);
    expect([...leaf.modified]).toEqual(['model.tiny.big_orders']);
    expect(leaf.toBuild).not.toContain('model.tiny.customer_totals');
    expect(leaf.toBuild).toContain('model.tiny.orders');
    expect(modifiedSelection(project, ['model.tiny.gone']).toBuild).toEqual([]);
  });

  it('builds modified+ alone, in DAG order, when the parents are deferred to a clone of the base', async () => {
    const project = await compileDir(fixtureCopy('tiny'));
    const s = modifiedSelection(project, ['model.tiny.orders'], { deferParents: true });
    expect(s.toBuild).toEqual(project.order.filter((id) => s.modifiedPlus.has(id)));
    expect(s.toBuild[0]).toBe('model.tiny.orders');
    expect(s.toBuild).toHaveLength(3);
  });
});

describe('the CI database on a Snowflake target', () => {
  it('is named after the pull request, else the run', () => {
    const run = '0b7e55a2-6c1e-4a43-9d51-3f1f3c1d2e10';
    expect(ciDatabaseId({ GITHUB_REF: 'refs/pull/42/merge' }, run)).toBe('PR42');
    expect(ciDatabaseId({ GITHUB_REF: 'refs/heads/main', CI_MERGE_REQUEST_IID: '7' }, run)).toBe('MR7');
    expect(ciDatabaseId({ GITHUB_REF: 'refs/heads/main' }, run)).toBe('0B7E55A2');
  });

  it('is made empty or as a zero-copy clone of the target database, and dropped if it exists', () => {
    expect(ciDatabase('analytics', 'PR42', true)).toEqual({
      name: 'ANALYTICS_CI_PR42',
      cloneOf: 'ANALYTICS',
      create: 'CREATE OR REPLACE DATABASE "ANALYTICS_CI_PR42" CLONE "ANALYTICS"',
      drop: 'DROP DATABASE IF EXISTS "ANALYTICS_CI_PR42"',
    });
    expect(ciDatabase('ANALYTICS', '0B7E55A2', false)).toMatchObject({ cloneOf: null, create: 'CREATE OR REPLACE DATABASE "ANALYTICS_CI_0B7E55A2"' });
  });
});

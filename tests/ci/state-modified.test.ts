// state:modified+ for charter ci: the modified nodes, everything downstream, and the parents a fresh database needs.
import { describe, expect, it } from 'vitest';
import { modifiedSelection } from '../../src/graph/state-modified.js';
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
});

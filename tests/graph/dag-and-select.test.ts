import { describe, expect, it } from 'vitest';
import { buildDag, findCycles } from '../../src/graph/dag.js';
import { selectNodes } from '../../src/graph/select.js';
import { compileDir, compileErrors, fixtureCopy } from '../helpers/project.js';

describe('DAG', () => {
  it('orders parents before children, deterministically', () => {
    const dag = buildDag([
      { uniqueId: 'c', dependsOn: ['a', 'b'] },
      { uniqueId: 'b', dependsOn: ['a'] },
      { uniqueId: 'a', dependsOn: [] },
      { uniqueId: 'd', dependsOn: [] },
    ]);
    expect(dag.order).toEqual(['a', 'd', 'b', 'c']);
  });

  it('finds a cycle and its path', () => {
    const dag = buildDag([
      { uniqueId: 'a', dependsOn: ['c'] },
      { uniqueId: 'b', dependsOn: ['a'] },
      { uniqueId: 'c', dependsOn: ['b'] },
      { uniqueId: 'd', dependsOn: ['a'] },
    ]);
    const cycles = findCycles(dag);
    expect(cycles).toHaveLength(1);
    expect(cycles[0]?.[0]).toBe(cycles[0]?.[cycles[0].length - 1]);
    expect(new Set(cycles[0])).toEqual(new Set(['a', 'b', 'c']));
  });

  it('handles a 50,000-node chain without overflowing the stack', () => {
    const nodes = Array.from({ length: 50_000 }, (_, i) => ({ uniqueId: `n${i}`, dependsOn: i ? [`n${i - 1}`] : [] }));
    const dag = buildDag(nodes);
    expect(findCycles(dag)).toEqual([]);
    expect(dag.order[49_999]).toBe('n49999');
  });

  it('reports a cycle between models as an error that prints the path', async () => {
    const dir = fixtureCopy('shop', {
      'models/silver/a.sql': "select * from {{ ref('b') }}",
      'models/silver/b.sql': "select * from {{ ref('c') }}",
      'models/silver/c.sql': "select * from {{ ref('a') }}",
    });
    const [e] = await compileErrors(dir);
    expect(e?.code).toBe('graph.cycle');
    expect(e?.message).toMatch(/dependency cycle: (a -> b -> c -> a|b -> c -> a -> b|c -> a -> b -> c)|cycle: .* -> .* -> .* -> .*/);
    expect(e?.location?.file).toMatch(/^models\/silver\/[abc]\.sql$/);
  });

  it('reports a model that refs itself', async () => {
    const dir = fixtureCopy('shop', { 'models/silver/selfish.sql': "select * from {{ ref('selfish') }}" });
    const [e] = await compileErrors(dir);
    expect(e?.message).toBe('dependency cycle: selfish -> selfish');
  });
});

describe('selectors', () => {
  const names = async (select?: string[], exclude?: string[]): Promise<string[]> => {
    const p = await compileDir(fixtureCopy('shop'));
    const s = selectNodes(p, select, exclude);
    expect(s.diagnostics).toEqual([]);
    return [...s.selected].map((id) => id.split('.').pop() as string).sort();
  };

  it('selects everything runnable by default (no sources)', async () => {
    expect(await names()).toEqual([
      'customer_revenue', 'customers', 'customers_landed', 'order_facts', 'orders', 'orders_landed', 'paid_orders', 'raw_customers', 'raw_orders',
    ]);
  });
  it('name', async () => expect(await names(['orders'])).toEqual(['orders']));
  it('+name: the node and all its ancestors', async () =>
    expect(await names(['+customer_revenue'])).toEqual(['customer_revenue', 'customers', 'customers_landed', 'orders', 'orders_landed', 'paid_orders', 'raw_customers', 'raw_orders']));
  it('name+: the node and all its descendants', async () =>
    expect(await names(['orders+'])).toEqual(['customer_revenue', 'order_facts', 'orders', 'paid_orders']));
  it('+name+: both directions', async () =>
    expect(await names(['+paid_orders+'])).toEqual(['customer_revenue', 'orders', 'orders_landed', 'paid_orders', 'raw_orders']));
  it('1+name: one generation up', async () => expect(await names(['1+orders'])).toEqual(['orders', 'orders_landed']));
  it('name+1: one generation down', async () => expect(await names(['orders_landed+1'])).toEqual(['orders', 'orders_landed']));
  it('tag:', async () => expect(await names(['tag:finance'])).toEqual(['customer_revenue']));
  it('layer:', async () => expect(await names(['layer:silver'])).toEqual(['customers', 'orders', 'paid_orders']));
  it('layer:bronze includes seeds', async () =>
    expect(await names(['layer:bronze'])).toEqual(['customers_landed', 'orders_landed', 'raw_customers', 'raw_orders']));
  it('path:', async () => expect(await names(['path:models/platinum'])).toEqual(['customer_revenue', 'order_facts']));
  it('source:x+ selects what reads a source', async () => expect(await names(['source:legacy+'])).toEqual(['customer_revenue', 'customers', 'customers_landed']));
  it('resource_type:', async () => expect(await names(['resource_type:seed'])).toEqual(['raw_customers', 'raw_orders']));
  it('a bare folder name, as dbt matches a node\'s fqn', async () => expect(await names(['platinum'])).toEqual(['customer_revenue', 'order_facts']));
  it('@name: the node, its descendants, and what those read', async () =>
    expect(await names(['@paid_orders'])).toEqual(['customer_revenue', 'customers', 'customers_landed', 'orders', 'orders_landed', 'paid_orders', 'raw_customers', 'raw_orders']));
  it('config.materialized:', async () => expect(await names(['config.materialized:view'])).toEqual(['customers_landed', 'orders_landed']));
  it('result: reads the statuses the caller found in the last run', async () => {
    const p = await compileDir(fixtureCopy('shop'));
    const results = new Map([['fail', new Set(['model.shop.orders'])], ['error', new Set(['model.shop.order_facts'])]] as const);
    const pick = (select: string[]) => [...selectNodes(p, select, [], { results }).selected].map((id) => id.split('.').pop()).sort();
    expect(pick(['result:fail+'])).toEqual(['customer_revenue', 'order_facts', 'orders', 'paid_orders']);
    expect(pick(['result:error'])).toEqual(['order_facts']);
    expect(selectNodes(p, ['result:fail'], []).diagnostics.map((d) => d.message)).toEqual(['`result:fail` needs the results of a last run']);
    expect(selectNodes(p, ['result:failed'], [], { results }).diagnostics.map((d) => d.hint)).toEqual(['did you mean `fail`?']);
    expect(selectNodes(p, ['config.materialised:view'], []).diagnostics.map((d) => d.hint)).toEqual(['did you mean `materialized`?']);
    expect(selectNodes(p, ['@orders+'], []).diagnostics.map((d) => d.message)).toEqual(['`@orders+` mixes @ with +']);
  });
  it('result: from target/run_results.json: a node by its own status, a model by its tests\' and SLOs\'', async () => {
    const { lastRunResults } = await import('../../src/pipeline/last-run-results.js');
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const target = mkdtempSync(`${tmpdir()}/charter-last-run-`);
    expect(lastRunResults(target)).toBeUndefined();
    writeFileSync(`${target}/run_results.json`, JSON.stringify({
      results: [{ unique_id: 'model.shop.orders', status: 'success' }, { unique_id: 'model.shop.order_facts', status: 'error' }],
      tests: [{ model: 'model.shop.orders', status: 'fail' }],
      slos: [{ model: 'model.shop.customers', status: 'warn' }],
    }));
    const results = lastRunResults(target)!;
    expect([...results.get('fail')!]).toEqual(['model.shop.orders']);
    expect([...results.get('error')!]).toEqual(['model.shop.order_facts']);
    expect([...results.get('warn')!]).toEqual(['model.shop.customers']);
    expect([...results.get('success')!]).toEqual(['model.shop.orders']);
  });
  it('wildcards in names', async () => expect(await names(['customer*'])).toEqual(['customer_revenue', 'customers', 'customers_landed']));
  it('union: several selectors, or spaces inside one', async () => {
    expect(await names(['orders', 'tag:finance'])).toEqual(['customer_revenue', 'orders']);
    expect(await names(['orders tag:finance'])).toEqual(['customer_revenue', 'orders']);
  });
  it('intersection with commas', async () => expect(await names(['+customer_revenue,layer:silver'])).toEqual(['customers', 'orders', 'paid_orders']));
  it('--exclude removes', async () => expect(await names(['+customer_revenue'], ['layer:bronze'])).toEqual(['customer_revenue', 'customers', 'orders', 'paid_orders']));

  it('an unknown name is an error with a suggestion', async () => {
    const p = await compileDir(fixtureCopy('shop'));
    const s = selectNodes(p, ['customer_revenu']);
    expect(s.diagnostics[0]?.message).toContain('matches no model or seed');
    expect(s.diagnostics[0]?.hint).toContain('customer_revenue');
  });
  it('an unknown method or layer is an error with a suggestion', async () => {
    const p = await compileDir(fixtureCopy('shop'));
    expect(selectNodes(p, ['tags:finance']).diagnostics[0]?.hint).toContain('`tag`');
    expect(selectNodes(p, ['layer:sliver']).diagnostics[0]?.hint).toContain('silver');
  });
});

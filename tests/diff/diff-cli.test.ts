// `charter diff` on the command line (text, --json, exit codes), a manifest as the base, and the state:modified
// selector with --state.
import { copyFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { list } from '../../src/pipeline/list.js';
import { charter } from '../helpers/project.js';
import { ordersContract } from './fixture-texts.js';
import { change, commitAll, scratchRepo } from '../helpers/scratch-git.js';

const CONTRACT = 'contracts/orders.yml';

describe('charter diff', () => {
  it('prints each breaking change on one line with its contract, owners and place, and exits 1', async () => {
    const dir = scratchRepo('tiny', { [CONTRACT]: ordersContract() });
    change(dir, { [CONTRACT]: ordersContract({ customerId: null }) });
    const text = await charter(['diff', '--base', 'HEAD'], dir);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(
      'BREAKING  contracts/orders.yml:9: orders: column customer_id removed or renamed [contract tiny_orders; owners data@example.com, ana@example.com]',
    );
    expect(text.stdout).toMatch(/against git HEAD \([0-9a-f]{12}\): 1 breaking change, 0 cleared, 1 modified node \(orders\)/);
    expect(text.stdout).toContain('diff: FAILED');

    const json = await charter(['diff', '--base', 'HEAD', '--json'], dir);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ base: 'HEAD', failed: true, breaking: [{ kind: 'column_removed', contract: 'tiny_orders' }], cleared: [], modified: ['model.tiny.orders'] });
  });

  it('exits 0 when nothing breaks, and 1 with a clear error for a base that is neither a file nor a commit', async () => {
    const dir = scratchRepo('tiny', { [CONTRACT]: ordersContract() });
    expect((await charter(['diff', '--base', 'HEAD'], dir)).code).toBe(0);
    const bad = await charter(['diff', '--base', 'no-such-ref'], dir);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('base `no-such-ref` is neither a file nor a commit');
  });

  it('takes a manifest.json that charter compile wrote as the base, for another target too', async () => {
    const dir = scratchRepo('tiny', { [CONTRACT]: ordersContract() });
    // The checksums hold no target-specific name: a production (Snowflake) manifest is a base for a local diff.
    expect((await charter(['compile', '--target', 'prod', '--no-format'], dir)).code).toBe(0);
    const base = path.join(dir, 'base-manifest.json');
    copyFileSync(path.join(dir, 'target/manifest.json'), base);
    expect(JSON.parse(readFileSync(base, 'utf8')).contracts['model.tiny.orders'].governed_columns).toHaveLength(3);
    change(dir, { [CONTRACT]: ordersContract({ amount: '    data_type: NUMBER(10,2)' }) });
    const diff = await charter(['diff', '--base', base, '--json'], dir);
    expect(diff.code).toBe(1);
    expect(JSON.parse(diff.stdout)).toMatchObject({
      resolved: `manifest ${base}`,
      breaking: [{ kind: 'type_narrowed', contract: 'tiny_orders', owners: ['data@example.com', 'ana@example.com'], location: { file: CONTRACT, line: 13 } }],
      modified: ['model.tiny.orders'],
    });
  });
});

describe('the state:modified selector', () => {
  it('selects the models changed against --state, and with + everything downstream of them', async () => {
    const dir = scratchRepo('tiny', { [CONTRACT]: ordersContract() });
    change(dir, { 'models/silver/orders.sql': "select order_id, customer_id, amount_usd\nfrom {{ ref('orders_landed') }}\nwhere amount_usd > {{ var('min_amount') }}\n" });
    const names = async (select: string, state = 'HEAD') => (await list({ projectDir: dir, select: [select], state })).map((n) => n.name);
    expect(await names('state:modified')).toEqual(['orders']);
    expect(await names('state:modified+')).toEqual(['orders', 'big_orders', 'customer_totals']);
    // Committed, the change is in the base: nothing is modified.
    commitAll(dir, 'change orders');
    expect(await names('state:modified+')).toEqual([]);
    expect(await names('state:modified+', 'HEAD~1')).toEqual(['orders', 'big_orders', 'customer_totals']);
  });

  it('asks for --state when a selector needs one', async () => {
    const dir = scratchRepo('tiny');
    const ls = await charter(['ls', '--select', 'state:modified+'], dir);
    expect(ls.code).toBe(1);
    expect(ls.stderr).toContain('`state:modified+` needs a base to compare with');
    const withState = await charter(['ls', '--select', 'state:modified+', '--state', 'HEAD'], dir);
    expect(withState).toMatchObject({ code: 0, stdout: '' });
  });
});

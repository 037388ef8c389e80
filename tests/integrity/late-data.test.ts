// Rows that arrive later than an incremental model's window: the run rebuilds the model (or fails, if it says so)
// instead of leaving a table that disagrees with a full refresh. The showcase's own late rows are planted in
// tests/showcase/warehouse.test.ts, which has a built showcase to plant them in.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureCopy } from '../helpers/project.js';
import { buildDir } from '../helpers/warehouse.js';

describe('late data', () => {
  it('a model that says on_late=fail fails, naming the days and pointing to --full-refresh', async () => {
    const facts = `{{ config(materialized='incremental', unique_key='order_id', late_arrival={'input': 'orders', 'column': 'order_date', 'window_days': 0, 'on_late': 'fail'}) }}
select order_id, customer_id, order_date, amount_usd, is_paid from {{ ref('orders') }}
{% if is_incremental() %} where order_date >= (select max(order_date) from {{ this }}) {% endif %}`;
    const dir = fixtureCopy('shop', { 'models/platinum/order_facts.sql': facts });
    expect((await buildDir(dir)).every((r) => r.status === 'success')).toBe(true);
    // Nothing late: the next run merges as usual.
    expect((await buildDir(dir)).find((r) => r.name === 'order_facts')).toMatchObject({ status: 'success', mode: 'incremental' });
    const seed = path.join(dir, 'seeds/raw_orders.csv');
    writeFileSync(seed, `${readFileSync(seed, 'utf8').replace(/\n?$/, '\n')}9,c1,2024-11-03,10.00,paid\n`);
    const facts2 = (await buildDir(dir)).find((r) => r.name === 'order_facts');
    expect(facts2?.error).toMatchObject({ code: 'data.late', location: { file: 'models/platinum/order_facts.sql' } });
    expect(facts2?.error?.detail).toContain('2024-11-03: 0 rows when sealed, 1 now');
    expect(facts2?.error?.hint).toContain('--full-refresh');
  });

  it('an input the model does not ref is a compile error', async () => {
    const dir = fixtureCopy('shop', {
      'models/platinum/order_facts.sql': "{{ config(materialized='incremental', late_arrival={'input': 'customers', 'column': 'order_date', 'window_days': 1}) }}\nselect * from {{ ref('orders') }}",
    });
    const run = await import('../helpers/project.js').then((h) => h.charter(['compile'], dir));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('config(late_arrival=...) names input `customers`, which `order_facts` does not ref()');
  });
});

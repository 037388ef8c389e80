// charter diff against a git ref: each kind of breaking change is named with its contract, owners and file:line,
// and what is not breaking passes.
import { describe, expect, it } from 'vitest';
import { diffAgainstBase, diffFails } from '../../src/pipeline/diff.js';
import { ordersContract, salesView } from './fixture-texts.js';
import { change, scratchRepo } from '../helpers/scratch-git.js';

const CONTRACT = 'contracts/orders.yml';
const OWNERS = ['data@example.com', 'ana@example.com'];
const TODAY = '2026-06-01';

/** The tiny fixture with its contract as ordersContract() writes it, committed; then `next` over it, diffed against HEAD. */
async function diffOf(next: Record<string, string>, { base = {}, removed = [] }: { base?: Record<string, string>; removed?: string[] } = {}) {
  const dir = scratchRepo('tiny', { [CONTRACT]: ordersContract(), ...base });
  change(dir, next, removed);
  return diffAgainstBase({ projectDir: dir, base: 'HEAD', today: TODAY });
}

const summary = (diff: Awaited<ReturnType<typeof diffOf>>) => diff.breaking.map((b) => `${b.kind} ${b.location?.file}:${b.location?.line} ${b.detail}`);

describe('breaking changes to a contract', () => {
  it('names a removed column with its contract, owners and the base line it was on, and fails', async () => {
    const diff = await diffOf({ [CONTRACT]: ordersContract({ customerId: null }) });
    expect(diff.breaking).toEqual([
      {
        kind: 'column_removed', model: 'orders', contract: 'tiny_orders', owners: OWNERS, detail: 'column customer_id removed or renamed',
        location: { file: CONTRACT, line: 9, column: 5 }, id: 'column_removed:orders.customer_id',
      },
    ]);
    expect(diff.modified).toContain('model.tiny.orders');
    expect(diffFails(diff)).toBe(true);
  });

  it('lets an added nullable column and a widened type pass', async () => {
    const diff = await diffOf({
      [CONTRACT]: ordersContract({ amount: '    data_type: NUMBER(38,2)', extraColumns: '  - name: note\n    data_type: VARCHAR\n' }),
    });
    expect(diff.breaking).toEqual([]);
    expect(diffFails(diff)).toBe(false);
  });

  it('reports a narrowed type, a dropped not_null, a weaker classification and a removed masking policy where they are now', async () => {
    const diff = await diffOf({
      [CONTRACT]: ordersContract({
        orderId: '    data_type: NUMBER(18,0)',
        customerId: '    data_type: VARCHAR(50)\n    classification: internal',
        amount: '    data_type: NUMBER(10,2)',
      }),
    });
    expect(summary(diff)).toEqual([
      `constraint_relaxed ${CONTRACT}:6 column order_id not_null dropped`,
      // VARCHAR without a length is the largest: VARCHAR(50) narrows it.
      `type_narrowed ${CONTRACT}:8 column customer_id type narrowed VARCHAR -> VARCHAR(50)`,
      `classification_weakened ${CONTRACT}:8 column customer_id classification weakened pii -> internal`,
      `masking_removed ${CONTRACT}:8 column customer_id masking policy GOVERNANCE.MASK_PII removed`,
      `type_narrowed ${CONTRACT}:11 column amount_usd type narrowed NUMBER(18,2) -> NUMBER(10,2)`,
    ]);
    expect(diff.breaking.every((b) => b.contract === 'tiny_orders' && b.owners.join() === OWNERS.join())).toBe(true);
  });

  it('reports a relaxed accepted_values list and a retype to another family', async () => {
    const base = { [CONTRACT]: ordersContract({ amount: '    data_type: NUMBER(18,2)\n    constraints: {accepted_values: {values: [1, 2]}}' }) };
    const diff = await diffOf({ [CONTRACT]: ordersContract({ amount: '    data_type: VARCHAR\n    constraints: {accepted_values: {values: [1, 2, 3]}}' }) }, { base });
    expect(summary(diff)).toEqual([
      `column_retyped ${CONTRACT}:13 column amount_usd retyped NUMBER(18,2) -> VARCHAR`,
      `constraint_relaxed ${CONTRACT}:13 column amount_usd accepted_values widened: adds 3`,
    ]);
  });
});

describe('breaking changes beyond a contract', () => {
  it('reports a removed model another model read, at its file in the base', async () => {
    const count = "select count(*) as n from {{ ref('big_orders') }}\n";
    const diff = await diffOf(
      { 'models/platinum/big_order_count.sql': "select count(*) as n from {{ ref('orders') }} where amount_usd > 100\n" },
      { base: { 'models/platinum/big_order_count.sql': count }, removed: ['models/platinum/big_orders.sql'] },
    );
    expect(summary(diff)).toEqual(['model_removed models/platinum/big_orders.sql:1 model big_orders removed (read by big_order_count)']);
    expect(diff.breaking[0]).toMatchObject({ contract: null, owners: [] });
  });

  it('lets a removed model nothing relied on, and a new model, pass', async () => {
    const diff = await diffOf({ 'models/platinum/new_model.sql': "select 1 as x from {{ ref('orders') }}\n" }, { removed: ['models/platinum/big_orders.sql'] });
    expect(diff.breaking).toEqual([]);
    expect(diff.modified).toEqual(['model.tiny.new_model']);
  });

  it('reports a semantic-view metric removed or redefined, with the contract of the model it reads', async () => {
    const diff = await diffOf(
      { 'semantic_views/sales.yml': salesView('      - name: revenue\n        expr: SUM(amount_usd) - 1') },
      { base: { 'semantic_views/sales.yml': salesView() } },
    );
    expect(summary(diff)).toEqual([
      'metric_redefined semantic_views/sales.yml:10 semantic view sales metric orders.revenue redefined: SUM(amount_usd) -> SUM(amount_usd) - 1',
      'metric_removed semantic_views/sales.yml:12 semantic view sales metric orders.order_count removed',
    ]);
    expect(diff.breaking.map((b) => `${b.model} ${b.contract}`)).toEqual(['orders tiny_orders', 'orders tiny_orders']);
  });
});

describe('approved breaking changes', () => {
  const approval = (change: string) =>
    `approved_changes:\n  - {change: "${change}", approver: ana@example.com, ticket: DATA-42, date: 2026-05-30}`;

  it('clears a change its contract approves under a major version bump, and exports the approval', async () => {
    const diff = await diffOf({ [CONTRACT]: ordersContract({ version: '2.0.0', customerId: null, extra: approval('column_removed:orders.customer_id') }) });
    expect(diff.breaking).toEqual([]);
    expect(diff.cleared).toMatchObject([
      { kind: 'column_removed', contract: 'tiny_orders', owners: OWNERS, approval: { change: 'column_removed:orders.customer_id', approver: 'ana@example.com', ticket: 'DATA-42', date: '2026-05-30' } },
    ]);
    expect(diffFails(diff)).toBe(false);
  });

  it('matches an approval by the change\'s text too', async () => {
    const diff = await diffOf({ [CONTRACT]: ordersContract({ version: '2.0.0', customerId: null, extra: approval('column customer_id removed or renamed') }) });
    expect(diff.cleared).toHaveLength(1);
  });

  it('refuses an approval without a major bump, naming both versions, and the change stays breaking', async () => {
    const diff = await diffOf({ [CONTRACT]: ordersContract({ version: '1.1.0', customerId: null, extra: approval('column_removed:orders.customer_id') }) });
    expect(diff.breaking.map((b) => b.kind)).toEqual(['column_removed']);
    expect(diff.cleared).toEqual([]);
    expect(diff.diagnostics).toMatchObject([
      { code: 'diff.approval_refused', severity: 'error', location: { file: CONTRACT, line: 12 }, hint: expect.stringContaining('2.0.0') },
    ]);
    expect(diff.diagnostics[0]?.message).toContain('1.1.0');
    expect(diff.diagnostics[0]?.message).toContain('1.0.0');
    expect(diffFails(diff)).toBe(true);
  });
});

describe('deprecated models', () => {
  it('fails a new dependency on a model past its sunset, and warns of one the base had', async () => {
    const sunset = 'deprecation: {sunset: 2026-01-01, replaced_by: orders_v2}';
    const diff = await diffOf(
      { 'models/platinum/late_reader.sql': "select order_id from {{ ref('orders') }}\n" },
      { base: { [CONTRACT]: ordersContract({ extra: sunset }) } },
    );
    const found = diff.diagnostics.filter((d) => d.code === 'diff.deprecated_dependency').map((d) => `${d.severity} ${d.message}`);
    expect(found).toEqual([
      'warning big_orders reads orders, whose contract tiny_orders passed its sunset 2026-01-01',
      'warning customer_totals reads orders, whose contract tiny_orders passed its sunset 2026-01-01',
      'error late_reader newly reads orders, whose contract tiny_orders passed its sunset 2026-01-01',
    ]);
    expect(diffFails(diff)).toBe(true);
  });
});

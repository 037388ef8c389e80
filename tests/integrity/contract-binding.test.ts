// Contracts bind to the model their table names resolve to; a contract that binds to nothing is an error, and
// one past its sunset warns.
import { describe, expect, it } from 'vitest';
import { UserError, type Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { compile, type CompiledSession } from '../../src/pipeline/compile.js';
import { fixtureCopy } from '../helpers/project.js';

async function compiled(files: Record<string, string>): Promise<{ session?: CompiledSession; diagnostics: readonly Diagnostic[] }> {
  try {
    const session = await compile({ projectDir: fixtureCopy('shop', files), format: false });
    return { session, diagnostics: session.warnings };
  } catch (e) {
    if (e instanceof UserError) return { diagnostics: e.diagnostics };
    throw e;
  }
}

// Shaped like the platform's orders_core product contract: no `model:`, its table under interfaces.tables.
const product = (table: string): string => `name: revenue_core
domain_database: SHOP_COMMERCE
owners: [data@example.com]
classification: confidential
interfaces:
  tables: [${table}]
columns:
  - name: customer_id
    constraints: {not_null: true}
  - name: revenue_usd
    data_type: "NUMBER(18,2)"
`;

describe('contract binding', () => {
  it('binds a product contract to the model whose relation its interfaces.tables entry names, in any case and database', async () => {
    const { session } = await compiled({ 'contracts/revenue.yml': product('SHOP_COMMERCE.PLATINUM.CUSTOMER_REVENUE') });
    expect([...(session?.contracts.byModel.keys() ?? [])]).toContain('model.shop.customer_revenue');
    expect(session?.dataTests.filter((t) => t.modelId === 'model.shop.customer_revenue').map((t) => t.kind)).toContain('not_null');
  });

  it('a table name that resolves to no model is an error naming the file and what it tried', async () => {
    const { diagnostics } = await compiled({ 'contracts/revenue.yml': product('SHOP_COMMERCE.PLATINUM.CUSTOMER_REVENEU') });
    expect(diagnostics).toContainEqual(expect.objectContaining({
      code: 'contract.unbound', severity: 'error',
      location: expect.objectContaining({ file: 'contracts/revenue.yml', line: 6 }),
      hint: 'did you mean `customer_revenue`?',
    }));
  });

  it('a contract that governs nothing is an error, not a warning with exit 0', async () => {
    const { diagnostics } = await compiled({ 'contracts/lonely.yml': 'name: lonely\nowners: [me@example.com]\n' });
    expect(diagnostics).toContainEqual(expect.objectContaining({ code: 'contract.unbound', severity: 'error', location: expect.objectContaining({ file: 'contracts/lonely.yml' }) }));
  });

  it('a contract past its deprecation sunset warns on every compile', async () => {
    const text = `name: old_orders\nmodel: customers\ndeprecation:\n  sunset: "2001-01-01"\n  replaced_by: customers_v2\n`;
    const { diagnostics } = await compiled({ 'contracts/old.yml': text });
    expect(diagnostics).toContainEqual(expect.objectContaining({ code: 'contract.deprecated', severity: 'warning', location: expect.objectContaining({ file: 'contracts/old.yml', line: 4 }) }));
    const future = await compiled({ 'contracts/old.yml': text.replace('2001-01-01', '2999-01-01') });
    expect(future.diagnostics.filter((d) => d.code === 'contract.deprecated')).toEqual([]);
  });
});

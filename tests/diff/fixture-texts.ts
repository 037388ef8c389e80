// The tiny fixture's contract and a semantic view over it, as texts the diff tests change one line of.

/** tests/fixtures/tiny/contracts/orders.yml, with `extra` appended to the top level and column overrides. */
export function ordersContract({
  version = '1.0.0',
  orderId = '    data_type: NUMBER(18,0)\n    constraints: {not_null: true}',
  customerId = '    data_type: VARCHAR\n    classification: pii\n    masking_policy: GOVERNANCE.MASK_PII',
  amount = '    data_type: NUMBER(18,2)',
  extraColumns = '',
  extra = '',
}: { version?: string; orderId?: string | null; customerId?: string | null; amount?: string | null; extraColumns?: string; extra?: string } = {}): string {
  const column = (name: string, body: string | null): string => (body === null ? '' : `  - name: ${name}\n${body ? `${body}\n` : ''}`);
  return [
    'name: tiny_orders',
    `version: ${version}`,
    'model: orders',
    'owners: [data@example.com, ana@example.com]',
    'columns:',
    `${column('order_id', orderId)}${column('customer_id', customerId)}${column('amount_usd', amount)}${extraColumns}`.trimEnd(),
    extra,
  ].join('\n') + '\n';
}

export function salesView(metrics = '      - name: revenue\n        expr: SUM(amount_usd)\n      - name: order_count\n        expr: COUNT(order_id)'): string {
  return `name: sales
tables:
  - name: orders
    model: orders
    primary_key: [order_id]
    dimensions:
      - name: customer_id
        expr: customer_id
    metrics:
${metrics}
`;
}

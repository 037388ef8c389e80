// Unit test YAML for the shop fixture, and a position marker for error-location tests.

export { MARK, marked } from '../helpers/marker.js';

/** customer_revenue inlines the ephemeral paid_orders, so its inputs are customers and orders (not paid_orders). */
export const CUSTOMER_REVENUE_YML = `unit_tests:
  - name: revenue_counts_paid_orders_only
    model: customer_revenue
    description: unpaid orders earn nothing; 100 exactly is vip; a customer without orders is 0
    given:
      - input: ref('customers')
        rows:
          - {customer_id: C1, name: Ann, segment_label: SMALL BUSINESS}
          - {customer_id: C2, name: Bob, segment_label: ENTERPRISE}
          - {customer_id: C3, name: Cy, segment_label: ENTERPRISE}
      - input: ref('orders')
        rows:
          - {order_id: 1, customer_id: C1, order_date: 2024-01-05, amount_usd: 60.50, is_paid: true}
          - {order_id: 2, customer_id: C1, order_date: 2024-01-06, amount_usd: 39.50, is_paid: true}
          - {order_id: 3, customer_id: C2, order_date: 2024-01-07, amount_usd: 500, is_paid: false}
          - {order_id: 4, customer_id: C2, order_date: 2024-01-08, amount_usd: 20.25, is_paid: true}
    expect:
      rows:
        - {customer_id: C1, revenue_usd: 100, tier: vip}
        - {customer_id: C2, revenue_usd: 20.25, tier: regular}
        - {customer_id: C3, revenue_usd: 0, tier: regular}

  - name: vip_threshold_comes_from_vars
    model: customer_revenue
    vars: {vip_threshold: 1000}
    given:
      - input: ref('customers')
        csv: fixtures/customers.csv
      - input: ref('orders')
        rows:
          - {order_id: 1, customer_id: C1, order_date: 2024-01-05, amount_usd: 150, is_paid: true}
    expect:
      rows:
        - {customer_id: C1, segment_label: SMALL BUSINESS, revenue_usd: 150.00, tier: regular}
        - {customer_id: C2, tier: regular}
`;

export const CUSTOMERS_CSV = `customer_id,name,segment_label
C1,Ann,SMALL BUSINESS
C2,Bob,ENTERPRISE
`;

/**
 * order_facts is incremental on order_id and selects orders on or after the latest order_date already loaded:
 * order 1 is older and filtered out, order 2 (the latest day) is re-selected and replaced, order 3 is new.
 */
export const ORDER_FACTS_YML = `unit_tests:
  - name: order_facts_merges_new_and_changed_orders
    model: order_facts
    given:
      - input: ref('orders')
        rows:
          - {order_id: 1, customer_id: C1, order_date: 2024-01-05, amount_usd: 10.00, is_paid: true}
          - {order_id: 2, customer_id: C1, order_date: 2024-01-06, amount_usd: 20.00, is_paid: true}
          - {order_id: 3, customer_id: C2, order_date: 2024-01-07, amount_usd: 30.00, is_paid: false}
    this:
      rows:
        - {order_id: 1, customer_id: C1, order_date: 2024-01-05, amount_usd: 10, is_paid: true}
        - {order_id: 2, customer_id: C1, order_date: 2024-01-06, amount_usd: 20, is_paid: false}
    expect:
      rows:
        - {order_id: 2, is_paid: true}
        - {order_id: 3, is_paid: false}
    expect_table:
      ordered: false
      rows:
        - {order_id: 1, customer_id: C1, order_date: 2024-01-05, amount_usd: 10, is_paid: true}
        - {order_id: 2, customer_id: C1, order_date: 2024-01-06, amount_usd: 20, is_paid: true}
        - {order_id: 3, customer_id: C2, order_date: 2024-01-07, amount_usd: 30, is_paid: false}

  - name: order_facts_first_build_takes_everything
    model: order_facts
    given:
      - input: ref('orders')
        rows:
          - {order_id: 1, customer_id: C1, order_date: 2024-01-05, amount_usd: 10.00, is_paid: true}
    expect:
      rows:
        - {order_id: 1, customer_id: C1, order_date: 2024-01-05, amount_usd: 10, is_paid: true}
`;

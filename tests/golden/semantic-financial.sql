-- Semantic view PHANTOM_SEC.PLATINUM.FINANCIAL, from semantic_views/financial.yml.
-- Written by charter compile; the grants follow the view (COPY GRANTS keeps those made elsewhere).
CREATE OR REPLACE SEMANTIC VIEW PHANTOM_SEC.PLATINUM.FINANCIAL
  TABLES (
    MRR_MONTHLY AS PHANTOM_SEC.PLATINUM.FCT_MRR_MONTHLY
      PRIMARY KEY (SNAPSHOT_KEY)
      UNIQUE (CUSTOMER_ID, MONTH_START)
      WITH SYNONYMS = ('monthly revenue snapshot', 'mrr snapshot')
      COMMENT = 'One row per customer per month, first subscription month to churn month or the as-of month.',
    ARR_QUARTERLY AS PHANTOM_SEC.PLATINUM.FCT_ARR_QUARTERLY
      PRIMARY KEY (SNAPSHOT_KEY)
      COMMENT = 'One row per customer per quarter, with ARR at the quarter''s end and start and its MRR bridge.',
    CUSTOMERS AS PHANTOM_SEC.PLATINUM.DIM_CUSTOMER_360
      PRIMARY KEY (CUSTOMER_ID)
      WITH SYNONYMS = ('accounts', 'clients')
      COMMENT = 'One row per customer as of the as-of date.'
  )
  RELATIONSHIPS (
    MRR_MONTHLY_CUSTOMER AS MRR_MONTHLY (CUSTOMER_ID) REFERENCES CUSTOMERS,
    ARR_QUARTERLY_CUSTOMER AS ARR_QUARTERLY (CUSTOMER_ID) REFERENCES CUSTOMERS
  )
  FACTS (
    MRR_MONTHLY.MONTH_END_MRR AS mrr
      COMMENT = 'MRR in force at the month end (0 after churn).',
    MRR_MONTHLY.MONTH_END_ARR AS arr
      COMMENT = '12 x month_end_mrr.',
    CUSTOMERS.FRAMEWORKS_ADOPTED AS frameworks_adopted_count
      COMMENT = 'Compliance frameworks the customer has adopted.'
  )
  DIMENSIONS (
    MRR_MONTHLY.PRODUCT_TIER AS product_tier
      WITH SYNONYMS = ('tier', 'plan')
      COMMENT = 'The customer''s product tier in that month.',
    MRR_MONTHLY.MRR_MOVEMENT AS movement
      COMMENT = 'How MRR moved from the previous month end.',
    MRR_MONTHLY.SNAPSHOT_MONTH AS month_start
      WITH SYNONYMS = ('month', 'calendar month')
      COMMENT = 'Calendar month (first day); balances are taken at its end, or on the as-of date in the as-of month.',
    MRR_MONTHLY.SNAPSHOT_QUARTER AS DATE_TRUNC('quarter', month_start)
      WITH SYNONYMS = ('quarter', 'calendar quarter')
      COMMENT = 'Calendar quarter (first day); balances are taken at its last month end.',
    MRR_MONTHLY.SNAPSHOT_YEAR AS DATE_TRUNC('year', month_start)
      WITH SYNONYMS = ('year', 'calendar year')
      COMMENT = 'Calendar year (first day); balances are taken at its last month end.',
    ARR_QUARTERLY.CALENDAR_QUARTER AS calendar_quarter
      COMMENT = 'The quarter as YYYY-Qn.',
    ARR_QUARTERLY.QUARTER_NET_MOVEMENT AS net_movement
      COMMENT = 'The quarter''s net MRR change of the customer (not a count of expansions).',
    ARR_QUARTERLY.ARR_QUARTER AS quarter_start
      COMMENT = 'Calendar quarter (first day) of the quarter''s bridge; growth and retention compare its end with its start.',
    CUSTOMERS.SEGMENT AS segment
      WITH SYNONYMS = ('customer segment', 'company size'),
    CUSTOMERS.INDUSTRY AS industry
      WITH SYNONYMS = ('vertical', 'industry vertical'),
    CUSTOMERS.SALES_CHANNEL AS sales_channel
      WITH SYNONYMS = ('channel', 'acquisition channel'),
    CUSTOMERS.CURRENT_PRODUCT_TIER AS current_product_tier
      WITH SYNONYMS = ('current tier', 'current plan')
      COMMENT = 'The customer''s product tier on the as-of date.',
    CUSTOMERS.COMPLIANCE_MATURITY AS compliance_maturity
      WITH SYNONYMS = ('maturity'),
    CUSTOMERS.CUSTOMER_STATUS AS customer_status
  )
  METRICS (
    MRR_MONTHLY.TOTAL_ARR NON ADDITIVE BY (MRR_MONTHLY.SNAPSHOT_MONTH) AS SUM(mrr_monthly.month_end_arr)
      WITH SYNONYMS = ('ARR', 'annual recurring revenue', 'run rate')
      COMMENT = 'ARR at the period''s last month end (the as-of date for the current month): 12 x the MRR in force. "Total ARR in Q4 2024" is the ARR on 2024-12-31.',
    MRR_MONTHLY.TOTAL_MRR NON ADDITIVE BY (MRR_MONTHLY.SNAPSHOT_MONTH) AS SUM(mrr_monthly.month_end_mrr)
      WITH SYNONYMS = ('MRR', 'monthly recurring revenue')
      COMMENT = 'MRR in force at the period''s last month end.',
    MRR_MONTHLY.PAYING_CUSTOMERS NON ADDITIVE BY (MRR_MONTHLY.SNAPSHOT_MONTH) AS COUNT_IF(mrr_monthly.month_end_mrr > 0)
      WITH SYNONYMS = ('customers', 'active customers', 'customer count')
      COMMENT = 'Customers with MRR above 0 at the period''s last month end (active customers).',
    MRR_MONTHLY.NEW_CUSTOMERS AS COUNT_IF(mrr_monthly.movement = 'new')
      WITH SYNONYMS = ('new customers', 'new logos', 'customers acquired', 'customers won', 'customers signed')
      COMMENT = 'Customers whose first subscription month falls in the period (new logos).',
    MRR_MONTHLY.CHURNED_CUSTOMERS AS COUNT_IF(mrr_monthly.movement = 'churn')
      WITH SYNONYMS = ('churned customers', 'customers churned', 'customers lost', 'lost customers', 'churned accounts')
      COMMENT = 'Customers whose MRR fell to 0 in the period (churn is final in this ledger).',
    MRR_MONTHLY.NEW_MRR AS SUM(mrr_monthly.new_mrr)
      WITH SYNONYMS = ('new business MRR')
      COMMENT = 'MRR of customers'' first subscriptions in the period.',
    MRR_MONTHLY.EXPANSION_MRR AS SUM(mrr_monthly.expansion_mrr)
      WITH SYNONYMS = ('expansion', 'upgrades')
      COMMENT = 'MRR increases of existing customers from one month end to the next (upsell plus price uplift).',
    MRR_MONTHLY.UPSELL_MRR AS SUM(mrr_monthly.upsell_mrr)
      COMMENT = 'The part of expansion MRR that upsell events (customers buying more) brought.',
    MRR_MONTHLY.PRICE_UPLIFT_MRR AS SUM(mrr_monthly.price_uplift_mrr)
      COMMENT = 'The part of expansion MRR from renewals at a higher price.',
    MRR_MONTHLY.CONTRACTION_MRR AS SUM(mrr_monthly.contraction_mrr)
      WITH SYNONYMS = ('contraction', 'downgrades')
      COMMENT = 'MRR decreases that leave MRR above 0 (downgrades).',
    MRR_MONTHLY.CHURNED_MRR AS SUM(mrr_monthly.churned_mrr)
      WITH SYNONYMS = ('churn', 'lost MRR')
      COMMENT = 'MRR lost by customers whose MRR fell to 0 (churn is final in this ledger).',
    ARR_QUARTERLY.QUARTER_END_ARR NON ADDITIVE BY (ARR_QUARTERLY.CALENDAR_QUARTER) AS SUM(arr_quarterly.arr)
      WITH SYNONYMS = ('quarterly ARR')
      COMMENT = 'ARR at the end of the latest quarter in the period (the as-of date for the current quarter).',
    ARR_QUARTERLY.QUARTER_ARR_CHANGE AS SUM(arr_quarterly.arr_change)
      COMMENT = 'ARR at the quarter''s end minus ARR at its start, summed over quarters.',
    ARR_QUARTERLY.ARR_GROWTH AS (SUM(arr_quarterly.arr) - SUM(arr_quarterly.starting_arr)) / NULLIF(SUM(arr_quarterly.starting_arr), 0)
      WITH SYNONYMS = ('ARR growth', 'ARR growth rate', 'growth in ARR')
      COMMENT = 'ARR growth over a quarter: ARR at its end against ARR at its start (the previous quarter''s end), as a fraction of the start. Read it one quarter at a time.',
    ARR_QUARTERLY.NET_REVENUE_RETENTION AS SUM(CASE WHEN arr_quarterly.starting_mrr > 0 THEN arr_quarterly.mrr END) / NULLIF(SUM(arr_quarterly.starting_mrr), 0)
      WITH SYNONYMS = ('NRR', 'net revenue retention', 'net dollar retention', 'NDR')
      COMMENT = 'Net revenue retention over a quarter: the MRR at its end of the customers with MRR above 0 at its start, over their MRR at its start (expansion counts, new customers do not).',
    ARR_QUARTERLY.GROSS_REVENUE_RETENTION AS (SUM(arr_quarterly.starting_mrr) - SUM(CASE WHEN arr_quarterly.starting_mrr > 0 THEN arr_quarterly.contraction_mrr + arr_quarterly.churned_mrr ELSE 0 END)) / NULLIF(SUM(arr_quarterly.starting_mrr), 0)
      WITH SYNONYMS = ('GRR', 'gross revenue retention', 'gross dollar retention')
      COMMENT = 'Gross revenue retention over a quarter: the start-of-quarter MRR of its customers less their contraction and churned MRR in the quarter, over that start MRR.',
    ARR_QUARTERLY.CUSTOMER_RETENTION_RATE AS COUNT_IF(arr_quarterly.starting_mrr > 0 AND arr_quarterly.mrr > 0) / NULLIF(COUNT_IF(arr_quarterly.starting_mrr > 0), 0)
      WITH SYNONYMS = ('customer retention', 'logo retention', 'customer retention rate', 'retention rate')
      COMMENT = 'Of the customers with MRR above 0 at the quarter''s start, the share still above 0 at its end.',
    CUSTOMERS.CUSTOMER_COUNT AS COUNT(customers.customer_id)
      WITH SYNONYMS = ('all customers', 'customers ever')
      COMMENT = 'Every customer ever signed, churned ones included (for active customers use paying_customers).',
    CUSTOMERS.AVERAGE_FRAMEWORKS_PER_CUSTOMER AS AVG(customers.frameworks_adopted),
    CUSTOMERS.AVERAGE_CONTRACT_VALUE AS AVG(CASE WHEN customers.is_active THEN customers.current_arr END)
      WITH SYNONYMS = ('ACV', 'average contract value', 'annual contract value', 'average annual contract value', 'ARR per customer', 'average ARR')
      COMMENT = 'The average annual value of the contracts in force on the as-of date: ARR per active customer (net of discount, whatever the billing period).',
    AVERAGE_MRR_PER_CUSTOMER AS mrr_monthly.total_mrr / NULLIF(mrr_monthly.paying_customers, 0)
      WITH SYNONYMS = ('ARPA', 'average revenue per account')
      COMMENT = 'MRR in force per paying customer at the period''s last month end.',
    NET_NEW_MRR AS new_mrr + expansion_mrr - contraction_mrr - churned_mrr
      COMMENT = 'The MRR bridge''s net change over the period.'
  )
  COMMENT = 'Phantom Sec recurring revenue: ARR and MRR in force at a month or quarter end (the as-of date, 2024-12-31, in its month), paying customers, and the MRR bridge (new, expansion, contraction, churned), by segment, tier, industry, sales channel, month and quarter.'
  AI_SQL_GENERATION 'ARR and MRR are balances at a point in time: never sum them over months. The data ends on 2024-12-31 (the as-of date); "this quarter" and "last quarter" as of it are both 2024-Q4. Segment values are lower case with underscores (mid_market).'
  AI_VERIFIED_QUERIES (
    TOTAL_ARR_Q4_2024 AS ( QUESTION 'What was our total ARR in Q4 2024?' ONBOARDING_QUESTION TRUE SQL 'SELECT SUM(arr) AS total_arr
FROM mrr_monthly
WHERE month_start = DATE ''2024-12-01'''),
    TOTAL_ARR_2024 AS ( QUESTION 'What is our total ARR for 2024?' SQL 'SELECT SUM(arr) AS total_arr
FROM mrr_monthly
WHERE month_start = DATE ''2024-12-01'''),
    CUSTOMERS_AND_MRR AS ( QUESTION 'How many customers do we have and what''s our total MRR?' SQL 'SELECT COUNT_IF(mrr > 0) AS paying_customers, SUM(mrr) AS total_mrr
FROM mrr_monthly
WHERE month_start = DATE ''2024-12-01'''),
    AVERAGE_MRR_PER_CUSTOMER AS ( QUESTION 'What''s our average MRR per customer?' SQL 'SELECT SUM(mrr) / NULLIF(COUNT_IF(mrr > 0), 0) AS average_mrr_per_customer
FROM mrr_monthly
WHERE month_start = DATE ''2024-12-01'''),
    ARR_BY_SEGMENT AS ( QUESTION 'What is ARR by customer segment?' SQL 'SELECT c.segment, SUM(m.arr) AS total_arr
FROM mrr_monthly AS m
JOIN customers AS c ON m.customer_id = c.customer_id
WHERE m.month_start = DATE ''2024-12-01''
GROUP BY c.segment
ORDER BY total_arr DESC'),
    ARR_GROWTH_BY_SEGMENT_Q4_2024 AS ( QUESTION 'What was our ARR growth by customer segment in Q4 2024?' SQL 'SELECT c.segment, (SUM(q.arr) - SUM(q.starting_arr)) / NULLIF(SUM(q.starting_arr), 0) AS arr_growth
FROM arr_quarterly AS q
JOIN customers AS c ON q.customer_id = c.customer_id
WHERE q.calendar_quarter = ''2024-Q4''
GROUP BY c.segment
ORDER BY c.segment')
  )
  COPY GRANTS;

GRANT SELECT, REFERENCES ON SEMANTIC VIEW PHANTOM_SEC.PLATINUM.FINANCIAL TO ROLE ANALYST_REVENUE;

GRANT SELECT, REFERENCES ON SEMANTIC VIEW PHANTOM_SEC.PLATINUM.FINANCIAL TO ROLE FINANCE;

GRANT SELECT, REFERENCES ON SEMANTIC VIEW PHANTOM_SEC.PLATINUM.FINANCIAL TO ROLE EXECUTIVE_READER;

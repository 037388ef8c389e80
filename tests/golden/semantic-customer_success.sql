-- Semantic view PHANTOM_SEC.PLATINUM.CUSTOMER_SUCCESS, from semantic_views/customer_success.yml.
-- Written by charter compile; the grants follow the view (COPY GRANTS keeps those made elsewhere).
CREATE OR REPLACE SEMANTIC VIEW PHANTOM_SEC.PLATINUM.CUSTOMER_SUCCESS
  TABLES (
    CUSTOMERS AS PHANTOM_SEC.PLATINUM.DIM_CUSTOMER_360
      PRIMARY KEY (CUSTOMER_ID)
      WITH SYNONYMS = ('customer portfolio', 'portfolio', 'accounts')
      COMMENT = 'One row per customer as of the as-of date, churned ones included.'
  )
  FACTS (
    CUSTOMERS.FRAMEWORKS_ADOPTED AS COALESCE(frameworks_adopted_count, 0)
      COMMENT = 'Compliance frameworks the customer has adopted (0 for none).',
    CUSTOMERS.HOURS_SAVED AS COALESCE(realised_hours_saved, 0)
      COMMENT = 'Hours saved by the customer''s finished adoptions.'
  )
  DIMENSIONS (
    CUSTOMERS.SEGMENT AS segment
      WITH SYNONYMS = ('customer segment', 'company size'),
    CUSTOMERS.INDUSTRY AS industry
      WITH SYNONYMS = ('vertical', 'industry vertical'),
    CUSTOMERS.COMPLIANCE_MATURITY AS compliance_maturity
      WITH SYNONYMS = ('maturity', 'maturity level'),
    CUSTOMERS.SALES_CHANNEL AS sales_channel
      WITH SYNONYMS = ('channel', 'acquisition channel'),
    CUSTOMERS.CUSTOMER_STATUS AS customer_status
      WITH SYNONYMS = ('status')
  )
  METRICS (
    CUSTOMERS.PORTFOLIO_CUSTOMERS AS COUNT(customers.customer_id)
      WITH SYNONYMS = ('customers in the portfolio', 'customers ever signed', 'all customers ever')
      COMMENT = 'Every customer ever signed, churned ones included (active ones are the financial view''s paying_customers).',
    CUSTOMERS.FRAMEWORKS_PER_CUSTOMER AS AVG(customers.frameworks_adopted)
      WITH SYNONYMS = ('frameworks per customer', 'frameworks adopted per customer', 'framework adoption rate', 'compliance framework adoption rate', 'average number of frameworks')
      COMMENT = 'Frameworks adopted per customer, over every customer.',
    CUSTOMERS.AUDIT_SCORE_PER_CUSTOMER AS AVG(customers.avg_audit_score)
      WITH SYNONYMS = ('audit score per customer', 'customer audit score')
      COMMENT = 'The average of each customer''s average audit score (each customer weighs the same).',
    CUSTOMERS.TOTAL_IMPLEMENTATION_COST AS SUM(customers.total_implementation_cost)
      WITH SYNONYMS = ('total implementation cost', 'compliance investment', 'total compliance investment')
      COMMENT = 'Implementation cost of every adoption, summed over customers.',
    CUSTOMERS.IMPLEMENTATION_COST_PER_CUSTOMER AS AVG(customers.total_implementation_cost)
      WITH SYNONYMS = ('implementation cost per customer', 'compliance investment per customer')
      COMMENT = 'Implementation cost of a customer''s adoptions, averaged over customers.',
    CUSTOMERS.HOURS_SAVED_PER_CUSTOMER AS AVG(customers.hours_saved)
      WITH SYNONYMS = ('hours saved per customer', 'time saved per customer')
      COMMENT = 'Realised hours saved per customer, over every customer.',
    CUSTOMERS.AVERAGE_MRR_PER_CUSTOMER AS AVG(CASE WHEN customers.is_active THEN customers.current_mrr END)
      WITH SYNONYMS = ('ARPA', 'MRR per customer', 'average MRR')
      COMMENT = 'MRR in force on the as-of date per active customer (as the financial view''s derived metric).',
    CUSTOMERS.TOTAL_COMPLIANCE_ACTIVITIES AS SUM(customers.activity_count)
      WITH SYNONYMS = ('total compliance activities', 'compliance activities performed', 'number of compliance activities', 'compliance activities')
      COMMENT = 'Compliance activities performed up to the as-of date, summed over customers.',
    CUSTOMERS.FRAMEWORKS_ARR_CORRELATION AS CORR(CASE WHEN customers.is_active THEN customers.frameworks_adopted END, CASE WHEN customers.is_active THEN customers.current_arr END)
      WITH SYNONYMS = ('frameworks ARR')
      COMMENT = 'Pearson correlation, over active customers, between frameworks adopted and ARR on the as-of date.',
    CUSTOMERS.FRAMEWORKS_EXPANSION_CORRELATION AS CORR(customers.frameworks_adopted, COALESCE(customers.upsell_count, 0))
      WITH SYNONYMS = ('frameworks expansion', 'frameworks upsells')
      COMMENT = 'Pearson correlation, over every customer, between frameworks adopted and upsells (the ledger''s expansion events) up to the as-of date.'
  )
  COMMENT = 'Phantom Sec customer success: the portfolio of customers as of 2024-12-31 with the frameworks each adopted, their audit scores, implementation cost and hours saved, by segment, industry, compliance maturity, sales channel and status.'
  AI_SQL_GENERATION 'One row per customer as of 2024-12-31; per-customer averages weigh every customer the same. Hours saved are realised hours only. Correlations are Pearson''s r.'
  AI_VERIFIED_QUERIES (
    FRAMEWORKS_PER_CUSTOMER_BY_SEGMENT AS ( QUESTION 'Which customer segments have the highest compliance framework adoption rates?' ONBOARDING_QUESTION TRUE SQL 'SELECT segment, AVG(COALESCE(frameworks_adopted_count, 0)) AS frameworks_per_customer
FROM customers
GROUP BY segment
ORDER BY frameworks_per_customer DESC'),
    FRAMEWORKS_EXPANSION_CORRELATION AS ( QUESTION 'What''s the relationship between number of frameworks and customer expansion?' SQL 'SELECT CORR(COALESCE(frameworks_adopted_count, 0), COALESCE(upsell_count, 0)) AS frameworks_expansion_correlation
FROM customers'),
    FRAMEWORKS_ARR_CORRELATION AS ( QUESTION 'What''s the correlation between number of frameworks adopted and customer ARR?' SQL 'SELECT CORR(frameworks_adopted_count, current_arr) AS frameworks_arr_correlation
FROM customers
WHERE is_active'),
    AVERAGE_MRR_AND_ACTIVITIES AS ( QUESTION 'What''s our average MRR per customer and total compliance activities performed?' SQL 'SELECT AVG(CASE WHEN is_active THEN current_mrr END) AS average_mrr_per_customer, SUM(activity_count) AS total_compliance_activities
FROM customers')
  )
  COPY GRANTS;

GRANT SELECT, REFERENCES ON SEMANTIC VIEW PHANTOM_SEC.PLATINUM.CUSTOMER_SUCCESS TO ROLE CUSTOMER_SUCCESS;

GRANT SELECT, REFERENCES ON SEMANTIC VIEW PHANTOM_SEC.PLATINUM.CUSTOMER_SUCCESS TO ROLE EXECUTIVE_READER;

-- Semantic view PHANTOM_SEC.PLATINUM.COMPLIANCE_OPERATIONS, from semantic_views/compliance_operations.yml.
-- Written by charter compile; the grants follow the view (COPY GRANTS keeps those made elsewhere).
CREATE OR REPLACE SEMANTIC VIEW PHANTOM_SEC.PLATINUM.COMPLIANCE_OPERATIONS
  TABLES (
    ADOPTIONS AS PHANTOM_SEC.PLATINUM.FCT_FRAMEWORK_ADOPTIONS
      PRIMARY KEY (ADOPTION_ID)
      WITH SYNONYMS = ('framework adoptions', 'implementations')
      COMMENT = 'One row per framework adoption by a customer.',
    ACTIVITIES AS PHANTOM_SEC.PLATINUM.FCT_COMPLIANCE_ACTIVITIES
      PRIMARY KEY (ACTIVITY_ID)
      WITH SYNONYMS = ('compliance activities', 'events')
      COMMENT = 'One row per compliance work event (a control check, questionnaire, remediation, training or audit).',
    CUSTOMERS AS PHANTOM_SEC.PLATINUM.DIM_CUSTOMER_360
      PRIMARY KEY (CUSTOMER_ID)
      COMMENT = 'One row per customer as of the as-of date.'
  )
  RELATIONSHIPS (
    ACTIVITY_ADOPTION AS ACTIVITIES (ADOPTION_ID) REFERENCES ADOPTIONS,
    ADOPTION_CUSTOMER AS ADOPTIONS (CUSTOMER_ID) REFERENCES CUSTOMERS
  )
  FACTS (
    ADOPTIONS.DAYS_TO_COMPLIANCE AS days_to_compliance
      COMMENT = 'Start to completion in days; NULL while active.',
    PRIVATE ADOPTIONS.ON_TIME AS is_on_time
      COMMENT = 'Finished within the maturity-adjusted target; NULL while active.'
  )
  DIMENSIONS (
    ADOPTIONS.FRAMEWORK AS framework_label
      WITH SYNONYMS = ('compliance framework', 'standard', 'framework type', 'framework name'),
    ADOPTIONS.FRAMEWORK_FAMILY AS CASE WHEN framework_name LIKE 'SOC2%' THEN 'SOC 2' ELSE framework_label END
      COMMENT = 'The framework, both SOC 2 types together as SOC 2.',
    ADOPTIONS.FRAMEWORK_CATEGORY AS framework_category
      WITH SYNONYMS = ('category'),
    ADOPTIONS.ADOPTION_STATUS AS status,
    ADOPTIONS.COMPLETION_MONTH AS completion_month
      WITH SYNONYMS = ('completion month', 'completed', 'finished')
      COMMENT = 'NULL while the adoption is active.',
    ADOPTIONS.COMPLETION_YEAR AS DATE_TRUNC('year', completion_month)
      WITH SYNONYMS = ('completion year', 'completed', 'finished')
      COMMENT = 'Calendar year (first day) the adoption finished in; NULL while active.',
    ADOPTIONS.ADOPTION_START_MONTH AS start_month
      WITH SYNONYMS = ('start month', 'started', 'began'),
    ADOPTIONS.ADOPTION_START_YEAR AS DATE_TRUNC('year', start_month)
      WITH SYNONYMS = ('start year', 'started', 'began'),
    ACTIVITIES.ACTIVITY_TYPE AS activity_type,
    ACTIVITIES.CONTROL_CATEGORY AS control_category,
    ACTIVITIES.RISK_LEVEL AS risk_level,
    ACTIVITIES.ACTIVITY_MONTH AS activity_month,
    ACTIVITIES.ACTIVITY_QUARTER AS DATE_TRUNC('quarter', activity_date),
    ACTIVITIES.ACTIVITY_YEAR AS DATE_TRUNC('year', activity_date),
    CUSTOMERS.SEGMENT AS segment
      WITH SYNONYMS = ('customer segment'),
    CUSTOMERS.INDUSTRY AS industry
      WITH SYNONYMS = ('vertical', 'industry vertical'),
    CUSTOMERS.COMPLIANCE_MATURITY AS compliance_maturity
      WITH SYNONYMS = ('maturity', 'maturity level')
  )
  METRICS (
    ADOPTIONS.ADOPTION_COUNT AS COUNT(adoptions.adoption_id)
      WITH SYNONYMS = ('adoptions', 'number of adoptions'),
    ADOPTIONS.CERTIFIED_ADOPTIONS AS COUNT_IF(adoptions.is_certified),
    ADOPTIONS.AVERAGE_DAYS_TO_COMPLIANCE AS AVG(adoptions.days_to_compliance)
      WITH SYNONYMS = ('time to compliance', 'time-to-compliance', 'days to compliance', 'to compliance', 'compliance time')
      COMMENT = 'Average start-to-completion days over finished adoptions only.',
    ADOPTIONS.COMPLETION_RATE AS COUNT_IF(adoptions.is_completed) / NULLIF(COUNT(adoptions.adoption_id), 0)
      WITH SYNONYMS = ('completion rate', 'audit completion rate', 'share completed')
      COMMENT = 'Share of adoptions finished (completed or certified) by the as-of date.',
    ADOPTIONS.ON_TIME_RATE AS COUNT_IF(adoptions.on_time) / NULLIF(COUNT(adoptions.on_time), 0)
      COMMENT = 'Share of finished adoptions completed within the maturity-adjusted target.',
    ADOPTIONS.AVERAGE_AUTOMATION_LEVEL AS AVG(adoptions.automation_level)
      WITH SYNONYMS = ('automation level', 'automation rate', 'compliance automation rate', 'compliance automation level')
      COMMENT = 'Average automation level of adoptions, in percent.',
    ADOPTIONS.REALISED_HOURS_SAVED AS SUM(adoptions.realised_hours_saved)
      WITH SYNONYMS = ('hours saved', 'time saved', 'save', 'saved', 'hours of work saved')
      COMMENT = 'Hours saved by finished adoptions.',
    ADOPTIONS.PROJECTED_HOURS_SAVED AS SUM(adoptions.projected_hours_saved)
      COMMENT = 'Projected hours saved by adoptions still under way (not realised).',
    ADOPTIONS.AVERAGE_IMPLEMENTATION_COST AS AVG(adoptions.implementation_cost)
      WITH SYNONYMS = ('implementation cost', 'cost of implementation', 'cost to implement'),
    ADOPTIONS.AVERAGE_AUDIT_SCORE AS AVG(adoptions.audit_score)
      WITH SYNONYMS = ('audit score'),
    ACTIVITIES.ACTIVITY_COUNT AS COUNT(activities.activity_id)
      WITH SYNONYMS = ('activities performed', 'number of activities', 'compliance activities', 'activities'),
    ACTIVITIES.AUTOMATED_ACTIVITIES AS COUNT_IF(activities.is_automated)
      WITH SYNONYMS = ('automated', 'automated activities')
      COMMENT = 'Activities performed automatically.',
    ACTIVITIES.AUTOMATED_ACTIVITY_RATE AS COUNT_IF(activities.is_automated) / NULLIF(COUNT(activities.activity_id), 0)
      WITH SYNONYMS = ('automated', 'automation share', 'percentage automated', 'share automated')
      COMMENT = 'Share of activities performed automatically (a fraction).',
    ACTIVITIES.SUCCESS_RATE AS COUNT_IF(activities.is_successful) / NULLIF(COUNT(activities.activity_id), 0)
      WITH SYNONYMS = ('success rate', 'successful')
      COMMENT = 'Share of activities that succeeded (a fraction); of audits, with the activity type audit.',
    ACTIVITIES.EVIDENCE_RATE AS COUNT_IF(activities.is_evidence_collected) / NULLIF(COUNT(activities.activity_id), 0)
      WITH SYNONYMS = ('evidence rate', 'evidence collection rate'),
    ACTIVITIES.HIGH_RISK_ACTIVITIES AS COUNT_IF(activities.is_high_risk)
      WITH SYNONYMS = ('high risk activities', 'high risk compliance activities', 'high risk')
      COMMENT = 'Activities of risk level high or critical.',
    ACTIVITIES.HIGH_RISK_RATE AS COUNT_IF(activities.is_high_risk) / NULLIF(COUNT(activities.activity_id), 0)
      WITH SYNONYMS = ('high risk rate', 'share high risk'),
    ACTIVITIES.REMEDIATION_SHARE AS COUNT_IF(activities.is_remediation) / NULLIF(COUNT(activities.activity_id), 0)
      WITH SYNONYMS = ('remediation share', 'remediation rate'),
    ACTIVITIES.REMEDIATION_ACTIVITIES AS COUNT_IF(activities.is_remediation)
      WITH SYNONYMS = ('remediation activities', 'remediations', 'remediation')
  )
  COMMENT = 'Phantom Sec compliance operations: framework adoptions with their time to compliance, automation level, hours saved and cost, and the compliance activities performed under them, by framework, category, customer segment, industry and compliance maturity. Data as of 2024-12-31.'
  AI_SQL_GENERATION 'Time to compliance covers finished adoptions only; hours saved of an active adoption is a projection, never added to realised hours without saying so. The data ends on 2024-12-31; "last quarter" as of it is 2024-Q4.'
  AI_VERIFIED_QUERIES (
    TIME_TO_COMPLIANCE_ENTERPRISE_VS_STARTUP AS ( QUESTION 'How does time-to-compliance vary across enterprise vs startup customers?' SQL 'SELECT c.segment, AVG(a.days_to_compliance) AS average_days_to_compliance
FROM adoptions AS a
JOIN customers AS c ON a.customer_id = c.customer_id
WHERE c.segment IN (''enterprise'', ''startup'')
GROUP BY c.segment
ORDER BY c.segment'),
    QUESTIONNAIRES_AUTOMATED_THIS_MONTH AS ( QUESTION 'How many security questionnaires were automated this month?' SQL 'SELECT COUNT_IF(is_automated) AS automated_activities
FROM activities
WHERE activity_type = ''questionnaire'' AND activity_month = DATE ''2024-12-01'''),
    COMPLETION_RATE_BY_INDUSTRY AS ( QUESTION 'How do audit completion rates vary by industry vertical?' SQL 'SELECT c.industry, COUNT_IF(a.is_completed) / COUNT(*) AS completion_rate
FROM adoptions AS a
JOIN customers AS c ON a.customer_id = c.customer_id
GROUP BY c.industry
ORDER BY c.industry'),
    AUTOMATION_BY_INDUSTRY AS ( QUESTION 'Which industry vertical has the highest average compliance automation rate?' SQL 'SELECT c.industry, AVG(a.automation_level) AS average_automation_level
FROM adoptions AS a
JOIN customers AS c ON a.customer_id = c.customer_id
GROUP BY c.industry
ORDER BY average_automation_level DESC'),
    ENTERPRISE_SOC2_HOURS_SAVED_2024 AS ( QUESTION 'How much time did enterprise customers save on SOC 2 compliance implementations in 2024?' SQL 'SELECT SUM(a.realised_hours_saved) AS realised_hours_saved
FROM adoptions AS a
JOIN customers AS c ON a.customer_id = c.customer_id
WHERE c.segment = ''enterprise'' AND a.framework_name LIKE ''SOC2%'' AND YEAR(a.completion_month) = 2024'),
    HIPAA_TIME_TO_COMPLIANCE_BY_SEGMENT AS ( QUESTION 'Which customer segment shows the fastest time-to-compliance for HIPAA?' SQL 'SELECT c.segment, AVG(a.days_to_compliance) AS average_days_to_compliance
FROM adoptions AS a
JOIN customers AS c ON a.customer_id = c.customer_id
WHERE a.framework_name = ''HIPAA'' AND a.days_to_compliance IS NOT NULL
GROUP BY c.segment
ORDER BY average_days_to_compliance'),
    FINTECH_CONTROL_CHECK_AUTOMATION AS ( QUESTION 'What percentage of control checks are automated for fintech customers?' SQL 'SELECT COUNT_IF(x.is_automated) / COUNT(*) AS automated_activity_rate
FROM activities AS x
JOIN adoptions AS a ON x.adoption_id = a.adoption_id
JOIN customers AS c ON a.customer_id = c.customer_id
WHERE c.industry = ''fintech'' AND x.activity_type = ''control_check'''),
    AUDIT_SUCCESS_BY_MATURITY AS ( QUESTION 'How does audit success rate vary by customer compliance maturity level?' SQL 'SELECT c.compliance_maturity, COUNT_IF(x.is_successful) / COUNT(*) AS success_rate
FROM activities AS x
JOIN adoptions AS a ON x.adoption_id = a.adoption_id
JOIN customers AS c ON a.customer_id = c.customer_id
WHERE x.activity_type = ''audit''
GROUP BY c.compliance_maturity
ORDER BY c.compliance_maturity'),
    REMEDIATION_BY_FRAMEWORK AS ( QUESTION 'Which frameworks require the most remediation activities?' SQL 'SELECT a.framework_label AS framework, COUNT(*) AS remediation_activities
FROM activities AS x
JOIN adoptions AS a ON x.adoption_id = a.adoption_id
WHERE x.is_remediation
GROUP BY a.framework_label
ORDER BY remediation_activities DESC'),
    SOC2_TYPE_II_COST_BY_SEGMENT AS ( QUESTION 'What''s the average implementation cost for SOC 2 Type II by customer segment?' SQL 'SELECT c.segment, AVG(a.implementation_cost) AS average_implementation_cost
FROM adoptions AS a
JOIN customers AS c ON a.customer_id = c.customer_id
WHERE a.framework_name = ''SOC2_Type_II''
GROUP BY c.segment
ORDER BY c.segment'),
    HIGH_RISK_LAST_QUARTER AS ( QUESTION 'How many high-risk compliance activities occurred in the last quarter?' SQL 'SELECT COUNT_IF(is_high_risk) AS high_risk_activities
FROM activities
WHERE activity_date BETWEEN DATE ''2024-10-01'' AND DATE ''2024-12-31'''),
    TOTAL_HOURS_SAVED AS ( QUESTION 'What''s the total hours saved across all our customers?' SQL 'SELECT SUM(realised_hours_saved) AS realised_hours_saved
FROM adoptions'),
    ADOPTIONS_AND_AUTOMATION AS ( QUESTION 'How many framework adoptions do we have and what''s the average automation level?' ONBOARDING_QUESTION TRUE SQL 'SELECT COUNT(*) AS adoption_count, AVG(automation_level) AS average_automation_level
FROM adoptions')
  )
  COPY GRANTS;

GRANT SELECT, REFERENCES ON SEMANTIC VIEW PHANTOM_SEC.PLATINUM.COMPLIANCE_OPERATIONS TO ROLE ANALYST_COMPLIANCE;

GRANT SELECT, REFERENCES ON SEMANTIC VIEW PHANTOM_SEC.PLATINUM.COMPLIANCE_OPERATIONS TO ROLE CUSTOMER_SUCCESS;

GRANT SELECT, REFERENCES ON SEMANTIC VIEW PHANTOM_SEC.PLATINUM.COMPLIANCE_OPERATIONS TO ROLE EXECUTIVE_READER;

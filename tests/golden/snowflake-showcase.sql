-- ==== brz_compliance_activities: first build
CREATE SCHEMA IF NOT EXISTS "PHANTOM_SEC"."BRONZE";

CREATE OR REPLACE VIEW "PHANTOM_SEC"."BRONZE"."BRZ_COMPLIANCE_ACTIVITIES__CHARTER_STAGED" COPY GRANTS AS
-- Bronze: fact_compliance_activities as landed from the seed, one row per compliance work event.
select
    *
from
    "PHANTOM_SEC"."BRONZE"."FACT_COMPLIANCE_ACTIVITIES";

GRANT SELECT ON VIEW "PHANTOM_SEC"."BRONZE"."BRZ_COMPLIANCE_ACTIVITIES__CHARTER_STAGED" TO ROLE "DATA_ENGINEER";

ALTER VIEW "PHANTOM_SEC"."BRONZE"."BRZ_COMPLIANCE_ACTIVITIES__CHARTER_STAGED" RENAME TO "PHANTOM_SEC"."BRONZE"."BRZ_COMPLIANCE_ACTIVITIES";

-- ==== brz_compliance_frameworks: first build
CREATE SCHEMA IF NOT EXISTS "PHANTOM_SEC"."BRONZE";

CREATE OR REPLACE VIEW "PHANTOM_SEC"."BRONZE"."BRZ_COMPLIANCE_FRAMEWORKS__CHARTER_STAGED" COPY GRANTS AS
-- Bronze: dim_compliance_frameworks as landed from the seed, one row per framework (8 reference rows).
select
    *
from
    "PHANTOM_SEC"."BRONZE"."DIM_COMPLIANCE_FRAMEWORKS";

GRANT SELECT ON VIEW "PHANTOM_SEC"."BRONZE"."BRZ_COMPLIANCE_FRAMEWORKS__CHARTER_STAGED" TO ROLE "DATA_ENGINEER";

ALTER VIEW "PHANTOM_SEC"."BRONZE"."BRZ_COMPLIANCE_FRAMEWORKS__CHARTER_STAGED" RENAME TO "PHANTOM_SEC"."BRONZE"."BRZ_COMPLIANCE_FRAMEWORKS";

-- ==== brz_customers: first build
CREATE SCHEMA IF NOT EXISTS "PHANTOM_SEC"."BRONZE";

CREATE OR REPLACE VIEW "PHANTOM_SEC"."BRONZE"."BRZ_CUSTOMERS__CHARTER_STAGED" COPY GRANTS AS
-- Bronze: dim_customers as landed from the seed, one row per customer. No logic: a stable name to build on.
select
    *
from
    "PHANTOM_SEC"."BRONZE"."DIM_CUSTOMERS";

ALTER VIEW "PHANTOM_SEC"."BRONZE"."BRZ_CUSTOMERS__CHARTER_STAGED" MODIFY COLUMN "PRIMARY_CONTACT_NAME" SET TAG "PHANTOM_SEC"."GOVERNANCE"."PII" = 'pii';

ALTER VIEW "PHANTOM_SEC"."BRONZE"."BRZ_CUSTOMERS__CHARTER_STAGED" MODIFY COLUMN "PRIMARY_CONTACT_EMAIL" SET TAG "PHANTOM_SEC"."GOVERNANCE"."PII" = 'pii';

ALTER VIEW "PHANTOM_SEC"."BRONZE"."BRZ_CUSTOMERS__CHARTER_STAGED" MODIFY COLUMN "PRIMARY_CONTACT_PHONE" SET TAG "PHANTOM_SEC"."GOVERNANCE"."PII" = 'pii';

ALTER VIEW "PHANTOM_SEC"."BRONZE"."BRZ_CUSTOMERS__CHARTER_STAGED" MODIFY COLUMN "PRIMARY_CONTACT_NAME" SET MASKING POLICY "PHANTOM_SEC"."GOVERNANCE"."MASK_PII" FORCE;

ALTER VIEW "PHANTOM_SEC"."BRONZE"."BRZ_CUSTOMERS__CHARTER_STAGED" MODIFY COLUMN "PRIMARY_CONTACT_EMAIL" SET MASKING POLICY "PHANTOM_SEC"."GOVERNANCE"."MASK_PII" FORCE;

ALTER VIEW "PHANTOM_SEC"."BRONZE"."BRZ_CUSTOMERS__CHARTER_STAGED" MODIFY COLUMN "PRIMARY_CONTACT_PHONE" SET MASKING POLICY "PHANTOM_SEC"."GOVERNANCE"."MASK_PII" FORCE;

GRANT SELECT ON VIEW "PHANTOM_SEC"."BRONZE"."BRZ_CUSTOMERS__CHARTER_STAGED" TO ROLE "DATA_ENGINEER";

ALTER VIEW "PHANTOM_SEC"."BRONZE"."BRZ_CUSTOMERS__CHARTER_STAGED" RENAME TO "PHANTOM_SEC"."BRONZE"."BRZ_CUSTOMERS";

-- ==== brz_framework_adoptions: first build
CREATE SCHEMA IF NOT EXISTS "PHANTOM_SEC"."BRONZE";

CREATE OR REPLACE VIEW "PHANTOM_SEC"."BRONZE"."BRZ_FRAMEWORK_ADOPTIONS__CHARTER_STAGED" COPY GRANTS AS
-- Bronze: fact_framework_adoptions as landed from the seed, one row per customer x framework adoption.
select
    *
from
    "PHANTOM_SEC"."BRONZE"."FACT_FRAMEWORK_ADOPTIONS";

GRANT SELECT ON VIEW "PHANTOM_SEC"."BRONZE"."BRZ_FRAMEWORK_ADOPTIONS__CHARTER_STAGED" TO ROLE "DATA_ENGINEER";

ALTER VIEW "PHANTOM_SEC"."BRONZE"."BRZ_FRAMEWORK_ADOPTIONS__CHARTER_STAGED" RENAME TO "PHANTOM_SEC"."BRONZE"."BRZ_FRAMEWORK_ADOPTIONS";

-- ==== brz_phi_incidents: first build
CREATE SCHEMA IF NOT EXISTS "PHANTOM_SEC"."BRONZE";

CREATE OR REPLACE VIEW "PHANTOM_SEC"."BRONZE"."BRZ_PHI_INCIDENTS__CHARTER_STAGED" COPY GRANTS AS
-- Bronze: fact_phi_incidents as landed from the seed, one row per incident in a HIPAA customer's breach register.
-- No logic: a stable name to build on. patient_pseudonym (PHI) and reporter_email (PII) are masked by the contract.
select
    *
from
    "PHANTOM_SEC"."BRONZE"."FACT_PHI_INCIDENTS";

ALTER VIEW "PHANTOM_SEC"."BRONZE"."BRZ_PHI_INCIDENTS__CHARTER_STAGED" MODIFY COLUMN "PATIENT_PSEUDONYM" SET TAG "PHANTOM_SEC"."GOVERNANCE"."PII" = 'phi';

ALTER VIEW "PHANTOM_SEC"."BRONZE"."BRZ_PHI_INCIDENTS__CHARTER_STAGED" MODIFY COLUMN "REPORTER_EMAIL" SET TAG "PHANTOM_SEC"."GOVERNANCE"."PII" = 'pii';

ALTER VIEW "PHANTOM_SEC"."BRONZE"."BRZ_PHI_INCIDENTS__CHARTER_STAGED" MODIFY COLUMN "PATIENT_PSEUDONYM" SET MASKING POLICY "PHANTOM_SEC"."GOVERNANCE"."MASK_PHI" FORCE;

ALTER VIEW "PHANTOM_SEC"."BRONZE"."BRZ_PHI_INCIDENTS__CHARTER_STAGED" MODIFY COLUMN "REPORTER_EMAIL" SET MASKING POLICY "PHANTOM_SEC"."GOVERNANCE"."MASK_EMAIL" FORCE;

ALTER VIEW "PHANTOM_SEC"."BRONZE"."BRZ_PHI_INCIDENTS__CHARTER_STAGED" ADD ROW ACCESS POLICY "PHANTOM_SEC"."GOVERNANCE"."INCIDENT_REGION" ON ("REGION");

GRANT SELECT ON VIEW "PHANTOM_SEC"."BRONZE"."BRZ_PHI_INCIDENTS__CHARTER_STAGED" TO ROLE "ANALYST_PHI";

ALTER VIEW "PHANTOM_SEC"."BRONZE"."BRZ_PHI_INCIDENTS__CHARTER_STAGED" RENAME TO "PHANTOM_SEC"."BRONZE"."BRZ_PHI_INCIDENTS";

-- ==== brz_subscription_events: first build
CREATE SCHEMA IF NOT EXISTS "PHANTOM_SEC"."BRONZE";

CREATE OR REPLACE VIEW "PHANTOM_SEC"."BRONZE"."BRZ_SUBSCRIPTION_EVENTS__CHARTER_STAGED" COPY GRANTS AS
-- Bronze: fact_subscription_events as landed from the seed, one row per subscription ledger event.
select
    *
from
    "PHANTOM_SEC"."BRONZE"."FACT_SUBSCRIPTION_EVENTS";

GRANT SELECT ON VIEW "PHANTOM_SEC"."BRONZE"."BRZ_SUBSCRIPTION_EVENTS__CHARTER_STAGED" TO ROLE "DATA_ENGINEER";

ALTER VIEW "PHANTOM_SEC"."BRONZE"."BRZ_SUBSCRIPTION_EVENTS__CHARTER_STAGED" RENAME TO "PHANTOM_SEC"."BRONZE"."BRZ_SUBSCRIPTION_EVENTS";

-- ==== dim_customer_360: first build
CREATE SCHEMA IF NOT EXISTS "PHANTOM_SEC"."PLATINUM";

CREATE OR REPLACE TABLE "PHANTOM_SEC"."PLATINUM"."DIM_CUSTOMER_360__CHARTER_STAGED" AS
-- Platinum: one row per customer, as of the as-of date (var as_of_date, also a column): profile, subscription
-- state (current MRR/ARR, status active / churned / never_subscribed, first subscription and churn dates,
-- tenure, upsells and expansions), compliance footprint (frameworks adopted and certified, hours saved
-- realised and projected, activity rates). The primary_contact_* columns are PII, passed through for the
-- governance layer to mask.

with
    events as (
        select
            *
        from
            "PHANTOM_SEC"."SILVER"."STG_SUBSCRIPTION_EVENTS"
        where
            event_date <= '2024-12-31'::DATE
    ),
    subscription as (
        select
            customer_id,
            min(event_date) as first_subscription_date,
            count(*) as subscription_event_count,
            sum(iff(event_type = 'expansion', 1, 0)) as upsell_count,
            sum(iff(event_type = 'downgrade', 1, 0)) as downgrade_count
        from
            events
        group by
            customer_id
    ),
    latest_event as (
        select
            customer_id,
            event_date as latest_event_date,
            IFF(event_type = 'expansion', 'upsell', event_type) as latest_event_type,
            product_tier as current_product_tier,
            billing_period as current_billing_period,
            contract_end_date as current_contract_end_date,
            sales_channel,
            payment_method
        from
            events
        qualify
            row_number() over (
                partition by
                    customer_id
                order by
                    event_date desc,
                    event_id desc
            ) = 1
    ),
    revenue as (
        select
            customer_id,
            sum(
                iff(month_start = date_trunc('month', '2024-12-31'::DATE), mrr, 0)
            ) as current_mrr,
            max(mrr) as peak_mrr,
            sum(iff(is_active, 1, 0)) as months_active,
            sum(iff(movement = 'expansion', 1, 0)) as expansion_month_count,
            sum(expansion_mrr) as total_expansion_mrr
        from
            "PHANTOM_SEC"."PLATINUM"."FCT_MRR_MONTHLY"
        group by
            customer_id
    ),
    adoptions as (
        select
            customer_id,
            count(distinct framework_id) as frameworks_adopted_count,
            count(distinct iff(is_completed, framework_id, null)) as frameworks_completed_count,
            count(distinct iff(is_certified, framework_id, null)) as frameworks_certified_count,
            count(distinct iff(is_active, framework_id, null)) as frameworks_in_progress_count,
            sum(realised_hours_saved) as realised_hours_saved,
            sum(projected_hours_saved) as projected_hours_saved,
            sum(implementation_cost) as total_implementation_cost,
            round(avg(audit_score), 1) as avg_audit_score
        from
            "PHANTOM_SEC"."PLATINUM"."FCT_FRAMEWORK_ADOPTIONS"
        group by
            customer_id
    ),
    activities as (
        select
            customer_id,
            count(*) as activity_count,
            ROUND(100 * (sum(iff(is_automated, 1, 0))) / NULLIF(count(*), 0), 2) as activity_automation_rate_pct,
            ROUND(100 * (sum(iff(is_successful, 1, 0))) / NULLIF(count(*), 0), 2) as activity_success_rate_pct,
            max(activity_date) as latest_activity_date
        from
            "PHANTOM_SEC"."PLATINUM"."FCT_COMPLIANCE_ACTIVITIES"
        group by
            customer_id
    ),
    joined as (
        select
            c.*,
            s.first_subscription_date,
            s.subscription_event_count,
            s.upsell_count,
            s.downgrade_count,
            l.latest_event_date,
            l.latest_event_type,
            l.current_product_tier,
            l.current_billing_period,
            l.current_contract_end_date,
            l.sales_channel,
            l.payment_method,
            coalesce(r.current_mrr, 0) as current_mrr,
            coalesce(r.peak_mrr, 0) as peak_mrr,
            coalesce(r.months_active, 0) as months_active,
            coalesce(r.expansion_month_count, 0) as expansion_month_count,
            coalesce(r.total_expansion_mrr, 0) as total_expansion_mrr,
            case
                when s.first_subscription_date is null then 'never_subscribed'
                when coalesce(r.current_mrr, 0) > 0 then 'active'
                else 'churned'
            end as customer_status,
            coalesce(ad.frameworks_adopted_count, 0) as frameworks_adopted_count,
            coalesce(ad.frameworks_completed_count, 0) as frameworks_completed_count,
            coalesce(ad.frameworks_certified_count, 0) as frameworks_certified_count,
            coalesce(ad.frameworks_in_progress_count, 0) as frameworks_in_progress_count,
            coalesce(ad.realised_hours_saved, 0) as realised_hours_saved,
            coalesce(ad.projected_hours_saved, 0) as projected_hours_saved,
            coalesce(ad.total_implementation_cost, 0) as total_implementation_cost,
            ad.avg_audit_score,
            coalesce(ac.activity_count, 0) as activity_count,
            ac.activity_automation_rate_pct,
            ac.activity_success_rate_pct,
            ac.latest_activity_date
        from
            "PHANTOM_SEC"."SILVER"."STG_CUSTOMERS" as c
            left join subscription as s on s.customer_id = c.customer_id
            left join latest_event as l on l.customer_id = c.customer_id
            left join revenue as r on r.customer_id = c.customer_id
            left join adoptions as ad on ad.customer_id = c.customer_id
            left join activities as ac on ac.customer_id = c.customer_id
    )
select
    customer_id,
    company_name,
    segment,
    industry,
    state_province,
    country,
    compliance_maturity,
    primary_cloud_provider,
    employee_count,
    annual_revenue,
    signup_date,
    customer_status,
    customer_status = 'active' as is_active,
    first_subscription_date,
    date_trunc('month', first_subscription_date) as first_subscription_month,
    iff(
        customer_status = 'churned',
        latest_event_date,
        null
    ) as churn_date,
    -- Calendar months from the first subscription to the churn date (or the as-of date while active).
    datediff(
        month,
        first_subscription_date,
        iff(
            customer_status = 'churned',
            latest_event_date,
            '2024-12-31'::DATE
        )
    ) as tenure_months,
    months_active,
    latest_event_type,
    latest_event_date,
    iff(
        customer_status = 'active',
        current_product_tier,
        null
    ) as current_product_tier,
    iff(
        customer_status = 'active',
        current_billing_period,
        null
    ) as current_billing_period,
    iff(
        customer_status = 'active',
        current_contract_end_date,
        null
    ) as current_contract_end_date,
    sales_channel,
    payment_method,
    CAST(ROUND(current_mrr, 2) AS NUMBER(18,2)) as current_mrr,
    CAST(12 * (current_mrr) AS NUMBER(18,2)) as current_arr,
    CAST(ROUND(peak_mrr, 2) AS NUMBER(18,2)) as peak_mrr,
    subscription_event_count,
    upsell_count,
    downgrade_count,
    expansion_month_count,
    CAST(ROUND(total_expansion_mrr, 2) AS NUMBER(18,2)) as total_expansion_mrr,
    frameworks_adopted_count,
    frameworks_completed_count,
    frameworks_certified_count,
    frameworks_in_progress_count,
    realised_hours_saved,
    projected_hours_saved,
    CAST(ROUND(total_implementation_cost, 2) AS NUMBER(18,2)) as total_implementation_cost,
    avg_audit_score,
    activity_count,
    activity_automation_rate_pct,
    activity_success_rate_pct,
    latest_activity_date,
    primary_contact_name,
    primary_contact_email,
    primary_contact_phone,
    '2024-12-31'::DATE as as_of_date
from
    joined;

ALTER TABLE "PHANTOM_SEC"."PLATINUM"."DIM_CUSTOMER_360__CHARTER_STAGED" MODIFY COLUMN "PRIMARY_CONTACT_NAME" SET TAG "PHANTOM_SEC"."GOVERNANCE"."PII" = 'pii';

ALTER TABLE "PHANTOM_SEC"."PLATINUM"."DIM_CUSTOMER_360__CHARTER_STAGED" MODIFY COLUMN "PRIMARY_CONTACT_EMAIL" SET TAG "PHANTOM_SEC"."GOVERNANCE"."PII" = 'pii';

ALTER TABLE "PHANTOM_SEC"."PLATINUM"."DIM_CUSTOMER_360__CHARTER_STAGED" MODIFY COLUMN "PRIMARY_CONTACT_PHONE" SET TAG "PHANTOM_SEC"."GOVERNANCE"."PII" = 'pii';

ALTER TABLE "PHANTOM_SEC"."PLATINUM"."DIM_CUSTOMER_360__CHARTER_STAGED" MODIFY COLUMN "PRIMARY_CONTACT_NAME" SET MASKING POLICY "PHANTOM_SEC"."GOVERNANCE"."MASK_PII" FORCE;

ALTER TABLE "PHANTOM_SEC"."PLATINUM"."DIM_CUSTOMER_360__CHARTER_STAGED" MODIFY COLUMN "PRIMARY_CONTACT_EMAIL" SET MASKING POLICY "PHANTOM_SEC"."GOVERNANCE"."MASK_PII" FORCE;

ALTER TABLE "PHANTOM_SEC"."PLATINUM"."DIM_CUSTOMER_360__CHARTER_STAGED" MODIFY COLUMN "PRIMARY_CONTACT_PHONE" SET MASKING POLICY "PHANTOM_SEC"."GOVERNANCE"."MASK_PII" FORCE;

ALTER TABLE "PHANTOM_SEC"."PLATINUM"."DIM_CUSTOMER_360__CHARTER_STAGED" ADD ROW ACCESS POLICY "PHANTOM_SEC"."GOVERNANCE"."CUSTOMER_SEGMENT_ACCESS" ON ("SEGMENT");

GRANT SELECT ON TABLE "PHANTOM_SEC"."PLATINUM"."DIM_CUSTOMER_360__CHARTER_STAGED" TO ROLE "ANALYST_REVENUE";

GRANT SELECT ON TABLE "PHANTOM_SEC"."PLATINUM"."DIM_CUSTOMER_360__CHARTER_STAGED" TO ROLE "CUSTOMER_SUCCESS";

GRANT SELECT ON TABLE "PHANTOM_SEC"."PLATINUM"."DIM_CUSTOMER_360__CHARTER_STAGED" TO ROLE "EXECUTIVE_READER";

ALTER TABLE "PHANTOM_SEC"."PLATINUM"."DIM_CUSTOMER_360__CHARTER_STAGED" RENAME TO "PHANTOM_SEC"."PLATINUM"."DIM_CUSTOMER_360";

-- ==== dim_customer_360: over an existing table
CREATE SCHEMA IF NOT EXISTS "PHANTOM_SEC"."PLATINUM";

CREATE OR REPLACE TABLE "PHANTOM_SEC"."PLATINUM"."DIM_CUSTOMER_360__CHARTER_STAGED" AS
-- Platinum: one row per customer, as of the as-of date (var as_of_date, also a column): profile, subscription
-- state (current MRR/ARR, status active / churned / never_subscribed, first subscription and churn dates,
-- tenure, upsells and expansions), compliance footprint (frameworks adopted and certified, hours saved
-- realised and projected, activity rates). The primary_contact_* columns are PII, passed through for the
-- governance layer to mask.

with
    events as (
        select
            *
        from
            "PHANTOM_SEC"."SILVER"."STG_SUBSCRIPTION_EVENTS"
        where
            event_date <= '2024-12-31'::DATE
    ),
    subscription as (
        select
            customer_id,
            min(event_date) as first_subscription_date,
            count(*) as subscription_event_count,
            sum(iff(event_type = 'expansion', 1, 0)) as upsell_count,
            sum(iff(event_type = 'downgrade', 1, 0)) as downgrade_count
        from
            events
        group by
            customer_id
    ),
    latest_event as (
        select
            customer_id,
            event_date as latest_event_date,
            IFF(event_type = 'expansion', 'upsell', event_type) as latest_event_type,
            product_tier as current_product_tier,
            billing_period as current_billing_period,
            contract_end_date as current_contract_end_date,
            sales_channel,
            payment_method
        from
            events
        qualify
            row_number() over (
                partition by
                    customer_id
                order by
                    event_date desc,
                    event_id desc
            ) = 1
    ),
    revenue as (
        select
            customer_id,
            sum(
                iff(month_start = date_trunc('month', '2024-12-31'::DATE), mrr, 0)
            ) as current_mrr,
            max(mrr) as peak_mrr,
            sum(iff(is_active, 1, 0)) as months_active,
            sum(iff(movement = 'expansion', 1, 0)) as expansion_month_count,
            sum(expansion_mrr) as total_expansion_mrr
        from
            "PHANTOM_SEC"."PLATINUM"."FCT_MRR_MONTHLY"
        group by
            customer_id
    ),
    adoptions as (
        select
            customer_id,
            count(distinct framework_id) as frameworks_adopted_count,
            count(distinct iff(is_completed, framework_id, null)) as frameworks_completed_count,
            count(distinct iff(is_certified, framework_id, null)) as frameworks_certified_count,
            count(distinct iff(is_active, framework_id, null)) as frameworks_in_progress_count,
            sum(realised_hours_saved) as realised_hours_saved,
            sum(projected_hours_saved) as projected_hours_saved,
            sum(implementation_cost) as total_implementation_cost,
            round(avg(audit_score), 1) as avg_audit_score
        from
            "PHANTOM_SEC"."PLATINUM"."FCT_FRAMEWORK_ADOPTIONS"
        group by
            customer_id
    ),
    activities as (
        select
            customer_id,
            count(*) as activity_count,
            ROUND(100 * (sum(iff(is_automated, 1, 0))) / NULLIF(count(*), 0), 2) as activity_automation_rate_pct,
            ROUND(100 * (sum(iff(is_successful, 1, 0))) / NULLIF(count(*), 0), 2) as activity_success_rate_pct,
            max(activity_date) as latest_activity_date
        from
            "PHANTOM_SEC"."PLATINUM"."FCT_COMPLIANCE_ACTIVITIES"
        group by
            customer_id
    ),
    joined as (
        select
            c.*,
            s.first_subscription_date,
            s.subscription_event_count,
            s.upsell_count,
            s.downgrade_count,
            l.latest_event_date,
            l.latest_event_type,
            l.current_product_tier,
            l.current_billing_period,
            l.current_contract_end_date,
            l.sales_channel,
            l.payment_method,
            coalesce(r.current_mrr, 0) as current_mrr,
            coalesce(r.peak_mrr, 0) as peak_mrr,
            coalesce(r.months_active, 0) as months_active,
            coalesce(r.expansion_month_count, 0) as expansion_month_count,
            coalesce(r.total_expansion_mrr, 0) as total_expansion_mrr,
            case
                when s.first_subscription_date is null then 'never_subscribed'
                when coalesce(r.current_mrr, 0) > 0 then 'active'
                else 'churned'
            end as customer_status,
            coalesce(ad.frameworks_adopted_count, 0) as frameworks_adopted_count,
            coalesce(ad.frameworks_completed_count, 0) as frameworks_completed_count,
            coalesce(ad.frameworks_certified_count, 0) as frameworks_certified_count,
            coalesce(ad.frameworks_in_progress_count, 0) as frameworks_in_progress_count,
            coalesce(ad.realised_hours_saved, 0) as realised_hours_saved,
            coalesce(ad.projected_hours_saved, 0) as projected_hours_saved,
            coalesce(ad.total_implementation_cost, 0) as total_implementation_cost,
            ad.avg_audit_score,
            coalesce(ac.activity_count, 0) as activity_count,
            ac.activity_automation_rate_pct,
            ac.activity_success_rate_pct,
            ac.latest_activity_date
        from
            "PHANTOM_SEC"."SILVER"."STG_CUSTOMERS" as c
            left join subscription as s on s.customer_id = c.customer_id
            left join latest_event as l on l.customer_id = c.customer_id
            left join revenue as r on r.customer_id = c.customer_id
            left join adoptions as ad on ad.customer_id = c.customer_id
            left join activities as ac on ac.customer_id = c.customer_id
    )
select
    customer_id,
    company_name,
    segment,
    industry,
    state_province,
    country,
    compliance_maturity,
    primary_cloud_provider,
    employee_count,
    annual_revenue,
    signup_date,
    customer_status,
    customer_status = 'active' as is_active,
    first_subscription_date,
    date_trunc('month', first_subscription_date) as first_subscription_month,
    iff(
        customer_status = 'churned',
        latest_event_date,
        null
    ) as churn_date,
    -- Calendar months from the first subscription to the churn date (or the as-of date while active).
    datediff(
        month,
        first_subscription_date,
        iff(
            customer_status = 'churned',
            latest_event_date,
            '2024-12-31'::DATE
        )
    ) as tenure_months,
    months_active,
    latest_event_type,
    latest_event_date,
    iff(
        customer_status = 'active',
        current_product_tier,
        null
    ) as current_product_tier,
    iff(
        customer_status = 'active',
        current_billing_period,
        null
    ) as current_billing_period,
    iff(
        customer_status = 'active',
        current_contract_end_date,
        null
    ) as current_contract_end_date,
    sales_channel,
    payment_method,
    CAST(ROUND(current_mrr, 2) AS NUMBER(18,2)) as current_mrr,
    CAST(12 * (current_mrr) AS NUMBER(18,2)) as current_arr,
    CAST(ROUND(peak_mrr, 2) AS NUMBER(18,2)) as peak_mrr,
    subscription_event_count,
    upsell_count,
    downgrade_count,
    expansion_month_count,
    CAST(ROUND(total_expansion_mrr, 2) AS NUMBER(18,2)) as total_expansion_mrr,
    frameworks_adopted_count,
    frameworks_completed_count,
    frameworks_certified_count,
    frameworks_in_progress_count,
    realised_hours_saved,
    projected_hours_saved,
    CAST(ROUND(total_implementation_cost, 2) AS NUMBER(18,2)) as total_implementation_cost,
    avg_audit_score,
    activity_count,
    activity_automation_rate_pct,
    activity_success_rate_pct,
    latest_activity_date,
    primary_contact_name,
    primary_contact_email,
    primary_contact_phone,
    '2024-12-31'::DATE as as_of_date
from
    joined;

ALTER TABLE "PHANTOM_SEC"."PLATINUM"."DIM_CUSTOMER_360__CHARTER_STAGED" MODIFY COLUMN "PRIMARY_CONTACT_NAME" SET TAG "PHANTOM_SEC"."GOVERNANCE"."PII" = 'pii';

ALTER TABLE "PHANTOM_SEC"."PLATINUM"."DIM_CUSTOMER_360__CHARTER_STAGED" MODIFY COLUMN "PRIMARY_CONTACT_EMAIL" SET TAG "PHANTOM_SEC"."GOVERNANCE"."PII" = 'pii';

ALTER TABLE "PHANTOM_SEC"."PLATINUM"."DIM_CUSTOMER_360__CHARTER_STAGED" MODIFY COLUMN "PRIMARY_CONTACT_PHONE" SET TAG "PHANTOM_SEC"."GOVERNANCE"."PII" = 'pii';

ALTER TABLE "PHANTOM_SEC"."PLATINUM"."DIM_CUSTOMER_360__CHARTER_STAGED" MODIFY COLUMN "PRIMARY_CONTACT_NAME" SET MASKING POLICY "PHANTOM_SEC"."GOVERNANCE"."MASK_PII" FORCE;

ALTER TABLE "PHANTOM_SEC"."PLATINUM"."DIM_CUSTOMER_360__CHARTER_STAGED" MODIFY COLUMN "PRIMARY_CONTACT_EMAIL" SET MASKING POLICY "PHANTOM_SEC"."GOVERNANCE"."MASK_PII" FORCE;

ALTER TABLE "PHANTOM_SEC"."PLATINUM"."DIM_CUSTOMER_360__CHARTER_STAGED" MODIFY COLUMN "PRIMARY_CONTACT_PHONE" SET MASKING POLICY "PHANTOM_SEC"."GOVERNANCE"."MASK_PII" FORCE;

ALTER TABLE "PHANTOM_SEC"."PLATINUM"."DIM_CUSTOMER_360__CHARTER_STAGED" ADD ROW ACCESS POLICY "PHANTOM_SEC"."GOVERNANCE"."CUSTOMER_SEGMENT_ACCESS" ON ("SEGMENT");

GRANT SELECT ON TABLE "PHANTOM_SEC"."PLATINUM"."DIM_CUSTOMER_360__CHARTER_STAGED" TO ROLE "ANALYST_REVENUE";

GRANT SELECT ON TABLE "PHANTOM_SEC"."PLATINUM"."DIM_CUSTOMER_360__CHARTER_STAGED" TO ROLE "CUSTOMER_SUCCESS";

GRANT SELECT ON TABLE "PHANTOM_SEC"."PLATINUM"."DIM_CUSTOMER_360__CHARTER_STAGED" TO ROLE "EXECUTIVE_READER";

ALTER TABLE "PHANTOM_SEC"."PLATINUM"."DIM_CUSTOMER_360__CHARTER_STAGED" SWAP WITH "PHANTOM_SEC"."PLATINUM"."DIM_CUSTOMER_360";

DROP TABLE IF EXISTS "PHANTOM_SEC"."PLATINUM"."DIM_CUSTOMER_360__CHARTER_STAGED";

-- ==== fct_arr_quarterly: first build
CREATE SCHEMA IF NOT EXISTS "PHANTOM_SEC"."PLATINUM";

CREATE OR REPLACE TABLE "PHANTOM_SEC"."PLATINUM"."FCT_ARR_QUARTERLY__CHARTER_STAGED" AS
-- Platinum: one row per customer per calendar quarter in which they held a subscription, with ARR at the
-- quarter's end (snapshot_date: the quarter's last day, or the as-of date in the as-of quarter), ARR at the
-- start (the previous quarter's end), the quarter's MRR bridge (the sums of its months' movements in
-- fct_mrr_monthly, so "expansion" means the same here as there) and its net movement. "Total ARR in Q4 2024" =
-- sum(arr) where calendar_quarter = '2024-Q4'. Derived from fct_mrr_monthly, so both agree on every quarter end.

with
    months as (
        select
            customer_id,
            first_subscription_month,
            month_start,
            mrr,
            prev_mrr,
            new_mrr,
            reactivation_mrr,
            expansion_mrr,
            upsell_mrr,
            price_uplift_mrr,
            contraction_mrr,
            churned_mrr,
            upsell_count,
            date_trunc('quarter', month_start) as quarter_start,
            row_number() over (
                partition by
                    customer_id,
                    date_trunc('quarter', month_start)
                order by
                    month_start
            ) as month_asc,
            row_number() over (
                partition by
                    customer_id,
                    date_trunc('quarter', month_start)
                order by
                    month_start desc
            ) as month_desc
        from
            "PHANTOM_SEC"."PLATINUM"."FCT_MRR_MONTHLY"
    ),
    -- A customer's rows run without gaps until churn, so the quarter's first row holds the MRR at its start
    -- (0 when they joined during it) and its last row the MRR at its end (0 when they churned during it).
    quarters as (
        select
            customer_id,
            quarter_start,
            min(first_subscription_month) as first_subscription_month,
            sum(iff(month_asc = 1, prev_mrr, 0)) as starting_mrr,
            sum(iff(month_desc = 1, mrr, 0)) as ending_mrr,
            sum(new_mrr) as new_mrr,
            sum(reactivation_mrr) as reactivation_mrr,
            sum(expansion_mrr) as expansion_mrr,
            sum(upsell_mrr) as upsell_mrr,
            sum(price_uplift_mrr) as price_uplift_mrr,
            sum(contraction_mrr) as contraction_mrr,
            sum(churned_mrr) as churned_mrr,
            sum(upsell_count) as upsell_count
        from
            months
        group by
            customer_id,
            quarter_start
    )
select
    customer_id || '-' || to_varchar(quarter_start, 'YYYY') || '-Q' || to_varchar(quarter(quarter_start)) as snapshot_key,
    customer_id,
    to_varchar(quarter_start, 'YYYY') || '-Q' || to_varchar(quarter(quarter_start)) as calendar_quarter,
    quarter_start,
    last_day(quarter_start, 'quarter') as quarter_end,
    least(last_day(quarter_start, 'quarter'), '2024-12-31'::DATE) as snapshot_date,
    CAST(ROUND(starting_mrr, 2) AS NUMBER(18,2)) as starting_mrr,
    CAST(ROUND(ending_mrr, 2) AS NUMBER(18,2)) as mrr,
    CAST(12 * (starting_mrr) AS NUMBER(18,2)) as starting_arr,
    CAST(12 * (ending_mrr) AS NUMBER(18,2)) as arr,
    CAST(12 * (ending_mrr - starting_mrr) AS NUMBER(18,2)) as arr_change,
    CAST(ROUND(new_mrr, 2) AS NUMBER(18,2)) as new_mrr,
    CAST(ROUND(reactivation_mrr, 2) AS NUMBER(18,2)) as reactivation_mrr,
    CAST(ROUND(expansion_mrr, 2) AS NUMBER(18,2)) as expansion_mrr,
    CAST(ROUND(upsell_mrr, 2) AS NUMBER(18,2)) as upsell_mrr,
    CAST(ROUND(price_uplift_mrr, 2) AS NUMBER(18,2)) as price_uplift_mrr,
    CAST(ROUND(contraction_mrr, 2) AS NUMBER(18,2)) as contraction_mrr,
    CAST(ROUND(churned_mrr, 2) AS NUMBER(18,2)) as churned_mrr,
    upsell_count,
    -- The quarter's net change, classified as a month's movement is; a customer who expanded and then
    -- contracted within the quarter can net to anything, so count expansions with expansion_mrr > 0.
    CASE
    WHEN (starting_mrr) = 0 AND (ending_mrr) > 0 THEN IFF(quarter_start = date_trunc('quarter', first_subscription_month), 'new', 'reactivation')
    WHEN (starting_mrr) > 0 AND (ending_mrr) = 0 THEN 'churn'
    WHEN (ending_mrr) > (starting_mrr) THEN 'expansion'
    WHEN (ending_mrr) < (starting_mrr) THEN 'contraction'
    ELSE 'unchanged'
END as net_movement,
    ending_mrr > 0 as is_active,
    '2024-12-31'::DATE as as_of_date
from
    quarters;

GRANT SELECT ON TABLE "PHANTOM_SEC"."PLATINUM"."FCT_ARR_QUARTERLY__CHARTER_STAGED" TO ROLE "ANALYST_REVENUE";

GRANT SELECT ON TABLE "PHANTOM_SEC"."PLATINUM"."FCT_ARR_QUARTERLY__CHARTER_STAGED" TO ROLE "FINANCE";

GRANT SELECT ON TABLE "PHANTOM_SEC"."PLATINUM"."FCT_ARR_QUARTERLY__CHARTER_STAGED" TO ROLE "EXECUTIVE_READER";

ALTER TABLE "PHANTOM_SEC"."PLATINUM"."FCT_ARR_QUARTERLY__CHARTER_STAGED" RENAME TO "PHANTOM_SEC"."PLATINUM"."FCT_ARR_QUARTERLY";

-- ==== fct_arr_quarterly: over an existing table
CREATE SCHEMA IF NOT EXISTS "PHANTOM_SEC"."PLATINUM";

CREATE OR REPLACE TABLE "PHANTOM_SEC"."PLATINUM"."FCT_ARR_QUARTERLY__CHARTER_STAGED" AS
-- Platinum: one row per customer per calendar quarter in which they held a subscription, with ARR at the
-- quarter's end (snapshot_date: the quarter's last day, or the as-of date in the as-of quarter), ARR at the
-- start (the previous quarter's end), the quarter's MRR bridge (the sums of its months' movements in
-- fct_mrr_monthly, so "expansion" means the same here as there) and its net movement. "Total ARR in Q4 2024" =
-- sum(arr) where calendar_quarter = '2024-Q4'. Derived from fct_mrr_monthly, so both agree on every quarter end.

with
    months as (
        select
            customer_id,
            first_subscription_month,
            month_start,
            mrr,
            prev_mrr,
            new_mrr,
            reactivation_mrr,
            expansion_mrr,
            upsell_mrr,
            price_uplift_mrr,
            contraction_mrr,
            churned_mrr,
            upsell_count,
            date_trunc('quarter', month_start) as quarter_start,
            row_number() over (
                partition by
                    customer_id,
                    date_trunc('quarter', month_start)
                order by
                    month_start
            ) as month_asc,
            row_number() over (
                partition by
                    customer_id,
                    date_trunc('quarter', month_start)
                order by
                    month_start desc
            ) as month_desc
        from
            "PHANTOM_SEC"."PLATINUM"."FCT_MRR_MONTHLY"
    ),
    -- A customer's rows run without gaps until churn, so the quarter's first row holds the MRR at its start
    -- (0 when they joined during it) and its last row the MRR at its end (0 when they churned during it).
    quarters as (
        select
            customer_id,
            quarter_start,
            min(first_subscription_month) as first_subscription_month,
            sum(iff(month_asc = 1, prev_mrr, 0)) as starting_mrr,
            sum(iff(month_desc = 1, mrr, 0)) as ending_mrr,
            sum(new_mrr) as new_mrr,
            sum(reactivation_mrr) as reactivation_mrr,
            sum(expansion_mrr) as expansion_mrr,
            sum(upsell_mrr) as upsell_mrr,
            sum(price_uplift_mrr) as price_uplift_mrr,
            sum(contraction_mrr) as contraction_mrr,
            sum(churned_mrr) as churned_mrr,
            sum(upsell_count) as upsell_count
        from
            months
        group by
            customer_id,
            quarter_start
    )
select
    customer_id || '-' || to_varchar(quarter_start, 'YYYY') || '-Q' || to_varchar(quarter(quarter_start)) as snapshot_key,
    customer_id,
    to_varchar(quarter_start, 'YYYY') || '-Q' || to_varchar(quarter(quarter_start)) as calendar_quarter,
    quarter_start,
    last_day(quarter_start, 'quarter') as quarter_end,
    least(last_day(quarter_start, 'quarter'), '2024-12-31'::DATE) as snapshot_date,
    CAST(ROUND(starting_mrr, 2) AS NUMBER(18,2)) as starting_mrr,
    CAST(ROUND(ending_mrr, 2) AS NUMBER(18,2)) as mrr,
    CAST(12 * (starting_mrr) AS NUMBER(18,2)) as starting_arr,
    CAST(12 * (ending_mrr) AS NUMBER(18,2)) as arr,
    CAST(12 * (ending_mrr - starting_mrr) AS NUMBER(18,2)) as arr_change,
    CAST(ROUND(new_mrr, 2) AS NUMBER(18,2)) as new_mrr,
    CAST(ROUND(reactivation_mrr, 2) AS NUMBER(18,2)) as reactivation_mrr,
    CAST(ROUND(expansion_mrr, 2) AS NUMBER(18,2)) as expansion_mrr,
    CAST(ROUND(upsell_mrr, 2) AS NUMBER(18,2)) as upsell_mrr,
    CAST(ROUND(price_uplift_mrr, 2) AS NUMBER(18,2)) as price_uplift_mrr,
    CAST(ROUND(contraction_mrr, 2) AS NUMBER(18,2)) as contraction_mrr,
    CAST(ROUND(churned_mrr, 2) AS NUMBER(18,2)) as churned_mrr,
    upsell_count,
    -- The quarter's net change, classified as a month's movement is; a customer who expanded and then
    -- contracted within the quarter can net to anything, so count expansions with expansion_mrr > 0.
    CASE
    WHEN (starting_mrr) = 0 AND (ending_mrr) > 0 THEN IFF(quarter_start = date_trunc('quarter', first_subscription_month), 'new', 'reactivation')
    WHEN (starting_mrr) > 0 AND (ending_mrr) = 0 THEN 'churn'
    WHEN (ending_mrr) > (starting_mrr) THEN 'expansion'
    WHEN (ending_mrr) < (starting_mrr) THEN 'contraction'
    ELSE 'unchanged'
END as net_movement,
    ending_mrr > 0 as is_active,
    '2024-12-31'::DATE as as_of_date
from
    quarters;

GRANT SELECT ON TABLE "PHANTOM_SEC"."PLATINUM"."FCT_ARR_QUARTERLY__CHARTER_STAGED" TO ROLE "ANALYST_REVENUE";

GRANT SELECT ON TABLE "PHANTOM_SEC"."PLATINUM"."FCT_ARR_QUARTERLY__CHARTER_STAGED" TO ROLE "FINANCE";

GRANT SELECT ON TABLE "PHANTOM_SEC"."PLATINUM"."FCT_ARR_QUARTERLY__CHARTER_STAGED" TO ROLE "EXECUTIVE_READER";

ALTER TABLE "PHANTOM_SEC"."PLATINUM"."FCT_ARR_QUARTERLY__CHARTER_STAGED" SWAP WITH "PHANTOM_SEC"."PLATINUM"."FCT_ARR_QUARTERLY";

DROP TABLE IF EXISTS "PHANTOM_SEC"."PLATINUM"."FCT_ARR_QUARTERLY__CHARTER_STAGED";

-- ==== fct_compliance_activities: first build
CREATE SCHEMA IF NOT EXISTS "PHANTOM_SEC"."PLATINUM";

CREATE OR REPLACE TABLE "PHANTOM_SEC"."PLATINUM"."FCT_COMPLIANCE_ACTIVITIES__CHARTER_STAGED" AS
-- Platinum: one row per compliance work event on or before the as-of date (var as_of_date, also a column), with
-- its adoption and framework keys and the flags the compliance metrics count: automated, successful, high
-- risk, evidence collected, remediation.
--
-- Incremental: activities are immutable events, so a run only takes those on or after the latest
-- activity_date already built (the same day again, for late arrivals) and merges them on activity_id. A run
-- at a new as-of date takes them all, so that every row carries the as-of date it is valid on. Moving
-- as_of_date backwards needs --full-refresh. An activity dated before the newest day arrives too late for
-- that: charter then rebuilds the model in full (late_arrival).

select
    a.activity_id,
    a.adoption_id,
    a.customer_id,
    a.framework_id,
    f.framework_name,
    a.activity_date,
    date_trunc('month', a.activity_date) as activity_month,
    a.activity_type,
    a.control_category,
    a.risk_level,
    case a.risk_level
        when 'low' then 1
        when 'medium' then 2
        when 'high' then 3
        when 'critical' then 4
    end as risk_rank,
    a.duration_minutes,
    a.automated_flag as is_automated,
    a.success_flag as is_successful,
    not a.success_flag as is_failed,
    a.evidence_collected as is_evidence_collected,
    a.risk_level in ('high', 'critical') as is_high_risk,
    a.activity_type = 'remediation' as is_remediation,
    '2024-12-31'::DATE as as_of_date
from
    "PHANTOM_SEC"."SILVER"."STG_COMPLIANCE_ACTIVITIES" as a
    left join "PHANTOM_SEC"."SILVER"."STG_FRAMEWORKS" as f on f.framework_id = a.framework_id
where
    a.activity_date <= '2024-12-31'::DATE;

GRANT SELECT ON TABLE "PHANTOM_SEC"."PLATINUM"."FCT_COMPLIANCE_ACTIVITIES__CHARTER_STAGED" TO ROLE "ANALYST_COMPLIANCE";

GRANT SELECT ON TABLE "PHANTOM_SEC"."PLATINUM"."FCT_COMPLIANCE_ACTIVITIES__CHARTER_STAGED" TO ROLE "CUSTOMER_SUCCESS";

GRANT SELECT ON TABLE "PHANTOM_SEC"."PLATINUM"."FCT_COMPLIANCE_ACTIVITIES__CHARTER_STAGED" TO ROLE "EXECUTIVE_READER";

ALTER TABLE "PHANTOM_SEC"."PLATINUM"."FCT_COMPLIANCE_ACTIVITIES__CHARTER_STAGED" RENAME TO "PHANTOM_SEC"."PLATINUM"."FCT_COMPLIANCE_ACTIVITIES";

-- ==== fct_compliance_activities: over an existing table
CREATE SCHEMA IF NOT EXISTS "PHANTOM_SEC"."PLATINUM";

CREATE OR REPLACE TABLE "PHANTOM_SEC"."PLATINUM"."FCT_COMPLIANCE_ACTIVITIES__CHARTER_STAGED" AS
-- Platinum: one row per compliance work event on or before the as-of date (var as_of_date, also a column), with
-- its adoption and framework keys and the flags the compliance metrics count: automated, successful, high
-- risk, evidence collected, remediation.
--
-- Incremental: activities are immutable events, so a run only takes those on or after the latest
-- activity_date already built (the same day again, for late arrivals) and merges them on activity_id. A run
-- at a new as-of date takes them all, so that every row carries the as-of date it is valid on. Moving
-- as_of_date backwards needs --full-refresh. An activity dated before the newest day arrives too late for
-- that: charter then rebuilds the model in full (late_arrival).

select
    a.activity_id,
    a.adoption_id,
    a.customer_id,
    a.framework_id,
    f.framework_name,
    a.activity_date,
    date_trunc('month', a.activity_date) as activity_month,
    a.activity_type,
    a.control_category,
    a.risk_level,
    case a.risk_level
        when 'low' then 1
        when 'medium' then 2
        when 'high' then 3
        when 'critical' then 4
    end as risk_rank,
    a.duration_minutes,
    a.automated_flag as is_automated,
    a.success_flag as is_successful,
    not a.success_flag as is_failed,
    a.evidence_collected as is_evidence_collected,
    a.risk_level in ('high', 'critical') as is_high_risk,
    a.activity_type = 'remediation' as is_remediation,
    '2024-12-31'::DATE as as_of_date
from
    "PHANTOM_SEC"."SILVER"."STG_COMPLIANCE_ACTIVITIES" as a
    left join "PHANTOM_SEC"."SILVER"."STG_FRAMEWORKS" as f on f.framework_id = a.framework_id
where
    a.activity_date <= '2024-12-31'::DATE
    and (
        a.activity_date >= (
            select
                max(activity_date)
            from
                "PHANTOM_SEC"."PLATINUM"."FCT_COMPLIANCE_ACTIVITIES"
        )
        or '2024-12-31'::DATE is distinct
        from
            (
                select
                    max(as_of_date)
                from
                    "PHANTOM_SEC"."PLATINUM"."FCT_COMPLIANCE_ACTIVITIES"
            )
    );

MERGE INTO "PHANTOM_SEC"."PLATINUM"."FCT_COMPLIANCE_ACTIVITIES" AS "CHARTER_TARGET" USING "PHANTOM_SEC"."PLATINUM"."FCT_COMPLIANCE_ACTIVITIES__CHARTER_STAGED" AS "CHARTER_STAGED"
ON "CHARTER_TARGET"."ACTIVITY_ID" = "CHARTER_STAGED"."ACTIVITY_ID"
WHEN MATCHED THEN UPDATE SET "ADOPTION_ID" = "CHARTER_STAGED"."ADOPTION_ID", "CUSTOMER_ID" = "CHARTER_STAGED"."CUSTOMER_ID", "FRAMEWORK_ID" = "CHARTER_STAGED"."FRAMEWORK_ID", "FRAMEWORK_NAME" = "CHARTER_STAGED"."FRAMEWORK_NAME", "ACTIVITY_DATE" = "CHARTER_STAGED"."ACTIVITY_DATE", "ACTIVITY_MONTH" = "CHARTER_STAGED"."ACTIVITY_MONTH", "ACTIVITY_TYPE" = "CHARTER_STAGED"."ACTIVITY_TYPE", "CONTROL_CATEGORY" = "CHARTER_STAGED"."CONTROL_CATEGORY", "RISK_LEVEL" = "CHARTER_STAGED"."RISK_LEVEL", "RISK_RANK" = "CHARTER_STAGED"."RISK_RANK", "DURATION_MINUTES" = "CHARTER_STAGED"."DURATION_MINUTES", "IS_AUTOMATED" = "CHARTER_STAGED"."IS_AUTOMATED", "IS_SUCCESSFUL" = "CHARTER_STAGED"."IS_SUCCESSFUL", "IS_FAILED" = "CHARTER_STAGED"."IS_FAILED", "IS_EVIDENCE_COLLECTED" = "CHARTER_STAGED"."IS_EVIDENCE_COLLECTED", "IS_HIGH_RISK" = "CHARTER_STAGED"."IS_HIGH_RISK", "IS_REMEDIATION" = "CHARTER_STAGED"."IS_REMEDIATION", "AS_OF_DATE" = "CHARTER_STAGED"."AS_OF_DATE"
WHEN NOT MATCHED THEN INSERT ("ACTIVITY_ID", "ADOPTION_ID", "CUSTOMER_ID", "FRAMEWORK_ID", "FRAMEWORK_NAME", "ACTIVITY_DATE", "ACTIVITY_MONTH", "ACTIVITY_TYPE", "CONTROL_CATEGORY", "RISK_LEVEL", "RISK_RANK", "DURATION_MINUTES", "IS_AUTOMATED", "IS_SUCCESSFUL", "IS_FAILED", "IS_EVIDENCE_COLLECTED", "IS_HIGH_RISK", "IS_REMEDIATION", "AS_OF_DATE") VALUES ("CHARTER_STAGED"."ACTIVITY_ID", "CHARTER_STAGED"."ADOPTION_ID", "CHARTER_STAGED"."CUSTOMER_ID", "CHARTER_STAGED"."FRAMEWORK_ID", "CHARTER_STAGED"."FRAMEWORK_NAME", "CHARTER_STAGED"."ACTIVITY_DATE", "CHARTER_STAGED"."ACTIVITY_MONTH", "CHARTER_STAGED"."ACTIVITY_TYPE", "CHARTER_STAGED"."CONTROL_CATEGORY", "CHARTER_STAGED"."RISK_LEVEL", "CHARTER_STAGED"."RISK_RANK", "CHARTER_STAGED"."DURATION_MINUTES", "CHARTER_STAGED"."IS_AUTOMATED", "CHARTER_STAGED"."IS_SUCCESSFUL", "CHARTER_STAGED"."IS_FAILED", "CHARTER_STAGED"."IS_EVIDENCE_COLLECTED", "CHARTER_STAGED"."IS_HIGH_RISK", "CHARTER_STAGED"."IS_REMEDIATION", "CHARTER_STAGED"."AS_OF_DATE");

DROP TABLE IF EXISTS "PHANTOM_SEC"."PLATINUM"."FCT_COMPLIANCE_ACTIVITIES__CHARTER_STAGED";

-- ==== fct_framework_adoptions: first build
CREATE SCHEMA IF NOT EXISTS "PHANTOM_SEC"."PLATINUM";

CREATE OR REPLACE TABLE "PHANTOM_SEC"."PLATINUM"."FCT_FRAMEWORK_ADOPTIONS__CHARTER_STAGED" AS
-- Platinum: one row per framework adoption (a customer taking on a compliance framework), with the
-- framework's attributes, the customer's compliance maturity, time to compliance against the customer's
-- maturity-adjusted target and against the framework's typical duration, hours saved (realised or projected),
-- and status flags.
--   days_to_compliance  start to completion; NULL while the adoption is active, so an average of it covers
--                       finished (completed or certified) adoptions only; days_in_progress counts to the
--                       as-of date then.
--   is_on_time          finished within target_completion_days = round(framework avg_completion_days x
--                       maturity factor: advanced 0.8, intermediate 1.0, beginner 1.3), the target the
--                       specification sets and the data was generated against; NULL while active.
--   is_within_framework_typical_duration  the same against the unadjusted avg_completion_days.
--   hours_saved         as recorded: realised once finished, a projection while active
--                       (is_hours_saved_projected); realised_hours_saved and projected_hours_saved split it.

with
    adoptions as (
        select
            a.*,
            f.framework_name,
            f.framework_label,
            f.framework_category,
            f.complexity_score,
            f.annual_audit_required,
            f.avg_completion_days,
            f.certification_cost_usd,
            f.automation_percentage,
            c.compliance_maturity,
            datediff(day, a.start_date, a.completion_date) as days_to_compliance,
            cast(round(f.avg_completion_days * CASE c.compliance_maturity WHEN 'advanced' THEN 0.8 WHEN 'intermediate' THEN 1.0 WHEN 'beginner' THEN 1.3 END) as integer) as target_completion_days
        from
            "PHANTOM_SEC"."SILVER"."STG_FRAMEWORK_ADOPTIONS" as a
            left join "PHANTOM_SEC"."SILVER"."STG_FRAMEWORKS" as f on f.framework_id = a.framework_id
            left join "PHANTOM_SEC"."SILVER"."STG_CUSTOMERS" as c on c.customer_id = a.customer_id
        where
            a.start_date <= '2024-12-31'::DATE
    )
select
    adoption_id,
    customer_id,
    framework_id,
    framework_name,
    framework_label,
    framework_category,
    complexity_score,
    annual_audit_required,
    compliance_maturity,
    start_date,
    date_trunc('month', start_date) as start_month,
    completion_date,
    date_trunc('month', completion_date) as completion_month,
    status,
    status = 'active' as is_active,
    status in ('completed', 'certified') as is_completed,
    status = 'certified' as is_certified,
    days_to_compliance,
    datediff(day, start_date, coalesce(completion_date, '2024-12-31'::DATE)) as days_in_progress,
    target_completion_days,
    days_to_compliance - target_completion_days as days_vs_target,
    iff(
        completion_date is null,
        null,
        days_to_compliance <= target_completion_days
    ) as is_on_time,
    avg_completion_days as framework_avg_completion_days,
    days_to_compliance - avg_completion_days as days_vs_framework_avg,
    iff(
        completion_date is null,
        null,
        days_to_compliance <= avg_completion_days
    ) as is_within_framework_typical_duration,
    audit_score,
    hours_saved,
    completion_date is null as is_hours_saved_projected,
    iff(completion_date is null, 0, hours_saved) as realised_hours_saved,
    iff(completion_date is null, hours_saved, 0) as projected_hours_saved,
    implementation_cost,
    certification_cost_usd as framework_certification_cost,
    automation_level,
    automation_percentage as framework_automation_percentage,
    automation_level - automation_percentage as automation_vs_framework,
    '2024-12-31'::DATE as as_of_date
from
    adoptions;

GRANT SELECT ON TABLE "PHANTOM_SEC"."PLATINUM"."FCT_FRAMEWORK_ADOPTIONS__CHARTER_STAGED" TO ROLE "ANALYST_COMPLIANCE";

GRANT SELECT ON TABLE "PHANTOM_SEC"."PLATINUM"."FCT_FRAMEWORK_ADOPTIONS__CHARTER_STAGED" TO ROLE "CUSTOMER_SUCCESS";

GRANT SELECT ON TABLE "PHANTOM_SEC"."PLATINUM"."FCT_FRAMEWORK_ADOPTIONS__CHARTER_STAGED" TO ROLE "EXECUTIVE_READER";

ALTER TABLE "PHANTOM_SEC"."PLATINUM"."FCT_FRAMEWORK_ADOPTIONS__CHARTER_STAGED" RENAME TO "PHANTOM_SEC"."PLATINUM"."FCT_FRAMEWORK_ADOPTIONS";

-- ==== fct_framework_adoptions: over an existing table
CREATE SCHEMA IF NOT EXISTS "PHANTOM_SEC"."PLATINUM";

CREATE OR REPLACE TABLE "PHANTOM_SEC"."PLATINUM"."FCT_FRAMEWORK_ADOPTIONS__CHARTER_STAGED" AS
-- Platinum: one row per framework adoption (a customer taking on a compliance framework), with the
-- framework's attributes, the customer's compliance maturity, time to compliance against the customer's
-- maturity-adjusted target and against the framework's typical duration, hours saved (realised or projected),
-- and status flags.
--   days_to_compliance  start to completion; NULL while the adoption is active, so an average of it covers
--                       finished (completed or certified) adoptions only; days_in_progress counts to the
--                       as-of date then.
--   is_on_time          finished within target_completion_days = round(framework avg_completion_days x
--                       maturity factor: advanced 0.8, intermediate 1.0, beginner 1.3), the target the
--                       specification sets and the data was generated against; NULL while active.
--   is_within_framework_typical_duration  the same against the unadjusted avg_completion_days.
--   hours_saved         as recorded: realised once finished, a projection while active
--                       (is_hours_saved_projected); realised_hours_saved and projected_hours_saved split it.

with
    adoptions as (
        select
            a.*,
            f.framework_name,
            f.framework_label,
            f.framework_category,
            f.complexity_score,
            f.annual_audit_required,
            f.avg_completion_days,
            f.certification_cost_usd,
            f.automation_percentage,
            c.compliance_maturity,
            datediff(day, a.start_date, a.completion_date) as days_to_compliance,
            cast(round(f.avg_completion_days * CASE c.compliance_maturity WHEN 'advanced' THEN 0.8 WHEN 'intermediate' THEN 1.0 WHEN 'beginner' THEN 1.3 END) as integer) as target_completion_days
        from
            "PHANTOM_SEC"."SILVER"."STG_FRAMEWORK_ADOPTIONS" as a
            left join "PHANTOM_SEC"."SILVER"."STG_FRAMEWORKS" as f on f.framework_id = a.framework_id
            left join "PHANTOM_SEC"."SILVER"."STG_CUSTOMERS" as c on c.customer_id = a.customer_id
        where
            a.start_date <= '2024-12-31'::DATE
    )
select
    adoption_id,
    customer_id,
    framework_id,
    framework_name,
    framework_label,
    framework_category,
    complexity_score,
    annual_audit_required,
    compliance_maturity,
    start_date,
    date_trunc('month', start_date) as start_month,
    completion_date,
    date_trunc('month', completion_date) as completion_month,
    status,
    status = 'active' as is_active,
    status in ('completed', 'certified') as is_completed,
    status = 'certified' as is_certified,
    days_to_compliance,
    datediff(day, start_date, coalesce(completion_date, '2024-12-31'::DATE)) as days_in_progress,
    target_completion_days,
    days_to_compliance - target_completion_days as days_vs_target,
    iff(
        completion_date is null,
        null,
        days_to_compliance <= target_completion_days
    ) as is_on_time,
    avg_completion_days as framework_avg_completion_days,
    days_to_compliance - avg_completion_days as days_vs_framework_avg,
    iff(
        completion_date is null,
        null,
        days_to_compliance <= avg_completion_days
    ) as is_within_framework_typical_duration,
    audit_score,
    hours_saved,
    completion_date is null as is_hours_saved_projected,
    iff(completion_date is null, 0, hours_saved) as realised_hours_saved,
    iff(completion_date is null, hours_saved, 0) as projected_hours_saved,
    implementation_cost,
    certification_cost_usd as framework_certification_cost,
    automation_level,
    automation_percentage as framework_automation_percentage,
    automation_level - automation_percentage as automation_vs_framework,
    '2024-12-31'::DATE as as_of_date
from
    adoptions;

GRANT SELECT ON TABLE "PHANTOM_SEC"."PLATINUM"."FCT_FRAMEWORK_ADOPTIONS__CHARTER_STAGED" TO ROLE "ANALYST_COMPLIANCE";

GRANT SELECT ON TABLE "PHANTOM_SEC"."PLATINUM"."FCT_FRAMEWORK_ADOPTIONS__CHARTER_STAGED" TO ROLE "CUSTOMER_SUCCESS";

GRANT SELECT ON TABLE "PHANTOM_SEC"."PLATINUM"."FCT_FRAMEWORK_ADOPTIONS__CHARTER_STAGED" TO ROLE "EXECUTIVE_READER";

ALTER TABLE "PHANTOM_SEC"."PLATINUM"."FCT_FRAMEWORK_ADOPTIONS__CHARTER_STAGED" SWAP WITH "PHANTOM_SEC"."PLATINUM"."FCT_FRAMEWORK_ADOPTIONS";

DROP TABLE IF EXISTS "PHANTOM_SEC"."PLATINUM"."FCT_FRAMEWORK_ADOPTIONS__CHARTER_STAGED";

-- ==== fct_mrr_monthly: first build
CREATE SCHEMA IF NOT EXISTS "PHANTOM_SEC"."PLATINUM";

CREATE OR REPLACE TABLE "PHANTOM_SEC"."PLATINUM"."FCT_MRR_MONTHLY__CHARTER_STAGED" AS
-- Platinum: monthly subscription snapshot. One row per customer per month, from the month of their first
-- subscription event to their churn month (inclusive) or to the as-of month, with:
--   mrr       the MRR in force at month end (snapshot_date: the month's last day, or the as-of date in the
--             as-of month) = mrr_amount of the customer's latest event on or before that date; 0 after churn
--   prev_mrr  the same at the previous month end, and the month's movement between the two
--             (new, expansion, contraction, churn, unchanged; reactivation for a return after churn)
--   expansion_mrr  any MRR increase of an existing customer, split into upsell_mrr (the ledger's expansion
--             events, called upsells in the marts) and price_uplift_mrr (renewals at a higher price)
--   arr       12 x mrr. Total ARR on a month end = sum(arr) over that month's rows. Never sum event amounts.
--   as_of_date  the project's as-of date (var as_of_date) every row is valid on.
-- Months in which a churned customer stays at 0 have no row; a reactivation starts a new run of rows.
--
-- Incremental: every row is a pure function of the events up to its month end, so a run only recomputes the
-- months from the latest month already built minus one (late events, the open as-of month) and replaces those
-- months whole (insert_overwrite by month_start: a late churn removes the months after it, which a merge on
-- (customer_id, month_start) would keep); it gives the same table as a full refresh. A run at a new as-of date
-- recomputes every month, so that every row carries the as-of date it is valid on. Moving as_of_date
-- backwards needs --full-refresh (an incremental run never deletes months). An event dated more than 28 days
-- before the newest one arrives too late for that window: charter then rebuilds the model in full
-- (late_arrival).

with
    events as (
        select
            customer_id,
            event_id,
            event_date,
            event_type,
            product_tier,
            mrr_amount
        from
            "PHANTOM_SEC"."SILVER"."STG_SUBSCRIPTION_EVENTS"
        where
            event_date <= '2024-12-31'::DATE
    ),
    first_months as (
        select
            customer_id,
            date_trunc('month', min(event_date)) as first_subscription_month
        from
            events
        group by
            customer_id
    ),
    bounds as (
        select
            (
                select
                    min(first_subscription_month)
                from
                    first_months
            ) as window_start,
            date_trunc('month', '2024-12-31'::DATE) as window_end
    ),
    -- The window plus the month before it, so that prev_mrr of the window's first month is known.
    spine as (
    select dateadd(month, seq.month_index, date_trunc('month', dateadd(month, -1, (select window_start from bounds)))) as month_start
from (
    select row_number() over (order by seq4()) - 1 as month_index
    from table(generator(rowcount => 1200))
) as seq
where seq.month_index <= datediff(month, dateadd(month, -1, (select window_start from bounds)), (select window_end from bounds))
    ),
    customer_months as (
        select
            f.customer_id,
            f.first_subscription_month,
            s.month_start,
            least(last_day(s.month_start), '2024-12-31'::DATE) as snapshot_date
        from
            first_months as f
            inner join spine as s on s.month_start >= dateadd(month, -1, f.first_subscription_month)
    ),
    -- MRR at each month end: the latest event on or before it (none yet: 0).
    month_end_state as (
        select
            cm.customer_id,
            cm.first_subscription_month,
            cm.month_start,
            cm.snapshot_date,
            coalesce(e.mrr_amount, 0) as mrr,
            e.event_type as latest_event_type,
            e.event_date as latest_event_date,
            e.product_tier
        from
            customer_months as cm
            left join events as e on e.customer_id = cm.customer_id
            and e.event_date <= cm.snapshot_date
        qualify
            row_number() over (
                partition by
                    cm.customer_id,
                    cm.month_start
                order by
                    e.event_date desc nulls last,
                    e.event_id desc nulls last
            ) = 1
    ),
    -- Each event's MRR step from the customer's previous event, summed per month: the upsells in the month and
    -- the price uplift of its renewals (a renewal never lowers MRR, but only its rises count).
    event_steps as (
        select
            customer_id,
            date_trunc('month', event_date) as month_start,
            event_type,
            mrr_amount - lag(mrr_amount, 1, 0) over (
                partition by
                    customer_id
                order by
                    event_date,
                    event_id
            ) as mrr_step
        from
            events
    ),
    month_events as (
        select
            customer_id,
            month_start,
            sum(iff(event_type = 'expansion', 1, 0)) as upsell_count,
            sum(
                iff(
                    event_type = 'renewal'
                    and mrr_step > 0,
                    mrr_step,
                    0
                )
            ) as renewal_uplift
        from
            event_steps
        group by
            customer_id,
            month_start
    ),
    with_previous as (
        select
            *,
            lag(mrr, 1, 0) over (
                partition by
                    customer_id
                order by
                    month_start
            ) as prev_mrr
        from
            month_end_state
    ),
    movements as (
        select
            p.*,
            CASE
    WHEN (p.prev_mrr) = 0 AND (p.mrr) > 0 THEN IFF(p.month_start = p.first_subscription_month, 'new', 'reactivation')
    WHEN (p.prev_mrr) > 0 AND (p.mrr) = 0 THEN 'churn'
    WHEN (p.mrr) > (p.prev_mrr) THEN 'expansion'
    WHEN (p.mrr) < (p.prev_mrr) THEN 'contraction'
    ELSE 'unchanged'
END as movement,
            coalesce(me.upsell_count, 0) as upsell_count,
            coalesce(me.renewal_uplift, 0) as renewal_uplift
        from
            with_previous as p
            left join month_events as me on me.customer_id = p.customer_id
            and me.month_start = p.month_start
    ),
    -- A month's expansion is its net MRR increase; the renewals' price uplift takes its share first (capped at
    -- the expansion) and upsells the rest, so expansion_mrr = upsell_mrr + price_uplift_mrr in every month.
    snapshot as (
        select
            *,
            iff(movement = 'expansion', mrr - prev_mrr, 0) as expansion_amount,
            iff(
                movement = 'expansion',
                least(renewal_uplift, mrr - prev_mrr),
                0
            ) as price_uplift_amount
        from
            movements
        where
            month_start >= (
                select
                    window_start
                from
                    bounds
            )
            and month_start >= first_subscription_month
            and not (
                mrr = 0
                and prev_mrr = 0
            )
    )
select
    customer_id || '-' || to_varchar(month_start, 'YYYY-MM') as snapshot_key,
    customer_id,
    month_start,
    last_day(month_start) as month_end,
    snapshot_date,
    first_subscription_month,
    datediff(month, first_subscription_month, month_start) as months_since_first_subscription,
    product_tier,
    IFF(latest_event_type = 'expansion', 'upsell', latest_event_type) as latest_event_type,
    latest_event_date,
    CAST(ROUND(mrr, 2) AS NUMBER(18,2)) as mrr,
    CAST(ROUND(prev_mrr, 2) AS NUMBER(18,2)) as prev_mrr,
    CAST(ROUND(mrr - prev_mrr, 2) AS NUMBER(18,2)) as mrr_change,
    CAST(12 * (mrr) AS NUMBER(18,2)) as arr,
    movement,
    CAST(ROUND(iff(movement = 'new', mrr, 0), 2) AS NUMBER(18,2)) as new_mrr,
    CAST(ROUND(iff(movement = 'reactivation', mrr, 0), 2) AS NUMBER(18,2)) as reactivation_mrr,
    CAST(ROUND(expansion_amount, 2) AS NUMBER(18,2)) as expansion_mrr,
    CAST(ROUND(expansion_amount - price_uplift_amount, 2) AS NUMBER(18,2)) as upsell_mrr,
    CAST(ROUND(price_uplift_amount, 2) AS NUMBER(18,2)) as price_uplift_mrr,
    CAST(ROUND(iff(movement = 'contraction', prev_mrr - mrr, 0), 2) AS NUMBER(18,2)) as contraction_mrr,
    CAST(ROUND(iff(movement = 'churn', prev_mrr, 0), 2) AS NUMBER(18,2)) as churned_mrr,
    upsell_count,
    mrr > 0 as is_active,
    '2024-12-31'::DATE as as_of_date
from
    snapshot;

DELETE FROM "PHANTOM_SEC"."PLATINUM"."FCT_MRR_MONTHLY__CHARTER_STAGED" WHERE "MONTH_START" < DATEADD(day, -2555, CAST('2024-12-31' AS DATE));

GRANT SELECT ON TABLE "PHANTOM_SEC"."PLATINUM"."FCT_MRR_MONTHLY__CHARTER_STAGED" TO ROLE "ANALYST_REVENUE";

GRANT SELECT ON TABLE "PHANTOM_SEC"."PLATINUM"."FCT_MRR_MONTHLY__CHARTER_STAGED" TO ROLE "FINANCE";

GRANT SELECT ON TABLE "PHANTOM_SEC"."PLATINUM"."FCT_MRR_MONTHLY__CHARTER_STAGED" TO ROLE "EXECUTIVE_READER";

ALTER TABLE "PHANTOM_SEC"."PLATINUM"."FCT_MRR_MONTHLY__CHARTER_STAGED" RENAME TO "PHANTOM_SEC"."PLATINUM"."FCT_MRR_MONTHLY";

-- ==== fct_mrr_monthly: over an existing table
CREATE SCHEMA IF NOT EXISTS "PHANTOM_SEC"."PLATINUM";

CREATE OR REPLACE TABLE "PHANTOM_SEC"."PLATINUM"."FCT_MRR_MONTHLY__CHARTER_STAGED" AS
-- Platinum: monthly subscription snapshot. One row per customer per month, from the month of their first
-- subscription event to their churn month (inclusive) or to the as-of month, with:
--   mrr       the MRR in force at month end (snapshot_date: the month's last day, or the as-of date in the
--             as-of month) = mrr_amount of the customer's latest event on or before that date; 0 after churn
--   prev_mrr  the same at the previous month end, and the month's movement between the two
--             (new, expansion, contraction, churn, unchanged; reactivation for a return after churn)
--   expansion_mrr  any MRR increase of an existing customer, split into upsell_mrr (the ledger's expansion
--             events, called upsells in the marts) and price_uplift_mrr (renewals at a higher price)
--   arr       12 x mrr. Total ARR on a month end = sum(arr) over that month's rows. Never sum event amounts.
--   as_of_date  the project's as-of date (var as_of_date) every row is valid on.
-- Months in which a churned customer stays at 0 have no row; a reactivation starts a new run of rows.
--
-- Incremental: every row is a pure function of the events up to its month end, so a run only recomputes the
-- months from the latest month already built minus one (late events, the open as-of month) and replaces those
-- months whole (insert_overwrite by month_start: a late churn removes the months after it, which a merge on
-- (customer_id, month_start) would keep); it gives the same table as a full refresh. A run at a new as-of date
-- recomputes every month, so that every row carries the as-of date it is valid on. Moving as_of_date
-- backwards needs --full-refresh (an incremental run never deletes months). An event dated more than 28 days
-- before the newest one arrives too late for that window: charter then rebuilds the model in full
-- (late_arrival).

with
    events as (
        select
            customer_id,
            event_id,
            event_date,
            event_type,
            product_tier,
            mrr_amount
        from
            "PHANTOM_SEC"."SILVER"."STG_SUBSCRIPTION_EVENTS"
        where
            event_date <= '2024-12-31'::DATE
    ),
    first_months as (
        select
            customer_id,
            date_trunc('month', min(event_date)) as first_subscription_month
        from
            events
        group by
            customer_id
    ),
    bounds as (
        select
            iff(
                (
                    select
                        max(as_of_date)
                    from
                        "PHANTOM_SEC"."PLATINUM"."FCT_MRR_MONTHLY"
                ) = '2024-12-31'::DATE,
                (
                    select
                        dateadd(month, -1, max(month_start))
                    from
                        "PHANTOM_SEC"."PLATINUM"."FCT_MRR_MONTHLY"
                ),
                (
                    select
                        min(first_subscription_month)
                    from
                        first_months
                )
            ) as window_start,
            date_trunc('month', '2024-12-31'::DATE) as window_end
    ),
    -- The window plus the month before it, so that prev_mrr of the window's first month is known.
    spine as (
    select dateadd(month, seq.month_index, date_trunc('month', dateadd(month, -1, (select window_start from bounds)))) as month_start
from (
    select row_number() over (order by seq4()) - 1 as month_index
    from table(generator(rowcount => 1200))
) as seq
where seq.month_index <= datediff(month, dateadd(month, -1, (select window_start from bounds)), (select window_end from bounds))
    ),
    customer_months as (
        select
            f.customer_id,
            f.first_subscription_month,
            s.month_start,
            least(last_day(s.month_start), '2024-12-31'::DATE) as snapshot_date
        from
            first_months as f
            inner join spine as s on s.month_start >= dateadd(month, -1, f.first_subscription_month)
    ),
    -- MRR at each month end: the latest event on or before it (none yet: 0).
    month_end_state as (
        select
            cm.customer_id,
            cm.first_subscription_month,
            cm.month_start,
            cm.snapshot_date,
            coalesce(e.mrr_amount, 0) as mrr,
            e.event_type as latest_event_type,
            e.event_date as latest_event_date,
            e.product_tier
        from
            customer_months as cm
            left join events as e on e.customer_id = cm.customer_id
            and e.event_date <= cm.snapshot_date
        qualify
            row_number() over (
                partition by
                    cm.customer_id,
                    cm.month_start
                order by
                    e.event_date desc nulls last,
                    e.event_id desc nulls last
            ) = 1
    ),
    -- Each event's MRR step from the customer's previous event, summed per month: the upsells in the month and
    -- the price uplift of its renewals (a renewal never lowers MRR, but only its rises count).
    event_steps as (
        select
            customer_id,
            date_trunc('month', event_date) as month_start,
            event_type,
            mrr_amount - lag(mrr_amount, 1, 0) over (
                partition by
                    customer_id
                order by
                    event_date,
                    event_id
            ) as mrr_step
        from
            events
    ),
    month_events as (
        select
            customer_id,
            month_start,
            sum(iff(event_type = 'expansion', 1, 0)) as upsell_count,
            sum(
                iff(
                    event_type = 'renewal'
                    and mrr_step > 0,
                    mrr_step,
                    0
                )
            ) as renewal_uplift
        from
            event_steps
        group by
            customer_id,
            month_start
    ),
    with_previous as (
        select
            *,
            lag(mrr, 1, 0) over (
                partition by
                    customer_id
                order by
                    month_start
            ) as prev_mrr
        from
            month_end_state
    ),
    movements as (
        select
            p.*,
            CASE
    WHEN (p.prev_mrr) = 0 AND (p.mrr) > 0 THEN IFF(p.month_start = p.first_subscription_month, 'new', 'reactivation')
    WHEN (p.prev_mrr) > 0 AND (p.mrr) = 0 THEN 'churn'
    WHEN (p.mrr) > (p.prev_mrr) THEN 'expansion'
    WHEN (p.mrr) < (p.prev_mrr) THEN 'contraction'
    ELSE 'unchanged'
END as movement,
            coalesce(me.upsell_count, 0) as upsell_count,
            coalesce(me.renewal_uplift, 0) as renewal_uplift
        from
            with_previous as p
            left join month_events as me on me.customer_id = p.customer_id
            and me.month_start = p.month_start
    ),
    -- A month's expansion is its net MRR increase; the renewals' price uplift takes its share first (capped at
    -- the expansion) and upsells the rest, so expansion_mrr = upsell_mrr + price_uplift_mrr in every month.
    snapshot as (
        select
            *,
            iff(movement = 'expansion', mrr - prev_mrr, 0) as expansion_amount,
            iff(
                movement = 'expansion',
                least(renewal_uplift, mrr - prev_mrr),
                0
            ) as price_uplift_amount
        from
            movements
        where
            month_start >= (
                select
                    window_start
                from
                    bounds
            )
            and month_start >= first_subscription_month
            and not (
                mrr = 0
                and prev_mrr = 0
            )
    )
select
    customer_id || '-' || to_varchar(month_start, 'YYYY-MM') as snapshot_key,
    customer_id,
    month_start,
    last_day(month_start) as month_end,
    snapshot_date,
    first_subscription_month,
    datediff(month, first_subscription_month, month_start) as months_since_first_subscription,
    product_tier,
    IFF(latest_event_type = 'expansion', 'upsell', latest_event_type) as latest_event_type,
    latest_event_date,
    CAST(ROUND(mrr, 2) AS NUMBER(18,2)) as mrr,
    CAST(ROUND(prev_mrr, 2) AS NUMBER(18,2)) as prev_mrr,
    CAST(ROUND(mrr - prev_mrr, 2) AS NUMBER(18,2)) as mrr_change,
    CAST(12 * (mrr) AS NUMBER(18,2)) as arr,
    movement,
    CAST(ROUND(iff(movement = 'new', mrr, 0), 2) AS NUMBER(18,2)) as new_mrr,
    CAST(ROUND(iff(movement = 'reactivation', mrr, 0), 2) AS NUMBER(18,2)) as reactivation_mrr,
    CAST(ROUND(expansion_amount, 2) AS NUMBER(18,2)) as expansion_mrr,
    CAST(ROUND(expansion_amount - price_uplift_amount, 2) AS NUMBER(18,2)) as upsell_mrr,
    CAST(ROUND(price_uplift_amount, 2) AS NUMBER(18,2)) as price_uplift_mrr,
    CAST(ROUND(iff(movement = 'contraction', prev_mrr - mrr, 0), 2) AS NUMBER(18,2)) as contraction_mrr,
    CAST(ROUND(iff(movement = 'churn', prev_mrr, 0), 2) AS NUMBER(18,2)) as churned_mrr,
    upsell_count,
    mrr > 0 as is_active,
    '2024-12-31'::DATE as as_of_date
from
    snapshot;

DELETE FROM "PHANTOM_SEC"."PLATINUM"."FCT_MRR_MONTHLY" WHERE ("MONTH_START") IN (SELECT "MONTH_START" FROM "PHANTOM_SEC"."PLATINUM"."FCT_MRR_MONTHLY__CHARTER_STAGED");

INSERT INTO "PHANTOM_SEC"."PLATINUM"."FCT_MRR_MONTHLY" ("SNAPSHOT_KEY", "CUSTOMER_ID", "MONTH_START", "MONTH_END", "SNAPSHOT_DATE", "FIRST_SUBSCRIPTION_MONTH", "MONTHS_SINCE_FIRST_SUBSCRIPTION", "PRODUCT_TIER", "LATEST_EVENT_TYPE", "LATEST_EVENT_DATE", "MRR", "PREV_MRR", "MRR_CHANGE", "ARR", "MOVEMENT", "NEW_MRR", "REACTIVATION_MRR", "EXPANSION_MRR", "UPSELL_MRR", "PRICE_UPLIFT_MRR", "CONTRACTION_MRR", "CHURNED_MRR", "UPSELL_COUNT", "IS_ACTIVE", "AS_OF_DATE") SELECT "SNAPSHOT_KEY", "CUSTOMER_ID", "MONTH_START", "MONTH_END", "SNAPSHOT_DATE", "FIRST_SUBSCRIPTION_MONTH", "MONTHS_SINCE_FIRST_SUBSCRIPTION", "PRODUCT_TIER", "LATEST_EVENT_TYPE", "LATEST_EVENT_DATE", "MRR", "PREV_MRR", "MRR_CHANGE", "ARR", "MOVEMENT", "NEW_MRR", "REACTIVATION_MRR", "EXPANSION_MRR", "UPSELL_MRR", "PRICE_UPLIFT_MRR", "CONTRACTION_MRR", "CHURNED_MRR", "UPSELL_COUNT", "IS_ACTIVE", "AS_OF_DATE" FROM "PHANTOM_SEC"."PLATINUM"."FCT_MRR_MONTHLY__CHARTER_STAGED";

DELETE FROM "PHANTOM_SEC"."PLATINUM"."FCT_MRR_MONTHLY" WHERE "MONTH_START" < DATEADD(day, -2555, CAST('2024-12-31' AS DATE));

DROP TABLE IF EXISTS "PHANTOM_SEC"."PLATINUM"."FCT_MRR_MONTHLY__CHARTER_STAGED";

-- ==== fct_phi_incidents: first build
CREATE SCHEMA IF NOT EXISTS "PHANTOM_SEC"."PLATINUM";

CREATE OR REPLACE TABLE "PHANTOM_SEC"."PLATINUM"."FCT_PHI_INCIDENTS__CHARTER_STAGED" AS
-- Platinum: one row per PHI incident reported on or before the as-of date, with its customer's segment and the
-- clocks of HIPAA's Breach Notification Rule (45 CFR 164.404-408), as of the as-of date.
--   is_breach                    the risk assessment found a breach that must be notified
--   is_major_breach              a breach of 500 records or more: HHS and the media are told within 60 days too
--   notification_deadline        discovery + 60 days, for a breach: the individuals must be notified by then
--   hhs_report_due_date          a major breach: the notification deadline; a smaller one: 60 days after the end of
--                                the calendar year of its discovery (the annual log to HHS)
--   is_notification_deadline_met notified on or before the deadline; false once the deadline has passed
--                                unnotified; NULL for no breach, or while the deadline is still ahead
--   status, closed_date          as they stood on the as-of date (a later notification or closing is not yet known)

with
    incidents as (
        select
            i.*,
            c.segment,
            iff(
                i.is_breach,
                dateadd(day, 60, i.discovered_date),
                null
            ) as notification_deadline,
            iff(i.notified_date <= '2024-12-31'::DATE, i.notified_date, null) as notified_by_as_of,
            iff(i.closed_date <= '2024-12-31'::DATE, i.closed_date, null) as closed_by_as_of
        from
            "PHANTOM_SEC"."SILVER"."STG_PHI_INCIDENTS" as i
            left join "PHANTOM_SEC"."SILVER"."STG_CUSTOMERS" as c on c.customer_id = i.customer_id
        where
            i.reported_date <= '2024-12-31'::DATE
    )
select
    incident_id,
    customer_id,
    segment,
    region,
    incident_type,
    severity,
    occurred_date,
    discovered_date,
    reported_date,
    date_trunc('month', reported_date) as reported_month,
    datediff(day, occurred_date, discovered_date) as days_to_discover,
    patient_pseudonym,
    reporter_email,
    records_affected,
    is_breach,
    is_breach
    and records_affected >= 500 as is_major_breach,
    notification_deadline,
    case
        when not is_breach then null
        when records_affected >= 500 then notification_deadline
        -- Dec 31 of the discovery year + 60 days: Mar 1, or Feb 29 in a leap year.
        else dateadd(
            day,
            59,
            dateadd(year, 1, date_trunc('year', discovered_date))
        )
    end as hhs_report_due_date,
    notified_by_as_of as notified_date,
    datediff(day, discovered_date, notified_by_as_of) as days_to_notify,
    case
        when not is_breach then null
        when notified_by_as_of is not null then notified_by_as_of <= notification_deadline
        when notification_deadline < '2024-12-31'::DATE then false
    end as is_notification_deadline_met,
    iff(closed_by_as_of is null, 'open', 'closed') as status,
    closed_by_as_of as closed_date,
    closed_by_as_of is null as is_open,
    datediff(
        day,
        discovered_date,
        coalesce(closed_by_as_of, '2024-12-31'::DATE)
    ) as days_open,
    '2024-12-31'::DATE as as_of_date
from
    incidents;

ALTER TABLE "PHANTOM_SEC"."PLATINUM"."FCT_PHI_INCIDENTS__CHARTER_STAGED" MODIFY COLUMN "PATIENT_PSEUDONYM" SET TAG "PHANTOM_SEC"."GOVERNANCE"."PII" = 'phi';

ALTER TABLE "PHANTOM_SEC"."PLATINUM"."FCT_PHI_INCIDENTS__CHARTER_STAGED" MODIFY COLUMN "REPORTER_EMAIL" SET TAG "PHANTOM_SEC"."GOVERNANCE"."PII" = 'pii';

ALTER TABLE "PHANTOM_SEC"."PLATINUM"."FCT_PHI_INCIDENTS__CHARTER_STAGED" MODIFY COLUMN "PATIENT_PSEUDONYM" SET MASKING POLICY "PHANTOM_SEC"."GOVERNANCE"."MASK_PHI" FORCE;

ALTER TABLE "PHANTOM_SEC"."PLATINUM"."FCT_PHI_INCIDENTS__CHARTER_STAGED" MODIFY COLUMN "REPORTER_EMAIL" SET MASKING POLICY "PHANTOM_SEC"."GOVERNANCE"."MASK_EMAIL" FORCE;

ALTER TABLE "PHANTOM_SEC"."PLATINUM"."FCT_PHI_INCIDENTS__CHARTER_STAGED" ADD ROW ACCESS POLICY "PHANTOM_SEC"."GOVERNANCE"."INCIDENT_REGION" ON ("REGION");

GRANT SELECT ON TABLE "PHANTOM_SEC"."PLATINUM"."FCT_PHI_INCIDENTS__CHARTER_STAGED" TO ROLE "ANALYST_PHI";

GRANT SELECT ON TABLE "PHANTOM_SEC"."PLATINUM"."FCT_PHI_INCIDENTS__CHARTER_STAGED" TO ROLE "DATA_SCI_HEALTH";

GRANT SELECT ON TABLE "PHANTOM_SEC"."PLATINUM"."FCT_PHI_INCIDENTS__CHARTER_STAGED" TO ROLE "ANALYST_NA";

GRANT SELECT ON TABLE "PHANTOM_SEC"."PLATINUM"."FCT_PHI_INCIDENTS__CHARTER_STAGED" TO ROLE "ANALYST_EMEA";

ALTER TABLE "PHANTOM_SEC"."PLATINUM"."FCT_PHI_INCIDENTS__CHARTER_STAGED" RENAME TO "PHANTOM_SEC"."PLATINUM"."FCT_PHI_INCIDENTS";

-- ==== fct_phi_incidents: over an existing table
CREATE SCHEMA IF NOT EXISTS "PHANTOM_SEC"."PLATINUM";

CREATE OR REPLACE TABLE "PHANTOM_SEC"."PLATINUM"."FCT_PHI_INCIDENTS__CHARTER_STAGED" AS
-- Platinum: one row per PHI incident reported on or before the as-of date, with its customer's segment and the
-- clocks of HIPAA's Breach Notification Rule (45 CFR 164.404-408), as of the as-of date.
--   is_breach                    the risk assessment found a breach that must be notified
--   is_major_breach              a breach of 500 records or more: HHS and the media are told within 60 days too
--   notification_deadline        discovery + 60 days, for a breach: the individuals must be notified by then
--   hhs_report_due_date          a major breach: the notification deadline; a smaller one: 60 days after the end of
--                                the calendar year of its discovery (the annual log to HHS)
--   is_notification_deadline_met notified on or before the deadline; false once the deadline has passed
--                                unnotified; NULL for no breach, or while the deadline is still ahead
--   status, closed_date          as they stood on the as-of date (a later notification or closing is not yet known)

with
    incidents as (
        select
            i.*,
            c.segment,
            iff(
                i.is_breach,
                dateadd(day, 60, i.discovered_date),
                null
            ) as notification_deadline,
            iff(i.notified_date <= '2024-12-31'::DATE, i.notified_date, null) as notified_by_as_of,
            iff(i.closed_date <= '2024-12-31'::DATE, i.closed_date, null) as closed_by_as_of
        from
            "PHANTOM_SEC"."SILVER"."STG_PHI_INCIDENTS" as i
            left join "PHANTOM_SEC"."SILVER"."STG_CUSTOMERS" as c on c.customer_id = i.customer_id
        where
            i.reported_date <= '2024-12-31'::DATE
    )
select
    incident_id,
    customer_id,
    segment,
    region,
    incident_type,
    severity,
    occurred_date,
    discovered_date,
    reported_date,
    date_trunc('month', reported_date) as reported_month,
    datediff(day, occurred_date, discovered_date) as days_to_discover,
    patient_pseudonym,
    reporter_email,
    records_affected,
    is_breach,
    is_breach
    and records_affected >= 500 as is_major_breach,
    notification_deadline,
    case
        when not is_breach then null
        when records_affected >= 500 then notification_deadline
        -- Dec 31 of the discovery year + 60 days: Mar 1, or Feb 29 in a leap year.
        else dateadd(
            day,
            59,
            dateadd(year, 1, date_trunc('year', discovered_date))
        )
    end as hhs_report_due_date,
    notified_by_as_of as notified_date,
    datediff(day, discovered_date, notified_by_as_of) as days_to_notify,
    case
        when not is_breach then null
        when notified_by_as_of is not null then notified_by_as_of <= notification_deadline
        when notification_deadline < '2024-12-31'::DATE then false
    end as is_notification_deadline_met,
    iff(closed_by_as_of is null, 'open', 'closed') as status,
    closed_by_as_of as closed_date,
    closed_by_as_of is null as is_open,
    datediff(
        day,
        discovered_date,
        coalesce(closed_by_as_of, '2024-12-31'::DATE)
    ) as days_open,
    '2024-12-31'::DATE as as_of_date
from
    incidents;

ALTER TABLE "PHANTOM_SEC"."PLATINUM"."FCT_PHI_INCIDENTS__CHARTER_STAGED" MODIFY COLUMN "PATIENT_PSEUDONYM" SET TAG "PHANTOM_SEC"."GOVERNANCE"."PII" = 'phi';

ALTER TABLE "PHANTOM_SEC"."PLATINUM"."FCT_PHI_INCIDENTS__CHARTER_STAGED" MODIFY COLUMN "REPORTER_EMAIL" SET TAG "PHANTOM_SEC"."GOVERNANCE"."PII" = 'pii';

ALTER TABLE "PHANTOM_SEC"."PLATINUM"."FCT_PHI_INCIDENTS__CHARTER_STAGED" MODIFY COLUMN "PATIENT_PSEUDONYM" SET MASKING POLICY "PHANTOM_SEC"."GOVERNANCE"."MASK_PHI" FORCE;

ALTER TABLE "PHANTOM_SEC"."PLATINUM"."FCT_PHI_INCIDENTS__CHARTER_STAGED" MODIFY COLUMN "REPORTER_EMAIL" SET MASKING POLICY "PHANTOM_SEC"."GOVERNANCE"."MASK_EMAIL" FORCE;

ALTER TABLE "PHANTOM_SEC"."PLATINUM"."FCT_PHI_INCIDENTS__CHARTER_STAGED" ADD ROW ACCESS POLICY "PHANTOM_SEC"."GOVERNANCE"."INCIDENT_REGION" ON ("REGION");

GRANT SELECT ON TABLE "PHANTOM_SEC"."PLATINUM"."FCT_PHI_INCIDENTS__CHARTER_STAGED" TO ROLE "ANALYST_PHI";

GRANT SELECT ON TABLE "PHANTOM_SEC"."PLATINUM"."FCT_PHI_INCIDENTS__CHARTER_STAGED" TO ROLE "DATA_SCI_HEALTH";

GRANT SELECT ON TABLE "PHANTOM_SEC"."PLATINUM"."FCT_PHI_INCIDENTS__CHARTER_STAGED" TO ROLE "ANALYST_NA";

GRANT SELECT ON TABLE "PHANTOM_SEC"."PLATINUM"."FCT_PHI_INCIDENTS__CHARTER_STAGED" TO ROLE "ANALYST_EMEA";

ALTER TABLE "PHANTOM_SEC"."PLATINUM"."FCT_PHI_INCIDENTS__CHARTER_STAGED" SWAP WITH "PHANTOM_SEC"."PLATINUM"."FCT_PHI_INCIDENTS";

DROP TABLE IF EXISTS "PHANTOM_SEC"."PLATINUM"."FCT_PHI_INCIDENTS__CHARTER_STAGED";

-- ==== ops_revenue_reconciliation: first build
CREATE SCHEMA IF NOT EXISTS "PHANTOM_SEC"."OPS";

CREATE OR REPLACE VIEW "PHANTOM_SEC"."OPS"."OPS_REVENUE_RECONCILIATION__CHARTER_STAGED" COPY GRANTS AS
-- Ops: one row per reconciliation check of the platinum marts as of the as-of date. Each check compares a
-- figure computed two ways (expected_value from silver or the mart that owns the metric, actual_value from
-- another mart); is_passing must be true. Besides ARR and row counts, the metric words the marts share must
-- give one number: upsells (the ledger's expansion events), expansion MRR (any MRR increase of an existing
-- customer, fct_mrr_monthly's movement), churned customers, and the MRR bridge must close on the as-of MRR.
-- A view, so it always reads the marts as they are now.
with
    as_of_events as (
        select
            customer_id,
            mrr_amount
        from
            "PHANTOM_SEC"."SILVER"."STG_SUBSCRIPTION_EVENTS"
        where
            event_date <= '2024-12-31'::DATE
        qualify
            row_number() over (
                partition by
                    customer_id
                order by
                    event_date desc,
                    event_id desc
            ) = 1
    ),
    checks as (
        select
            'arr_as_of: ledger vs fct_mrr_monthly' as check_name,
            (
                select
                    CAST(12 * (sum(mrr_amount)) AS NUMBER(18,2))
                from
                    as_of_events
            ) as expected_value,
            (
                select
                    sum(arr)
                from
                    "PHANTOM_SEC"."PLATINUM"."FCT_MRR_MONTHLY"
                where
                    month_start = date_trunc('month', '2024-12-31'::DATE)
            ) as actual_value
        union all
        select
            'arr_as_of: ledger vs dim_customer_360',
            (
                select
                    CAST(12 * (sum(mrr_amount)) AS NUMBER(18,2))
                from
                    as_of_events
            ),
            (
                select
                    sum(current_arr)
                from
                    "PHANTOM_SEC"."PLATINUM"."DIM_CUSTOMER_360"
            )
        union all
        select
            'arr_as_of: ledger vs fct_arr_quarterly',
            (
                select
                    CAST(12 * (sum(mrr_amount)) AS NUMBER(18,2))
                from
                    as_of_events
            ),
            (
                select
                    sum(arr)
                from
                    "PHANTOM_SEC"."PLATINUM"."FCT_ARR_QUARTERLY"
                where
                    quarter_start = date_trunc('quarter', '2024-12-31'::DATE)
            )
        union all
        select
            'active_customers: ledger vs dim_customer_360',
            (
                select
                    count(*)
                from
                    as_of_events
                where
                    mrr_amount > 0
            ),
            (
                select
                    count(*)
                from
                    "PHANTOM_SEC"."PLATINUM"."DIM_CUSTOMER_360"
                where
                    customer_status = 'active'
            )
        union all
        select
            'rows: stg_compliance_activities vs fct_compliance_activities',
            (
                select
                    count(*)
                from
                    "PHANTOM_SEC"."SILVER"."STG_COMPLIANCE_ACTIVITIES"
                where
                    activity_date <= '2024-12-31'::DATE
            ),
            (
                select
                    count(*)
                from
                    "PHANTOM_SEC"."PLATINUM"."FCT_COMPLIANCE_ACTIVITIES"
            )
        union all
        select
            'rows: stg_framework_adoptions vs fct_framework_adoptions',
            (
                select
                    count(*)
                from
                    "PHANTOM_SEC"."SILVER"."STG_FRAMEWORK_ADOPTIONS"
                where
                    start_date <= '2024-12-31'::DATE
            ),
            (
                select
                    count(*)
                from
                    "PHANTOM_SEC"."PLATINUM"."FCT_FRAMEWORK_ADOPTIONS"
            )
        union all
        select
            'upsells: ledger vs fct_mrr_monthly',
            (
                select
                    count(*)
                from
                    "PHANTOM_SEC"."SILVER"."STG_SUBSCRIPTION_EVENTS"
                where
                    event_type = 'expansion'
                    and event_date <= '2024-12-31'::DATE
            ),
            (
                select
                    sum(upsell_count)
                from
                    "PHANTOM_SEC"."PLATINUM"."FCT_MRR_MONTHLY"
            )
        union all
        select
            'upsells: ledger vs dim_customer_360',
            (
                select
                    count(*)
                from
                    "PHANTOM_SEC"."SILVER"."STG_SUBSCRIPTION_EVENTS"
                where
                    event_type = 'expansion'
                    and event_date <= '2024-12-31'::DATE
            ),
            (
                select
                    sum(upsell_count)
                from
                    "PHANTOM_SEC"."PLATINUM"."DIM_CUSTOMER_360"
            )
        union all
        select
            'expansion_mrr: fct_mrr_monthly vs fct_arr_quarterly',
            (
                select
                    sum(expansion_mrr)
                from
                    "PHANTOM_SEC"."PLATINUM"."FCT_MRR_MONTHLY"
            ),
            (
                select
                    sum(expansion_mrr)
                from
                    "PHANTOM_SEC"."PLATINUM"."FCT_ARR_QUARTERLY"
            )
        union all
        select
            'expansion_mrr: fct_mrr_monthly vs dim_customer_360',
            (
                select
                    sum(expansion_mrr)
                from
                    "PHANTOM_SEC"."PLATINUM"."FCT_MRR_MONTHLY"
            ),
            (
                select
                    sum(total_expansion_mrr)
                from
                    "PHANTOM_SEC"."PLATINUM"."DIM_CUSTOMER_360"
            )
        union all
        select
            'churned_customers: fct_mrr_monthly vs dim_customer_360',
            (
                select
                    count(*)
                from
                    "PHANTOM_SEC"."PLATINUM"."FCT_MRR_MONTHLY"
                where
                    movement = 'churn'
            ),
            (
                select
                    count(*)
                from
                    "PHANTOM_SEC"."PLATINUM"."DIM_CUSTOMER_360"
                where
                    customer_status = 'churned'
            )
        union all
        select
            'mrr_bridge: ledger vs fct_mrr_monthly movements',
            (
                select
                    sum(mrr_amount)
                from
                    as_of_events
            ),
            (
                select
                    sum(
                        new_mrr + reactivation_mrr + expansion_mrr - contraction_mrr - churned_mrr
                    )
                from
                    "PHANTOM_SEC"."PLATINUM"."FCT_MRR_MONTHLY"
            )
    )
select
    check_name,
    cast(expected_value as number(18, 2)) as expected_value,
    cast(actual_value as number(18, 2)) as actual_value,
    '2024-12-31'::DATE as as_of_date,
    coalesce(expected_value = actual_value, false) as is_passing
from
    checks;

GRANT SELECT ON VIEW "PHANTOM_SEC"."OPS"."OPS_REVENUE_RECONCILIATION__CHARTER_STAGED" TO ROLE "DATA_ENGINEER";

GRANT SELECT ON VIEW "PHANTOM_SEC"."OPS"."OPS_REVENUE_RECONCILIATION__CHARTER_STAGED" TO ROLE "FINANCE";

GRANT SELECT ON VIEW "PHANTOM_SEC"."OPS"."OPS_REVENUE_RECONCILIATION__CHARTER_STAGED" TO ROLE "AUDITOR";

ALTER VIEW "PHANTOM_SEC"."OPS"."OPS_REVENUE_RECONCILIATION__CHARTER_STAGED" RENAME TO "PHANTOM_SEC"."OPS"."OPS_REVENUE_RECONCILIATION";

-- ==== stg_compliance_activities: first build
CREATE SCHEMA IF NOT EXISTS "PHANTOM_SEC"."SILVER";

CREATE OR REPLACE TABLE "PHANTOM_SEC"."SILVER"."STG_COMPLIANCE_ACTIVITIES__CHARTER_STAGED" AS
-- Silver: one row per compliance work event (control check, questionnaire, remediation, training, audit),
-- typed, with the three flags as real BOOLEANs.
select
    upper(trim(activity_id)) as activity_id,
    upper(trim(customer_id)) as customer_id,
    cast(framework_id as integer) as framework_id,
    upper(trim(adoption_id)) as adoption_id,
    cast(activity_date as date) as activity_date,
    NULLIF(LOWER(TRIM(activity_type)), '') as activity_type,
    NULLIF(LOWER(TRIM(control_category)), '') as control_category,
    CASE
    WHEN LOWER(TRIM(TO_VARCHAR(automated_flag))) IN ('true', 't', 'yes', 'y', '1', 'on') THEN TRUE
    WHEN LOWER(TRIM(TO_VARCHAR(automated_flag))) IN ('false', 'f', 'no', 'n', '0', 'off') THEN FALSE
END as automated_flag,
    cast(duration_minutes as integer) as duration_minutes,
    CASE
    WHEN LOWER(TRIM(TO_VARCHAR(success_flag))) IN ('true', 't', 'yes', 'y', '1', 'on') THEN TRUE
    WHEN LOWER(TRIM(TO_VARCHAR(success_flag))) IN ('false', 'f', 'no', 'n', '0', 'off') THEN FALSE
END as success_flag,
    NULLIF(LOWER(TRIM(risk_level)), '') as risk_level,
    CASE
    WHEN LOWER(TRIM(TO_VARCHAR(evidence_collected))) IN ('true', 't', 'yes', 'y', '1', 'on') THEN TRUE
    WHEN LOWER(TRIM(TO_VARCHAR(evidence_collected))) IN ('false', 'f', 'no', 'n', '0', 'off') THEN FALSE
END as evidence_collected
from
    "PHANTOM_SEC"."BRONZE"."BRZ_COMPLIANCE_ACTIVITIES"
where
    activity_id is not null
qualify
    row_number() over (
        partition by
            upper(trim(activity_id))
        order by
            activity_date
    ) = 1;

GRANT SELECT ON TABLE "PHANTOM_SEC"."SILVER"."STG_COMPLIANCE_ACTIVITIES__CHARTER_STAGED" TO ROLE "ANALYST_COMPLIANCE";

GRANT SELECT ON TABLE "PHANTOM_SEC"."SILVER"."STG_COMPLIANCE_ACTIVITIES__CHARTER_STAGED" TO ROLE "DATA_ENGINEER";

ALTER TABLE "PHANTOM_SEC"."SILVER"."STG_COMPLIANCE_ACTIVITIES__CHARTER_STAGED" RENAME TO "PHANTOM_SEC"."SILVER"."STG_COMPLIANCE_ACTIVITIES";

-- ==== stg_compliance_activities: over an existing table
CREATE SCHEMA IF NOT EXISTS "PHANTOM_SEC"."SILVER";

CREATE OR REPLACE TABLE "PHANTOM_SEC"."SILVER"."STG_COMPLIANCE_ACTIVITIES__CHARTER_STAGED" AS
-- Silver: one row per compliance work event (control check, questionnaire, remediation, training, audit),
-- typed, with the three flags as real BOOLEANs.
select
    upper(trim(activity_id)) as activity_id,
    upper(trim(customer_id)) as customer_id,
    cast(framework_id as integer) as framework_id,
    upper(trim(adoption_id)) as adoption_id,
    cast(activity_date as date) as activity_date,
    NULLIF(LOWER(TRIM(activity_type)), '') as activity_type,
    NULLIF(LOWER(TRIM(control_category)), '') as control_category,
    CASE
    WHEN LOWER(TRIM(TO_VARCHAR(automated_flag))) IN ('true', 't', 'yes', 'y', '1', 'on') THEN TRUE
    WHEN LOWER(TRIM(TO_VARCHAR(automated_flag))) IN ('false', 'f', 'no', 'n', '0', 'off') THEN FALSE
END as automated_flag,
    cast(duration_minutes as integer) as duration_minutes,
    CASE
    WHEN LOWER(TRIM(TO_VARCHAR(success_flag))) IN ('true', 't', 'yes', 'y', '1', 'on') THEN TRUE
    WHEN LOWER(TRIM(TO_VARCHAR(success_flag))) IN ('false', 'f', 'no', 'n', '0', 'off') THEN FALSE
END as success_flag,
    NULLIF(LOWER(TRIM(risk_level)), '') as risk_level,
    CASE
    WHEN LOWER(TRIM(TO_VARCHAR(evidence_collected))) IN ('true', 't', 'yes', 'y', '1', 'on') THEN TRUE
    WHEN LOWER(TRIM(TO_VARCHAR(evidence_collected))) IN ('false', 'f', 'no', 'n', '0', 'off') THEN FALSE
END as evidence_collected
from
    "PHANTOM_SEC"."BRONZE"."BRZ_COMPLIANCE_ACTIVITIES"
where
    activity_id is not null
qualify
    row_number() over (
        partition by
            upper(trim(activity_id))
        order by
            activity_date
    ) = 1;

GRANT SELECT ON TABLE "PHANTOM_SEC"."SILVER"."STG_COMPLIANCE_ACTIVITIES__CHARTER_STAGED" TO ROLE "ANALYST_COMPLIANCE";

GRANT SELECT ON TABLE "PHANTOM_SEC"."SILVER"."STG_COMPLIANCE_ACTIVITIES__CHARTER_STAGED" TO ROLE "DATA_ENGINEER";

ALTER TABLE "PHANTOM_SEC"."SILVER"."STG_COMPLIANCE_ACTIVITIES__CHARTER_STAGED" SWAP WITH "PHANTOM_SEC"."SILVER"."STG_COMPLIANCE_ACTIVITIES";

DROP TABLE IF EXISTS "PHANTOM_SEC"."SILVER"."STG_COMPLIANCE_ACTIVITIES__CHARTER_STAGED";

-- ==== stg_customers: first build
CREATE SCHEMA IF NOT EXISTS "PHANTOM_SEC"."SILVER";

CREATE OR REPLACE TABLE "PHANTOM_SEC"."SILVER"."STG_CUSTOMERS__CHARTER_STAGED" AS
-- Silver: one row per customer, typed and conformed. Category codes are trimmed and lower-cased; the
-- primary_contact_* columns are (fake) PII and pass through unchanged for the governance layer to mask.
select
    upper(trim(customer_id)) as customer_id,
    NULLIF(TRIM(company_name), '') as company_name,
    NULLIF(LOWER(TRIM(segment)), '') as segment,
    NULLIF(LOWER(TRIM(industry)), '') as industry,
    cast(signup_date as date) as signup_date,
    cast(employee_count as integer) as employee_count,
    CAST(ROUND(annual_revenue, 2) AS NUMBER(18,2)) as annual_revenue,
    upper(trim(country)) as country,
    upper(trim(state_province)) as state_province,
    NULLIF(LOWER(TRIM(compliance_maturity)), '') as compliance_maturity,
    NULLIF(TRIM(primary_cloud_provider), '') as primary_cloud_provider,
    NULLIF(TRIM(primary_contact_name), '') as primary_contact_name,
    lower(NULLIF(TRIM(primary_contact_email), '')) as primary_contact_email,
    NULLIF(TRIM(primary_contact_phone), '') as primary_contact_phone
from
    "PHANTOM_SEC"."BRONZE"."BRZ_CUSTOMERS"
where
    customer_id is not null
qualify
    row_number() over (
        partition by
            upper(trim(customer_id))
        order by
            signup_date
    ) = 1;

ALTER TABLE "PHANTOM_SEC"."SILVER"."STG_CUSTOMERS__CHARTER_STAGED" MODIFY COLUMN "PRIMARY_CONTACT_NAME" SET TAG "PHANTOM_SEC"."GOVERNANCE"."PII" = 'pii';

ALTER TABLE "PHANTOM_SEC"."SILVER"."STG_CUSTOMERS__CHARTER_STAGED" MODIFY COLUMN "PRIMARY_CONTACT_EMAIL" SET TAG "PHANTOM_SEC"."GOVERNANCE"."PII" = 'pii';

ALTER TABLE "PHANTOM_SEC"."SILVER"."STG_CUSTOMERS__CHARTER_STAGED" MODIFY COLUMN "PRIMARY_CONTACT_PHONE" SET TAG "PHANTOM_SEC"."GOVERNANCE"."PII" = 'pii';

ALTER TABLE "PHANTOM_SEC"."SILVER"."STG_CUSTOMERS__CHARTER_STAGED" MODIFY COLUMN "PRIMARY_CONTACT_NAME" SET MASKING POLICY "PHANTOM_SEC"."GOVERNANCE"."MASK_PII" FORCE;

ALTER TABLE "PHANTOM_SEC"."SILVER"."STG_CUSTOMERS__CHARTER_STAGED" MODIFY COLUMN "PRIMARY_CONTACT_EMAIL" SET MASKING POLICY "PHANTOM_SEC"."GOVERNANCE"."MASK_PII" FORCE;

ALTER TABLE "PHANTOM_SEC"."SILVER"."STG_CUSTOMERS__CHARTER_STAGED" MODIFY COLUMN "PRIMARY_CONTACT_PHONE" SET MASKING POLICY "PHANTOM_SEC"."GOVERNANCE"."MASK_PII" FORCE;

GRANT SELECT ON TABLE "PHANTOM_SEC"."SILVER"."STG_CUSTOMERS__CHARTER_STAGED" TO ROLE "ANALYST_REVENUE";

GRANT SELECT ON TABLE "PHANTOM_SEC"."SILVER"."STG_CUSTOMERS__CHARTER_STAGED" TO ROLE "CUSTOMER_SUCCESS";

GRANT SELECT ON TABLE "PHANTOM_SEC"."SILVER"."STG_CUSTOMERS__CHARTER_STAGED" TO ROLE "DATA_ENGINEER";

ALTER TABLE "PHANTOM_SEC"."SILVER"."STG_CUSTOMERS__CHARTER_STAGED" RENAME TO "PHANTOM_SEC"."SILVER"."STG_CUSTOMERS";

-- ==== stg_customers: over an existing table
CREATE SCHEMA IF NOT EXISTS "PHANTOM_SEC"."SILVER";

CREATE OR REPLACE TABLE "PHANTOM_SEC"."SILVER"."STG_CUSTOMERS__CHARTER_STAGED" AS
-- Silver: one row per customer, typed and conformed. Category codes are trimmed and lower-cased; the
-- primary_contact_* columns are (fake) PII and pass through unchanged for the governance layer to mask.
select
    upper(trim(customer_id)) as customer_id,
    NULLIF(TRIM(company_name), '') as company_name,
    NULLIF(LOWER(TRIM(segment)), '') as segment,
    NULLIF(LOWER(TRIM(industry)), '') as industry,
    cast(signup_date as date) as signup_date,
    cast(employee_count as integer) as employee_count,
    CAST(ROUND(annual_revenue, 2) AS NUMBER(18,2)) as annual_revenue,
    upper(trim(country)) as country,
    upper(trim(state_province)) as state_province,
    NULLIF(LOWER(TRIM(compliance_maturity)), '') as compliance_maturity,
    NULLIF(TRIM(primary_cloud_provider), '') as primary_cloud_provider,
    NULLIF(TRIM(primary_contact_name), '') as primary_contact_name,
    lower(NULLIF(TRIM(primary_contact_email), '')) as primary_contact_email,
    NULLIF(TRIM(primary_contact_phone), '') as primary_contact_phone
from
    "PHANTOM_SEC"."BRONZE"."BRZ_CUSTOMERS"
where
    customer_id is not null
qualify
    row_number() over (
        partition by
            upper(trim(customer_id))
        order by
            signup_date
    ) = 1;

ALTER TABLE "PHANTOM_SEC"."SILVER"."STG_CUSTOMERS__CHARTER_STAGED" MODIFY COLUMN "PRIMARY_CONTACT_NAME" SET TAG "PHANTOM_SEC"."GOVERNANCE"."PII" = 'pii';

ALTER TABLE "PHANTOM_SEC"."SILVER"."STG_CUSTOMERS__CHARTER_STAGED" MODIFY COLUMN "PRIMARY_CONTACT_EMAIL" SET TAG "PHANTOM_SEC"."GOVERNANCE"."PII" = 'pii';

ALTER TABLE "PHANTOM_SEC"."SILVER"."STG_CUSTOMERS__CHARTER_STAGED" MODIFY COLUMN "PRIMARY_CONTACT_PHONE" SET TAG "PHANTOM_SEC"."GOVERNANCE"."PII" = 'pii';

ALTER TABLE "PHANTOM_SEC"."SILVER"."STG_CUSTOMERS__CHARTER_STAGED" MODIFY COLUMN "PRIMARY_CONTACT_NAME" SET MASKING POLICY "PHANTOM_SEC"."GOVERNANCE"."MASK_PII" FORCE;

ALTER TABLE "PHANTOM_SEC"."SILVER"."STG_CUSTOMERS__CHARTER_STAGED" MODIFY COLUMN "PRIMARY_CONTACT_EMAIL" SET MASKING POLICY "PHANTOM_SEC"."GOVERNANCE"."MASK_PII" FORCE;

ALTER TABLE "PHANTOM_SEC"."SILVER"."STG_CUSTOMERS__CHARTER_STAGED" MODIFY COLUMN "PRIMARY_CONTACT_PHONE" SET MASKING POLICY "PHANTOM_SEC"."GOVERNANCE"."MASK_PII" FORCE;

GRANT SELECT ON TABLE "PHANTOM_SEC"."SILVER"."STG_CUSTOMERS__CHARTER_STAGED" TO ROLE "ANALYST_REVENUE";

GRANT SELECT ON TABLE "PHANTOM_SEC"."SILVER"."STG_CUSTOMERS__CHARTER_STAGED" TO ROLE "CUSTOMER_SUCCESS";

GRANT SELECT ON TABLE "PHANTOM_SEC"."SILVER"."STG_CUSTOMERS__CHARTER_STAGED" TO ROLE "DATA_ENGINEER";

ALTER TABLE "PHANTOM_SEC"."SILVER"."STG_CUSTOMERS__CHARTER_STAGED" SWAP WITH "PHANTOM_SEC"."SILVER"."STG_CUSTOMERS";

DROP TABLE IF EXISTS "PHANTOM_SEC"."SILVER"."STG_CUSTOMERS__CHARTER_STAGED";

-- ==== stg_framework_adoptions: first build
CREATE SCHEMA IF NOT EXISTS "PHANTOM_SEC"."SILVER";

CREATE OR REPLACE TABLE "PHANTOM_SEC"."SILVER"."STG_FRAMEWORK_ADOPTIONS__CHARTER_STAGED" AS
-- Silver: one row per framework adoption (a customer taking on a framework), typed. completion_date is NULL
-- while the adoption is still active on the as-of date.
select
    upper(trim(adoption_id)) as adoption_id,
    upper(trim(customer_id)) as customer_id,
    cast(framework_id as integer) as framework_id,
    cast(start_date as date) as start_date,
    cast(completion_date as date) as completion_date,
    NULLIF(LOWER(TRIM(status)), '') as status,
    cast(audit_score as integer) as audit_score,
    cast(hours_saved as integer) as hours_saved,
    CAST(ROUND(implementation_cost, 2) AS NUMBER(18,2)) as implementation_cost,
    cast(automation_level as integer) as automation_level
from
    "PHANTOM_SEC"."BRONZE"."BRZ_FRAMEWORK_ADOPTIONS"
where
    adoption_id is not null
qualify
    row_number() over (
        partition by
            upper(trim(adoption_id))
        order by
            start_date
    ) = 1;

GRANT SELECT ON TABLE "PHANTOM_SEC"."SILVER"."STG_FRAMEWORK_ADOPTIONS__CHARTER_STAGED" TO ROLE "ANALYST_COMPLIANCE";

GRANT SELECT ON TABLE "PHANTOM_SEC"."SILVER"."STG_FRAMEWORK_ADOPTIONS__CHARTER_STAGED" TO ROLE "CUSTOMER_SUCCESS";

GRANT SELECT ON TABLE "PHANTOM_SEC"."SILVER"."STG_FRAMEWORK_ADOPTIONS__CHARTER_STAGED" TO ROLE "DATA_ENGINEER";

ALTER TABLE "PHANTOM_SEC"."SILVER"."STG_FRAMEWORK_ADOPTIONS__CHARTER_STAGED" RENAME TO "PHANTOM_SEC"."SILVER"."STG_FRAMEWORK_ADOPTIONS";

-- ==== stg_framework_adoptions: over an existing table
CREATE SCHEMA IF NOT EXISTS "PHANTOM_SEC"."SILVER";

CREATE OR REPLACE TABLE "PHANTOM_SEC"."SILVER"."STG_FRAMEWORK_ADOPTIONS__CHARTER_STAGED" AS
-- Silver: one row per framework adoption (a customer taking on a framework), typed. completion_date is NULL
-- while the adoption is still active on the as-of date.
select
    upper(trim(adoption_id)) as adoption_id,
    upper(trim(customer_id)) as customer_id,
    cast(framework_id as integer) as framework_id,
    cast(start_date as date) as start_date,
    cast(completion_date as date) as completion_date,
    NULLIF(LOWER(TRIM(status)), '') as status,
    cast(audit_score as integer) as audit_score,
    cast(hours_saved as integer) as hours_saved,
    CAST(ROUND(implementation_cost, 2) AS NUMBER(18,2)) as implementation_cost,
    cast(automation_level as integer) as automation_level
from
    "PHANTOM_SEC"."BRONZE"."BRZ_FRAMEWORK_ADOPTIONS"
where
    adoption_id is not null
qualify
    row_number() over (
        partition by
            upper(trim(adoption_id))
        order by
            start_date
    ) = 1;

GRANT SELECT ON TABLE "PHANTOM_SEC"."SILVER"."STG_FRAMEWORK_ADOPTIONS__CHARTER_STAGED" TO ROLE "ANALYST_COMPLIANCE";

GRANT SELECT ON TABLE "PHANTOM_SEC"."SILVER"."STG_FRAMEWORK_ADOPTIONS__CHARTER_STAGED" TO ROLE "CUSTOMER_SUCCESS";

GRANT SELECT ON TABLE "PHANTOM_SEC"."SILVER"."STG_FRAMEWORK_ADOPTIONS__CHARTER_STAGED" TO ROLE "DATA_ENGINEER";

ALTER TABLE "PHANTOM_SEC"."SILVER"."STG_FRAMEWORK_ADOPTIONS__CHARTER_STAGED" SWAP WITH "PHANTOM_SEC"."SILVER"."STG_FRAMEWORK_ADOPTIONS";

DROP TABLE IF EXISTS "PHANTOM_SEC"."SILVER"."STG_FRAMEWORK_ADOPTIONS__CHARTER_STAGED";

-- ==== stg_frameworks: first build
CREATE SCHEMA IF NOT EXISTS "PHANTOM_SEC"."SILVER";

CREATE OR REPLACE TABLE "PHANTOM_SEC"."SILVER"."STG_FRAMEWORKS__CHARTER_STAGED" AS
-- Silver: one row per compliance framework (8 reference rows), typed. framework_name keeps its canonical
-- code (SOC2_Type_I, ...); framework_label is the display form.
select
    cast(framework_id as integer) as framework_id,
    NULLIF(TRIM(framework_name), '') as framework_name,
    replace(NULLIF(TRIM(framework_name), ''), '_', ' ') as framework_label,
    NULLIF(LOWER(TRIM(framework_category)), '') as framework_category,
    cast(complexity_score as integer) as complexity_score,
    cast(avg_completion_days as integer) as avg_completion_days,
    NULLIF(LOWER(TRIM(industry_relevance)), '') as industry_relevance,
    NULLIF(LOWER(TRIM(geographic_scope)), '') as geographic_scope,
    cast(automation_percentage as integer) as automation_percentage,
    CASE
    WHEN LOWER(TRIM(TO_VARCHAR(annual_audit_required))) IN ('true', 't', 'yes', 'y', '1', 'on') THEN TRUE
    WHEN LOWER(TRIM(TO_VARCHAR(annual_audit_required))) IN ('false', 'f', 'no', 'n', '0', 'off') THEN FALSE
END as annual_audit_required,
    CAST(ROUND(certification_cost_usd, 2) AS NUMBER(18,2)) as certification_cost_usd
from
    "PHANTOM_SEC"."BRONZE"."BRZ_COMPLIANCE_FRAMEWORKS"
where
    framework_id is not null;

GRANT SELECT ON TABLE "PHANTOM_SEC"."SILVER"."STG_FRAMEWORKS__CHARTER_STAGED" TO ROLE "PUBLIC_READER";

GRANT SELECT ON TABLE "PHANTOM_SEC"."SILVER"."STG_FRAMEWORKS__CHARTER_STAGED" TO ROLE "ANALYST_COMPLIANCE";

GRANT SELECT ON TABLE "PHANTOM_SEC"."SILVER"."STG_FRAMEWORKS__CHARTER_STAGED" TO ROLE "DATA_ENGINEER";

ALTER TABLE "PHANTOM_SEC"."SILVER"."STG_FRAMEWORKS__CHARTER_STAGED" RENAME TO "PHANTOM_SEC"."SILVER"."STG_FRAMEWORKS";

-- ==== stg_frameworks: over an existing table
CREATE SCHEMA IF NOT EXISTS "PHANTOM_SEC"."SILVER";

CREATE OR REPLACE TABLE "PHANTOM_SEC"."SILVER"."STG_FRAMEWORKS__CHARTER_STAGED" AS
-- Silver: one row per compliance framework (8 reference rows), typed. framework_name keeps its canonical
-- code (SOC2_Type_I, ...); framework_label is the display form.
select
    cast(framework_id as integer) as framework_id,
    NULLIF(TRIM(framework_name), '') as framework_name,
    replace(NULLIF(TRIM(framework_name), ''), '_', ' ') as framework_label,
    NULLIF(LOWER(TRIM(framework_category)), '') as framework_category,
    cast(complexity_score as integer) as complexity_score,
    cast(avg_completion_days as integer) as avg_completion_days,
    NULLIF(LOWER(TRIM(industry_relevance)), '') as industry_relevance,
    NULLIF(LOWER(TRIM(geographic_scope)), '') as geographic_scope,
    cast(automation_percentage as integer) as automation_percentage,
    CASE
    WHEN LOWER(TRIM(TO_VARCHAR(annual_audit_required))) IN ('true', 't', 'yes', 'y', '1', 'on') THEN TRUE
    WHEN LOWER(TRIM(TO_VARCHAR(annual_audit_required))) IN ('false', 'f', 'no', 'n', '0', 'off') THEN FALSE
END as annual_audit_required,
    CAST(ROUND(certification_cost_usd, 2) AS NUMBER(18,2)) as certification_cost_usd
from
    "PHANTOM_SEC"."BRONZE"."BRZ_COMPLIANCE_FRAMEWORKS"
where
    framework_id is not null;

GRANT SELECT ON TABLE "PHANTOM_SEC"."SILVER"."STG_FRAMEWORKS__CHARTER_STAGED" TO ROLE "PUBLIC_READER";

GRANT SELECT ON TABLE "PHANTOM_SEC"."SILVER"."STG_FRAMEWORKS__CHARTER_STAGED" TO ROLE "ANALYST_COMPLIANCE";

GRANT SELECT ON TABLE "PHANTOM_SEC"."SILVER"."STG_FRAMEWORKS__CHARTER_STAGED" TO ROLE "DATA_ENGINEER";

ALTER TABLE "PHANTOM_SEC"."SILVER"."STG_FRAMEWORKS__CHARTER_STAGED" SWAP WITH "PHANTOM_SEC"."SILVER"."STG_FRAMEWORKS";

DROP TABLE IF EXISTS "PHANTOM_SEC"."SILVER"."STG_FRAMEWORKS__CHARTER_STAGED";

-- ==== stg_phi_incidents: first build
CREATE SCHEMA IF NOT EXISTS "PHANTOM_SEC"."SILVER";

CREATE OR REPLACE TABLE "PHANTOM_SEC"."SILVER"."STG_PHI_INCIDENTS__CHARTER_STAGED" AS
-- Silver: one row per PHI incident in a HIPAA customer's breach register, typed and conformed. Codes are trimmed
-- and lower-cased, regions and pseudonyms upper-cased, emails lower-cased; notified_date and closed_date are NULL
-- while the notification or the closing is still to come on the as-of date.
select
    upper(trim(incident_id)) as incident_id,
    upper(trim(customer_id)) as customer_id,
    upper(trim(region)) as region,
    NULLIF(LOWER(TRIM(incident_type)), '') as incident_type,
    cast(occurred_date as date) as occurred_date,
    cast(discovered_date as date) as discovered_date,
    cast(reported_date as date) as reported_date,
    upper(NULLIF(TRIM(patient_pseudonym), '')) as patient_pseudonym,
    lower(NULLIF(TRIM(reporter_email), '')) as reporter_email,
    cast(records_affected as integer) as records_affected,
    NULLIF(LOWER(TRIM(severity)), '') as severity,
    CASE
    WHEN LOWER(TRIM(TO_VARCHAR(is_breach))) IN ('true', 't', 'yes', 'y', '1', 'on') THEN TRUE
    WHEN LOWER(TRIM(TO_VARCHAR(is_breach))) IN ('false', 'f', 'no', 'n', '0', 'off') THEN FALSE
END as is_breach,
    cast(notified_date as date) as notified_date,
    NULLIF(LOWER(TRIM(status)), '') as status,
    cast(closed_date as date) as closed_date
from
    "PHANTOM_SEC"."BRONZE"."BRZ_PHI_INCIDENTS"
where
    incident_id is not null
qualify
    row_number() over (
        partition by
            upper(trim(incident_id))
        order by
            reported_date
    ) = 1;

ALTER TABLE "PHANTOM_SEC"."SILVER"."STG_PHI_INCIDENTS__CHARTER_STAGED" MODIFY COLUMN "PATIENT_PSEUDONYM" SET TAG "PHANTOM_SEC"."GOVERNANCE"."PII" = 'phi';

ALTER TABLE "PHANTOM_SEC"."SILVER"."STG_PHI_INCIDENTS__CHARTER_STAGED" MODIFY COLUMN "REPORTER_EMAIL" SET TAG "PHANTOM_SEC"."GOVERNANCE"."PII" = 'pii';

ALTER TABLE "PHANTOM_SEC"."SILVER"."STG_PHI_INCIDENTS__CHARTER_STAGED" MODIFY COLUMN "PATIENT_PSEUDONYM" SET MASKING POLICY "PHANTOM_SEC"."GOVERNANCE"."MASK_PHI" FORCE;

ALTER TABLE "PHANTOM_SEC"."SILVER"."STG_PHI_INCIDENTS__CHARTER_STAGED" MODIFY COLUMN "REPORTER_EMAIL" SET MASKING POLICY "PHANTOM_SEC"."GOVERNANCE"."MASK_EMAIL" FORCE;

ALTER TABLE "PHANTOM_SEC"."SILVER"."STG_PHI_INCIDENTS__CHARTER_STAGED" ADD ROW ACCESS POLICY "PHANTOM_SEC"."GOVERNANCE"."INCIDENT_REGION" ON ("REGION");

GRANT SELECT ON TABLE "PHANTOM_SEC"."SILVER"."STG_PHI_INCIDENTS__CHARTER_STAGED" TO ROLE "ANALYST_PHI";

ALTER TABLE "PHANTOM_SEC"."SILVER"."STG_PHI_INCIDENTS__CHARTER_STAGED" RENAME TO "PHANTOM_SEC"."SILVER"."STG_PHI_INCIDENTS";

-- ==== stg_phi_incidents: over an existing table
CREATE SCHEMA IF NOT EXISTS "PHANTOM_SEC"."SILVER";

CREATE OR REPLACE TABLE "PHANTOM_SEC"."SILVER"."STG_PHI_INCIDENTS__CHARTER_STAGED" AS
-- Silver: one row per PHI incident in a HIPAA customer's breach register, typed and conformed. Codes are trimmed
-- and lower-cased, regions and pseudonyms upper-cased, emails lower-cased; notified_date and closed_date are NULL
-- while the notification or the closing is still to come on the as-of date.
select
    upper(trim(incident_id)) as incident_id,
    upper(trim(customer_id)) as customer_id,
    upper(trim(region)) as region,
    NULLIF(LOWER(TRIM(incident_type)), '') as incident_type,
    cast(occurred_date as date) as occurred_date,
    cast(discovered_date as date) as discovered_date,
    cast(reported_date as date) as reported_date,
    upper(NULLIF(TRIM(patient_pseudonym), '')) as patient_pseudonym,
    lower(NULLIF(TRIM(reporter_email), '')) as reporter_email,
    cast(records_affected as integer) as records_affected,
    NULLIF(LOWER(TRIM(severity)), '') as severity,
    CASE
    WHEN LOWER(TRIM(TO_VARCHAR(is_breach))) IN ('true', 't', 'yes', 'y', '1', 'on') THEN TRUE
    WHEN LOWER(TRIM(TO_VARCHAR(is_breach))) IN ('false', 'f', 'no', 'n', '0', 'off') THEN FALSE
END as is_breach,
    cast(notified_date as date) as notified_date,
    NULLIF(LOWER(TRIM(status)), '') as status,
    cast(closed_date as date) as closed_date
from
    "PHANTOM_SEC"."BRONZE"."BRZ_PHI_INCIDENTS"
where
    incident_id is not null
qualify
    row_number() over (
        partition by
            upper(trim(incident_id))
        order by
            reported_date
    ) = 1;

ALTER TABLE "PHANTOM_SEC"."SILVER"."STG_PHI_INCIDENTS__CHARTER_STAGED" MODIFY COLUMN "PATIENT_PSEUDONYM" SET TAG "PHANTOM_SEC"."GOVERNANCE"."PII" = 'phi';

ALTER TABLE "PHANTOM_SEC"."SILVER"."STG_PHI_INCIDENTS__CHARTER_STAGED" MODIFY COLUMN "REPORTER_EMAIL" SET TAG "PHANTOM_SEC"."GOVERNANCE"."PII" = 'pii';

ALTER TABLE "PHANTOM_SEC"."SILVER"."STG_PHI_INCIDENTS__CHARTER_STAGED" MODIFY COLUMN "PATIENT_PSEUDONYM" SET MASKING POLICY "PHANTOM_SEC"."GOVERNANCE"."MASK_PHI" FORCE;

ALTER TABLE "PHANTOM_SEC"."SILVER"."STG_PHI_INCIDENTS__CHARTER_STAGED" MODIFY COLUMN "REPORTER_EMAIL" SET MASKING POLICY "PHANTOM_SEC"."GOVERNANCE"."MASK_EMAIL" FORCE;

ALTER TABLE "PHANTOM_SEC"."SILVER"."STG_PHI_INCIDENTS__CHARTER_STAGED" ADD ROW ACCESS POLICY "PHANTOM_SEC"."GOVERNANCE"."INCIDENT_REGION" ON ("REGION");

GRANT SELECT ON TABLE "PHANTOM_SEC"."SILVER"."STG_PHI_INCIDENTS__CHARTER_STAGED" TO ROLE "ANALYST_PHI";

ALTER TABLE "PHANTOM_SEC"."SILVER"."STG_PHI_INCIDENTS__CHARTER_STAGED" SWAP WITH "PHANTOM_SEC"."SILVER"."STG_PHI_INCIDENTS";

DROP TABLE IF EXISTS "PHANTOM_SEC"."SILVER"."STG_PHI_INCIDENTS__CHARTER_STAGED";

-- ==== stg_subscription_events: first build
CREATE SCHEMA IF NOT EXISTS "PHANTOM_SEC"."SILVER";

CREATE OR REPLACE TABLE "PHANTOM_SEC"."SILVER"."STG_SUBSCRIPTION_EVENTS__CHARTER_STAGED" AS
-- Silver: one row per subscription ledger event, typed. mrr_amount is the MRR in force from event_date on
-- (net of discount, whatever the billing period; 0 on churn), so MRR on a date is the mrr_amount of the
-- customer's latest event on or before it. contract_end_date is NULL on churn rows (no new contract).
select
    upper(trim(event_id)) as event_id,
    upper(trim(customer_id)) as customer_id,
    cast(event_date as date) as event_date,
    NULLIF(LOWER(TRIM(event_type)), '') as event_type,
    NULLIF(LOWER(TRIM(product_tier)), '') as product_tier,
    CAST(ROUND(mrr_amount, 2) AS NUMBER(18,2)) as mrr_amount,
    NULLIF(LOWER(TRIM(billing_period)), '') as billing_period,
    cast(contract_length_months as integer) as contract_length_months,
    cast(discount_percentage as number(5, 2)) as discount_percentage,
    dateadd(
        month,
        cast(contract_length_months as integer),
        cast(event_date as date)
    ) as contract_end_date,
    NULLIF(LOWER(TRIM(sales_channel)), '') as sales_channel,
    NULLIF(LOWER(TRIM(payment_method)), '') as payment_method,
    NULLIF(LOWER(TRIM(event_type)), '') = 'churn' as is_churn
from
    "PHANTOM_SEC"."BRONZE"."BRZ_SUBSCRIPTION_EVENTS"
where
    event_id is not null
qualify
    row_number() over (
        partition by
            upper(trim(event_id))
        order by
            event_date
    ) = 1;

DELETE FROM "PHANTOM_SEC"."SILVER"."STG_SUBSCRIPTION_EVENTS__CHARTER_STAGED" WHERE "EVENT_DATE" < DATEADD(day, -2555, CAST('2024-12-31' AS DATE));

ALTER TABLE "PHANTOM_SEC"."SILVER"."STG_SUBSCRIPTION_EVENTS__CHARTER_STAGED" SET DATA_RETENTION_TIME_IN_DAYS = 1;

GRANT SELECT ON TABLE "PHANTOM_SEC"."SILVER"."STG_SUBSCRIPTION_EVENTS__CHARTER_STAGED" TO ROLE "ANALYST_REVENUE";

GRANT SELECT ON TABLE "PHANTOM_SEC"."SILVER"."STG_SUBSCRIPTION_EVENTS__CHARTER_STAGED" TO ROLE "FINANCE";

GRANT SELECT ON TABLE "PHANTOM_SEC"."SILVER"."STG_SUBSCRIPTION_EVENTS__CHARTER_STAGED" TO ROLE "DATA_ENGINEER";

ALTER TABLE "PHANTOM_SEC"."SILVER"."STG_SUBSCRIPTION_EVENTS__CHARTER_STAGED" RENAME TO "PHANTOM_SEC"."SILVER"."STG_SUBSCRIPTION_EVENTS";

-- ==== stg_subscription_events: over an existing table
CREATE SCHEMA IF NOT EXISTS "PHANTOM_SEC"."SILVER";

CREATE OR REPLACE TABLE "PHANTOM_SEC"."SILVER"."STG_SUBSCRIPTION_EVENTS__CHARTER_STAGED" AS
-- Silver: one row per subscription ledger event, typed. mrr_amount is the MRR in force from event_date on
-- (net of discount, whatever the billing period; 0 on churn), so MRR on a date is the mrr_amount of the
-- customer's latest event on or before it. contract_end_date is NULL on churn rows (no new contract).
select
    upper(trim(event_id)) as event_id,
    upper(trim(customer_id)) as customer_id,
    cast(event_date as date) as event_date,
    NULLIF(LOWER(TRIM(event_type)), '') as event_type,
    NULLIF(LOWER(TRIM(product_tier)), '') as product_tier,
    CAST(ROUND(mrr_amount, 2) AS NUMBER(18,2)) as mrr_amount,
    NULLIF(LOWER(TRIM(billing_period)), '') as billing_period,
    cast(contract_length_months as integer) as contract_length_months,
    cast(discount_percentage as number(5, 2)) as discount_percentage,
    dateadd(
        month,
        cast(contract_length_months as integer),
        cast(event_date as date)
    ) as contract_end_date,
    NULLIF(LOWER(TRIM(sales_channel)), '') as sales_channel,
    NULLIF(LOWER(TRIM(payment_method)), '') as payment_method,
    NULLIF(LOWER(TRIM(event_type)), '') = 'churn' as is_churn
from
    "PHANTOM_SEC"."BRONZE"."BRZ_SUBSCRIPTION_EVENTS"
where
    event_id is not null
qualify
    row_number() over (
        partition by
            upper(trim(event_id))
        order by
            event_date
    ) = 1;

DELETE FROM "PHANTOM_SEC"."SILVER"."STG_SUBSCRIPTION_EVENTS__CHARTER_STAGED" WHERE "EVENT_DATE" < DATEADD(day, -2555, CAST('2024-12-31' AS DATE));

ALTER TABLE "PHANTOM_SEC"."SILVER"."STG_SUBSCRIPTION_EVENTS__CHARTER_STAGED" SET DATA_RETENTION_TIME_IN_DAYS = 1;

GRANT SELECT ON TABLE "PHANTOM_SEC"."SILVER"."STG_SUBSCRIPTION_EVENTS__CHARTER_STAGED" TO ROLE "ANALYST_REVENUE";

GRANT SELECT ON TABLE "PHANTOM_SEC"."SILVER"."STG_SUBSCRIPTION_EVENTS__CHARTER_STAGED" TO ROLE "FINANCE";

GRANT SELECT ON TABLE "PHANTOM_SEC"."SILVER"."STG_SUBSCRIPTION_EVENTS__CHARTER_STAGED" TO ROLE "DATA_ENGINEER";

ALTER TABLE "PHANTOM_SEC"."SILVER"."STG_SUBSCRIPTION_EVENTS__CHARTER_STAGED" SWAP WITH "PHANTOM_SEC"."SILVER"."STG_SUBSCRIPTION_EVENTS";

DROP TABLE IF EXISTS "PHANTOM_SEC"."SILVER"."STG_SUBSCRIPTION_EVENTS__CHARTER_STAGED";

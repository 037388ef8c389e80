-- Platinum: one row per customer, as of the as-of date (var as_of_date, also a column): profile, subscription
-- state (current MRR/ARR, status active / churned / never_subscribed, first subscription and churn dates,
-- tenure, upsells and expansions), compliance footprint (frameworks adopted and certified, hours saved
-- realised and projected, activity rates). The primary_contact_* columns are PII, passed through for the
-- governance layer to mask.
{{ config(tags=['customer', 'pii']) }}
with
    events as (
        select
            *
        from
            {{ ref('stg_subscription_events') }}
        where
            event_date <= {{ as_of_date() }}
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
            {{ mart_event_type('event_type') }} as latest_event_type,
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
                iff(month_start = date_trunc('month', {{ as_of_date() }}), mrr, 0)
            ) as current_mrr,
            max(mrr) as peak_mrr,
            sum(iff(is_active, 1, 0)) as months_active,
            sum(iff(movement = 'expansion', 1, 0)) as expansion_month_count,
            sum(expansion_mrr) as total_expansion_mrr
        from
            {{ ref('fct_mrr_monthly') }}
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
            {{ ref('fct_framework_adoptions') }}
        group by
            customer_id
    ),
    activities as (
        select
            customer_id,
            count(*) as activity_count,
            {{ pct('sum(iff(is_automated, 1, 0))', 'count(*)') }} as activity_automation_rate_pct,
            {{ pct('sum(iff(is_successful, 1, 0))', 'count(*)') }} as activity_success_rate_pct,
            max(activity_date) as latest_activity_date
        from
            {{ ref('fct_compliance_activities') }}
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
            {{ ref('stg_customers') }} as c
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
            {{ as_of_date() }}
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
    {{ to_money('current_mrr') }} as current_mrr,
    {{ arr_from_mrr('current_mrr') }} as current_arr,
    {{ to_money('peak_mrr') }} as peak_mrr,
    subscription_event_count,
    upsell_count,
    downgrade_count,
    expansion_month_count,
    {{ to_money('total_expansion_mrr') }} as total_expansion_mrr,
    frameworks_adopted_count,
    frameworks_completed_count,
    frameworks_certified_count,
    frameworks_in_progress_count,
    realised_hours_saved,
    projected_hours_saved,
    {{ to_money('total_implementation_cost') }} as total_implementation_cost,
    avg_audit_score,
    activity_count,
    activity_automation_rate_pct,
    activity_success_rate_pct,
    latest_activity_date,
    primary_contact_name,
    primary_contact_email,
    primary_contact_phone,
    {{ as_of_date() }} as as_of_date
from
    joined

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
{{ config(tags=['compliance']) }}
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
            cast(round(f.avg_completion_days * {{ maturity_duration_factor('c.compliance_maturity') }}) as integer) as target_completion_days
        from
            {{ ref('stg_framework_adoptions') }} as a
            left join {{ ref('stg_frameworks') }} as f on f.framework_id = a.framework_id
            left join {{ ref('stg_customers') }} as c on c.customer_id = a.customer_id
        where
            a.start_date <= {{ as_of_date() }}
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
    datediff(day, start_date, coalesce(completion_date, {{ as_of_date() }})) as days_in_progress,
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
    {{ as_of_date() }} as as_of_date
from
    adoptions

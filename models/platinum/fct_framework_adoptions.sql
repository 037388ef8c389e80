-- Platinum: one row per framework adoption (a customer taking on a compliance framework), with the
-- framework's attributes, time to compliance against the framework's typical duration, and status flags.
-- days_to_compliance is NULL while the adoption is active; days_in_progress counts to the as-of date then.
{{ config(tags=['compliance']) }}

with adoptions as (
    select
        a.*,
        datediff(day, a.start_date, a.completion_date) as days_to_compliance
    from {{ ref('stg_framework_adoptions') }} as a
    where a.start_date <= {{ as_of_date() }}
)

select
    a.adoption_id,
    a.customer_id,
    a.framework_id,
    f.framework_name,
    f.framework_label,
    f.framework_category,
    f.complexity_score,
    f.annual_audit_required,
    a.start_date,
    date_trunc('month', a.start_date)                       as start_month,
    a.completion_date,
    date_trunc('month', a.completion_date)                  as completion_month,
    a.status,
    a.status = 'active'                                     as is_active,
    a.status in ('completed', 'certified')                  as is_completed,
    a.status = 'certified'                                  as is_certified,
    a.days_to_compliance,
    datediff(day, a.start_date, coalesce(a.completion_date, {{ as_of_date() }})) as days_in_progress,
    f.avg_completion_days                                   as framework_avg_completion_days,
    a.days_to_compliance - f.avg_completion_days            as days_vs_framework_avg,
    iff(a.completion_date is null, null, a.days_to_compliance <= f.avg_completion_days) as is_on_time,
    a.audit_score,
    a.hours_saved,
    a.implementation_cost,
    f.certification_cost_usd                                as framework_certification_cost,
    a.automation_level,
    f.automation_percentage                                 as framework_automation_percentage,
    a.automation_level - f.automation_percentage            as automation_vs_framework
from adoptions as a
left join {{ ref('stg_frameworks') }} as f
    on f.framework_id = a.framework_id

-- Silver: one row per compliance framework (8 reference rows), typed. framework_name keeps its canonical
-- code (SOC2_Type_I, ...); framework_label is the display form.
select
    cast(framework_id as integer) as framework_id,
    {{ clean_text('framework_name') }} as framework_name,
    replace({{ clean_text('framework_name') }}, '_', ' ') as framework_label,
    {{ clean_code('framework_category') }} as framework_category,
    cast(complexity_score as integer) as complexity_score,
    cast(avg_completion_days as integer) as avg_completion_days,
    {{ clean_code('industry_relevance') }} as industry_relevance,
    {{ clean_code('geographic_scope') }} as geographic_scope,
    cast(automation_percentage as integer) as automation_percentage,
    {{ to_bool('annual_audit_required') }} as annual_audit_required,
    {{ to_money('certification_cost_usd') }} as certification_cost_usd
from
    {{ ref('brz_compliance_frameworks') }}
where
    framework_id is not null

-- Silver: one row per compliance work event (control check, questionnaire, remediation, training, audit),
-- typed, with the three flags as real BOOLEANs.
select
    upper(trim(activity_id)) as activity_id,
    upper(trim(customer_id)) as customer_id,
    cast(framework_id as integer) as framework_id,
    upper(trim(adoption_id)) as adoption_id,
    cast(activity_date as date) as activity_date,
    {{ clean_code('activity_type') }} as activity_type,
    {{ clean_code('control_category') }} as control_category,
    {{ to_bool('automated_flag') }} as automated_flag,
    cast(duration_minutes as integer) as duration_minutes,
    {{ to_bool('success_flag') }} as success_flag,
    {{ clean_code('risk_level') }} as risk_level,
    {{ to_bool('evidence_collected') }} as evidence_collected
from
    {{ ref('brz_compliance_activities') }}
where
    activity_id is not null
qualify
    row_number() over (
        partition by
            upper(trim(activity_id))
        order by
            activity_date
    ) = 1

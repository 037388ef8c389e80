-- Silver: one row per framework adoption (a customer taking on a framework), typed. completion_date is NULL
-- while the adoption is still active on the as-of date.
select
    upper(trim(adoption_id)) as adoption_id,
    upper(trim(customer_id)) as customer_id,
    cast(framework_id as integer) as framework_id,
    cast(start_date as date) as start_date,
    cast(completion_date as date) as completion_date,
    {{ clean_code('status') }} as status,
    cast(audit_score as integer) as audit_score,
    cast(hours_saved as integer) as hours_saved,
    {{ to_money('implementation_cost') }} as implementation_cost,
    cast(automation_level as integer) as automation_level
from
    {{ ref('brz_framework_adoptions') }}
where
    adoption_id is not null
qualify
    row_number() over (
        partition by
            upper(trim(adoption_id))
        order by
            start_date
    ) = 1

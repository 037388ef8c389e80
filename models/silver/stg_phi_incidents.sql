-- Silver: one row per PHI incident in a HIPAA customer's breach register, typed and conformed. Codes are trimmed
-- and lower-cased, regions and pseudonyms upper-cased, emails lower-cased; notified_date and closed_date are NULL
-- while the notification or the closing is still to come on the as-of date.
select
    upper(trim(incident_id)) as incident_id,
    upper(trim(customer_id)) as customer_id,
    upper(trim(region)) as region,
    {{ clean_code('incident_type') }} as incident_type,
    cast(occurred_date as date) as occurred_date,
    cast(discovered_date as date) as discovered_date,
    cast(reported_date as date) as reported_date,
    upper({{ clean_text('patient_pseudonym') }}) as patient_pseudonym,
    lower({{ clean_text('reporter_email') }}) as reporter_email,
    cast(records_affected as integer) as records_affected,
    {{ clean_code('severity') }} as severity,
    {{ to_bool('is_breach') }} as is_breach,
    cast(notified_date as date) as notified_date,
    {{ clean_code('status') }} as status,
    cast(closed_date as date) as closed_date
from
    {{ ref('brz_phi_incidents') }}
where
    incident_id is not null
qualify
    row_number() over (
        partition by
            upper(trim(incident_id))
        order by
            reported_date
    ) = 1

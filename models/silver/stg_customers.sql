-- Silver: one row per customer, typed and conformed. Category codes are trimmed and lower-cased; the
-- primary_contact_* columns are (fake) PII and pass through unchanged for the governance layer to mask.
select
    upper(trim(customer_id)) as customer_id,
    {{ clean_text('company_name') }} as company_name,
    {{ clean_code('segment') }} as segment,
    {{ clean_code('industry') }} as industry,
    cast(signup_date as date) as signup_date,
    cast(employee_count as integer) as employee_count,
    {{ to_money('annual_revenue') }} as annual_revenue,
    upper(trim(country)) as country,
    upper(trim(state_province)) as state_province,
    {{ clean_code('compliance_maturity') }} as compliance_maturity,
    {{ clean_text('primary_cloud_provider') }} as primary_cloud_provider,
    {{ clean_text('primary_contact_name') }} as primary_contact_name,
    lower({{ clean_text('primary_contact_email') }}) as primary_contact_email,
    {{ clean_text('primary_contact_phone') }} as primary_contact_phone
from
    {{ ref('brz_customers') }}
where
    customer_id is not null
qualify
    row_number() over (
        partition by
            upper(trim(customer_id))
        order by
            signup_date
    ) = 1

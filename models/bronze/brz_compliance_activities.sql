-- Bronze: fact_compliance_activities as landed from the seed, one row per compliance work event.
select
    *
from
    {{ ref('fact_compliance_activities') }}

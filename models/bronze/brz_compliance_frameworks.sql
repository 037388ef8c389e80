-- Bronze: dim_compliance_frameworks as landed from the seed, one row per framework (8 reference rows).
select
    *
from
    {{ ref('dim_compliance_frameworks') }}

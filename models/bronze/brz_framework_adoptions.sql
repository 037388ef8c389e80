-- Bronze: fact_framework_adoptions as landed from the seed, one row per customer x framework adoption.
select
    *
from
    {{ ref('fact_framework_adoptions') }}

-- Bronze: dim_customers as landed from the seed, one row per customer. No logic: a stable name to build on.
select
    *
from
    {{ ref('dim_customers') }}

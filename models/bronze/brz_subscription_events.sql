-- Bronze: fact_subscription_events as landed from the seed, one row per subscription ledger event.
select
    *
from
    {{ ref('fact_subscription_events') }}

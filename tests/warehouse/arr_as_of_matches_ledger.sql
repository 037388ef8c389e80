-- ARR on the as-of date from fct_mrr_monthly equals 12 x each customer's MRR recomputed from the ledger: the
-- mrr_amount of their latest subscription event on or before the as-of date (0 after churn). Compared per
-- customer (so errors cannot cancel out) and in total. Every row returned is a failure.
with ledger as (
    select customer_id, mrr_amount
    from {{ ref('stg_subscription_events') }}
    where event_date <= cast('{{ var("as_of_date") }}' as date)
    qualify row_number() over (partition by customer_id order by event_date desc, event_id desc) = 1
),

mart as (
    select customer_id, sum(arr) as arr
    from {{ ref('fct_mrr_monthly') }}
    where month_start = date_trunc('month', cast('{{ var("as_of_date") }}' as date))
    group by customer_id
),

per_customer as (
    select
        coalesce(l.customer_id, m.customer_id)  as customer_id,
        12 * coalesce(l.mrr_amount, 0)          as ledger_arr,
        coalesce(m.arr, 0)                      as mart_arr
    from ledger as l
    full outer join mart as m
        on m.customer_id = l.customer_id
)

select customer_id, ledger_arr, mart_arr
from per_customer
where ledger_arr <> mart_arr

union all

select '(total)', sum(ledger_arr), sum(mart_arr)
from per_customer
having sum(ledger_arr) <> sum(mart_arr)

-- Platinum: one row per customer per calendar quarter in which they held a subscription, with ARR at the
-- quarter's end (snapshot_date: the quarter's last day, or the as-of date in the as-of quarter), ARR at the
-- start (the previous quarter's end) and the quarter's movement. "Total ARR in Q4 2024" = sum(arr) where
-- calendar_quarter = '2024-Q4'. Derived from fct_mrr_monthly, so both agree on every quarter end.
{{ config(tags=['revenue']) }}

with months as (
    select
        customer_id,
        first_subscription_month,
        month_start,
        mrr,
        prev_mrr,
        date_trunc('quarter', month_start) as quarter_start,
        row_number() over (partition by customer_id, date_trunc('quarter', month_start) order by month_start)      as month_asc,
        row_number() over (partition by customer_id, date_trunc('quarter', month_start) order by month_start desc) as month_desc
    from {{ ref('fct_mrr_monthly') }}
),

-- A customer's rows run without gaps until churn, so the quarter's first row holds the MRR at its start
-- (0 when they joined during it) and its last row the MRR at its end (0 when they churned during it).
quarters as (
    select
        customer_id,
        quarter_start,
        min(first_subscription_month)            as first_subscription_month,
        sum(iff(month_asc = 1, prev_mrr, 0))     as starting_mrr,
        sum(iff(month_desc = 1, mrr, 0))         as ending_mrr
    from months
    group by customer_id, quarter_start
)

select
    customer_id || '-' || to_varchar(quarter_start, 'YYYY') || '-Q' || to_varchar(quarter(quarter_start)) as snapshot_key,
    customer_id,
    to_varchar(quarter_start, 'YYYY') || '-Q' || to_varchar(quarter(quarter_start)) as calendar_quarter,
    quarter_start,
    last_day(quarter_start, 'quarter')                                    as quarter_end,
    least(last_day(quarter_start, 'quarter'), {{ as_of_date() }})         as snapshot_date,
    {{ to_money('starting_mrr') }}                                        as starting_mrr,
    {{ to_money('ending_mrr') }}                                          as mrr,
    {{ arr_from_mrr('starting_mrr') }}                                    as starting_arr,
    {{ arr_from_mrr('ending_mrr') }}                                      as arr,
    {{ arr_from_mrr('ending_mrr - starting_mrr') }}                       as arr_change,
    {{ mrr_movement('starting_mrr', 'ending_mrr', 'quarter_start = date_trunc(\'quarter\', first_subscription_month)') }} as movement,
    ending_mrr > 0                                                        as is_active
from quarters

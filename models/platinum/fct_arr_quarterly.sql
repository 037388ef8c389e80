-- Platinum: one row per customer per calendar quarter in which they held a subscription, with ARR at the
-- quarter's end (snapshot_date: the quarter's last day, or the as-of date in the as-of quarter), ARR at the
-- start (the previous quarter's end), the quarter's MRR bridge (the sums of its months' movements in
-- fct_mrr_monthly, so "expansion" means the same here as there) and its net movement. "Total ARR in Q4 2024" =
-- sum(arr) where calendar_quarter = '2024-Q4'. Derived from fct_mrr_monthly, so both agree on every quarter end.
{{ config(tags=['revenue']) }}
with
    months as (
        select
            customer_id,
            first_subscription_month,
            month_start,
            mrr,
            prev_mrr,
            new_mrr,
            reactivation_mrr,
            expansion_mrr,
            upsell_mrr,
            price_uplift_mrr,
            contraction_mrr,
            churned_mrr,
            upsell_count,
            date_trunc('quarter', month_start) as quarter_start,
            row_number() over (
                partition by
                    customer_id,
                    date_trunc('quarter', month_start)
                order by
                    month_start
            ) as month_asc,
            row_number() over (
                partition by
                    customer_id,
                    date_trunc('quarter', month_start)
                order by
                    month_start desc
            ) as month_desc
        from
            {{ ref('fct_mrr_monthly') }}
    ),
    -- A customer's rows run without gaps until churn, so the quarter's first row holds the MRR at its start
    -- (0 when they joined during it) and its last row the MRR at its end (0 when they churned during it).
    quarters as (
        select
            customer_id,
            quarter_start,
            min(first_subscription_month) as first_subscription_month,
            sum(iff(month_asc = 1, prev_mrr, 0)) as starting_mrr,
            sum(iff(month_desc = 1, mrr, 0)) as ending_mrr,
            sum(new_mrr) as new_mrr,
            sum(reactivation_mrr) as reactivation_mrr,
            sum(expansion_mrr) as expansion_mrr,
            sum(upsell_mrr) as upsell_mrr,
            sum(price_uplift_mrr) as price_uplift_mrr,
            sum(contraction_mrr) as contraction_mrr,
            sum(churned_mrr) as churned_mrr,
            sum(upsell_count) as upsell_count
        from
            months
        group by
            customer_id,
            quarter_start
    )
select
    customer_id || '-' || to_varchar(quarter_start, 'YYYY') || '-Q' || to_varchar(quarter(quarter_start)) as snapshot_key,
    customer_id,
    to_varchar(quarter_start, 'YYYY') || '-Q' || to_varchar(quarter(quarter_start)) as calendar_quarter,
    quarter_start,
    last_day(quarter_start, 'quarter') as quarter_end,
    least(last_day(quarter_start, 'quarter'), {{ as_of_date() }}) as snapshot_date,
    {{ to_money('starting_mrr') }} as starting_mrr,
    {{ to_money('ending_mrr') }} as mrr,
    {{ arr_from_mrr('starting_mrr') }} as starting_arr,
    {{ arr_from_mrr('ending_mrr') }} as arr,
    {{ arr_from_mrr('ending_mrr - starting_mrr') }} as arr_change,
    {{ to_money('new_mrr') }} as new_mrr,
    {{ to_money('reactivation_mrr') }} as reactivation_mrr,
    {{ to_money('expansion_mrr') }} as expansion_mrr,
    {{ to_money('upsell_mrr') }} as upsell_mrr,
    {{ to_money('price_uplift_mrr') }} as price_uplift_mrr,
    {{ to_money('contraction_mrr') }} as contraction_mrr,
    {{ to_money('churned_mrr') }} as churned_mrr,
    upsell_count,
    -- The quarter's net change, classified as a month's movement is; a customer who expanded and then
    -- contracted within the quarter can net to anything, so count expansions with expansion_mrr > 0.
    {{ mrr_movement('starting_mrr', 'ending_mrr', 'quarter_start = date_trunc(\'quarter\', first_subscription_month)') }} as net_movement,
    ending_mrr > 0 as is_active,
    {{ as_of_date() }} as as_of_date
from
    quarters

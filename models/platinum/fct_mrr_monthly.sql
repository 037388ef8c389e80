-- Platinum: monthly subscription snapshot. One row per customer per month, from the month of their first
-- subscription event to their churn month (inclusive) or to the as-of month, with:
--   mrr       the MRR in force at month end (snapshot_date: the month's last day, or the as-of date in the
--             as-of month) = mrr_amount of the customer's latest event on or before that date; 0 after churn
--   prev_mrr  the same at the previous month end, and the month's movement between the two
--             (new, expansion, contraction, churn, unchanged; reactivation for a return after churn)
--   expansion_mrr  any MRR increase of an existing customer, split into upsell_mrr (the ledger's expansion
--             events, called upsells in the marts) and price_uplift_mrr (renewals at a higher price)
--   arr       12 x mrr. Total ARR on a month end = sum(arr) over that month's rows. Never sum event amounts.
--   as_of_date  the project's as-of date (var as_of_date) every row is valid on.
-- Months in which a churned customer stays at 0 have no row; a reactivation starts a new run of rows.
--
-- Incremental: every row is a pure function of the events up to its month end, so a run only recomputes the
-- months from the latest month already built minus one (late events, the open as-of month) and replaces those
-- months whole (insert_overwrite by month_start: a late churn removes the months after it, which a merge on
-- (customer_id, month_start) would keep); it gives the same table as a full refresh. A run at a new as-of date
-- recomputes every month, so that every row carries the as-of date it is valid on. Moving as_of_date
-- backwards needs --full-refresh (an incremental run never deletes months). An event dated more than 28 days
-- before the newest one arrives too late for that window: charter then rebuilds the model in full
-- (late_arrival).
{{ config(materialized='incremental', unique_key=['customer_id', 'month_start'], tags=['revenue'],
          incremental_strategy='insert_overwrite', partition_by='month_start',
          late_arrival={'input': 'stg_subscription_events', 'column': 'event_date', 'window_days': 28}) }}
with
    events as (
        select
            customer_id,
            event_id,
            event_date,
            event_type,
            product_tier,
            mrr_amount
        from
            {{ ref('stg_subscription_events') }}
        where
            event_date <= {{ as_of_date() }}
    ),
    first_months as (
        select
            customer_id,
            date_trunc('month', min(event_date)) as first_subscription_month
        from
            events
        group by
            customer_id
    ),
    bounds as (
        select
        {% if is_incremental() %}
            iff(
                (
                    select
                        max(as_of_date)
                    from
                        {{ this }}
                ) = {{ as_of_date() }},
                (
                    select
                        dateadd(month, -1, max(month_start))
                    from
                        {{ this }}
                ),
                (
                    select
                        min(first_subscription_month)
                    from
                        first_months
                )
            ) as window_start,
        {% else %}
            (
                select
                    min(first_subscription_month)
                from
                    first_months
            ) as window_start,
        {% endif %}
            date_trunc('month', {{ as_of_date() }}) as window_end
    ),
    -- The window plus the month before it, so that prev_mrr of the window's first month is known.
    spine as (
    {{ adapter.dispatch('month_spine')(
        'dateadd(month, -1, (select window_start from bounds))',
        '(select window_end from bounds)'
    ) }}
    ),
    customer_months as (
        select
            f.customer_id,
            f.first_subscription_month,
            s.month_start,
            least(last_day(s.month_start), {{ as_of_date() }}) as snapshot_date
        from
            first_months as f
            inner join spine as s on s.month_start >= dateadd(month, -1, f.first_subscription_month)
    ),
    -- MRR at each month end: the latest event on or before it (none yet: 0).
    month_end_state as (
        select
            cm.customer_id,
            cm.first_subscription_month,
            cm.month_start,
            cm.snapshot_date,
            coalesce(e.mrr_amount, 0) as mrr,
            e.event_type as latest_event_type,
            e.event_date as latest_event_date,
            e.product_tier
        from
            customer_months as cm
            left join events as e on e.customer_id = cm.customer_id
            and e.event_date <= cm.snapshot_date
        qualify
            row_number() over (
                partition by
                    cm.customer_id,
                    cm.month_start
                order by
                    e.event_date desc nulls last,
                    e.event_id desc nulls last
            ) = 1
    ),
    -- Each event's MRR step from the customer's previous event, summed per month: the upsells in the month and
    -- the price uplift of its renewals (a renewal never lowers MRR, but only its rises count).
    event_steps as (
        select
            customer_id,
            date_trunc('month', event_date) as month_start,
            event_type,
            mrr_amount - lag(mrr_amount, 1, 0) over (
                partition by
                    customer_id
                order by
                    event_date,
                    event_id
            ) as mrr_step
        from
            events
    ),
    month_events as (
        select
            customer_id,
            month_start,
            sum(iff(event_type = 'expansion', 1, 0)) as upsell_count,
            sum(
                iff(
                    event_type = 'renewal'
                    and mrr_step > 0,
                    mrr_step,
                    0
                )
            ) as renewal_uplift
        from
            event_steps
        group by
            customer_id,
            month_start
    ),
    with_previous as (
        select
            *,
            lag(mrr, 1, 0) over (
                partition by
                    customer_id
                order by
                    month_start
            ) as prev_mrr
        from
            month_end_state
    ),
    movements as (
        select
            p.*,
            {{ mrr_movement('p.prev_mrr', 'p.mrr', 'p.month_start = p.first_subscription_month') }} as movement,
            coalesce(me.upsell_count, 0) as upsell_count,
            coalesce(me.renewal_uplift, 0) as renewal_uplift
        from
            with_previous as p
            left join month_events as me on me.customer_id = p.customer_id
            and me.month_start = p.month_start
    ),
    -- A month's expansion is its net MRR increase; the renewals' price uplift takes its share first (capped at
    -- the expansion) and upsells the rest, so expansion_mrr = upsell_mrr + price_uplift_mrr in every month.
    snapshot as (
        select
            *,
            iff(movement = 'expansion', mrr - prev_mrr, 0) as expansion_amount,
            iff(
                movement = 'expansion',
                least(renewal_uplift, mrr - prev_mrr),
                0
            ) as price_uplift_amount
        from
            movements
        where
            month_start >= (
                select
                    window_start
                from
                    bounds
            )
            and month_start >= first_subscription_month
            and not (
                mrr = 0
                and prev_mrr = 0
            )
    )
select
    customer_id || '-' || to_varchar(month_start, 'YYYY-MM') as snapshot_key,
    customer_id,
    month_start,
    last_day(month_start) as month_end,
    snapshot_date,
    first_subscription_month,
    datediff(month, first_subscription_month, month_start) as months_since_first_subscription,
    product_tier,
    {{ mart_event_type('latest_event_type') }} as latest_event_type,
    latest_event_date,
    {{ to_money('mrr') }} as mrr,
    {{ to_money('prev_mrr') }} as prev_mrr,
    {{ to_money('mrr - prev_mrr') }} as mrr_change,
    {{ arr_from_mrr('mrr') }} as arr,
    movement,
    {{ to_money("iff(movement = 'new', mrr, 0)") }} as new_mrr,
    {{ to_money("iff(movement = 'reactivation', mrr, 0)") }} as reactivation_mrr,
    {{ to_money('expansion_amount') }} as expansion_mrr,
    {{ to_money('expansion_amount - price_uplift_amount') }} as upsell_mrr,
    {{ to_money('price_uplift_amount') }} as price_uplift_mrr,
    {{ to_money("iff(movement = 'contraction', prev_mrr - mrr, 0)") }} as contraction_mrr,
    {{ to_money("iff(movement = 'churn', prev_mrr, 0)") }} as churned_mrr,
    upsell_count,
    mrr > 0 as is_active,
    {{ as_of_date() }} as as_of_date
from
    snapshot

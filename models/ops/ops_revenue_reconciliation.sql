-- Ops: one row per reconciliation check of the platinum marts as of the as-of date. Each check compares a
-- figure computed two ways (expected_value from silver or the mart that owns the metric, actual_value from
-- another mart); is_passing must be true. Besides ARR and row counts, the metric words the marts share must
-- give one number: upsells (the ledger's expansion events), expansion MRR (any MRR increase of an existing
-- customer, fct_mrr_monthly's movement), churned customers, and the MRR bridge must close on the as-of MRR.
-- A view, so it always reads the marts as they are now.
with
    as_of_events as (
        select
            customer_id,
            mrr_amount
        from
            {{ ref('stg_subscription_events') }}
        where
            event_date <= {{ as_of_date() }}
        qualify
            row_number() over (
                partition by
                    customer_id
                order by
                    event_date desc,
                    event_id desc
            ) = 1
    ),
    checks as (
        select
            'arr_as_of: ledger vs fct_mrr_monthly' as check_name,
            (
                select
                    {{ arr_from_mrr('sum(mrr_amount)') }}
                from
                    as_of_events
            ) as expected_value,
            (
                select
                    sum(arr)
                from
                    {{ ref('fct_mrr_monthly') }}
                where
                    month_start = date_trunc('month', {{ as_of_date() }})
            ) as actual_value
        union all
        select
            'arr_as_of: ledger vs dim_customer_360',
            (
                select
                    {{ arr_from_mrr('sum(mrr_amount)') }}
                from
                    as_of_events
            ),
            (
                select
                    sum(current_arr)
                from
                    {{ ref('dim_customer_360') }}
            )
        union all
        select
            'arr_as_of: ledger vs fct_arr_quarterly',
            (
                select
                    {{ arr_from_mrr('sum(mrr_amount)') }}
                from
                    as_of_events
            ),
            (
                select
                    sum(arr)
                from
                    {{ ref('fct_arr_quarterly') }}
                where
                    quarter_start = date_trunc('quarter', {{ as_of_date() }})
            )
        union all
        select
            'active_customers: ledger vs dim_customer_360',
            (
                select
                    count(*)
                from
                    as_of_events
                where
                    mrr_amount > 0
            ),
            (
                select
                    count(*)
                from
                    {{ ref('dim_customer_360') }}
                where
                    customer_status = 'active'
            )
        union all
        select
            'rows: stg_compliance_activities vs fct_compliance_activities',
            (
                select
                    count(*)
                from
                    {{ ref('stg_compliance_activities') }}
                where
                    activity_date <= {{ as_of_date() }}
            ),
            (
                select
                    count(*)
                from
                    {{ ref('fct_compliance_activities') }}
            )
        union all
        select
            'rows: stg_framework_adoptions vs fct_framework_adoptions',
            (
                select
                    count(*)
                from
                    {{ ref('stg_framework_adoptions') }}
                where
                    start_date <= {{ as_of_date() }}
            ),
            (
                select
                    count(*)
                from
                    {{ ref('fct_framework_adoptions') }}
            )
        union all
        select
            'upsells: ledger vs fct_mrr_monthly',
            (
                select
                    count(*)
                from
                    {{ ref('stg_subscription_events') }}
                where
                    event_type = 'expansion'
                    and event_date <= {{ as_of_date() }}
            ),
            (
                select
                    sum(upsell_count)
                from
                    {{ ref('fct_mrr_monthly') }}
            )
        union all
        select
            'upsells: ledger vs dim_customer_360',
            (
                select
                    count(*)
                from
                    {{ ref('stg_subscription_events') }}
                where
                    event_type = 'expansion'
                    and event_date <= {{ as_of_date() }}
            ),
            (
                select
                    sum(upsell_count)
                from
                    {{ ref('dim_customer_360') }}
            )
        union all
        select
            'expansion_mrr: fct_mrr_monthly vs fct_arr_quarterly',
            (
                select
                    sum(expansion_mrr)
                from
                    {{ ref('fct_mrr_monthly') }}
            ),
            (
                select
                    sum(expansion_mrr)
                from
                    {{ ref('fct_arr_quarterly') }}
            )
        union all
        select
            'expansion_mrr: fct_mrr_monthly vs dim_customer_360',
            (
                select
                    sum(expansion_mrr)
                from
                    {{ ref('fct_mrr_monthly') }}
            ),
            (
                select
                    sum(total_expansion_mrr)
                from
                    {{ ref('dim_customer_360') }}
            )
        union all
        select
            'churned_customers: fct_mrr_monthly vs dim_customer_360',
            (
                select
                    count(*)
                from
                    {{ ref('fct_mrr_monthly') }}
                where
                    movement = 'churn'
            ),
            (
                select
                    count(*)
                from
                    {{ ref('dim_customer_360') }}
                where
                    customer_status = 'churned'
            )
        union all
        select
            'mrr_bridge: ledger vs fct_mrr_monthly movements',
            (
                select
                    sum(mrr_amount)
                from
                    as_of_events
            ),
            (
                select
                    sum(
                        new_mrr + reactivation_mrr + expansion_mrr - contraction_mrr - churned_mrr
                    )
                from
                    {{ ref('fct_mrr_monthly') }}
            )
    )
select
    check_name,
    cast(expected_value as number(18, 2)) as expected_value,
    cast(actual_value as number(18, 2)) as actual_value,
    {{ as_of_date() }} as as_of_date,
    coalesce(expected_value = actual_value, false) as is_passing
from
    checks

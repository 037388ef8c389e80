-- Silver: one row per subscription ledger event, typed. mrr_amount is the MRR in force from event_date on
-- (net of discount, whatever the billing period; 0 on churn), so MRR on a date is the mrr_amount of the
-- customer's latest event on or before it. contract_end_date is NULL on churn rows (no new contract).
select
    upper(trim(event_id)) as event_id,
    upper(trim(customer_id)) as customer_id,
    cast(event_date as date) as event_date,
    {{ clean_code('event_type') }} as event_type,
    {{ clean_code('product_tier') }} as product_tier,
    {{ to_money('mrr_amount') }} as mrr_amount,
    {{ clean_code('billing_period') }} as billing_period,
    cast(contract_length_months as integer) as contract_length_months,
    cast(discount_percentage as number(5, 2)) as discount_percentage,
    dateadd(
        month,
        cast(contract_length_months as integer),
        cast(event_date as date)
    ) as contract_end_date,
    {{ clean_code('sales_channel') }} as sales_channel,
    {{ clean_code('payment_method') }} as payment_method,
    {{ clean_code('event_type') }} = 'churn' as is_churn
from
    {{ ref('brz_subscription_events') }}
where
    event_id is not null
qualify
    row_number() over (
        partition by
            upper(trim(event_id))
        order by
            event_date
    ) = 1

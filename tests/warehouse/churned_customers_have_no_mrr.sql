-- dim_customer_360's status agrees with its revenue on the as-of date: a churned or never-subscribed customer
-- has zero current MRR and ARR and no current tier, an active one positive MRR, and ARR is always 12 x MRR.
-- Every row returned is a failure.
select customer_id, customer_status, current_mrr, current_arr, current_product_tier
from {{ ref('dim_customer_360') }}
where (customer_status in ('churned', 'never_subscribed')
        and (current_mrr <> 0 or current_arr <> 0 or current_product_tier is not null))
    or (customer_status = 'active' and not current_mrr > 0)
    or (customer_status not in ('active', 'churned', 'never_subscribed'))
    or current_arr <> 12 * current_mrr

-- A customer churned on the as-of date does no compliance work after their churn date: every activity of a
-- churned customer in fct_compliance_activities is dated on or before dim_customer_360.churn_date (the date
-- of their churn event; a customer who churned and came back is active, not churned).
-- Every row returned is a failure: one per churned customer with later activity.
select
    c.customer_id,
    c.churn_date,
    count(*)                as activities_after_churn,
    min(a.activity_date)    as first_activity_after_churn,
    max(a.activity_date)    as last_activity_after_churn
from {{ ref('dim_customer_360') }} as c
inner join {{ ref('fct_compliance_activities') }} as a
    on a.customer_id = c.customer_id
    and a.activity_date > c.churn_date
where c.customer_status = 'churned'
    and a.activity_date <= cast('{{ var("as_of_date") }}' as date)
group by c.customer_id, c.churn_date

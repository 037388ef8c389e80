-- Platinum: one row per PHI incident reported on or before the as-of date, with its customer's segment and the
-- clocks of HIPAA's Breach Notification Rule (45 CFR 164.404-408), as of the as-of date.
--   is_breach                    the risk assessment found a breach that must be notified
--   is_major_breach              a breach of 500 records or more: HHS and the media are told within 60 days too
--   notification_deadline        discovery + 60 days, for a breach: the individuals must be notified by then
--   hhs_report_due_date          a major breach: the notification deadline; a smaller one: 60 days after the end of
--                                the calendar year of its discovery (the annual log to HHS)
--   is_notification_deadline_met notified on or before the deadline; false once the deadline has passed
--                                unnotified; NULL for no breach, or while the deadline is still ahead
--   status, closed_date          as they stood on the as-of date (a later notification or closing is not yet known)
{{ config(tags=['compliance', 'phi']) }}
with
    incidents as (
        select
            i.*,
            c.segment,
            iff(
                i.is_breach,
                dateadd(day, 60, i.discovered_date),
                null
            ) as notification_deadline,
            iff(i.notified_date <= {{ as_of_date() }}, i.notified_date, null) as notified_by_as_of,
            iff(i.closed_date <= {{ as_of_date() }}, i.closed_date, null) as closed_by_as_of
        from
            {{ ref('stg_phi_incidents') }} as i
            left join {{ ref('stg_customers') }} as c on c.customer_id = i.customer_id
        where
            i.reported_date <= {{ as_of_date() }}
    )
select
    incident_id,
    customer_id,
    segment,
    region,
    incident_type,
    severity,
    occurred_date,
    discovered_date,
    reported_date,
    date_trunc('month', reported_date) as reported_month,
    datediff(day, occurred_date, discovered_date) as days_to_discover,
    patient_pseudonym,
    reporter_email,
    records_affected,
    is_breach,
    is_breach
    and records_affected >= 500 as is_major_breach,
    notification_deadline,
    case
        when not is_breach then null
        when records_affected >= 500 then notification_deadline
        -- Dec 31 of the discovery year + 60 days: Mar 1, or Feb 29 in a leap year.
        else dateadd(
            day,
            59,
            dateadd(year, 1, date_trunc('year', discovered_date))
        )
    end as hhs_report_due_date,
    notified_by_as_of as notified_date,
    datediff(day, discovered_date, notified_by_as_of) as days_to_notify,
    case
        when not is_breach then null
        when notified_by_as_of is not null then notified_by_as_of <= notification_deadline
        when notification_deadline < {{ as_of_date() }} then false
    end as is_notification_deadline_met,
    iff(closed_by_as_of is null, 'open', 'closed') as status,
    closed_by_as_of as closed_date,
    closed_by_as_of is null as is_open,
    datediff(
        day,
        discovered_date,
        coalesce(closed_by_as_of, {{ as_of_date() }})
    ) as days_open,
    {{ as_of_date() }} as as_of_date
from
    incidents

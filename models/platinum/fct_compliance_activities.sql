-- Platinum: one row per compliance work event on or before the as-of date (var as_of_date, also a column), with
-- its adoption and framework keys and the flags the compliance metrics count: automated, successful, high
-- risk, evidence collected, remediation.
--
-- Incremental: activities are immutable events, so a run only takes those on or after the latest
-- activity_date already built (the same day again, for late arrivals) and merges them on activity_id. A run
-- at a new as-of date takes them all, so that every row carries the as-of date it is valid on. Moving
-- as_of_date backwards needs --full-refresh. An activity dated before the newest day arrives too late for
-- that: charter then rebuilds the model in full (late_arrival).
{{ config(materialized='incremental', unique_key='activity_id', tags=['compliance'],
          late_arrival={'input': 'stg_compliance_activities', 'column': 'activity_date', 'window_days': 0}) }}
select
    a.activity_id,
    a.adoption_id,
    a.customer_id,
    a.framework_id,
    f.framework_name,
    a.activity_date,
    date_trunc('month', a.activity_date) as activity_month,
    a.activity_type,
    a.control_category,
    a.risk_level,
    case a.risk_level
        when 'low' then 1
        when 'medium' then 2
        when 'high' then 3
        when 'critical' then 4
    end as risk_rank,
    a.duration_minutes,
    a.automated_flag as is_automated,
    a.success_flag as is_successful,
    not a.success_flag as is_failed,
    a.evidence_collected as is_evidence_collected,
    a.risk_level in ('high', 'critical') as is_high_risk,
    a.activity_type = 'remediation' as is_remediation,
    {{ as_of_date() }} as as_of_date
from
    {{ ref('stg_compliance_activities') }} as a
    left join {{ ref('stg_frameworks') }} as f on f.framework_id = a.framework_id
where
    a.activity_date <= {{ as_of_date() }}
{% if is_incremental() %}
    and (
        a.activity_date >= (
            select
                max(activity_date)
            from
                {{ this }}
        )
        or {{ as_of_date() }} is distinct
        from
            (
                select
                    max(as_of_date)
                from
                    {{ this }}
            )
    )
{% endif %}

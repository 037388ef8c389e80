{#- Shared metric definitions, so every model computes them the same way. -#}

{#- The dataset's as-of date as a DATE literal (var as_of_date). -#}
{% macro as_of_date() %}'{{ var("as_of_date") }}'::DATE{% endmacro %}

{#- A percentage with two decimals; NULL when the denominator is 0 or NULL. -#}
{% macro pct(numerator, denominator) %}ROUND(100 * ({{ numerator }}) / NULLIF({{ denominator }}, 0), 2){% endmacro %}

{#- ARR from MRR: annual run rate = 12 x the MRR in force on a date. Never a sum of event amounts over time. -#}
{% macro arr_from_mrr(mrr) %}CAST(12 * ({{ mrr }}) AS NUMBER(18,2)){% endmacro %}

{#-
  The MRR movement of a period from the MRR at its start and its end. `is_first_period` marks the customer's
  first subscription period, so a later 0 -> positive step is a reactivation rather than a new customer.
-#}
{% macro mrr_movement(prev_mrr, mrr, is_first_period) -%}
CASE
    WHEN ({{ prev_mrr }}) = 0 AND ({{ mrr }}) > 0 THEN IFF({{ is_first_period }}, 'new', 'reactivation')
    WHEN ({{ prev_mrr }}) > 0 AND ({{ mrr }}) = 0 THEN 'churn'
    WHEN ({{ mrr }}) > ({{ prev_mrr }}) THEN 'expansion'
    WHEN ({{ mrr }}) < ({{ prev_mrr }}) THEN 'contraction'
    ELSE 'unchanged'
END
{%- endmacro %}

{#-
  A ledger event type as the marts name it. The ledger's `expansion` event is an upsell (a customer buying more
  mid-contract or at renewal); the marts keep the word "expansion" for the MRR movement (any MRR increase from
  an existing customer, upsells and renewal price uplifts alike), so the two cannot be confused.
-#}
{% macro mart_event_type(event_type) %}IFF({{ event_type }} = 'expansion', 'upsell', {{ event_type }}){% endmacro %}

{#-
  The specification's maturity adjustment of time to compliance (001, FACT_FRAMEWORK_ADOPTIONS: advanced -20 %,
  intermediate the framework's typical duration, beginner +30 %), which the seed generator plans completions by.
  A customer's target = ROUND(avg_completion_days x this factor); NULL for an unknown maturity.
-#}
{% macro maturity_duration_factor(maturity) -%}
CASE {{ maturity }} WHEN 'advanced' THEN 0.8 WHEN 'intermediate' THEN 1.0 WHEN 'beginner' THEN 1.3 END
{%- endmacro %}

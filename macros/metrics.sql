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

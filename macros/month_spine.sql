{#-
  month_spine(start_date, end_date): one row per month, column month_start (DATE, first of the month), from the
  month of start_date to the month of end_date, both inclusive. Arguments are SQL expressions (scalar subqueries
  allowed). Call it as adapter.dispatch('month_spine')(start, end): the engines generate series differently.
-#}

{#- Snowflake: GENERATOR needs a constant row count, so generate 100 years of months and cut at end_date.
    ROW_NUMBER over SEQ4 rather than SEQ4 itself, which may have gaps. -#}
{% macro snowflake__month_spine(start_date, end_date) -%}
select dateadd(month, seq.month_index, date_trunc('month', {{ start_date }})) as month_start
from (
    select row_number() over (order by seq4()) - 1 as month_index
    from table(generator(rowcount => 1200))
) as seq
where seq.month_index <= datediff(month, {{ start_date }}, {{ end_date }})
{%- endmacro %}

{#- DuckDB: generate_series over timestamps, unnested so that its bounds may be subqueries. -#}
{% macro duckdb__month_spine(start_date, end_date) -%}
select cast(series.month_ts as date) as month_start
from (
    select unnest(generate_series(
        date_trunc('month', {{ start_date }}),
        date_trunc('month', {{ end_date }}),
        interval '1 month'
    )) as month_ts
) as series
{%- endmacro %}

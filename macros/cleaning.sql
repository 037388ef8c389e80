{#- Cleaning and typing helpers for the silver layer. Each takes a SQL expression and returns one. -#}

{#- Money: rounded to cents (half away from zero on both engines) and typed NUMBER(18,2). -#}
{% macro to_money(expr) %}CAST(ROUND({{ expr }}, 2) AS NUMBER(18,2)){% endmacro %}

{#- A trimmed, lower-cased category code; empty text becomes NULL. -#}
{% macro clean_code(expr) %}NULLIF(LOWER(TRIM({{ expr }})), ''){% endmacro %}

{#- Trimmed free text; empty text becomes NULL. -#}
{% macro clean_text(expr) %}NULLIF(TRIM({{ expr }}), ''){% endmacro %}

{#-
  A BOOLEAN from whatever landed: a real boolean, or text such as true/false, t/f, yes/no, y/n, 1/0, on/off.
  Anything else is NULL, never an error, so one bad landing row cannot fail the build. Goes through text on
  purpose: Snowflake's TRY_TO_BOOLEAN rejects non-text input, and TO_BOOLEAN errors on unknown words.
-#}
{% macro to_bool(expr) -%}
CASE
    WHEN LOWER(TRIM(TO_VARCHAR({{ expr }}))) IN ('true', 't', 'yes', 'y', '1', 'on') THEN TRUE
    WHEN LOWER(TRIM(TO_VARCHAR({{ expr }}))) IN ('false', 'f', 'no', 'n', '0', 'off') THEN FALSE
END
{%- endmacro %}

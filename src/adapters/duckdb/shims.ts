// DuckDB macros ("shims") that give Snowflake semantics to the calls emitted by translate-snowflake.ts.
// Installed as persistent macros in `main` (views over them then work from every connection); reinstalled when
// SHIM_VERSION changes. Names starting with __sf_ are charter-internal; sha2, current_role and is_role_in_session
// keep their Snowflake names. Built-ins shadowed here stay reachable as system.main.<name>.

export const SHIM_VERSION = 1;

// DuckDB binds a macro body when it is created: a body must not call an overloaded typed macro, and type
// modifiers (DECIMAL(p, s)) must be constants.
export const SHIM_SQL: readonly string[] = [
  // --- division: Snowflake NUMBER / NUMBER has scale max(s1, min(s1 + 6, 12)), rounded half away from zero,
  // and dividing by zero is an error (DuckDB returns Infinity). Integers are exact; decimals go through DOUBLE.
  `CREATE OR REPLACE MACRO __sf_div_scale(t) AS CASE WHEN t LIKE 'DECIMAL(%'
     THEN greatest(CAST(regexp_extract(t, ',(\\d+)\\)', 1) AS INTEGER), least(CAST(regexp_extract(t, ',(\\d+)\\)', 1) AS INTEGER) + 6, 12))
     ELSE 6 END`,
  // One integer overload only: (BIGINT, BIGINT) next to (HUGEINT, HUGEINT) is ambiguous for sum(x) / count(*).
  `CREATE OR REPLACE MACRO __sf_div(a HUGEINT, b HUGEINT) AS CASE
     WHEN b = 0 AND a IS NOT NULL THEN error('Division by zero')
     ELSE CAST((abs(a) * 2000000 + abs(b)) // (abs(b) * 2) * sign(a) * sign(b) AS DECIMAL(38, 0))
          * CAST(0.000001 AS DECIMAL(7, 6)) END,
   (a, b) AS CASE
     WHEN b = 0 AND a IS NOT NULL THEN error('Division by zero')
     WHEN typeof(a) IN ('FLOAT', 'DOUBLE') OR typeof(b) IN ('FLOAT', 'DOUBLE') THEN CAST(a AS DOUBLE) / CAST(b AS DOUBLE)
     ELSE round(CAST(a AS DOUBLE) / CAST(b AS DOUBLE), __sf_div_scale(typeof(a))) END`,

  // --- dates. The part always arrives as a canonical lower-case literal (the pre-pass canonicalises it).
  `CREATE OR REPLACE MACRO __sf_interval(part, n) AS CASE part
     WHEN 'year' THEN to_years(CAST(n AS INTEGER)) WHEN 'quarter' THEN to_months(CAST(n AS INTEGER) * 3)
     WHEN 'month' THEN to_months(CAST(n AS INTEGER)) WHEN 'week' THEN to_days(CAST(n AS INTEGER) * 7)
     WHEN 'day' THEN to_days(CAST(n AS INTEGER)) WHEN 'hour' THEN to_hours(CAST(n AS BIGINT))
     WHEN 'minute' THEN to_minutes(CAST(n AS BIGINT)) WHEN 'second' THEN to_seconds(CAST(n AS BIGINT))
     WHEN 'millisecond' THEN to_milliseconds(CAST(n AS BIGINT)) WHEN 'microsecond' THEN to_microseconds(CAST(n AS BIGINT))
     ELSE error('charter: unsupported date part ' || part) END`,
  // DATEADD with a day-or-larger part: a DATE stays a DATE (DuckDB's DATE + INTERVAL is a TIMESTAMP).
  `CREATE OR REPLACE MACRO __sf_dateadd(part, n, d DATE) AS CAST(d + __sf_interval(part, n) AS DATE),
     (part, n, d TIMESTAMP) AS d + __sf_interval(part, n),
     (part, n, d TIMESTAMP WITH TIME ZONE) AS d + __sf_interval(part, n)`,
  // DATEADD with an hour-or-smaller part: a DATE is treated as midnight and the result is a TIMESTAMP.
  `CREATE OR REPLACE MACRO __sf_timeadd(part, n, d DATE) AS CAST(d AS TIMESTAMP) + __sf_interval(part, n),
     (part, n, d TIMESTAMP) AS d + __sf_interval(part, n),
     (part, n, d TIMESTAMP WITH TIME ZONE) AS d + __sf_interval(part, n),
     (part, n, d TIME) AS d + __sf_interval(part, n)`,
  // DuckDB date_diff counts boundaries like Snowflake for every part except week.
  `CREATE OR REPLACE MACRO __sf_datediff_week(a, b) AS
     date_diff('day', date_trunc('week', CAST(a AS TIMESTAMP)), date_trunc('week', CAST(b AS TIMESTAMP))) // 7`,
  `CREATE OR REPLACE MACRO __sf_date_trunc(part, d DATE) AS CAST(date_trunc(part, d) AS DATE),
     (part, d TIMESTAMP) AS date_trunc(part, d),
     (part, d TIMESTAMP WITH TIME ZONE) AS date_trunc(part, d)`,
  `CREATE OR REPLACE MACRO __sf_last_day(d, part) AS CASE part
     WHEN 'month' THEN last_day(d)
     WHEN 'year' THEN CAST(date_trunc('year', d) + INTERVAL 1 YEAR - INTERVAL 1 DAY AS DATE)
     WHEN 'quarter' THEN CAST(date_trunc('quarter', d) + INTERVAL 3 MONTH - INTERVAL 1 DAY AS DATE)
     WHEN 'week' THEN CAST(date_trunc('week', d) + INTERVAL 6 DAY AS DATE)
     ELSE error('charter: unsupported LAST_DAY part ' || part) END`,
  // ADD_MONTHS keeps month ends: the last day of a month maps to the last day of the resulting month.
  `CREATE OR REPLACE MACRO __sf_add_months(d DATE, n) AS CASE
     WHEN d = last_day(d) THEN last_day(CAST(d + to_months(CAST(n AS INTEGER)) AS DATE))
     ELSE CAST(d + to_months(CAST(n AS INTEGER)) AS DATE) END,
   (d TIMESTAMP, n) AS CASE
     WHEN CAST(d AS DATE) = last_day(d)
       THEN CAST(last_day(d + to_months(CAST(n AS INTEGER))) AS TIMESTAMP) + (d - date_trunc('day', d))
     ELSE d + to_months(CAST(n AS INTEGER)) END`,

  // --- strings
  // Snowflake's default TIMESTAMP_NTZ output format is 'YYYY-MM-DD HH24:MI:SS.FF3'.
  `CREATE OR REPLACE MACRO __sf_to_varchar(x TIMESTAMP) AS strftime(x, '%Y-%m-%d %H:%M:%S.%g'),
     (x) AS CAST(x AS VARCHAR)`,
  `CREATE OR REPLACE MACRO __sf_regexp_substr(s, p) AS CASE WHEN regexp_matches(s, p) THEN regexp_extract(s, p) END`,
  `CREATE OR REPLACE MACRO __sf_initcap_delims(s, delims) AS CASE WHEN s IS NULL THEN NULL ELSE array_to_string(
     list_transform(range(1, length(s) + 1), lambda i: CASE
       WHEN i = 1 OR strpos(delims, substr(s, i - 1, 1)) > 0 THEN upper(substr(s, i, 1)) ELSE lower(substr(s, i, 1)) END),
     '') END`,
  // Snowflake's default INITCAP delimiters: whitespace and ! ? @ " ^ # $ & ~ _ , . : ; + - * % / | \\ [ ] ( ) { } < >
  `CREATE OR REPLACE MACRO __sf_initcap(s) AS
     __sf_initcap_delims(s, ' ' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13) || '!?@"^#$&~_,.:;+-*%/|\\[](){}<>')`,
  `CREATE OR REPLACE MACRO sha2(x) AS sha256(x),
     (x, bits) AS CASE WHEN bits = 256 THEN sha256(x)
                       ELSE error('charter: SHA2 digest size ' || bits || ' is not available locally (only 256)') END`,

  // --- session-role emulation: SET VARIABLE charter_role = 'ANALYST'; SET VARIABLE charter_roles = ['ANALYST','PUBLIC']
  `CREATE OR REPLACE MACRO current_role() AS getvariable('charter_role')`,
  `CREATE OR REPLACE MACRO is_role_in_session(r) AS
     COALESCE(list_contains(getvariable('charter_roles'), upper(r)), false)
     OR COALESCE(upper(getvariable('charter_role')) = upper(r), false)`,
];

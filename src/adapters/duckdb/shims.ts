// DuckDB macros ("shims") that give Snowflake semantics to the calls emitted by translate-snowflake.ts.
// Installed as persistent macros in `main` (views over them then work from every connection); reinstalled when
// SHIM_VERSION changes. Names starting with __sf_ are charter-internal; sha2, current_role and is_role_in_session
// keep their Snowflake names. Built-ins shadowed here stay reachable as system.main.<name>.

export const SHIM_VERSION = 3;

// Why no typed overloads: DuckDB picks a typed macro overload before it knows the type of an aggregate or
// window argument, so `f(max(d))` is ambiguous or, worse, silently takes the wrong overload. Type-dependent
// behaviour uses cast_to_type(value, reference) (result typed like the reference) and typeof() (constant-folded).
// Macros are expanded by substitution, so a shim that repeats its argument makes nested calls grow
// exponentially; __sf_div, which nests in chains like a / b / c / d, binds its arguments once through a lambda.
// DuckDB's own VARIANT type (what `::variant` becomes) turns into a JSON string, never an object or array: refuse it.
const DUCKDB_VARIANT = 'a ::variant value is a DuckDB VARIANT locally, which is not expanded like a Snowflake VARIANT; use PARSE_JSON or a JSON column';

export const SHIM_SQL: readonly string[] = [
  // --- division: Snowflake NUMBER / NUMBER rounds (half away from zero) to scale max(s1, min(s1 + 6, 12)), with
  // s1 the dividend's scale, and dividing by zero is an error (DuckDB returns Infinity or NULL). Integers are
  // divided exactly; other fixed-point operands go through DOUBLE and are cast to the dividend's scale + 6, capped
  // at 12 (round(…, 12) on the type reference). A DOUBLE dividend stays an unrounded DOUBLE.
  `CREATE OR REPLACE MACRO __sf_div_core(a, b) AS CASE
     WHEN b = 0 AND a IS NOT NULL THEN error('Division by zero')
     WHEN typeof(a) IN ('TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT', 'UTINYINT', 'USMALLINT', 'UINTEGER')
      AND typeof(b) IN ('TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT', 'UTINYINT', 'USMALLINT', 'UINTEGER')
       THEN cast_to_type(CAST(CASE WHEN abs(a) < 4000000000000 AND abs(b) < 4000000000000
           THEN (abs(CAST(a AS BIGINT)) * 2000000 + abs(CAST(b AS BIGINT))) // (abs(CAST(b AS BIGINT)) * 2) * sign(a) * sign(b)
           ELSE (abs(CAST(a AS HUGEINT)) * 2000000 + abs(CAST(b AS HUGEINT))) // (abs(CAST(b AS HUGEINT)) * 2) * sign(a) * sign(b)
         END AS DECIMAL(38, 0)) * CAST(0.000001 AS DECIMAL(7, 6)),
         round(COALESCE(a, 0) * CAST(0 AS DECIMAL(20, 6)), 12))
     ELSE cast_to_type(CAST(a AS DOUBLE) / CAST(b AS DOUBLE), round(COALESCE(a, 0) * CAST(0 AS DECIMAL(20, 6)), 12))
   END`,
  // The lambda binds each operand once (see above); s['a'] rather than s.a, which DuckDB 1.5.6 mis-binds in HAVING.
  `CREATE OR REPLACE MACRO __sf_div(a, b) AS
     list_transform([{'a': a, 'b': b}], lambda __sf_ab: __sf_div_core(__sf_ab['a'], __sf_ab['b']))[1]`,

  // --- dates. The part always arrives as a canonical lower-case literal (the pre-pass canonicalises it).
  `CREATE OR REPLACE MACRO __sf_interval(part, n) AS CASE part
     WHEN 'year' THEN to_years(CAST(n AS INTEGER)) WHEN 'quarter' THEN to_months(CAST(n AS INTEGER) * 3)
     WHEN 'month' THEN to_months(CAST(n AS INTEGER)) WHEN 'week' THEN to_days(CAST(n AS INTEGER) * 7)
     WHEN 'day' THEN to_days(CAST(n AS INTEGER)) WHEN 'hour' THEN to_hours(CAST(n AS BIGINT))
     WHEN 'minute' THEN to_minutes(CAST(n AS BIGINT)) WHEN 'second' THEN to_seconds(CAST(n AS BIGINT))
     WHEN 'millisecond' THEN to_milliseconds(CAST(n AS BIGINT)) WHEN 'microsecond' THEN to_microseconds(CAST(n AS BIGINT))
     ELSE error('charter: unsupported date part ' || part) END`,
  // DATEADD with a day-or-larger part keeps the input type (DuckDB's DATE + INTERVAL is a TIMESTAMP).
  `CREATE OR REPLACE MACRO __sf_dateadd(part, n, d) AS cast_to_type(d + __sf_interval(part, n), d)`,
  // DATEADD with an hour-or-smaller part: a DATE counts as midnight and the result is a TIMESTAMP (as in DuckDB).
  `CREATE OR REPLACE MACRO __sf_timeadd(part, n, d) AS d + __sf_interval(part, n)`,
  // DuckDB date_diff counts boundaries like Snowflake for every part except week.
  `CREATE OR REPLACE MACRO __sf_datediff_week(a, b) AS
     date_diff('day', date_trunc('week', CAST(a AS TIMESTAMP)), date_trunc('week', CAST(b AS TIMESTAMP))) // 7`,
  `CREATE OR REPLACE MACRO __sf_date_trunc(part, d) AS cast_to_type(date_trunc(part, d), d)`,
  `CREATE OR REPLACE MACRO __sf_last_day(d, part) AS CASE part
     WHEN 'month' THEN last_day(d)
     WHEN 'year' THEN CAST(date_trunc('year', d) + INTERVAL 1 YEAR - INTERVAL 1 DAY AS DATE)
     WHEN 'quarter' THEN CAST(date_trunc('quarter', d) + INTERVAL 3 MONTH - INTERVAL 1 DAY AS DATE)
     WHEN 'week' THEN CAST(date_trunc('week', d) + INTERVAL 6 DAY AS DATE)
     ELSE error('charter: unsupported LAST_DAY part ' || part) END`,
  // ADD_MONTHS keeps month ends (the last day of a month maps to the last day of the resulting month) and the
  // input type; the time of day of a timestamp is kept.
  `CREATE OR REPLACE MACRO __sf_add_months(d, n) AS cast_to_type(CASE
     WHEN CAST(d AS DATE) = last_day(d)
       THEN CAST(last_day(d + to_months(CAST(n AS INTEGER))) AS TIMESTAMP) + (CAST(d AS TIMESTAMP) - CAST(CAST(d AS DATE) AS TIMESTAMP))
     ELSE CAST(d + to_months(CAST(n AS INTEGER)) AS TIMESTAMP) END, d)`,

  // --- strings
  // Snowflake's default TIMESTAMP_NTZ output format is 'YYYY-MM-DD HH24:MI:SS.FF3'; other types cast as usual.
  // A VARIANT (JSON) string casts to its text without the JSON quotes; JSON null to NULL.
  `CREATE OR REPLACE MACRO __sf_to_varchar(x) AS CASE WHEN typeof(x) = 'TIMESTAMP'
     THEN strftime(TRY_CAST(CAST(x AS VARCHAR) AS TIMESTAMP), '%Y-%m-%d %H:%M:%S.%g')
     WHEN typeof(x) = 'JSON' THEN CAST(x AS JSON) ->> '$' ELSE CAST(x AS VARCHAR) END`,
  `CREATE OR REPLACE MACRO __sf_regexp_substr(s, p) AS CASE WHEN regexp_matches(s, p) THEN regexp_extract(s, p) END`,
  `CREATE OR REPLACE MACRO __sf_initcap_delims(s, delims) AS CASE WHEN s IS NULL THEN NULL ELSE array_to_string(
     list_transform(range(1, length(s) + 1), lambda i: CASE
       WHEN i = 1 OR strpos(delims, substr(s, i - 1, 1)) > 0 THEN upper(substr(s, i, 1)) ELSE lower(substr(s, i, 1)) END),
     '') END`,
  // Snowflake's default INITCAP delimiters: whitespace and ! ? @ " ^ # $ & ~ _ , . : ; + - * % / | \ [ ] ( ) { } < >
  `CREATE OR REPLACE MACRO __sf_initcap(s) AS
     __sf_initcap_delims(s, ' ' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13) || '!?@"^#$&~_,.:;+-*%/|\\[](){}<>')`,
  `CREATE OR REPLACE MACRO sha2(x) AS sha256(x),
     (x, bits) AS CASE WHEN bits = 256 THEN sha256(x)
                       ELSE error('charter: SHA2 digest size ' || bits || ' is not available locally (only 256)') END`,

  // --- [I]LIKE ANY|ALL (snowflake-like-any.ts): one match result per pattern, then SQL's three-valued ANY/ALL.
  `CREATE OR REPLACE MACRO __sf_like_list(x, ps) AS list_transform(ps, lambda __sf_p: x LIKE __sf_p)`,
  `CREATE OR REPLACE MACRO __sf_ilike_list(x, ps) AS list_transform(ps, lambda __sf_p: x ILIKE __sf_p)`,
  `CREATE OR REPLACE MACRO __sf_like_list_escape(x, ps, e) AS list_transform(ps, lambda __sf_p: like_escape(x, __sf_p, e))`,
  `CREATE OR REPLACE MACRO __sf_ilike_list_escape(x, ps, e) AS list_transform(ps, lambda __sf_p: ilike_escape(x, __sf_p, e))`,
  `CREATE OR REPLACE MACRO __sf_like_quantified(r, is_all) AS CASE
     WHEN is_all THEN CASE WHEN list_bool_or(list_transform(r, lambda __sf_b: NOT __sf_b)) THEN false
                           WHEN list_count(r) < len(r) THEN NULL ELSE true END
     ELSE CASE WHEN list_bool_or(r) THEN true WHEN list_count(r) < len(r) THEN NULL ELSE false END END`,

  // --- TO_TIMESTAMP of a number: seconds since the epoch (times `scale_factor` for TO_TIMESTAMP(n, scale)), as a
  // TIMESTAMP (NTZ, UTC wall clock). Any other type casts as before; typeof() is constant-folded, so the unused
  // branch never binds a cast DuckDB lacks.
  `CREATE OR REPLACE MACRO __sf_to_timestamp(x, scale_factor) AS CASE
     WHEN typeof(x) IN ('TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT', 'UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT',
                        'FLOAT', 'DOUBLE') OR typeof(x) LIKE 'DECIMAL%'
       THEN make_timestamp(CAST(trunc(TRY_CAST(x AS DECIMAL(38, 9)) * scale_factor) AS BIGINT))
     ELSE CAST(x AS TIMESTAMP) END`,

  // --- OBJECT_AGG(key, value) as an aggregate: pairs with a NULL key or value are ignored, a duplicate key is an
  // error, keys are in sorted order (as Snowflake stores them), and a group with no pair gives {} (as ARRAY_AGG
  // gives []). Keys are VARCHAR in Snowflake, so they sort as text.
  `CREATE OR REPLACE MACRO __sf_object_agg(k, v) AS COALESCE(
     CASE WHEN typeof(any_value(v)) = 'VARIANT' THEN error('charter: ${DUCKDB_VARIANT}')
          WHEN count(k) FILTER (WHERE k IS NOT NULL AND v IS NOT NULL)
             <> count(DISTINCT CAST(k AS VARCHAR)) FILTER (WHERE k IS NOT NULL AND v IS NOT NULL)
       THEN error('Duplicate field key in OBJECT_AGG') END,
     to_json(map(list(CAST(k AS VARCHAR) ORDER BY CAST(k AS VARCHAR)) FILTER (WHERE k IS NOT NULL AND v IS NOT NULL),
                 list(v ORDER BY CAST(k AS VARCHAR)) FILTER (WHERE k IS NOT NULL AND v IS NOT NULL))),
     CAST('{}' AS JSON))`,

  // --- SPLIT_TO_TABLE(string, delimiter): SEQ (1; the pre-pass refuses SEQ of a correlated input), INDEX 1-based,
  // VALUE. An empty delimiter does not split; a NULL string gives no row.
  `CREATE OR REPLACE MACRO __sf_split_to_table(s, d) AS TABLE
     SELECT 1 AS SEQ, r.i AS INDEX, p.parts[r.i] AS VALUE
     FROM (SELECT CASE WHEN d = '' THEN [s] ELSE string_split(s, d) END AS parts WHERE s IS NOT NULL AND d IS NOT NULL) AS p,
       unnest(range(1, len(p.parts) + 1)) AS r(i)`,

  // --- FLATTEN (see snowflake-flatten.ts): one row per member of the compound at `jpath` (a constant JSON path), or
  // of every descendant (pre-order) when `is_recursive`. `mode`: 'BOTH', 'OBJECT' or 'ARRAY' (the compound kinds
  // expanded; the pre-pass refuses a mode other than BOTH with RECURSIVE). `is_outer`: an input with nothing to
  // expand gives one row with NULL KEY, INDEX and VALUE and the PATH argument as PATH ('' for `[]`, as in
  // Snowflake's docs). SEQ is 1: the pre-pass refuses SEQ where it would
  // differ (a correlated input). PATH is rebuilt from json_tree's fullkey, which does not quote unusual keys: a
  // document with a key that is not a plain identifier makes PATH an error rather than a guess.
  `CREATE OR REPLACE MACRO __sf_flatten(input, jpath, is_outer, is_recursive, mode) AS TABLE
     WITH doc AS NOT MATERIALIZED (SELECT CASE WHEN typeof(input) = 'VARIANT' THEN error('charter: ${DUCKDB_VARIANT}')
                                          ELSE to_json(input) END AS j),
     tree AS NOT MATERIALIZED (SELECT t.* FROM doc, json_tree(doc.j, jpath) t),
     root AS NOT MATERIALIZED (SELECT id, type FROM tree WHERE id = (SELECT min(id) FROM tree)),
     plain AS NOT MATERIALIZED (SELECT COALESCE(bool_and(key IS NULL OR regexp_full_match(key, '[A-Za-z_][A-Za-z0-9_]*')
                 OR ends_with(fullkey, '[' || key || ']')), true) AS ok FROM tree),
     items AS NOT MATERIALIZED (SELECT c.key, c.value, c.fullkey, c.id, p.type AS ptype, p.value AS this FROM tree c JOIN tree p ON c.parent = p.id
       WHERE (SELECT type FROM root) IN ('ARRAY', 'OBJECT')
         AND (is_recursive OR (c.parent = (SELECT id FROM root) AND (mode = 'BOTH' OR (SELECT type FROM root) = mode))))
     -- One projection (no UNION) so that DuckDB prunes an unused PATH and never raises its error.
     SELECT 1 AS SEQ, CASE WHEN ptype = 'OBJECT' THEN key END AS KEY,
       CASE WHEN i.id IS NULL THEN regexp_replace(jpath, '^\\$\\.?', '')
            WHEN (SELECT ok FROM plain) THEN regexp_replace(fullkey, '^\\$\\.?', '')
            ELSE error('charter: FLATTEN PATH of a key that is not a plain identifier is not reproduced locally') END AS PATH,
       CASE WHEN ptype = 'ARRAY' THEN CAST(key AS BIGINT) END AS INDEX, value AS VALUE,
       CASE WHEN i.id IS NULL THEN (SELECT j FROM doc) -> jpath ELSE this END AS THIS
     FROM (SELECT 1) AS one LEFT JOIN items AS i ON TRUE
     WHERE i.id IS NOT NULL OR is_outer`,

  // --- session-role emulation: SET VARIABLE charter_role = 'ANALYST'; SET VARIABLE charter_roles = ['ANALYST','PUBLIC']
  // (the role and every role it inherits). charter's own build and test sessions set charter_unrestricted: they read
  // governed relations as stored, as the deploying role does; any other session reads them through their policies.
  `CREATE OR REPLACE MACRO charter_unrestricted() AS COALESCE(TRY_CAST(getvariable('charter_unrestricted') AS BOOLEAN), false)`,
  // Casts, because an unset or NULL variable has no useful type of its own.
  `CREATE OR REPLACE MACRO current_role() AS CAST(getvariable('charter_role') AS VARCHAR)`,
  `CREATE OR REPLACE MACRO is_role_in_session(r) AS
     COALESCE(list_contains(CAST(getvariable('charter_roles') AS VARCHAR[]), upper(r)), false)
     OR COALESCE(upper(CAST(getvariable('charter_role') AS VARCHAR)) = upper(r), false)`,
];

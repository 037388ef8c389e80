// The dbt and dbt_utils macros charter ships: the SQL dbt renders on Snowflake, and clear errors where compile would
// need the warehouse.
import { describe, expect, it } from 'vitest';
import { render, renderErrors } from './jinja-compat-helpers.js';

const NULL = "'_dbt_utils_surrogate_key_null_'";
const columns = {
  columnsOf: (model: string) =>
    model === 'orders'
      ? [{ name: 'order_id', dataType: 'NUMBER(38,0)' }, { name: 'amount', dataType: 'NUMBER(18,2)' }, { name: 'status' }]
      : model === 'customers'
        ? [{ name: 'order_id', dataType: 'NUMBER(38,0)' }, { name: 'customer_name', dataType: 'VARCHAR' }]
        : undefined,
  normalizeIdentifier: (n: string) => n.toUpperCase(),
};

describe('dbt_utils.generate_surrogate_key', () => {
  it("is md5 of the fields cast to text, NULLs as dbt's placeholder, joined by '-'", () => {
    expect(render("select {{ dbt_utils.generate_surrogate_key(['a', 'b']) }} as k")).toBe(
      `select md5(cast(coalesce(cast(a as TEXT), ${NULL}) || '-' || coalesce(cast(b as TEXT), ${NULL}) as TEXT)) as k`,
    );
  });

  it('honours surrogate_key_treat_nulls_as_empty_strings', () => {
    expect(render("select {{ dbt_utils.generate_surrogate_key(['a']) }}", {}, { vars: { surrogate_key_treat_nulls_as_empty_strings: true } })).toBe(
      "select md5(cast(coalesce(cast(a as TEXT), '') as TEXT))",
    );
  });
});

describe('cross-database macros, as dbt.* and dbt_utils.*', () => {
  it('date_trunc, dateadd, datediff, safe_cast, concat, hash, type_string', () => {
    const sql = render(
      [
        "select {{ dbt.date_trunc('month', 'order_date') }},",
        "  {{ dbt.dateadd('day', -7, 'order_date') }}, {{ dbt_utils.dateadd(datepart='month', interval=1, from_date_or_timestamp='d') }},",
        "  {{ dbt.datediff('a', 'b', 'day') }}, {{ dbt.safe_cast('x', 'NUMBER') }}, {{ dbt.safe_cast(1, 'INT') }}, {{ dbt.safe_cast('v', 'VARIANT') }},",
        "  {{ dbt.concat(['a', \"'-'\", 'b']) }}, {{ dbt.hash('a') }}, '{{ dbt.type_string() }}', '{{ dbt.escape_single_quotes(\"it's\") }}'",
      ].join('\n'),
    );
    expect(sql).toBe(
      [
        "select date_trunc(month, order_date),",
        '  dateadd(day, -7, order_date), dateadd(month, 1, d),',
        "  datediff(day, a, b), try_cast(x as NUMBER), try_cast('1' as INT), cast(v as VARIANT),",
        "  a || '-' || b, md5(cast(a as TEXT)), 'TEXT', 'it''s'",
      ].join('\n'),
    );
  });

  it('a missing or unknown argument is a clear error at the call', () => {
    const [missing] = renderErrors("select 1,\n  {{ dbt.dateadd('day', 1) }}");
    expect(missing).toMatchObject({ code: 'template.syntax', location: { line: 2 } });
    expect(missing?.message).toContain('dateadd() needs `from_date_or_timestamp`');
    const [unknown] = renderErrors("select {{ dbt.date_trunc('day', 'x', precision=3) }}");
    expect(unknown?.message).toContain('has no argument `precision`');
  });
});

describe('dbt_utils.star', () => {
  it("lists the ref'd model's contract columns, quoted as the engine stores them", () => {
    expect(render("select {{ dbt_utils.star(ref('orders')) }} from {{ ref('orders') }}", {}, columns)).toBe(
      'select "ORDER_ID",\n  "AMOUNT",\n  "STATUS" from \u0001ref:orders\u0002',
    );
  });

  it('with except, relation_alias, prefix and unquoted names', () => {
    expect(render("select {{ dbt_utils.star(from=ref('orders'), except=['STATUS'], relation_alias='o', prefix='o_', quote_identifiers=false) }}", {}, columns)).toBe(
      'select o.order_id as o_order_id,\n  o.amount as o_amount',
    );
  });

  it('fails clearly without known columns, and for a source', () => {
    const [e] = renderErrors("select {{ dbt_utils.star(ref('customers')) }}");
    expect(e?.message).toContain('needs the columns of `customers`, and no contract declares them');
    const [s] = renderErrors("select {{ dbt_utils.star('x') }}", {}, columns);
    expect(s?.message).toContain("needs a ref('model')");
  });
});

describe('dbt_utils.union_relations', () => {
  it('unions refs over every column, NULL where one lacks it, with the source relation', () => {
    const sql = render("{{ dbt_utils.union_relations([ref('orders'), ref('customers')], exclude=['status']) }}", {}, columns);
    expect(sql).toBe(
      [
        '(',
        '    select',
        "        cast('\u0001ref:orders\u0002' as TEXT) as _dbt_source_relation,",
        '        cast("ORDER_ID" as NUMBER(38,0)) as "ORDER_ID",',
        '        cast("AMOUNT" as NUMBER(18,2)) as "AMOUNT",',
        '        cast(null as VARCHAR) as "CUSTOMER_NAME"',
        '    from \u0001ref:orders\u0002',
        ')',
        '',
        'union all',
        '',
        '(',
        '    select',
        "        cast('\u0001ref:customers\u0002' as TEXT) as _dbt_source_relation,",
        '        cast("ORDER_ID" as NUMBER(38,0)) as "ORDER_ID",',
        '        cast(null as NUMBER(18,2)) as "AMOUNT",',
        '        cast("CUSTOMER_NAME" as VARCHAR) as "CUSTOMER_NAME"',
        '    from \u0001ref:customers\u0002',
        ')',
      ].join('\n'),
    );
  });
});

describe('dbt_utils.pivot', () => {
  it('one aggregate per value, aliased by the quoted value', () => {
    expect(render("select {{ dbt_utils.pivot('status', ['paid', \"o'k\"]) }}")).toBe(
      `select sum(case when status = 'paid' then 1 else 0 end) as "paid",\n  sum(case when status = 'o''k' then 1 else 0 end) as "o'k"`,
    );
    expect(render("select {{ dbt_utils.pivot('s', ['a b'], agg='max', then_value='amount', else_value='null', prefix='s_', quote_identifiers=false) }}")).toBe(
      'select max(case when s = \'a b\' then amount else null end) as s_a_b',
    );
  });
});

describe('dbt_utils.get_column_values', () => {
  it('answers with its default, offline', () => {
    expect(render("{% for v in dbt_utils.get_column_values(ref('orders'), 'status', default=['a', 'b']) %}{{ v }};{% endfor %}")).toBe('a;b;');
  });

  it('without a default, fails saying compile stays offline', () => {
    const [e] = renderErrors("{% set vs = dbt_utils.get_column_values(ref('orders'), 'status') %}select 1");
    expect(e?.message).toContain('charter compiles offline');
  });
});

// Semantic views in the Open Semantic Interchange format (OSI v0.1.1): `charter semantic export --format osi` writes
// documents the vendored OSI schema (tests/osi/osi-schema.json) accepts, `charter semantic import` gives the same
// definitions back, and a malformed document is refused with errors that point into it.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { importOsi } from '../../src/load/import-osi.js';
import { loadSemanticViews } from '../../src/load/load-semantic-views.js';
import { osiSchema } from '../../src/load/osi-schema.js';
import type { SemanticViewDefinition } from '../../src/load/semantic-view-schema.js';
import { isAnsiPortable, semanticViewOsi } from '../../src/render/semantic-osi.js';
import type { SemanticViewPlacement } from '../../src/render/semantic-view-ddl.js';
import { marked } from '../helpers/marker.js';
import { charter, repoRoot } from '../helpers/project.js';
import { removeShowcaseCopies, showcaseCopy } from '../helpers/showcase.js';

const VIEWS = ['financial', 'compliance_operations'];
const vendored = JSON.parse(readFileSync(path.join(repoRoot, 'tests', 'osi', 'osi-schema.json'), 'utf8')) as Record<string, unknown>;
const validateOsi = new Ajv2020({ allErrors: true, strict: true }).compile(vendored);

afterAll(() => removeShowcaseCopies());

describe('the OSI schema charter validates with', () => {
  it('is the vendored v0.1.1 schema, unchanged', () => {
    expect((vendored['properties'] as { version: { const: string } }).version.const).toBe('0.1.1');
    expect(osiSchema).toStrictEqual(vendored);
  });
});

describe('charter semantic export --format osi', async () => {
  const dir = showcaseCopy({ contracts: true, semanticViews: true });
  const result = await charter(['semantic', 'export', '--format', 'osi'], dir);
  const written = result.stdout.split('\n').filter((l) => l.endsWith('.osi.yaml'));
  const fileOf = (view: string): string => path.join(dir, 'target', 'semantic_views', `${view}.osi.yaml`);
  const { views: sources } = await loadSemanticViews(dir);

  it('writes <view>.osi.yaml per view under target/semantic_views/ and prints the paths', () => {
    expect(result.code, result.stderr).toBe(0);
    for (const view of VIEWS) expect(written).toContain(fileOf(view));
    expect(written).toHaveLength(sources.length);
  });

  for (const view of VIEWS) {
    it(`${view}: validates against the OSI v0.1.1 schema and says its version`, () => {
      const text = readFileSync(fileOf(view), 'utf8');
      const document = parse(text) as { version: string; semantic_model: Array<{ datasets: Array<{ source: string }> }> };
      expect(validateOsi(document), JSON.stringify(validateOsi.errors, null, 2)).toBe(true);
      expect(document.version).toBe('0.1.1');
      expect(text).toMatch(/^# Open Semantic Interchange \(OSI\) v0\.1\.1 document of semantic view /);
      // Datasets read the models' relations on the target.
      for (const dataset of document.semantic_model[0]!.datasets) expect(dataset.source).toMatch(/^PHANTOM_SEC\.PLATINUM\.[A-Z0-9_]+$/);
    });

    it(`${view}: imports back as the same definition (tables, keys, relationships, members, metrics, expressions)`, () => {
      const imported = importOsi(fileOf(view), readFileSync(fileOf(view), 'utf8'));
      expect(imported.diagnostics).toEqual([]);
      expect(imported.notes).toEqual([]);
      const source = sources.find((s) => s.definition.name === view)!.definition;
      // Nothing of the definition is lost; only the source file's comments and layout are not carried.
      expect(imported.views.map((v) => v.definition)).toStrictEqual([source]);
    });
  }

  it('a reader that ignores charter\'s custom extension loses no more from the showcase views than OSI has no slot for', () => {
    for (const view of VIEWS) {
      const imported = importOsi(`${view}.osi.yaml`, stringify(withoutExtensions(parse(readFileSync(fileOf(view), 'utf8')))));
      expect(imported.diagnostics).toEqual([]);
      const lost = differences(sources.find((s) => s.definition.name === view)!.definition, imported.views[0]!.definition);
      expect(PORTABLE_LOSS).toEqual(expect.arrayContaining([...new Set(lost.map(kindOf))]));
    }
  });

  it('--view and --out write one view where asked', async () => {
    const r = await charter(['semantic', 'export', '--format', 'osi', '--view', 'financial', '--out', 'osi'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n').at(-1)).toBe(path.join('osi', 'financial.osi.yaml'));
    expect(validateOsi(parse(readFileSync(path.join(dir, 'osi', 'financial.osi.yaml'), 'utf8')))).toBe(true);
  });

  it('an unknown --view is refused with the closest name', async () => {
    const r = await charter(['semantic', 'export', '--format', 'osi', '--view', 'finacial'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('did you mean `financial`?');
  });

  it('charter semantic import writes the charter YAML, which loads as the same view', async () => {
    const r = await charter(['semantic', 'import', fileOf('financial'), '--out', 'imported/semantic_views'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(path.join('imported', 'semantic_views', 'financial.yml'));
    const { views, diagnostics } = await loadSemanticViews(path.join(dir, 'imported'));
    expect(diagnostics).toEqual([]);
    expect(views.map((v) => v.definition)).toStrictEqual([sources.find((s) => s.definition.name === 'financial')!.definition]);
    const again = await charter(['semantic', 'import', fileOf('financial'), '--out', 'imported/semantic_views'], dir);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('pass --force to overwrite it');
  });

  it('a malformed OSI file is refused by the CLI with its file, line and column, and nothing is written', async () => {
    const { text, line, column } = marked(MISSING_SOURCE);
    writeFileSync(path.join(dir, 'bad.osi.yaml'), text);
    const r = await charter(['semantic', 'import', 'bad.osi.yaml', '--out', 'bad'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`bad.osi.yaml:${line}:${column} error[schema.invalid]: /semantic_model/0/datasets/0: missing required key \`source\``);
    expect(r.stdout).toBe('');
  });
});

/** A view with every attribute charter has, for the exact account of what each reader gets. */
const SHOP: SemanticViewDefinition = {
  name: 'shop',
  description: 'Orders and customers.',
  schema: 'SEMANTIC',
  tables: [
    {
      name: 'orders', model: 'fct_orders', description: 'One row per order.', synonyms: ['purchases'], primary_key: ['order_id'], unique_keys: [['order_number']],
      dimensions: [{ name: 'channel', expr: 'sales_channel', data_type: 'VARCHAR', synonyms: ['source'], sample_values: ['web', 'store'], is_enum: true }],
      time_dimensions: [{ name: 'order_month', expr: "DATE_TRUNC('month', ordered_at)", grain: 'month', data_type: 'DATE' }],
      facts: [{ name: 'amount', expr: 'amount', data_type: 'NUMBER(18,2)', private: true }, { name: 'balance', expr: 'open_balance' }],
      metrics: [
        { name: 'revenue', expr: 'SUM(orders.amount)', synonyms: ['sales'], description: 'Net of refunds.' },
        { name: 'open_balance', expr: 'SUM(orders.balance)', non_additive_by: ['order_month'], private: true },
        { name: 'web_orders', expr: "COUNT_IF(orders.channel = 'web')" },
      ],
    },
    { name: 'customers', model: 'dim_customers', primary_key: ['customer_id'], dimensions: [{ name: 'segment', expr: 'segment' }] },
  ],
  relationships: [
    { from: 'orders', columns: ['customer_id'], to: 'customers' },
    { name: 'orders_customers_again', from: 'orders', columns: ['customer_id'], to: 'customers', to_columns: ['customer_id'] },
  ],
  metrics: [{ name: 'revenue_per_order', expr: 'orders.revenue / NULLIF(orders.web_orders, 0)' }],
  grants: [{ privileges: ['SELECT'], roles: ['ANALYST'] }],
  ai_sql_generation: 'Revenue is net of refunds.',
  verified_queries: [{ name: 'revenue_2024', question: 'What was revenue in 2024?', sql: 'SELECT 1', answer: 42, onboarding: true }],
};

const SHOP_PLACE: SemanticViewPlacement = {
  database: 'ANALYTICS', schema: 'SEMANTIC',
  relations: new Map([
    ['fct_orders', { database: 'analytics', schema: 'mart', identifier: 'fct_orders' }],
    ['dim_customers', { database: 'analytics', schema: 'mart', identifier: 'dim_customers' }],
  ]),
};

/** Each kind of attribute OSI 0.1.1 has no slot for, as it comes back from a document without charter's extension. */
const PORTABLE_LOSS = [
  'data_type: removed', // no data types in 0.1.1 (0.2.0 adds `datatype`)
  'grain: changed', // a time dimension's grain: none in OSI; day assumed, and noted
  'grants: removed',
  'is_enum: removed',
  'model: changed', // the model a table reads: without the extension, the source's table name (here the same)
  'name: added', // a relationship charter left unnamed: OSI requires a name, so it gets `<from>_to_<to>`
  'non_additive_by: removed',
  'private: removed',
  'sample_values: removed',
  'schema: removed',
  'to_columns: added', // OSI requires to_columns: charter's default (the primary key) is written out
  'verified_queries: removed', // their questions stay, as the model's ai_context.examples
];

const kindOf = (difference: string): string => difference.replace(/^.*\.([a-z_]+): /, '$1: ');

describe('the OSI document of a view with every charter attribute', () => {
  const exported = semanticViewOsi(SHOP, SHOP_PLACE, 'semantic_views/shop.yml');

  it('validates against the OSI v0.1.1 schema, with sources, keys, fields, metrics and relationships in OSI\'s slots', () => {
    expect(validateOsi(exported.document), JSON.stringify(validateOsi.errors, null, 2)).toBe(true);
    const model = exported.document.semantic_model[0]!;
    expect(model.datasets.map((d) => [d.name, d.source, d.primary_key, d.unique_keys])).toEqual([
      ['orders', 'ANALYTICS.MART.FCT_ORDERS', ['order_id'], [['order_number']]],
      ['customers', 'ANALYTICS.MART.DIM_CUSTOMERS', ['customer_id'], undefined],
    ]);
    expect(model.datasets[0]!.fields!.map((f) => [f.name, f.dimension, f.expression.dialects.map((d) => d.dialect)])).toEqual([
      ['channel', { is_time: false }, ['SNOWFLAKE', 'ANSI_SQL']],
      ['order_month', { is_time: true }, ['SNOWFLAKE']],
      ['amount', undefined, ['SNOWFLAKE', 'ANSI_SQL']],
      ['balance', undefined, ['SNOWFLAKE', 'ANSI_SQL']],
    ]);
    expect(model.metrics!.map((m) => m.name)).toEqual(['revenue', 'open_balance', 'web_orders', 'revenue_per_order']);
    expect(model.relationships).toEqual([
      expect.objectContaining({ name: 'orders_to_customers', from: 'orders', to: 'customers', from_columns: ['customer_id'], to_columns: ['customer_id'] }),
      expect.objectContaining({ name: 'orders_customers_again', to_columns: ['customer_id'] }),
    ]);
    expect(model.ai_context).toEqual({ instructions: 'Revenue is net of refunds.', examples: ['What was revenue in 2024?'] });
    expect(exported.extended).toEqual([
      'orders.channel: data_type', 'orders.channel: sample_values', 'orders.channel: is_enum',
      'orders.order_month: grain', 'orders.order_month: data_type',
      'orders.amount: data_type', 'orders.amount: private',
      'orders.open_balance: private', 'orders.open_balance: non_additive_by',
      'shop: schema', 'shop: grants', 'shop: verified_queries',
    ]);
  });

  it('imports back as exactly the same definition: nothing is lost', () => {
    const imported = importOsi('shop.osi.yaml', exported.yaml);
    expect(imported.diagnostics).toEqual([]);
    expect(imported.notes).toEqual([]);
    expect(imported.views.map((v) => v.definition)).toStrictEqual([SHOP]);
  });

  it('read without charter\'s extension, loses exactly what OSI 0.1.1 has no slot for', () => {
    const imported = importOsi('shop.osi.yaml', stringify(withoutExtensions(exported.document)));
    expect(imported.diagnostics).toEqual([]);
    const lost = differences(SHOP, imported.views[0]!.definition);
    expect(lost).toEqual([
      'view.schema: removed',
      'view.tables[orders].dimensions[channel].data_type: removed',
      'view.tables[orders].dimensions[channel].sample_values: removed',
      'view.tables[orders].dimensions[channel].is_enum: removed',
      'view.tables[orders].time_dimensions[order_month].grain: changed',
      'view.tables[orders].time_dimensions[order_month].data_type: removed',
      'view.tables[orders].facts[amount].data_type: removed',
      'view.tables[orders].facts[amount].private: removed',
      'view.tables[orders].metrics[open_balance].non_additive_by: removed',
      'view.tables[orders].metrics[open_balance].private: removed',
      'view.relationships.0.name: added',
      'view.relationships.0.to_columns: added',
      'view.grants: removed',
      'view.verified_queries: removed',
    ]);
    expect(PORTABLE_LOSS).toEqual(expect.arrayContaining([...new Set(lost.map(kindOf))]));
    expect(imported.notes).toEqual([
      'shop: dataset orders field order_month: a time dimension without a grain (OSI has none); day assumed, set it in the YAML',
      'shop: 1 example question(s) without SQL not imported as verified queries: What was revenue in 2024?',
    ]);
  });
});

const MISSING_SOURCE = `version: "0.1.1"
semantic_model:
  - name: shop
    datasets:
      - «name: orders
        primary_key: [order_id]
`;

/** Each case: an OSI document with « where its error must point, and what the error says. */
const MALFORMED: ReadonlyArray<{ name: string; text: string; code: string; message: RegExp; hint?: RegExp }> = [
  { name: 'a missing required key', text: MISSING_SOURCE, code: 'schema.invalid', message: /missing required key `source`/ },
  {
    name: 'a dialect OSI does not define',
    text: `version: "0.1.1"
semantic_model:
  - name: shop
    datasets:
      - name: orders
        source: DB.MART.ORDERS
        fields:
          - name: amount
            expression:
              dialects:
                - {dialect: «DUCKDB, expression: amount}
`,
    code: 'schema.invalid',
    message: /expected one of ANSI_SQL, SNOWFLAKE, MDX, TABLEAU, DATABRICKS, found "DUCKDB"/,
  },
  {
    name: 'a key OSI does not have',
    text: `version: "0.1.1"
semantic_model:
  - name: shop
    datasets:
      - name: orders
        source: DB.MART.ORDERS
        «datatype: String
`,
    code: 'schema.invalid',
    message: /unknown key `datatype`/,
  },
  {
    name: 'another OSI version',
    text: `version: «"0.2.0.dev0"
semantic_model: []
`,
    code: 'schema.invalid',
    message: /\/version: must be equal to constant/,
    hint: /charter reads OSI 0\.1\.1 documents/,
  },
  {
    name: 'a relationship to a dataset the model does not have',
    text: `version: "0.1.1"
semantic_model:
  - name: shop
    datasets:
      - {name: orders, source: DB.MART.ORDERS}
      - {name: customers, source: DB.MART.CUSTOMERS, primary_key: [customer_id]}
    relationships:
      - {name: orders_customers, from: orders, to: «customer, from_columns: [customer_id], to_columns: [customer_id]}
`,
    code: 'semantic.osi_invalid',
    message: /relationship orders_customers: `to: customer` is not a dataset of the model/,
    hint: /did you mean `customers`\?/,
  },
  {
    name: 'a query as a dataset source',
    text: `version: "0.1.1"
semantic_model:
  - name: shop
    datasets:
      - name: orders
        source: «SELECT * FROM raw.orders
`,
    code: 'semantic.osi_invalid',
    message: /dataset source is a query; a charter logical table reads a model/,
  },
  {
    name: 'an expression in no SQL dialect',
    text: `version: "0.1.1"
semantic_model:
  - name: shop
    datasets:
      - {name: orders, source: DB.MART.ORDERS}
    metrics:
      - name: revenue
        expression: «{dialects: [{dialect: TABLEAU, expression: "SUM([Amount])"}]}
`,
    code: 'semantic.osi_invalid',
    message: /metric revenue has no SQL expression/,
  },
  {
    name: 'a field name two datasets share (charter names members once per view)',
    text: `version: "0.1.1"
semantic_model:
  - name: shop
    datasets:
      - name: orders
        source: DB.MART.ORDERS
        fields: [{name: region, expression: {dialects: [{dialect: ANSI_SQL, expression: region}]}, dimension: {is_time: false}}]
      - name: customers
        source: DB.MART.CUSTOMERS
        fields: [{name: «region, expression: {dialects: [{dialect: ANSI_SQL, expression: region}]}, dimension: {is_time: false}}]
`,
    code: 'semantic.osi_invalid',
    message: /field `region` of dataset customers is also a field of orders/,
  },
];

describe('importing a malformed OSI document', () => {
  for (const c of MALFORMED) {
    it(`refuses ${c.name}, pointing at it`, () => {
      const { text, line, column } = marked(c.text);
      const result = importOsi('shop.osi.yaml', text);
      expect(result.views).toEqual([]);
      const first = result.diagnostics[0] as Diagnostic;
      expect(first, 'expected an error').toBeDefined();
      expect(first.code).toBe(c.code);
      expect(first.message).toMatch(c.message);
      expect(first.location).toEqual({ file: 'shop.osi.yaml', line, column });
      if (c.hint) expect(first.hint).toMatch(c.hint);
    });
  }
});

describe('importing an OSI document written elsewhere', () => {
  const SHOP = `version: "0.1.1"
semantic_model:
  - name: shop
    ai_context: {instructions: "Revenue is net of refunds.", examples: [What was revenue last month?]}
    datasets:
      - name: orders
        source: ANALYTICS.MART.FCT_ORDERS
        primary_key: [order_id]
        ai_context: {synonyms: [purchases]}
        fields:
          - {name: ordered_at, expression: {dialects: [{dialect: SNOWFLAKE, expression: "ordered_at::date"}, {dialect: ANSI_SQL, expression: "CAST(ordered_at AS DATE)"}]}, dimension: {is_time: true}}
          - {name: amount, expression: {dialects: [{dialect: ANSI_SQL, expression: amount}]}, label: money}
      - {name: customers, source: ANALYTICS.MART.DIM_CUSTOMERS, primary_key: [customer_id]}
    relationships:
      - {name: orders_customers, from: orders, to: customers, from_columns: [customer_id], to_columns: [customer_id]}
    metrics:
      - {name: revenue, expression: {dialects: [{dialect: ANSI_SQL, expression: "SUM(orders.amount)"}]}}
      - {name: revenue_per_customer, expression: {dialects: [{dialect: ANSI_SQL, expression: "SUM(orders.amount) / COUNT(DISTINCT customers.customer_id)"}]}}
      - {name: doubled, expression: {dialects: [{dialect: ANSI_SQL, expression: "revenue * 2"}]}}
    custom_extensions:
      - {vendor_name: DBT, data: '{"project_name": "shop"}'}
`;
  const imported = importOsi('shop.osi.yaml', SHOP);

  it('maps datasets to tables over the source\'s model, fields by their dimension flag, metrics to their table or as derived', () => {
    expect(imported.diagnostics).toEqual([]);
    expect(imported.views[0]!.definition).toStrictEqual({
      name: 'shop',
      tables: [
        {
          name: 'orders', model: 'fct_orders', synonyms: ['purchases'], primary_key: ['order_id'],
          time_dimensions: [{ name: 'ordered_at', expr: 'ordered_at::date', grain: 'day' }],
          facts: [{ name: 'amount', expr: 'amount' }],
          // Reads orders and customers; orders reaches customers many-to-one, so it is an orders metric.
          metrics: [{ name: 'revenue', expr: 'SUM(orders.amount)' }, { name: 'revenue_per_customer', expr: 'SUM(orders.amount) / COUNT(DISTINCT customers.customer_id)' }],
        },
        { name: 'customers', model: 'dim_customers', primary_key: ['customer_id'] },
      ],
      relationships: [{ name: 'orders_customers', from: 'orders', columns: ['customer_id'], to: 'customers', to_columns: ['customer_id'] }],
      metrics: [{ name: 'doubled', expr: 'revenue * 2' }],
      ai_sql_generation: 'Revenue is net of refunds.',
    });
  });

  it('lists what it left behind', () => {
    expect(imported.notes).toEqual([
      'shop: DBT custom extension not imported',
      'shop: dataset orders field ordered_at: a time dimension without a grain (OSI has none); day assumed, set it in the YAML',
      'shop: dataset orders field amount: label not imported',
      'shop: 1 example question(s) without SQL not imported as verified queries: What was revenue last month?',
    ]);
  });
});

describe('expressions in the ANSI_SQL slot', () => {
  it('only those that are standard SQL as written', () => {
    expect(isAnsiPortable('SUM(mrr_monthly.month_end_arr)')).toBe(true);
    expect(isAnsiPortable('total_arr / NULLIF(paying_customers, 0)')).toBe(true);
    expect(isAnsiPortable("CASE WHEN t.status IN ('a', 'b') THEN 1 ELSE 0 END")).toBe(true);
    expect(isAnsiPortable('COUNT_IF(adoptions.is_certified)')).toBe(false);
    expect(isAnsiPortable("DATE_TRUNC('year', completion_month)")).toBe(false);
    expect(isAnsiPortable('ordered_at::date')).toBe(false);
    expect(isAnsiPortable("IFF(x, 'DATE_TRUNC(', 0)")).toBe(false);
  });
});

/** The document with every custom_extensions list removed: what a reader of OSI's own slots sees. */
function withoutExtensions(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutExtensions);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([k]) => k !== 'custom_extensions').map(([k, v]) => [k, withoutExtensions(v)]));
  }
  return value;
}

/** Where two definitions differ, as `path.key: removed|added|changed`; list items are matched by name. */
function differences(a: unknown, b: unknown, at = 'view'): string[] {
  const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
  const named = (v: unknown): v is Array<{ name: string }> => Array.isArray(v) && v.every((i) => isObj(i) && typeof i['name'] === 'string');
  if (named(a) && named(b)) {
    const byName = new Map(b.map((i) => [i.name, i]));
    return a.flatMap((i) => (byName.has(i.name) ? differences(i, byName.get(i.name), `${at}[${i.name}]`) : [`${at}[${i.name}]: removed`]));
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.some(isObj)) return a.flatMap((item, i) => differences(item, b[i], `${at}.${i}`));
  if (isObj(a) && isObj(b)) {
    return [...new Set([...Object.keys(a), ...Object.keys(b)])].flatMap((k) =>
      !(k in b) ? [`${at}.${k}: removed`] : !(k in a) ? [`${at}.${k}: added`] : differences(a[k], b[k], `${at}.${k}`));
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [`${at}: changed`];
}

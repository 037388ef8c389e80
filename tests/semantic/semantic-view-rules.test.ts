// Each of Snowflake's semantic view rules that compile checks, fired by a planted violation: its code, and the file,
// line and column it points at (the « in the fixture text). One compile of the tiny fixture holds every case, one
// view per file, so the cases cannot hide each other.
import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { UserError, type Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { compile } from '../../src/pipeline/compile.js';
import { expressionShape } from '../../src/validate/semantic-expression.js';
import { marked } from '../helpers/marker.js';
import { fixtureCopy } from '../helpers/project.js';

/** A valid view over the tiny fixture's `orders` (contracted columns) and `customer_totals` (no contract). */
function view(name: string, { orderDimensions = '', orderMetrics = '', customers = '', relationships = '', metrics = '', model = 'orders', grants = '' } = {}): string {
  return `name: ${name}
tables:
  - name: o
    model: ${model}
    primary_key: [order_id]
    dimensions:
      - {name: order_key, expr: order_id}
${orderDimensions}
    metrics:
      - {name: revenue, expr: SUM(o.amount_usd)}
${orderMetrics}
  - name: c
    model: customer_totals
    primary_key: [customer_id]
    dimensions:
      - {name: customer, expr: customer_id}
${customers}
relationships:
  - {from: o, columns: [customer_id], to: c}
${relationships}
metrics:
  - {name: double_revenue, expr: revenue * 2}
${metrics}
${grants}
`;
}

interface Case { readonly code: string; readonly text: string; readonly message: RegExp; readonly hint?: RegExp }

const CASES: Readonly<Record<string, Case>> = {
  duplicate_name: {
    code: 'semantic.duplicate', message: /`customer` is defined twice/,
    text: view('duplicate_name', { customers: '      - {name: «customer, expr: total_usd}' }),
  },
  unknown_model: {
    code: 'semantic.model_unknown', message: /reads model `orderz`, which does not exist/, hint: /did you mean `orders`/,
    text: view('unknown_model', { model: '«orderz' }),
  },
  unknown_table: {
    code: 'semantic.table_unknown', message: /relationship to `cc`: no such table/, hint: /did you mean `c`/,
    text: view('unknown_table', { relationships: '  - {from: o, columns: [customer_id], to: «cc}' }),
  },
  not_a_key: {
    code: 'semantic.key_invalid', message: /references \(total_usd\), which is not its primary key or a unique key/,
    text: view('not_a_key', { relationships: '  - {from: o, columns: [customer_id], to: c, to_columns: «[total_usd]}' }),
  },
  cycle: {
    code: 'semantic.cycle', message: /relationships form a cycle: c -> o -> c/,
    text: view('cycle', { relationships: '  - «{from: c, columns: [customer_id], to: o}' }),
  },
  self_reference: {
    code: 'semantic.cycle', message: /references its own table/,
    text: view('self_reference', { relationships: '  - {from: o, columns: [order_id], to: «o}' }),
  },
  metric_without_aggregate: {
    code: 'semantic.not_aggregate', message: /metric `big_amount` does not aggregate/,
    text: view('metric_without_aggregate', { orderMetrics: '      - {name: big_amount, expr: «amount_usd * 2}' }),
  },
  derived_metric_unknown: {
    code: 'semantic.metric_unknown', message: /reads `revenu`, which is not a metric of the view/, hint: /did you mean `revenue`/,
    text: view('derived_metric_unknown', { metrics: '  - {name: half_revenue, expr: «revenu / 2}' }),
  },
  unreachable_table: {
    code: 'semantic.unreachable', message: /`o` is not reachable from `c` many-to-one/,
    text: view('unreachable_table', { customers: '      - {name: order_amount, expr: «o.amount_usd}' }),
  },
  unknown_column: {
    code: 'semantic.column_unknown', message: /reads `amount_ud`, which is not a column of model `orders`/, hint: /did you mean `amount_usd`/,
    text: view('unknown_column', { orderDimensions: '      - {name: amount_band, expr: «CASE WHEN amount_ud > 100 THEN \'big\' ELSE \'small\' END}' }),
  },
  unknown_grant_role: {
    code: 'policy.undefined', message: /grants to role `ANALYSTT`, which no policies file defines/, hint: /did you mean `ANALYST`/,
    text: view('unknown_grant_role', { grants: 'grants:\n  - {privileges: [SELECT], roles: [«ANALYSTT]}' }),
  },
  non_additive_by_unknown: {
    code: 'semantic.column_unknown', message: /non-additive by `order_kye`, which is not a dimension/, hint: /did you mean `order_key`/,
    text: view('non_additive_by_unknown', { orderMetrics: '      - {name: last_revenue, expr: SUM(amount_usd), non_additive_by: [«order_kye]}' }),
  },
  no_dimension_or_metric: {
    code: 'semantic.empty', message: /defines no dimension and no metric/,
    text: 'name: «no_dimension_or_metric\ntables:\n  - {name: o, model: orders, facts: [{name: amount, expr: amount_usd}]}\n',
  },
};

describe('semantic view rules, each on a planted violation', async () => {
  const files: Record<string, string> = {};
  const where = new Map<string, { line: number; column: number }>();
  for (const [name, c] of Object.entries(CASES)) {
    const { text, line, column } = marked(c.text);
    files[`semantic_views/${name}.yml`] = text;
    where.set(name, { line, column });
  }
  files['semantic_views/valid.yml'] = view('valid');
  const dir = fixtureCopy('tiny', files);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let diagnostics: readonly Diagnostic[] = [];
  try {
    await compile({ projectDir: dir, format: false });
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    diagnostics = e.diagnostics;
  }

  it('finds nothing wrong with the valid view', () => {
    expect(diagnostics.filter((d) => d.location?.file === 'semantic_views/valid.yml')).toEqual([]);
  });

  for (const [name, c] of Object.entries(CASES)) {
    it(`${name}: ${c.code}`, () => {
      const found = diagnostics.filter((d) => d.location?.file === `semantic_views/${name}.yml`);
      expect(found.map((d) => `${d.code} ${d.message}`)).toHaveLength(1);
      const [d] = found;
      expect(d!.code).toBe(c.code);
      expect(d!.message).toMatch(c.message);
      if (c.hint) expect(d!.hint).toMatch(c.hint);
      expect({ line: d!.location!.line, column: d!.location!.column }).toEqual(where.get(name));
    });
  }
});

describe('semantic expressions', () => {
  it('reads references and aggregates, never words inside strings, types or function names', () => {
    const shape = expressionShape(`SUM(CASE WHEN t.kind = 'churn month' THEN amount::NUMBER(18,2) END) / NULLIF(COUNT(DISTINCT "Id"), 0)`);
    expect(shape.references).toEqual([{ table: 't', name: 'kind' }, { name: 'amount' }, { name: 'Id' }]);
    expect(shape.aggregates).toEqual(['SUM', 'COUNT']);
  });
});

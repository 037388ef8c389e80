// Golden files: the showcase's semantic views as `charter compile` writes them for Snowflake (target prod):
// target/compiled/semantic_views/<view>.sql (the DDL and its grants) and <view>.yaml (the Cortex Analyst semantic
// model). After an intended change, UPDATE_GOLDEN=1 npx vitest run tests/semantic rewrites them; review the diff.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { compile } from '../../src/pipeline/compile.js';
import { semanticViewStatements } from '../../src/render/semantic-view-ddl.js';
import { placementOf } from '../../src/render/semantic-view-files.js';
import { removeShowcaseCopies, showcaseCopy } from '../helpers/showcase.js';
import { parsesAsSnowflake } from '../helpers/snowflake-parse.js';

const GOLDEN = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', 'golden');
const VIEWS = ['financial', 'compliance_operations', 'customer_success'];

describe('the showcase\'s semantic views on Snowflake', async () => {
  const dir = showcaseCopy({ contracts: true, semanticViews: true });
  // A failing check throws here, with every diagnostic: the showcase's views pass them all.
  const session = await compile({ projectDir: dir, target: 'prod', format: false });
  afterAll(() => removeShowcaseCopies());

  for (const name of VIEWS) {
    for (const ext of ['sql', 'yaml']) {
      it(`${name}.${ext} is the golden file tests/golden/semantic-${name}.${ext}`, () => {
        const written = readFileSync(path.join(dir, 'target', 'compiled', 'semantic_views', `${name}.${ext}`), 'utf8');
        const golden = path.join(GOLDEN, `semantic-${name}.${ext}`);
        if (process.env['UPDATE_GOLDEN'] || !existsSync(golden)) writeFileSync(golden, written);
        expect(written).toBe(readFileSync(golden, 'utf8'));
      });
    }
  }

  const financial = session.loaded.semanticViews.find((v) => v.definition.name === 'financial')!;
  const statements = semanticViewStatements(financial.definition, placementOf(financial, session.compiled, 'PLATINUM', 'PHANTOM_SEC'));

  it('creates the view in the platinum schema over the marts, clauses in Snowflake\'s order, grants after it', () => {
    const [create, ...grants] = statements;
    expect(create).toMatch(/^CREATE OR REPLACE SEMANTIC VIEW PHANTOM_SEC\.PLATINUM\.FINANCIAL\n/);
    const order = ['TABLES (', 'RELATIONSHIPS (', 'FACTS (', 'DIMENSIONS (', 'METRICS (', 'COMMENT = ', 'AI_SQL_GENERATION ', 'COPY GRANTS'].map((k) => create!.indexOf(`\n  ${k}`));
    expect(order.every((at) => at > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(create).toContain('MRR_MONTHLY AS PHANTOM_SEC.PLATINUM.FCT_MRR_MONTHLY\n      PRIMARY KEY (SNAPSHOT_KEY)\n      UNIQUE (CUSTOMER_ID, MONTH_START)');
    expect(create).toContain('MRR_MONTHLY_CUSTOMER AS MRR_MONTHLY (CUSTOMER_ID) REFERENCES CUSTOMERS');
    expect(create).toContain('MRR_MONTHLY.TOTAL_ARR NON ADDITIVE BY (MRR_MONTHLY.SNAPSHOT_MONTH) AS SUM(mrr_monthly.month_end_arr)');
    expect(create).toContain("WITH SYNONYMS = ('ARR', 'annual recurring revenue', 'run rate')");
    expect(grants).toEqual(['ANALYST_REVENUE', 'FINANCE', 'EXECUTIVE_READER'].map((r) => `GRANT SELECT, REFERENCES ON SEMANTIC VIEW PHANTOM_SEC.PLATINUM.FINANCIAL TO ROLE ${r}`));
  });

  it('grants parse as Snowflake SQL (polyglot takes CREATE SEMANTIC VIEW as a raw statement, unchecked: hence the structure test)', () => {
    // polyglot does not know GRANT ... ON SEMANTIC VIEW: each grant is checked as the same GRANT on a view.
    for (const view of session.loaded.semanticViews) {
      const [create, ...grants] = semanticViewStatements(view.definition, placementOf(view, session.compiled, 'PLATINUM', 'PHANTOM_SEC'));
      expect(create).toMatch(/^CREATE OR REPLACE SEMANTIC VIEW PHANTOM_SEC\.PLATINUM\.[A-Z_]+\n  TABLES \(/);
      expect(grants.length).toBeGreaterThan(0);
      for (const grant of grants) expect(parsesAsSnowflake(grant.replace(' ON SEMANTIC VIEW ', ' ON VIEW ')), grant).toBe(true);
    }
  });

  it('writes a Cortex Analyst model with the base tables, relationships, derived metrics and verified queries', () => {
    const model = parse(readFileSync(path.join(dir, 'target', 'compiled', 'semantic_views', 'financial.yaml'), 'utf8')) as Record<string, any>;
    expect(model['name']).toBe('financial');
    expect(model['tables'].map((t: any) => t.base_table)).toEqual(
      ['FCT_MRR_MONTHLY', 'FCT_ARR_QUARTERLY', 'DIM_CUSTOMER_360'].map((table) => ({ database: 'PHANTOM_SEC', schema: 'PLATINUM', table })));
    expect(model['relationships'][0]).toEqual({
      name: 'mrr_monthly_customer', left_table: 'mrr_monthly', right_table: 'customers',
      relationship_columns: [{ left_column: 'CUSTOMER_ID', right_column: 'CUSTOMER_ID' }], relationship_type: 'many_to_one', join_type: 'left_outer',
    });
    expect(model['metrics'].map((m: any) => m.name)).toEqual(['average_mrr_per_customer', 'net_new_mrr']);
    expect(model['verified_queries'][0]).toMatchObject({ name: 'total_arr_q4_2024', question: 'What was our total ARR in Q4 2024?', use_as_onboarding_question: true });
    expect(model['tables'][0].metrics[0].non_additive_dimensions).toEqual([{ table: 'mrr_monthly', dimension: 'snapshot_month', sort_direction: 'ascending', null_order: 'first' }]);
  });
});

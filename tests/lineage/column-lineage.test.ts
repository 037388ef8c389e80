// Column lineage: each construct on a small model of the lab project (tests/lineage/lineage-lab.ts), then the
// showcase, whose governance gate needs a pii column traced to the seed column it comes from.
import { Dialect, parse } from '@polyglot-sql/sdk';
import { describe, expect, it } from 'vitest';
import { expressionFacts } from '../../src/graph/lineage-expression.js';
import { rootResolver } from '../../src/graph/root-lineage.js';
import type { ColumnLineage, ProjectLineage, UpstreamColumn } from '../../src/graph/column-lineage.js';
import { loadProject } from '../../src/load/load-project.js';
import { projectLineage } from '../../src/pipeline/lineage.js';
import { nameOfId } from '../../src/project/node-id.js';
import { compileProject } from '../../src/render/compile-project.js';
import { showcaseCopy } from '../helpers/showcase.js';
import { labProject } from './lineage-lab.js';

/** `name.column how`, the way `charter lineage` names them. */
const named = (columns: readonly UpstreamColumn[]): string[] => columns.map((u) => `${nameOfId(u.node)}.${u.column} ${u.how}`).sort();

async function traced(projectDir: string): Promise<{ lineage: ProjectLineage }> {
  const loaded = await loadProject({ projectDir });
  return { lineage: projectLineage(compileProject(loaded), loaded.contracts) };
}

function lookup(lineage: ProjectLineage, project: string) {
  const roots = rootResolver(lineage);
  const column = (model: string, name: string): ColumnLineage => {
    const found = lineage.models[`model.${project}.${model}`]?.columns.find((c) => c.column === name);
    if (!found) throw new Error(`no column ${model}.${name}`);
    return found;
  };
  return {
    column,
    upstream: (model: string, name: string): string[] => named(column(model, name).upstream),
    roots: (model: string, name: string): string[] => named(roots(`model.${project}.${model}`, name).roots),
    rootGaps: (model: string, name: string) => roots(`model.${project}.${model}`, name).unknown,
    model: (model: string) => lineage.models[`model.${project}.${model}`],
  };
}

describe('how a select item uses the columns it names', () => {
  const uses = (item: string): string[] => {
    const parsed = parse(`select ${item} as c from t`, Dialect.Snowflake);
    const select = (parsed.ast?.[0] as { select: { expressions: unknown[] } }).select;
    return expressionFacts(select.expressions[0]).mentions.map((m) => `${m.column} ${m.how}`);
  };

  it.each([
    ['x', 'x direct'],
    ['cast(x as int)', 'x direct'],
    ['try_cast(x as date)', 'x direct'],
    ['x::varchar', 'x direct'],
    ['upper(trim(x))', 'x expression'],
    ['iff(y > 0, x, null)', 'y expression,x expression'],
    ['sum(x) + max(y)', 'x aggregate,y aggregate'],
    ['bitand_agg(x)', 'x aggregate'],
    ['hll_estimate(x)', 'x expression'],
    ['listagg(x, \',\') within group (order by y)', 'x aggregate,y aggregate'],
    ['sum(x) over (partition by y)', 'x aggregate,y aggregate'],
    ['row_number() over (partition by y order by x)', 'y aggregate,x aggregate'],
    ['lag(x) over (order by y)', 'x expression,y expression'],
  ])('%s: %s', (item, expected) => {
    expect(uses(item)).toEqual(expected.split(','));
  });
});

describe('column lineage of one model', async () => {
  const { lineage } = await traced(labProject());
  const lab = lookup(lineage, 'lab');

  it('expands SELECT * over a seed whose columns are declared', () => {
    expect(lab.model('brz_customers')?.columns.map((c) => c.column)).toEqual(['customer_id', 'email', 'name', 'segment', 'signup_date']);
    expect(lab.upstream('brz_customers', 'email')).toEqual(['customers.email direct']);
  });

  it('passes a value through a cast; a function computes a new one', () => {
    expect(lab.upstream('stg_customers', 'signup_date')).toEqual(['brz_customers.signup_date direct']);
    expect(lab.upstream('stg_customers', 'segment')).toEqual(['brz_customers.segment direct']);
    expect(lab.upstream('stg_customers', 'email')).toEqual(['brz_customers.email expression']);
  });

  it('follows CTEs, a derived table and a join, and names the ephemeral model it inlines', () => {
    expect(lab.upstream('cte_join', 'contact_email')).toEqual(['stg_customers.email direct']);
    expect(lab.upstream('cte_join', 'amount')).toEqual(['paid_orders.amount direct']);
    expect(lab.upstream('cte_join', 'amount_cents')).toEqual(['paid_orders.amount expression']);
    expect(lab.roots('cte_join', 'amount_cents')).toEqual(['orders.amount expression']);
  });

  it('marks aggregates, a CASE over one and a window over one; COUNT(*) reads no column', () => {
    expect(lab.upstream('customer_totals', 'customer_id')).toEqual(['orders.customer_id direct']);
    expect(lab.upstream('customer_totals', 'total_amount')).toEqual(['orders.amount aggregate']);
    expect(lab.upstream('customer_totals', 'size_band')).toEqual(['orders.amount aggregate']);
    expect(lab.upstream('customer_totals', 'amount_rank')).toEqual(['orders.amount aggregate']);
    expect(lab.upstream('customer_totals', 'any_paid')).toEqual(['orders.status aggregate']);
    expect(lab.column('customer_totals', 'order_count')).toEqual({ column: 'order_count', status: 'traced', upstream: [] });
  });

  it('counts a window that reads another row (LAG) as an expression, its partition and order included', () => {
    expect(lab.upstream('order_steps', 'amount_step')).toEqual(['orders.amount expression', 'orders.customer_id expression', 'orders.ordered_at expression']);
  });

  it('reads every branch of a UNION, and not the right side of EXCEPT, which only filters', () => {
    expect(lab.upstream('contacts', 'contact')).toEqual(['brz_customers.name direct', 'stg_customers.email direct']);
    expect(lab.column('contacts', 'kind').upstream).toEqual([]);
  });

  it('expands a qualified SELECT c.* over a model to the columns that model was traced to have', () => {
    expect(lab.model('star_join')?.columns.map((c) => c.column)).toEqual(['customer_id', 'email', 'name', 'signup_date', 'segment', 'amount']);
    expect(lab.upstream('star_join', 'email')).toEqual(['stg_customers.email direct']);
  });

  it('says unknown, with the reason, rather than guess', () => {
    const rowHash = lab.column('opaque', 'row_hash');
    expect(rowHash.status === 'unknown' && rowHash.reasons).toEqual([expect.stringContaining('* inside an expression')]);
    const missing = lab.column('opaque', 'missing');
    expect(missing.status === 'unknown' && missing.reasons).toEqual(['column nope is not a column of model.lab.stg_customers']);
    // A SELECT * over a source: the model's own columns are unknown, and so is any SELECT * over it.
    expect(lab.model('brz_events')).toEqual({ node: 'model.lab.brz_events', columns: [], shapeUnknown: 'SELECT * over source.lab.legacy.events, whose columns are not known' });
    expect(lab.model('over_events')?.shapeUnknown).toBe('SELECT * over model.lab.brz_events, whose columns are not known');
    // A column named from it is one step away, but its roots cannot be found.
    expect(lab.upstream('event_summary', 'event_id')).toEqual(['brz_events.event_id direct']);
    expect(lab.rootGaps('event_summary', 'event_id')).toEqual([{ node: 'model.lab.brz_events', column: 'event_id', reason: expect.stringContaining('SELECT *') }]);
  });

  it("expands SELECT * over a model whose own SQL says nothing of its columns to its contract's columns", () => {
    expect(lab.model('brz_accounts')?.shapeUnknown).toBe('SELECT * over source.lab.legacy.accounts, whose columns are not known');
    expect(lab.model('over_accounts')?.columns.map((c) => c.column)).toEqual(['account_id', 'owner_email']);
    expect(lab.upstream('over_accounts', 'owner_email')).toEqual(['brz_accounts.owner_email direct']);
    expect(lab.rootGaps('over_accounts', 'owner_email')).toEqual([{ node: 'model.lab.brz_accounts', column: 'owner_email', reason: expect.stringContaining('SELECT * over source.lab.legacy.accounts') }]);
  });

  it('refuses a UNION polyglot 0.12.1 misparses (after a SELECT ending in a scalar subquery), keeping what it did trace', () => {
    const value = lab.column('checks', 'value');
    expect(value.status).toBe('unknown');
    expect(value.status === 'unknown' && value.reasons).toContainEqual(expect.stringContaining('misparses checks'));
    expect(named(value.upstream)).toContain('orders.amount aggregate');
  });

  it('is direct at the root only if every step is', () => {
    expect(lab.roots('star_join', 'name')).toEqual(['customers.name direct']);
    expect(lab.roots('star_join', 'email')).toEqual(['customers.email expression']);
    expect(lab.roots('contacts', 'contact')).toEqual(['customers.email expression', 'customers.name direct']);
  });
});

describe('column lineage of the showcase', async () => {
  const { lineage } = await traced(showcaseCopy());
  const showcase = lookup(lineage, 'phantom_sec');

  it('traces the pii contact columns of dim_customer_360 to the customers seed', () => {
    for (const contact of ['primary_contact_name', 'primary_contact_email', 'primary_contact_phone']) {
      expect(showcase.upstream('dim_customer_360', contact)).toEqual([`stg_customers.${contact} direct`]);
      // stg_customers trims (and lower-cases the email): not the seed's value as is.
      expect(showcase.roots('dim_customer_360', contact)).toEqual([`dim_customers.${contact} expression`]);
    }
  });

  it('traces the phi and pii columns of fct_phi_incidents, and the notification clock, to the PHI incident seed', () => {
    for (const column of ['patient_pseudonym', 'reporter_email']) {
      expect(showcase.upstream('fct_phi_incidents', column)).toEqual([`stg_phi_incidents.${column} direct`]);
      expect(showcase.roots('fct_phi_incidents', column)).toEqual([`fact_phi_incidents.${column} expression`]);
    }
    expect(showcase.roots('fct_phi_incidents', 'is_notification_deadline_met')).toEqual(
      expect.arrayContaining(['fact_phi_incidents.discovered_date expression', 'fact_phi_incidents.notified_date expression']),
    );
  });

  it('traces an ARR figure of fct_arr_quarterly as an aggregate of the subscription events', () => {
    expect(showcase.upstream('fct_arr_quarterly', 'arr')).toContain('fct_mrr_monthly.mrr aggregate');
    const roots = showcase.roots('fct_arr_quarterly', 'arr');
    expect(roots).toContain('fact_subscription_events.mrr_amount aggregate');
    expect(roots.every((r) => r.endsWith(' aggregate'))).toBe(true);
  });

  it('traces every column but those of the UNION polyglot misparses', () => {
    const unknown = Object.values(lineage.models).flatMap((m) => [
      ...(m.shapeUnknown ? [nameOfId(m.node)] : []),
      ...m.columns.filter((c) => c.status === 'unknown').map((c) => `${nameOfId(m.node)}.${c.column}`),
    ]);
    expect(unknown.sort()).toEqual(['actual_value', 'check_name', 'expected_value', 'is_passing'].map((c) => `ops_revenue_reconciliation.${c}`));
    expect(Object.values(lineage.models).reduce((n, m) => n + m.columns.length, 0)).toBe(329);
  });
});

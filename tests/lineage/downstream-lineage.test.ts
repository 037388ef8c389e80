// Downstream column lineage: the columns of other models computed from a column, by inverting each model's trace;
// a model downstream whose trace is incomplete is reported unknown, never counted in or out.
import { describe, expect, it } from 'vitest';
import { downstreamResolver } from '../../src/graph/downstream-lineage.js';
import type { ProjectLineage } from '../../src/graph/column-lineage.js';
import { charter } from '../helpers/project.js';
import { labProject } from './lineage-lab.js';

const m = (name: string): string => `model.p.${name}`;

// a.x -> b.y (direct) -> c.z (aggregate); b.k is traced from a.k only; d reads a but one column is untraced; e is a
// SELECT * over a of unknown shape.
const LINEAGE: ProjectLineage = {
  shapes: {},
  models: {
    [m('a')]: { node: m('a'), columns: [{ column: 'x', status: 'traced', upstream: [{ node: 'seed.p.s', column: 'x', how: 'direct' }] }] },
    [m('b')]: {
      node: m('b'),
      columns: [
        { column: 'y', status: 'traced', upstream: [{ node: m('a'), column: 'x', how: 'direct' }] },
        { column: 'k', status: 'traced', upstream: [{ node: m('a'), column: 'k', how: 'direct' }] },
      ],
    },
    [m('c')]: { node: m('c'), columns: [{ column: 'z', status: 'traced', upstream: [{ node: m('b'), column: 'y', how: 'aggregate' }] }] },
    [m('d')]: {
      node: m('d'),
      columns: [
        { column: 'h', status: 'unknown', reasons: ['h uses * inside an expression'], upstream: [] },
        { column: 'x2', status: 'unknown', reasons: ['something else'], upstream: [{ node: m('a'), column: 'x', how: 'expression' }] },
      ],
    },
    [m('e')]: { node: m('e'), columns: [], shapeUnknown: 'SELECT * over a relation, whose columns are not known' },
  },
};
const CHILDREN = new Map([
  ['seed.p.s', [m('a')]],
  [m('a'), [m('b'), m('d'), m('e')]],
  [m('b'), [m('c')]],
]);

describe('downstream lineage, inverted from the per-model traces', () => {
  const down = downstreamResolver(LINEAGE, CHILDREN);

  it('names the columns computed from a column, one step and all the way down, with how combined', () => {
    const x = down(m('a'), 'X');
    expect(x.downstream).toEqual([
      { node: m('b'), column: 'y', how: 'direct' },
      { node: m('d'), column: 'x2', how: 'expression' },
    ]);
    expect(x.all).toEqual(expect.arrayContaining([{ node: m('c'), column: 'z', how: 'aggregate' }]));
    expect(x.all).toHaveLength(3);
    // b.k reads a.k, not a.x: it is no part of x's downstream.
    expect(x.all.some((d) => d.column === 'k')).toBe(false);
  });

  it('reports a child whose trace is incomplete as unknown, never as a reader or a non-reader', () => {
    const x = down(m('a'), 'x');
    expect(x.unknown).toEqual([
      { node: m('d'), column: 'h', reason: 'h uses * inside an expression' },
      { node: m('e'), reason: 'SELECT * over a relation, whose columns are not known' },
    ]);
    // d.x2 is known to read a.x (its trace is incomplete elsewhere): listed as downstream, not as unknown.
    expect(x.unknown.some((u) => u.column === 'x2')).toBe(false);
  });

  it('works from a seed column, and a leaf column has nothing downstream', () => {
    expect(down('seed.p.s', 'x').all.map((d) => `${d.node}.${d.column}`).sort()).toEqual([`${m('a')}.x`, `${m('b')}.y`, `${m('c')}.z`, `${m('d')}.x2`]);
    expect(down(m('c'), 'z')).toEqual({ downstream: [], all: [], unknown: [] });
  });
});

describe('charter lineage downstream', () => {
  const dir = labProject();

  it('prints the columns computed from a column, further down, and what it cannot tell', async () => {
    const out = await charter(['lineage', 'brz_customers.email'], dir);
    expect(out.code).toBe(0);
    const lines = out.stdout.split('\n').map((l) => l.replace(/\s+/g, ' ').trim());
    expect(lines).toEqual(expect.arrayContaining([
      'downstream stg_customers.email expression',
      'further contacts.contact expression',
      'cte_join.contact_email expression',
      'star_join.email expression',
      'unknown downstream at opaque.row_hash: row_hash uses * inside an expression, whose columns are not listed',
    ]));
  });

  it('says none for a column nothing reads', async () => {
    const out = await charter(['lineage', 'cte_join.amount_cents'], dir);
    expect(out.stdout).toMatch(/downstream\s+none/);
  });

  it('carries downstream, downstream_all and downstream_unknown in --json', async () => {
    const out = await charter(['lineage', 'stg_customers.email', '--json'], dir);
    expect(out.code).toBe(0);
    const [column] = JSON.parse(out.stdout).columns;
    expect(column.downstream).toEqual([
      { node: 'model.lab.contacts', column: 'contact', how: 'direct' },
      { node: 'model.lab.cte_join', column: 'contact_email', how: 'direct' },
      { node: 'model.lab.star_join', column: 'email', how: 'direct' },
    ]);
    expect(column.downstream_all).toHaveLength(3);
    expect(column.downstream_unknown).toEqual(expect.arrayContaining([{ node: 'model.lab.opaque', column: 'row_hash', reason: expect.stringContaining('*') }]));
  });
});
